#!/usr/bin/env bash
# Runs the Python binding tests against target/debug/libzhifa_ffi.so, with a
# real zhifa-server on 127.0.0.1 (with-server.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=target/bindings/python-run
rm -rf "$WORK" && mkdir -p "$WORK"
cp target/bindings/python/zhifa_ffi.py target/debug/libzhifa_ffi.so bindings/tests/python/*.py \
    bindings/tests/fixtures/photo.jpg tests/fixtures/cn_calendar_2027_synthetic.json "$WORK/"
bash bindings/scripts/with-server.sh sh -c "cd '$WORK' && python3 -m pytest -q -p no:cacheprovider ."
