#!/usr/bin/env bash
# Browser tests of the office console: Debian's Chromium driven by
# playwright-core (never a downloaded browser), axe-core on every page,
# against a real zhifa-server --demo and real `zhifa` devices.
#
#   bash tests/browser/run.sh [test files...]
#
# Needs the debug binaries (cargo build -p zhifa-server -p zhifa-cli; .ci/test
# builds the workspace before), node >= 20, npm, /usr/bin/chromium and
# fonts-noto-cjk. Screenshots go to target/browser/<test>/<NN>-<step>.png.
# Exits non-zero when a test fails or when no test ran.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
server_bin="$root/target/debug/zhifa-server"
zhifa_bin="$root/target/debug/zhifa"
chromium="${CHROMIUM:-/usr/bin/chromium}"

for b in "$server_bin" "$zhifa_bin"; do
  if [[ ! -x "$b" ]]; then
    echo "browser tests: $b is missing; build it first: cargo build -p zhifa-server -p zhifa-cli" >&2
    exit 1
  fi
done
if [[ ! -x "$chromium" ]]; then
  echo "browser tests: $chromium is missing: apt-get install -y chromium fonts-noto-cjk" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "browser tests: node and npm are needed" >&2
  exit 1
fi

cd "$here"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/@axe-core/playwright ]]; then
  npm ci --no-audit --no-fund
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/zhifa-browser.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port on the loopback address.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
url="http://127.0.0.1:$port"

"$server_bin" --demo --data "$tmp/data" --bind "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "browser tests: zhifa-server exited at start:" >&2
    cat "$tmp/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if ! curl -fsS "$url/healthz" >/dev/null 2>&1; then
  echo "browser tests: zhifa-server did not answer $url/healthz in 30 s" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi

shots="$root/target/browser"
mkdir -p "$shots" "$tmp/work"
if [[ $# -gt 0 ]]; then files=("$@"); else files=(*.test.mjs); fi

set +e
ZHIFA_URL="$url" ZHIFA_BIN="$zhifa_bin" ZHIFA_SHOTS="$shots" ZHIFA_TMP="$tmp/work" CHROMIUM="$chromium" \
  node --test --test-concurrency=1 --test-timeout=300000 --test-reporter=tap "${files[@]}" 2>&1 | tee "$tmp/tap.txt"
status=${PIPESTATUS[0]}
set -e

pass="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tmp/tap.txt" | tail -1)"
fail="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tmp/tap.txt" | tail -1)"
if [[ $status -ne 0 || "${fail:-1}" != 0 ]]; then
  echo "browser tests: FAILED (exit $status, ${fail:-?} failed); server log:" >&2
  tail -n 40 "$tmp/server.log" >&2
  exit 1
fi
# A test file without any test is reported by node as one passing test named
# after the file: those do not count.
ran="$(grep -E '^ok [0-9]+ - ' "$tmp/tap.txt" | grep -cvE '\.test\.mjs( # .*)?$' || true)"
if [[ "${pass:-0}" -eq 0 || "${ran:-0}" -eq 0 ]]; then
  echo "browser tests: FAILED: no test ran" >&2
  exit 1
fi
echo "browser tests: screenshots in $shots"
echo "browser: $pass passed, 0 failed"
