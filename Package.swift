// swift-tools-version:6.1
// Homeward: the desktop client, the headless client tool and the libraries the
// sync server shares (SyncCore, CareModel). See ARCHITECTURE in docs/decisions.md.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Homeward",
    products: [
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .library(name: "CareModel", targets: ["CareModel"]),
        .library(name: "CareRecords", targets: ["CareRecords"]),
        .library(name: "ClientStore", targets: ["ClientStore"]),
        .executable(name: "homeward", targets: ["homeward"]),
        .executable(name: "homeward-tool", targets: ["homeward-tool"]),
        .executable(name: "homeward-bench", targets: ["homeward-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // MARK: - C libraries (module map + shim.h only)
        .systemLibrary(
            name: "CGtk",
            pkgConfig: "gtk4",
            providers: [.apt(["libgtk-4-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // MARK: - Pure libraries
        .target(name: "SyncCore", swiftSettings: strict),
        .target(name: "CareModel", swiftSettings: strict),
        // How domain values become sync records: shared by client and server.
        .target(name: "CareRecords", dependencies: ["SyncCore", "CareModel"], swiftSettings: strict),

        // MARK: - Client
        .target(
            name: "ClientStore",
            dependencies: [
                "SyncCore", "CareModel", "CareRecords", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(name: "ClientSync", dependencies: ["ClientStore", "SyncCore", "CCurl"], swiftSettings: strict),
        .target(name: "GtkKit", dependencies: ["CGtk"], swiftSettings: strict),
        .target(
            name: "AppFeatures",
            dependencies: ["SyncCore", "CareModel", "ClientStore", "ClientSync"],
            swiftSettings: strict
        ),
        .target(name: "HomewardApp", dependencies: ["AppFeatures", "GtkKit", "CGtk"], swiftSettings: strict),
        .executableTarget(name: "homeward", dependencies: ["HomewardApp"], swiftSettings: strict),
        .executableTarget(
            name: "homeward-tool",
            dependencies: [
                "ClientStore", "ClientSync", "CareModel", "AppFeatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "homeward-bench",
            dependencies: [
                "ClientStore", "ClientSync", "CareModel", "SyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Tests
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(name: "CareModelTests", dependencies: ["CareModel"], swiftSettings: strict),
        .testTarget(name: "ClientStoreTests", dependencies: ["ClientStore"], swiftSettings: strict),
        .testTarget(name: "ClientSyncTests", dependencies: ["ClientSync"], swiftSettings: strict),
        .testTarget(name: "GtkKitTests", dependencies: ["GtkKit", "CGtk"], swiftSettings: strict),
        .testTarget(name: "AppFeaturesTests", dependencies: ["AppFeatures"], swiftSettings: strict),
    ]
)
