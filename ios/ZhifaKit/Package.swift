// swift-tools-version:5.9
// ZhifaKit: the iOS app's Swift API over the generated uniffi bindings.
//
// Sources/ZhifaFFI/ZhifaFFI.swift is generated (bindings/scripts/generate.sh
// or build-ios.sh). The C side (module ZhifaFFIC) differs by platform:
// - Linux (bindings/scripts/test-swift.sh runs the XCTest suite here): the
//   generated header and modulemap as a system library in Sources/ZhifaFFIC,
//   linked against the host-built libzhifa_ffi.so staged in lib/.
// - Apple platforms: ZhifaFFIC.xcframework (device + simulator static
//   library with the same header and modulemap), built on a Mac by
//   bindings/scripts/build-ios.sh into this folder.
import PackageDescription

#if os(Linux)
let ffiTargets: [Target] = [
    .systemLibrary(name: "ZhifaFFIC", path: "Sources/ZhifaFFIC"),
    .target(
        name: "ZhifaFFI",
        dependencies: ["ZhifaFFIC"],
        path: "Sources/ZhifaFFI",
        linkerSettings: [.linkedLibrary("zhifa_ffi"), .unsafeFlags(["-L", "lib"])]
    ),
]
#else
let ffiTargets: [Target] = [
    .binaryTarget(name: "ZhifaFFIC", path: "ZhifaFFIC.xcframework"),
    .target(name: "ZhifaFFI", dependencies: ["ZhifaFFIC"], path: "Sources/ZhifaFFI"),
]
#endif

let package = Package(
    name: "ZhifaKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "ZhifaKit", targets: ["ZhifaKit"]),
    ],
    targets: ffiTargets + [
        .target(name: "ZhifaKit", dependencies: ["ZhifaFFI"], path: "Sources/ZhifaKit"),
        .testTarget(name: "ZhifaKitTests", dependencies: ["ZhifaKit"], path: "Tests/ZhifaKitTests"),
    ]
)
