import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServerStore
import Synchronization
import Testing
@testable import SyncServer

/// Everything logged while serving, so a test can look for patient data in it.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        Logger(label: "captured") { _ in Handler(log: self) }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log.append("\(event.level) \(event.message) " + fields.joined(separator: " "))
        }
    }
}

@Suite struct LoggingTests {
    @Test func requestLogsNameTheRouteNotTheURI() async throws {
        let log = CapturedLog()
        let database = try ServerDatabase.inMemory()
        let app = try buildApplication(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: "/nonexistent"),
            services: ServerServices(
                records: database, accounts: database, audit: database,
                attachments: try FileAttachmentStore(directory: TemporaryDirectory().path), schemaVersion: 1),
            logger: log.logger())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health?patient=%E5%BC%A0%E4%B8%89&phone=13812345678", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/patients/13812345678", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let text = log.text
        #expect(text.contains("route=/health status=200"))
        // An unknown path is logged under the framework's "NotFound", not the path asked for.
        #expect(text.contains("route=NotFound status=404"))
        #expect(!text.contains("13812345678"))
        #expect(!text.contains("张三"))
        #expect(!text.contains("%E5"))
    }
}
