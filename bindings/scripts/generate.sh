#!/usr/bin/env bash
# Generates the Kotlin, Swift and Python bindings from the built library.
# Usage: generate.sh [debug|release] — reads target/<profile>/libzhifa_ffi.so and
# target/<profile>/uniffi-bindgen (or target/debug/uniffi-bindgen), writes
# target/bindings/{kotlin,swift,python}.
set -euo pipefail
cd "$(dirname "$0")/../.."
PROFILE=${1:-debug}
LIB=target/$PROFILE/libzhifa_ffi.so
GEN=target/$PROFILE/uniffi-bindgen
[ -x "$GEN" ] || GEN=target/debug/uniffi-bindgen
[ -f "$LIB" ] || { echo "missing $LIB: cargo build -p zhifa-ffi first" >&2; exit 1; }
[ -x "$GEN" ] || { echo "missing uniffi-bindgen: cargo build -p uniffi-bindgen first" >&2; exit 1; }
OUT=target/bindings
rm -rf "$OUT"
for lang in kotlin swift python; do
    "$GEN" generate --no-format --library "$LIB" -l "$lang" -o "$OUT/$lang" >/dev/null
done
echo "bindings in $OUT: $(find "$OUT" -type f | wc -l) files"
