import Foundation
import ServerStore
import SyncCore

/// Everything the routes use: the stores behind their protocols, metrics, the login
/// throttle and the settings of sessions. `homeward-server serve` makes one over the
/// data directory; tests make one over an in-memory database.
///
/// ```swift
/// let database = try ServerDatabase.open(dataDirectory: dir)
/// let services = try await ServerServices.open(database: database, dataDirectory: dir)
/// ```
public struct ServerServices: Sendable {
    public var records: any RecordStore
    public var accounts: any AccountStore
    public var audit: any AuditLog
    public var attachments: any AttachmentStore
    public var metrics: ServerMetrics
    public var loginThrottle: LoginThrottle
    /// The database schema version `/health` reports.
    public var schemaVersion: Int
    /// How long a login token is valid: a long shift.
    public var sessionLifetime: TimeInterval
    /// The server's clock for token expiry and audit times; tests move it.
    public var clock: @Sendable () -> Date

    public static let defaultSessionLifetime: TimeInterval = 12 * 3600

    public init(
        records: any RecordStore, accounts: any AccountStore, audit: any AuditLog, attachments: any AttachmentStore,
        metrics: ServerMetrics = ServerMetrics(), loginThrottle: LoginThrottle = LoginThrottle(), schemaVersion: Int,
        sessionLifetime: TimeInterval = ServerServices.defaultSessionLifetime,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.records = records
        self.accounts = accounts
        self.audit = audit
        self.attachments = attachments
        self.metrics = metrics
        self.loginThrottle = loginThrottle
        self.schemaVersion = schemaVersion
        self.sessionLifetime = sessionLifetime
        self.clock = clock
    }

    /// The services of one database, with attachments in `<attachmentDirectory>`.
    public static func open(database: ServerDatabase, attachmentDirectory: String) async throws -> ServerServices {
        ServerServices(
            records: database, accounts: database, audit: database,
            attachments: try FileAttachmentStore(directory: attachmentDirectory),
            schemaVersion: try await database.schemaVersion())
    }

    /// Where attachments live inside a data directory.
    public static func attachmentDirectory(inDataDirectory directory: String) -> String {
        (directory as NSString).appendingPathComponent("attachments")
    }
}
