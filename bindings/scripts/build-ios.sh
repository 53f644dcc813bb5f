#!/usr/bin/env bash
# Builds ios/ZhifaKit/ZhifaFFIC.xcframework (iOS device + simulator static
# library with the ZhifaFFIC header and modulemap) and the generated Swift.
# Runs on macOS with Xcode only.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${TARGETS[@]}"
for t in "${TARGETS[@]}"; do cargo build -p zhifa-ffi --profile release-mobile --target "$t"; done
cargo build -p uniffi-bindgen
target/debug/uniffi-bindgen generate --library target/aarch64-apple-ios/release-mobile/libzhifa_ffi.a \
    -l swift -o target/bindings/swift
OUT=target/ios
rm -rf "$OUT" && mkdir -p "$OUT/headers" "$OUT/sim"
cp target/bindings/swift/ZhifaFFIC.h "$OUT/headers/"
cp target/bindings/swift/ZhifaFFIC.modulemap "$OUT/headers/module.modulemap"
lipo -create target/aarch64-apple-ios-sim/release-mobile/libzhifa_ffi.a \
    target/x86_64-apple-ios/release-mobile/libzhifa_ffi.a -output "$OUT/sim/libzhifa_ffi.a"
xcodebuild -create-xcframework \
    -library target/aarch64-apple-ios/release-mobile/libzhifa_ffi.a -headers "$OUT/headers" \
    -library "$OUT/sim/libzhifa_ffi.a" -headers "$OUT/headers" \
    -output "$OUT/ZhifaFFIC.xcframework"
rm -rf ios/ZhifaKit/ZhifaFFIC.xcframework
cp -R "$OUT/ZhifaFFIC.xcframework" ios/ZhifaKit/
mkdir -p ios/ZhifaKit/Sources/ZhifaFFI
cp target/bindings/swift/ZhifaFFI.swift ios/ZhifaKit/Sources/ZhifaFFI/
