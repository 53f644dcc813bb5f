#!/usr/bin/env bash
# Builds ios/ZhifaKit with the generated Swift bindings and runs its XCTest
# suite on Linux (Swift 6 in the Debian trixie chroot of toolchains.sh),
# against target/debug/libzhifa_ffi.so.
set -euo pipefail
cd "$(dirname "$0")/../.."
CH=$PWD/.toolchains/swift-root
PKG=$PWD/target/bindings/swift-pkg
mkdir -p "$PKG"
# Stage the package (keep .build between runs for speed).
find "$PKG" -mindepth 1 -maxdepth 1 ! -name .build -exec rm -rf {} +
cp -a ios/ZhifaKit/. "$PKG/"
mkdir -p "$PKG/Sources/ZhifaFFI" "$PKG/Sources/ZhifaFFIC" "$PKG/lib"
cp target/bindings/swift/ZhifaFFI.swift "$PKG/Sources/ZhifaFFI/"
cp target/bindings/swift/ZhifaFFIC.h "$PKG/Sources/ZhifaFFIC/"
cp target/bindings/swift/ZhifaFFIC.modulemap "$PKG/Sources/ZhifaFFIC/module.modulemap"
cp target/debug/libzhifa_ffi.so "$PKG/lib/"
cp bindings/tests/fixtures/photo.jpg "$PKG/photo.jpg"
mkdir -p "$CH/pkg"
# The tests talk to a real zhifa-server on 127.0.0.1 (with-server.sh; the
# chroot shares the network namespace).
# The build's and the test run's exit codes decide (`&&`, pipefail inside the
# chroot), then the XCTest summary: at least one test executed, 0 failures.
ST=0
ZHIFA_TEST_PHOTO=/pkg/photo.jpg bash bindings/scripts/with-server.sh unshare -m --propagation private sh -c "
  mount -t proc proc '$CH/proc' &&
  mount --bind '$PKG' '$CH/pkg' &&
  chroot '$CH' bash -o pipefail -c 'cd /pkg && { swift build --build-tests -q 2>&1 | { grep -v \"^warning\" || true; }; } && LD_LIBRARY_PATH=/pkg/lib swift test --skip-build --disable-swift-testing'
" >target/bindings/swift-test.log 2>&1 || ST=$?
grep -E "error:|failed|Executed|passed|error" target/bindings/swift-test.log | tail -20 || true
[ "$ST" = 0 ] || { echo "swift tests failed: build or test exit $ST" >&2; exit 1; }
# The last summary line is the whole run's: "Executed N tests, with F failures ...".
SUMMARY=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" target/bindings/swift-test.log | tail -1 || true)
RAN=$(echo "$SUMMARY" | grep -Eo 'Executed [0-9]+' | grep -Eo '[0-9]+' || echo 0)
FAILS=$(echo "$SUMMARY" | grep -Eo 'with [0-9]+ failure' | grep -Eo '[0-9]+' || echo 1)
echo "swift: $RAN executed, $FAILS failed"
[ "${RAN:-0}" -gt 0 ] || { echo "swift tests failed: 0 tests ran" >&2; exit 1; }
[ "${FAILS:-1}" = 0 ] || { echo "swift tests failed: $FAILS failed" >&2; exit 1; }
