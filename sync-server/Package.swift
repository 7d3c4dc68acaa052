// swift-tools-version:6.2
// The Homeward sync server. Its own package so it deploys without GTK; it shares
// SyncCore and CareModel (and, for the deterministic simulation, ClientStore) with
// the root package through a path dependency.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "homeward-server",
    products: [
        .executable(name: "homeward-server", targets: ["homeward-server"]),
        .executable(name: "homeward-sim", targets: ["homeward-sim"]),
        .executable(name: "homeward-server-bench", targets: ["homeward-server-bench"]),
    ],
    dependencies: [
        .package(name: "Homeward", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Persistence behind a protocol: no HTTP here, so the simulation links it alone.
        .target(
            name: "ServerStore",
            dependencies: [
                .product(name: "SyncCore", package: "Homeward"),
                .product(name: "CareModel", package: "Homeward"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // Password hashing (PBKDF2) and token digests.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SyncServer",
            dependencies: [
                "ServerStore",
                .product(name: "SyncCore", package: "Homeward"),
                .product(name: "CareModel", package: "Homeward"),
                .product(name: "CareRecords", package: "Homeward"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "homeward-server",
            dependencies: [
                "SyncServer",
                "ServerStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "homeward-sim",
            dependencies: [
                "ServerStore",
                .product(name: "SyncCore", package: "Homeward"),
                .product(name: "ClientStore", package: "Homeward"),
                // Crash injection observes the simulated databases' commits.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Push/pull throughput over loopback HTTP against raw SQLite, and pull cost by store size.
        .executableTarget(
            name: "homeward-server-bench",
            dependencies: [
                "SyncServer",
                "ServerStore",
                .product(name: "CareModel", package: "Homeward"),
                .product(name: "CareRecords", package: "Homeward"),
                .product(name: "SyncCore", package: "Homeward"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServerStoreTests",
            dependencies: ["ServerStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .testTarget(
            name: "SyncServerTests",
            dependencies: [
                "SyncServer",
                "homeward-server",
                "ServerStore",
                .product(name: "CareRecords", package: "Homeward"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
    ]
)
