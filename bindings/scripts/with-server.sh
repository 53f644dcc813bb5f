#!/usr/bin/env bash
# Runs a command with a real zhifa-server (target/debug, demo data, a fresh
# data folder) listening on a free 127.0.0.1 port; the command finds it in
# ZHIFA_TEST_SERVER. The server is stopped when the command ends.
# Usage: with-server.sh CMD [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=target/debug/zhifa-server
[ -x "$BIN" ] || { echo "missing $BIN: cargo build -p zhifa-server first" >&2; exit 1; }
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ZHIFA_LOG=warn ZHIFA_DEMO_CASES=false "$BIN" --demo --bind "127.0.0.1:$PORT" --data "$DATA" >"$DATA/server.log" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=1)" 2>/dev/null; then
        break
    fi
    kill -0 "$PID" 2>/dev/null || { cat "$DATA/server.log" >&2; exit 1; }
    sleep 0.1
done
export ZHIFA_TEST_SERVER="http://127.0.0.1:$PORT"
"$@"
