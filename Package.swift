// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Signalbox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "signalbox", targets: ["signalbox"]),
        .executable(name: "signalbox-bench", targets: ["signalbox-bench"]),
        .library(name: "SignalboxCore", targets: ["SignalboxCore"]),
        .library(name: "SignalboxStore", targets: ["SignalboxStore"]),
        .library(name: "SignalboxPipeline", targets: ["SignalboxPipeline"]),
        .library(name: "SignalboxDelivery", targets: ["SignalboxDelivery"]),
        .library(name: "SignalboxServer", targets: ["SignalboxServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .target(name: "SignalboxCore", dependencies: ["CPrefetch", .product(name: "Yams", package: "Yams")]),
        .target(name: "SignalboxLearning", dependencies: ["SignalboxCore"]),
        .target(
            name: "SignalboxStore",
            dependencies: [
                "SignalboxCore", "CZlib", "CPrefetch", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .target(name: "SignalboxPipeline", dependencies: ["SignalboxCore", "SignalboxLearning", "SignalboxStore", "CZlib"]),
        .target(
            name: "SignalboxDelivery",
            dependencies: [
                "SignalboxCore", "SignalboxStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SignalboxServer",
            dependencies: [
                "SignalboxCore", "SignalboxStore", "SignalboxPipeline", "SignalboxDelivery", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "SignalboxDemo", dependencies: ["SignalboxCore", "SignalboxLearning", "SignalboxStore", "SignalboxPipeline"]),
        .executableTarget(
            name: "signalbox",
            dependencies: [
                "SignalboxCore", "SignalboxLearning", "SignalboxStore", "SignalboxPipeline", "SignalboxDemo", "SignalboxDelivery", "SignalboxServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "signalbox-bench",
            dependencies: [
                "SignalboxCore", "SignalboxStore", "SignalboxPipeline", "SignalboxDemo", "SignalboxDelivery", "SignalboxServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/signalbox-bench"
        ),
        .testTarget(name: "SignalboxCoreTests", dependencies: ["SignalboxCore"]),
        .testTarget(name: "SignalboxLearningTests", dependencies: ["SignalboxLearning"]),
        .testTarget(name: "SignalboxStoreTests", dependencies: ["SignalboxStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SignalboxCLITests", dependencies: ["signalbox"]),
        .testTarget(
            name: "SignalboxServerTests",
            dependencies: ["SignalboxServer", "SignalboxDemo", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(
            name: "SignalboxDeliveryTests",
            dependencies: [
                "SignalboxDelivery", "SignalboxPipeline", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "SignalboxPipelineTests", dependencies: ["SignalboxPipeline", "SignalboxDemo", "SignalboxLearning"]),
    ]
)
