import Hummingbird
import Logging
import ServerStore
import SyncCore

/// What `GET /health` answers: enough for a monitor, a load balancer or `make run` to
/// tell that this server is up, which database it serves and whether that database reads.
public struct HealthReport: Codable, Sendable, Equatable, ResponseEncodable {
    public enum Status: String, Codable, Sendable {
        /// The server answers and its database reads.
        case ok
        /// The server answers but its database does not: it cannot serve sync.
        case unavailable
    }

    public var status: Status
    /// The server build, e.g. "0.1.0".
    public var version: String
    /// The server's own replica id, which identifies its database.
    public var serverReplica: ReplicaID
    /// Records held, tombstones included; nil when the database could not be read.
    public var recordCount: Int?
    /// The database schema version this server runs on.
    public var schemaVersion: Int

    public init(status: Status, version: String, serverReplica: ReplicaID, recordCount: Int?, schemaVersion: Int) {
        self.status = status
        self.version = version
        self.serverReplica = serverReplica
        self.recordCount = recordCount
        self.schemaVersion = schemaVersion
    }
}

/// `GET /health`: unauthenticated, cheap, and free of patient data.
public struct HealthController<Context: RequestContext>: Sendable {
    let store: any RecordStore
    let schemaVersion: Int

    public init(store: any RecordStore, schemaVersion: Int) {
        self.store = store
        self.schemaVersion = schemaVersion
    }

    public func addRoutes(to router: some RouterMethods<Context>) {
        router.get("health", use: health)
    }

    @Sendable func health(_ request: Request, context: Context) async throws -> EditedResponse<HealthReport> {
        var report = HealthReport(
            status: .ok, version: ServerVersion.current, serverReplica: store.serverReplica,
            recordCount: nil, schemaVersion: schemaVersion)
        do {
            report.recordCount = try await store.recordCount()
            return EditedResponse(status: .ok, response: report)
        } catch {
            // A monitor needs the status code; the body still says which server this is.
            context.logger.error("health check could not read the database",
                                 metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            report.status = .unavailable
            return EditedResponse(status: .serviceUnavailable, response: report)
        }
    }
}
