#!/usr/bin/env bash
# Installs what the binding tests need on a Debian 12 machine (see
# shared/design/TOOLCHAINS.md): JNA + JUnit 5 (apt), the Kotlin compiler (npm
# package kotlin-compiler), pytest (pip) and Swift 6 in a Debian trixie chroot.
# Everything downloaded lives under .toolchains/ in the repository (ignored by
# git) so a second run reuses it. Usage: toolchains.sh [python] [kotlin] [swift]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD/.toolchains
mkdir -p "$ROOT"
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(python kotlin swift)

apt_install() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        (apt-get update -qq || true) >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

for w in "${want[@]}"; do
    case "$w" in
    python)
        python3 -c "import pytest" 2>/dev/null || python3 -m pip install -q pytest
        ;;
    kotlin)
        apt_install libjna-java junit5
        if [ ! -x "$ROOT/kotlin/bin/kotlinc" ]; then
            (cd "$ROOT" && rm -rf kotlin package && npm pack -q kotlin-compiler@2.4.20 >/dev/null \
                && tar xzf kotlin-compiler-2.4.20.tgz && mv package kotlin && rm kotlin-compiler-2.4.20.tgz)
            chmod +x "$ROOT"/kotlin/bin/*
        fi
        ;;
    swift)
        apt_install debootstrap
        CH=$ROOT/swift-root
        if [ ! -x "$CH/usr/bin/swift" ]; then
            if [ ! -x "$CH/bin/bash" ]; then
                rm -rf "$CH.partial"
                debootstrap --variant=minbase trixie "$CH.partial" http://deb.debian.org/debian >/dev/null
                mv "$CH.partial" "$CH"
            fi
            # Keep the chroot small (CI disks can be tight): no static Swift
            # runtime, docs, man pages or translations; drop the .deb cache.
            mkdir -p "$CH/etc/dpkg/dpkg.cfg.d"
            cat > "$CH/etc/dpkg/dpkg.cfg.d/zhifa-slim" <<'SLIM'
path-exclude=/usr/libexec/swift/lib/swift_static/*
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/info/*
SLIM
            unshare -m --propagation private sh -c "mount -t proc proc '$CH/proc' && chroot '$CH' sh -c 'apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends swiftlang libc6-dev >/dev/null && apt-get clean'"
        fi
        ;;
    *) echo "unknown toolchain: $w" >&2; exit 2 ;;
    esac
done
