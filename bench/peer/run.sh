#!/usr/bin/env bash
# The peer of zhifa-bench (bench/peer/README in bench/README.md): installs
# the npm packages from package-lock.json when missing, exports the case
# documents from the Rust sync bench when none are exported yet, then runs
# bench.mjs. Usage: run.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
CASES=${ZHIFA_BENCH_EXPORT:-${CARGO_TARGET_DIR:-$ROOT/target}/bench/cases}
if [ ! -d node_modules/@automerge/automerge-repo ]; then
  npm ci --no-audit --no-fund >&2
fi
if ! ls "$CASES"/*.automerge >/dev/null 2>&1; then
  echo "no exported case documents in $CASES: running the sync bench to export them" >&2
  MODE=bench; [ "${1:-}" = --smoke ] && MODE=test
  (cd "$ROOT" && ZHIFA_BENCH_EXPORT=$CASES cargo "$MODE" -q -p zhifa-server --bench sync_bench >/dev/null)
fi
exec node bench.mjs "$CASES" "$@"
