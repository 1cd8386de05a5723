// swift-tools-version:6.0
import PackageDescription

/// pilot: a pilot-job framework. One Swift core, three faces (Swift, C, Python).
///
/// Targets depend downwards only: `PilotModel` (values) and `PilotSystem`
/// (processes, files, locks) <- `PilotLink` (wire messages and framing) and
/// `PilotResources` (job services, pilot launchers) <- `PilotAgent`,
/// `PilotCoordinator` (registry, scheduling, journal) <- `PilotRemote`
/// (served sessions) <- `Pilot`, the Swift API and the only product module
/// a user imports <- `CPilot` (the C ABI). Everything below `Pilot` is
/// `package`: only the API's value types are public, named again by `Pilot`.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "pilot",
    products: [
        .library(name: "Pilot", targets: ["Pilot"]),
        .library(name: "pilot", type: .dynamic, targets: ["CPilot"]),
        .executable(name: "pilot-agent", targets: ["pilot-agent"]),
        .executable(name: "pilotctl", targets: ["pilotctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "PilotModel", swiftSettings: strict),
        // include/pilot.h as a module: the C ABI's numbers and version, read by CPilot.
        .systemLibrary(name: "CPilotHeader", path: "include"),
        .target(name: "CPilotSystem"),
        // libyaml, for pilotctl's YAML unit files (Debian: libyaml-dev).
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "PilotSystem", dependencies: ["CPilotSystem"], swiftSettings: strict),
        .target(
            name: "PilotLink",
            dependencies: [
                "PilotModel", "PilotSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // Staging files: checked tar streams over reused ssh connections.
        .target(
            name: "PilotData",
            dependencies: ["PilotModel", "PilotSystem"],
            swiftSettings: strict),
        .target(
            name: "PilotAgent",
            dependencies: [
                "PilotModel", "PilotSystem", "PilotLink", "PilotData",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "PilotResources",
            dependencies: ["PilotModel", "PilotSystem", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "PilotCoordinator",
            dependencies: [
                "PilotModel", "PilotSystem", "PilotLink", "PilotResources", "PilotData",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "PilotRemote",
            dependencies: [
                "PilotModel", "PilotSystem", "PilotLink", "PilotCoordinator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // Timeline reports read from a session's journal (`pilotctl report`).
        .target(
            name: "PilotReport",
            dependencies: [
                "PilotModel", "PilotSystem", "PilotLink", "PilotCoordinator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "Pilot",
            dependencies: ["PilotModel", "PilotCoordinator", "PilotRemote", "PilotResources", "PilotData"],
            swiftSettings: strict),
        .target(
            name: "CPilot",
            // Imports only Pilot (and the header). The modules whose types
            // Pilot names by typealias are listed too: this target compiles
            // against their layouts, and without them a changed model struct
            // does not make the build recompile it.
            dependencies: ["Pilot", "PilotModel", "PilotCoordinator", "PilotResources", "CPilotHeader"],
            swiftSettings: strict,
            // Hosts may dlclose libpilot while its threads still run (Python's
            // cffi does at exit); the Swift runtime cannot be unloaded safely.
            linkerSettings: [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "nodelete"])]),
        .executableTarget(
            name: "pilot-agent",
            dependencies: [
                "PilotAgent", "PilotData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // What pilotctl's shell commands share: finding sessions, reading
        // unit files (JSON or YAML), state names, progress lines, tables.
        .target(
            name: "PilotShell",
            dependencies: ["Pilot", "PilotCoordinator", "PilotModel", "PilotSystem", "CYAML"],
            swiftSettings: strict),
        .executableTarget(
            name: "pilotctl",
            dependencies: [
                "Pilot", "PilotCoordinator", "PilotModel", "PilotRemote", "PilotReport", "PilotShell", "PilotSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // Benchmarks through the Swift API; run by bench/run.py.
        .executableTarget(
            name: "pilot-bench",
            dependencies: [
                "Pilot", "PilotAgent", "PilotModel", "PilotSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .testTarget(name: "PilotModelTests", dependencies: ["PilotModel"], swiftSettings: strict),
        .testTarget(name: "PilotDataTests", dependencies: ["PilotData", "PilotModel"], swiftSettings: strict),
        .testTarget(
            name: "PilotAgentTests",
            dependencies: ["PilotAgent", "PilotLink", "PilotModel", .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "PilotLinkTests",
            dependencies: [
                "PilotLink", "PilotModel", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PilotTests",
            dependencies: [
                "Pilot", "PilotRemote", "PilotCoordinator", "PilotResources", "PilotLink", "PilotModel", "PilotSystem",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            // Outputs recorded from real resource managers (see Fixtures/README.md).
            exclude: ["Fixtures"],
            swiftSettings: strict),
        // Scheduling through fake links and a manual clock: no socket, no process.
        .testTarget(name: "SchedulingTests", dependencies: ["PilotCoordinator", "PilotLink", "PilotModel", "PilotSystem"], swiftSettings: strict),
        .testTarget(name: "PilotReportTests", dependencies: ["PilotReport", "PilotModel"], swiftSettings: strict),
        .testTarget(name: "PilotShellTests", dependencies: ["PilotShell", "PilotModel"], swiftSettings: strict),
        .testTarget(name: "CPilotTests", dependencies: ["CPilot"], exclude: ["c"], swiftSettings: strict),
        // Tests/Fuzz holds the libFuzzer target over the C ABI and its corpus
        // (Tests/Fuzz/run); CPilotTests replays the corpus.
    ]
)
