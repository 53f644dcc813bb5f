#!/usr/bin/env bash
# Builds libzhifa_ffi.so for Android (arm64-v8a, armeabi-v7a, x86_64) with
# cargo-ndk into target/android/jniLibs, which android/core packages.
# Needs the Android NDK (ANDROID_NDK_HOME) — not available on the CI machines.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v cargo-ndk >/dev/null || cargo install cargo-ndk --locked
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o target/android/jniLibs \
    build -p zhifa-ffi --profile release-mobile
bash bindings/scripts/generate.sh release-mobile
