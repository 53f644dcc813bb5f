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
ZHIFA_TEST_PHOTO=/pkg/photo.jpg bash bindings/scripts/with-server.sh unshare -m --propagation private sh -c "
  mount -t proc proc '$CH/proc' &&
  mount --bind '$PKG' '$CH/pkg' &&
  chroot '$CH' bash -c 'cd /pkg && swift build --build-tests -q 2>&1 | grep -v \"^warning\" ; LD_LIBRARY_PATH=/pkg/lib swift test --skip-build --disable-swift-testing'
" 2>&1 | tee target/bindings/swift-test.log | grep -E "error:|failed|Executed|passed|error" | tail -20
grep -q "with 0 failures" target/bindings/swift-test.log
