#!/usr/bin/env bash
# The FFI benchmark: release build of zhifa-ffi; the Rust side (ffi_bench)
# prepares a home with 1,000 cases and times the calls from Rust; Kotlin (JVM)
# and Python time the same calls through the generated bindings; prints the
# ratios and the stripped size of the release library.
# Needs the toolchains of toolchains.sh (kotlin, python).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --release -p zhifa-ffi
cargo build -q -p uniffi-bindgen
OUT=target/bench-ffi
rm -rf "$OUT" && mkdir -p "$OUT"
target/debug/uniffi-bindgen generate --no-format --library target/release/libzhifa_ffi.so -l kotlin -o "$OUT/kotlin" >/dev/null
target/debug/uniffi-bindgen generate --no-format --library target/release/libzhifa_ffi.so -l python -o "$OUT/python" >/dev/null

echo "== Rust =="
LINE=$(cargo bench -q -p zhifa-ffi --bench ffi_bench -- --bench --home "$PWD/$OUT/home" --cases 1000 | tee /dev/stderr | grep '^RUST_LIST_MS=')
eval "$LINE"

echo "== Kotlin (JVM, JNA) =="
KOTLIN=.toolchains/kotlin
KLIB=$KOTLIN/lib
CP=/usr/share/java/jna.jar:$KLIB/kotlinx-coroutines-core-jvm.jar
mapfile -t SRC < <(find "$OUT/kotlin" bindings/bench/kotlin -name '*.kt')
"$KOTLIN/bin/kotlinc" -jvm-target 17 -nowarn -cp "$CP" -d "$OUT/classes" "${SRC[@]}" 2>&1 | grep -v '^warning:' || true
java -Djna.library.path=target/release -cp "$OUT/classes:$CP:$KLIB/kotlin-stdlib.jar" FfiBenchKt "$FFI_HOME" "$RUST_LIST_MS" "$RUST_CALL_US"

echo "== Python (ctypes) =="
cp target/release/libzhifa_ffi.so bindings/bench/python/ffi_bench.py "$OUT/python/"
(cd "$OUT/python" && python3 ffi_bench.py "$FFI_HOME" "$RUST_LIST_MS" "$RUST_CALL_US")

echo "== Library size =="
strip -o "$OUT/libzhifa_ffi.stripped.so" target/release/libzhifa_ffi.so
printf 'release libzhifa_ffi.so (x86_64 Linux): %s bytes, stripped %s bytes (%.1f MiB)\n' \
    "$(stat -c %s target/release/libzhifa_ffi.so)" "$(stat -c %s "$OUT/libzhifa_ffi.stripped.so")" \
    "$(echo "$(stat -c %s "$OUT/libzhifa_ffi.stripped.so") / 1048576" | bc -l)"
