import Foundation
import GRDB
import SyncCore

/// Who did something, as the audit log records it: the account and the replica (the
/// install) it used.
public struct AuditActor: Hashable, Sendable, Codable {
    public var username: String
    public var replica: ReplicaID

    public init(username: String, replica: ReplicaID) {
        self.username = username
        self.replica = replica
    }
}

/// One entry of the server's append-only audit log: who read or wrote which record or
/// attachment, when, and from which replica.
///
/// Entries name records by id and scope only, never by content, so the log itself holds
/// no patient data beyond the ids the records already carry.
public struct AuditEvent: Hashable, Sendable, Codable {
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        /// A pushed record was accepted (merged, or already covered).
        case write
        /// A pushed record was refused (out of scope, not permitted, invalid…).
        case refusedWrite = "refused-write"
        /// A record was sent in a pull page.
        case read
        /// A record was sent in a conflict listing.
        case readConflicts = "read-conflicts"
        /// Attachment bytes were sent.
        case download
        /// Attachment bytes were received.
        case upload
        /// A successful login.
        case login
    }

    /// The entry's position in the log; assigned when it is stored.
    public var sequence: Int64?
    /// When it happened, in the server's clock.
    public var at: Date
    public var username: String
    public var replica: ReplicaID
    public var action: Action
    public var recordID: UUID?
    public var kind: RecordKind?
    public var ward: String?
    public var patient: UUID?
    /// The attachment's SHA-256, for uploads and downloads.
    public var attachment: String?

    public init(
        sequence: Int64? = nil, at: Date, username: String, replica: ReplicaID, action: Action,
        recordID: UUID? = nil, kind: RecordKind? = nil, ward: String? = nil, patient: UUID? = nil,
        attachment: String? = nil
    ) {
        self.sequence = sequence
        self.at = at
        self.username = username
        self.replica = replica
        self.action = action
        self.recordID = recordID
        self.kind = kind
        self.ward = ward
        self.patient = patient
        self.attachment = attachment
    }

    /// An event about `record`.
    public init(at: Date, actor: AuditActor, action: Action, record: SyncRecord) {
        self.init(
            at: at, username: actor.username, replica: actor.replica, action: action, recordID: record.id,
            kind: record.kind, ward: record.scope.ward, patient: record.scope.patient)
    }

    private enum CodingKeys: String, CodingKey {
        case sequence, at, username, replica, action, recordID = "recordId", kind, ward, patient, attachment
    }

    func insert(in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT INTO audit_event (at_ms, username, replica_id, action, record_id, kind, ward, patient, attachment)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                Int64((at.timeIntervalSince1970 * 1000).rounded()), username, replica.rawValue, action.rawValue,
                recordID?.uuidString, kind?.rawValue, ward, patient?.uuidString, attachment,
            ])
    }

    init(row: Row) {
        let ms: Int64 = row["at_ms"]
        let record: String? = row["record_id"]
        let kind: String? = row["kind"]
        let patient: String? = row["patient"]
        let replica: String = row["replica_id"]
        self.init(
            sequence: row["seq"], at: Date(timeIntervalSince1970: Double(ms) / 1000), username: row["username"],
            replica: ReplicaID(replica),
            // Actions are only ever written from this enum; a name from a newer server
            // still lists as an access rather than failing the whole query.
            action: Action(rawValue: row["action"] as String) ?? .read,
            recordID: record.flatMap(UUID.init(uuidString:)), kind: kind.map { RecordKind($0) },
            ward: row["ward"], patient: patient.flatMap(UUID.init(uuidString:)), attachment: row["attachment"])
    }
}

/// What to look for in the audit log. Filters combine with AND.
public struct AuditQuery: Hashable, Sendable {
    public var patient: UUID?
    public var recordID: UUID?
    public var username: String?
    /// Only entries after this sequence (the previous page's `nextPage`).
    public var after: Int64
    public var limit: Int

    public static let maximumLimit = 1000

    public init(patient: UUID? = nil, recordID: UUID? = nil, username: String? = nil, after: Int64 = 0, limit: Int = 200) {
        self.patient = patient
        self.recordID = recordID
        self.username = username
        self.after = after
        self.limit = limit
    }
}

/// One page of audit entries, oldest first.
public struct AuditPage: Hashable, Sendable, Codable {
    public var events: [AuditEvent]
    /// Pass as `after` for the next page; `nil` when there is none.
    public var nextPage: String?

    public init(events: [AuditEvent], nextPage: String?) {
        self.events = events
        self.nextPage = nextPage
    }
}

/// The server's append-only record of who read and wrote what.
///
/// Writes are logged by ``RecordStore/applyPush(_:policy:auditAs:)`` inside the push's
/// own transaction; reads are appended here before the data leaves the server, so a read
/// whose entry cannot be stored is not answered.
public protocol AuditLog: Sendable {
    /// Appends entries in one transaction.
    func append(_ events: [AuditEvent]) async throws
    /// Entries matching `query`, oldest first.
    func auditEvents(_ query: AuditQuery) async throws -> AuditPage
}

extension ServerDatabase: AuditLog {
    public func append(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        try await writer.write { db in
            for event in events { try event.insert(in: db) }
        }
    }

    public func auditEvents(_ query: AuditQuery) async throws -> AuditPage {
        let limit = max(1, min(query.limit, AuditQuery.maximumLimit))
        var conditions = ["seq > ?"]
        var arguments: StatementArguments = [query.after]
        if let patient = query.patient {
            conditions.append("patient = ?")
            _ = arguments.append(contentsOf: [patient.uuidString])
        }
        if let record = query.recordID {
            conditions.append("record_id = ?")
            _ = arguments.append(contentsOf: [record.uuidString])
        }
        if let username = query.username {
            conditions.append("username = ?")
            _ = arguments.append(contentsOf: [username])
        }
        _ = arguments.append(contentsOf: [limit + 1])
        let sql = "SELECT * FROM audit_event WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?"
        let bound = arguments
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: bound)
            let events = rows.prefix(limit).map(AuditEvent.init(row:))
            let next = rows.count > limit ? events.last?.sequence.map(String.init) : nil
            return AuditPage(events: Array(events), nextPage: next)
        }
    }
}
