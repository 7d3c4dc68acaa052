import CareModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServerStore
import SyncCore
import Testing
@testable import SyncServer

@Suite struct HealthTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!

    func makeApp(store: any RecordStore, schemaVersion: Int = 1) throws -> some ApplicationProtocol {
        var logger = Logger(label: "homeward-server-test")
        logger.logLevel = .warning
        let database = try ServerDatabase.inMemory()
        let services = ServerServices(
            records: store, accounts: database, audit: database,
            attachments: try FileAttachmentStore(directory: NSTemporaryDirectory() + "/hw-health-\(UUID().uuidString)"),
            schemaVersion: schemaVersion)
        return try buildApplication(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: "/nonexistent"),
            services: services, logger: logger)
    }

    @Test func reportsTheServerAndItsDatabase() async throws {
        let database = try ServerDatabase.inMemory()
        _ = try await DemoSeeder(hospital: DemoHospital(seed: 3, referenceDate: Self.today))
            .seed(patients: 12, into: database)
        let schemaVersion = try await database.schemaVersion()
        #expect(schemaVersion >= 1)
        try await self.makeApp(store: database, schemaVersion: schemaVersion).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let report = try SyncJSON.decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report == HealthReport(
                    status: .ok, version: ServerVersion.current, serverReplica: database.serverReplica,
                    recordCount: 12, schemaVersion: schemaVersion))
            }
        }
    }

    @Test func answersOverARealSocket() async throws {
        let database = try ServerDatabase.inMemory()
        try await self.makeApp(store: database).test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.server] == "homeward-server/\(ServerVersion.current)")
                let report = try SyncJSON.decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report.status == .ok)
                #expect(report.recordCount == 0)
                #expect(report.serverReplica == database.serverReplica)
            }
        }
    }

    @Test func saysUnavailableWhenTheDatabaseCannotBeRead() async throws {
        try await self.makeApp(store: UnreadableStore()).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let report = try SyncJSON.decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report.status == .unavailable)
                #expect(report.recordCount == nil)
                #expect(report.serverReplica == "server-unreadable")
            }
        }
    }

    @Test func unknownPathsAndMethodsAnswerWithJSONErrors() async throws {
        let database = try ServerDatabase.inMemory()
        try await self.makeApp(store: database).test(.router) { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try SyncJSON.decode(ErrorBody.self, from: Data(buffer: response.body))
                #expect(body.code == .notFound)
                #expect(!body.message.isEmpty)
            }
            try await client.execute(uri: "/health", method: .delete) { response in
                #expect((400..<500).contains(response.status.code))
                let body = try SyncJSON.decode(ErrorBody.self, from: Data(buffer: response.body))
                #expect(body.code != .internalError)
            }
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
