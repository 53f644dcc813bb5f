#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 30), one after
# the other; fails on the first crash, leak, timeout or out-of-memory.
# Prints per target: runs, coverage, corpus size.
#
#   bash fuzz/run.sh [SECONDS]
#
# cargo-fuzz is installed into .toolchains/cargo-fuzz on first use. The
# sanitizer flags it passes need nightly; on stable RUSTC_BOOTSTRAP=1 lets
# them through. New inputs go to a scratch corpus, so the committed seeds
# in corpus/<target>/ stay small; crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
secs="${1:-30}"
cd "$(dirname "$0")"
root="$(cd .. && pwd)"
cf="$root/.toolchains/cargo-fuzz/bin/cargo-fuzz"
if [[ ! -x "$cf" ]]; then
  cargo install cargo-fuzz --locked --root "$root/.toolchains/cargo-fuzz"
fi
export RUSTC_BOOTSTRAP=1
# -O: optimised (the default), -a: debug assertions, so integer overflow
# and arithmetic bugs crash instead of wrapping.
"$cf" fuzz build -O -a
host="$(rustc -vV | sed -n 's/^host: //p')"
bin_dir="${CARGO_TARGET_DIR:-$PWD/target}/$host/release"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf '%-16s %10s %8s %8s %6s\n' target runs exec/s cov corpus
for t in $("$cf" fuzz list); do
  mkdir -p "$scratch/$t" "artifacts/$t" "corpus/$t"
  dict=()
  [[ -f "dicts/$t.dict" ]] && dict=("-dict=dicts/$t.dict")
  log="$scratch/$t.log"
  if ! "$bin_dir/$t" "$scratch/$t" "corpus/$t" "${dict[@]}" \
      -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
      -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "FUZZ FAILURE in target $t: input saved under fuzz/artifacts/$t/ (see fuzz/README.md)" >&2
    exit 1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)"
  corp="$(find "$scratch/$t" "corpus/$t" -type f | wc -l)"
  printf '%-16s %10s %8s %8s %6s\n' "$t" "$runs" "$speed" "${cov:-?}" "$corp"
done
