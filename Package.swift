// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "hoist",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hoist", targets: ["hoist"]),
        .library(name: "HoistCore", targets: ["HoistCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0"),
    ],
    targets: [
        // Pure domain + evaluation. Imports only the standard library.
        .target(name: "HoistCore", swiftSettings: swiftSettings),
        // Store protocols and paging values.
        .target(name: "HoistStorage", dependencies: ["HoistCore"], swiftSettings: swiftSettings),
        // Flipt's import/export documents (YAML/JSON): read with positions, validate, convert, write.
        .target(
            name: "HoistDocuments",
            dependencies: ["HoistCore", "HoistStorage", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Read-only store over a directory of Flipt declarative files (storage.type: local).
        .target(
            name: "HoistStorageLocal",
            dependencies: [
                "HoistCore", "HoistStorage", "HoistDocuments",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // SQLite implementation of the store (GRDB).
        .target(
            name: "HoistStorageSQLite",
            dependencies: [
                "HoistCore", "HoistStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Immutable per-namespace snapshots, swapped atomically after writes.
        .target(
            name: "HoistEngine",
            dependencies: [
                "HoistCore", "HoistStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Metrics, health, (later) tracing and audit. No HTTP framework types.
        .target(
            name: "HoistObservability",
            dependencies: [
                "HoistCore", "HoistStorage",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // Audit sinks: webhook client and signature, delivery logs.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // Decision logs: gzip-compressed uploads.
                .product(name: "CompressNIO", package: "compress-nio"),
                // Tracing: spans, propagation, Zipkin exporter.
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird HTTP layer.
        .target(
            name: "HoistAPI",
            dependencies: [
                "HoistCore", "HoistStorage", "HoistEngine", "HoistObservability",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root: configuration, logging, service group.
        .target(
            name: "HoistServer",
            dependencies: [
                "HoistCore", "HoistStorage", "HoistStorageSQLite", "HoistEngine", "HoistAPI", "HoistObservability",
                "HoistDocuments", "HoistStorageLocal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // OTLP/gRPC and OTLP/HTTP span export (tracing.exporter otlp, jaeger) and metrics
                // export (metrics.exporter otlp).
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // hoist import/export over a store or a running server's REST API.
        .target(
            name: "HoistTransfer",
            dependencies: [
                "HoistCore", "HoistStorage", "HoistDocuments",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HoistCLI",
            dependencies: [
                "HoistServer", "HoistCore", "HoistStorage", "HoistStorageSQLite", "HoistDocuments", "HoistTransfer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "hoist", dependencies: ["HoistCLI"], swiftSettings: swiftSettings),

        .testTarget(name: "HoistCoreTests", dependencies: ["HoistCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HoistTransferTests",
            dependencies: ["HoistCore", "HoistStorage", "HoistStorageSQLite", "HoistDocuments", "HoistTransfer"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistDocumentsTests",
            dependencies: ["HoistCore", "HoistStorage", "HoistDocuments"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistStorageLocalTests",
            dependencies: ["HoistCore", "HoistStorage", "HoistDocuments", "HoistStorageLocal"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistStorageSQLiteTests",
            dependencies: ["HoistCore", "HoistStorage", "HoistStorageSQLite"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistServerTests",
            dependencies: [
                "HoistServer", "HoistObservability",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistObservabilityTests",
            dependencies: [
                "HoistCore", "HoistStorage", "HoistObservability",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistAuditTests",
            dependencies: ["HoistCore", "HoistStorage", "HoistStorageSQLite", "HoistObservability"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HoistAPITests",
            dependencies: [
                "HoistCore", "HoistStorage", "HoistStorageSQLite", "HoistEngine", "HoistAPI", "HoistServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
