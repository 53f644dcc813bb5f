// swift-tools-version:5.9
// ZhifaKit: the iOS app's Swift API over the generated uniffi bindings.
//
// The generated sources (Sources/ZhifaFFI/ZhifaFFI.swift and
// Sources/ZhifaFFIC/{ZhifaFFIC.h,module.modulemap}) are build products of
// bindings/scripts/generate.sh; bindings/scripts/test-swift.sh stages them and
// the host-built libzhifa_ffi.so (in lib/) to run the XCTest suite on Linux.
// For iOS, scripts/build-ios.sh builds ZhifaFFI.xcframework instead.
import PackageDescription

let package = Package(
    name: "ZhifaKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "ZhifaKit", targets: ["ZhifaKit"]),
    ],
    targets: [
        .systemLibrary(name: "ZhifaFFIC", path: "Sources/ZhifaFFIC"),
        .target(
            name: "ZhifaFFI",
            dependencies: ["ZhifaFFIC"],
            path: "Sources/ZhifaFFI",
            linkerSettings: [.linkedLibrary("zhifa_ffi"), .unsafeFlags(["-L", "lib"])]
        ),
        .target(name: "ZhifaKit", dependencies: ["ZhifaFFI"], path: "Sources/ZhifaKit"),
        .testTarget(name: "ZhifaKitTests", dependencies: ["ZhifaKit"], path: "Tests/ZhifaKitTests"),
    ]
)
