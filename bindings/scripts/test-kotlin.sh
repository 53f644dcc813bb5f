#!/usr/bin/env bash
# Compiles the generated Kotlin bindings with android/core (main + test) on the
# JVM and runs its JUnit 5 tests against target/debug/libzhifa_ffi.so.
set -euo pipefail
cd "$(dirname "$0")/../.."
KOTLIN=.toolchains/kotlin
KLIB=$KOTLIN/lib
J=/usr/share/java
CP=$J/jna.jar:$J/junit-jupiter-api.jar:$J/apiguardian-api.jar:$J/opentest4j.jar:$KLIB/kotlinx-coroutines-core-jvm.jar:$KLIB/kotlin-test.jar:$KLIB/kotlin-test-junit5.jar
OUT=target/bindings/kotlin-classes
rm -rf "$OUT" && mkdir -p "$OUT"
mapfile -t SRC < <(find target/bindings/kotlin android/core/src/main/kotlin android/core/src/test/kotlin -name '*.kt')
mkdir -p target/bindings
# The compiler's exit code decides (a partial set of classes is no success).
KC=0
"$KOTLIN/bin/kotlinc" -jvm-target 17 -nowarn -cp "$CP" -d "$OUT" "${SRC[@]}" >target/bindings/kotlinc.log 2>&1 || KC=$?
grep -v "^warning:" target/bindings/kotlinc.log || true
[ "$KC" = 0 ] || { echo "kotlin compilation failed (kotlinc exit $KC)" >&2; exit 1; }
[ -n "$(find "$OUT" -name '*.class' -print -quit)" ] || { echo "kotlin compilation produced no classes" >&2; exit 1; }
# The JVM tests talk to a real zhifa-server on 127.0.0.1 (with-server.sh).
# The launcher's exit code (non-zero on a failed test or, with
# --fail-if-no-tests, on none found) and its summary both decide.
JU=0
ZHIFA_TEST_PHOTO=$PWD/bindings/tests/fixtures/photo.jpg bash bindings/scripts/with-server.sh \
  java -Djna.library.path=target/debug \
    -jar $J/junit-platform-console-standalone.jar \
    -cp "$OUT:$CP:$KLIB/kotlin-stdlib.jar" --scan-classpath "$OUT" --fail-if-no-tests \
    --disable-banner --details=summary --details-theme=ascii >target/bindings/kotlin-junit.log 2>&1 || JU=$?
grep -E "tests (successful|failed|found)|✘|\[X\]|Exception" target/bindings/kotlin-junit.log || true
PASSED=$(grep -Eo '[0-9]+ tests successful' target/bindings/kotlin-junit.log | grep -Eo '^[0-9]+' || echo 0)
FAILED=$(grep -Eo '[0-9]+ tests failed' target/bindings/kotlin-junit.log | grep -Eo '^[0-9]+' || echo 1)
echo "kotlin: $PASSED passed, $FAILED failed (junit exit $JU)"
[ "$JU" = 0 ] || { echo "kotlin tests failed: junit launcher exit $JU" >&2; exit 1; }
[ "$PASSED" -gt 0 ] || { echo "kotlin tests failed: 0 tests ran" >&2; exit 1; }
[ "$FAILED" = 0 ] || { echo "kotlin tests failed: $FAILED failed" >&2; exit 1; }
