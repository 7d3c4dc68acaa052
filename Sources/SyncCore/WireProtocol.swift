import Foundation

// The JSON bodies of the sync protocol (docs/sync-protocol.md). Keys are camelCase;
// ids are UUID strings; records are `SyncRecord`'s encoding.

/// A position in the server's change sequence. Opaque to clients: they store the
/// cursor the server gave them and send it back.
public struct ChangeCursor: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The server's change sequence number; 0 is "before the first change".
    public let sequence: Int64

    public init(sequence: Int64) { self.sequence = sequence }

    /// The cursor of a replica that has pulled nothing.
    public static let beginning = ChangeCursor(sequence: 0)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let sequence = Int64(text), sequence >= 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a cursor: \(text)")
        }
        self.sequence = sequence
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(sequence))
    }

    public static func < (lhs: ChangeCursor, rhs: ChangeCursor) -> Bool { lhs.sequence < rhs.sequence }
    public var description: String { String(sequence) }
}

// MARK: - Login

/// `POST /v1/login` request.
public struct LoginRequest: Hashable, Sendable, Codable {
    /// The user's login name.
    public var username: String
    /// The user's password; sent only over TLS, never logged.
    public var password: String
    /// The replica id of the client install logging in.
    public var replica: ReplicaID

    public init(username: String, password: String, replica: ReplicaID) {
        self.username = username
        self.password = password
        self.replica = replica
    }
}

/// `POST /v1/login` response.
public struct LoginResponse: Hashable, Sendable, Codable {
    /// Bearer token for every other request.
    public var token: String
    /// When the token stops being accepted (ISO 8601 on the wire).
    public var expiresAt: Date
    /// What this user's replica may see and write.
    public var scope: AccessScope
    /// The server's own replica id (it stamps the edits made at the central office).
    public var serverReplica: ReplicaID

    public init(token: String, expiresAt: Date, scope: AccessScope, serverReplica: ReplicaID) {
        self.token = token
        self.expiresAt = expiresAt
        self.scope = scope
        self.serverReplica = serverReplica
    }
}

// MARK: - Push

/// `POST /v1/push` request: a batch of records changed on one replica.
///
/// The batch id makes retries safe: a batch id the server has already applied is not
/// applied again, and the stored ``PushResult`` is returned unchanged.
public struct PushBatch: Hashable, Sendable, Codable {
    /// Chosen by the client when it builds the batch; reused unchanged on every retry.
    public var batchID: UUID
    /// The pushing replica.
    public var replica: ReplicaID
    /// The whole current copy of each changed record (state, not deltas).
    public var records: [SyncRecord]

    public init(batchID: UUID = UUID(), replica: ReplicaID, records: [SyncRecord]) {
        self.batchID = batchID
        self.replica = replica
        self.records = records
    }

    private enum CodingKeys: String, CodingKey { case batchID = "batchId", replica, records }
}

/// Why the server refused one pushed record. The client keeps the record in its
/// quarantine with this reason until a person acts; it is never dropped.
public enum RefusalReason: String, Hashable, Sendable, Codable, CaseIterable {
    /// The record's scope is outside the user's wards and assigned patients.
    case outOfScope
    /// The user's role may not write this kind of record.
    case notPermitted
    /// The record is malformed (a dot beyond its vector, a reused dot…).
    case invalid
    /// The record has a different kind, scope or append-only flag than the server's copy.
    case identityMismatch
    /// A signed (append-only) record arrived with a different body.
    case appendOnlyChanged
    /// The record needs a newer server.
    case schemaTooNew
}

/// The outcome for one record of a push batch.
public struct RecordPushOutcome: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// Merged into the server's copy (or already covered by it).
        case accepted
        /// Not merged; see `reason`.
        case refused
    }

    /// The pushed record this outcome is about.
    public var recordID: UUID
    /// Accepted or refused.
    public var status: Status
    /// Set when refused.
    public var reason: RefusalReason?
    /// A sentence for the quarantine screen; set when refused.
    public var message: String?

    public init(recordID: UUID, status: Status, reason: RefusalReason? = nil, message: String? = nil) {
        self.recordID = recordID
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// An accepted record.
    public static func accepted(_ recordID: UUID) -> RecordPushOutcome {
        RecordPushOutcome(recordID: recordID, status: .accepted)
    }

    /// A refused record with its reason.
    public static func refused(_ recordID: UUID, _ reason: RefusalReason, _ message: String) -> RecordPushOutcome {
        RecordPushOutcome(recordID: recordID, status: .refused, reason: reason, message: message)
    }

    private enum CodingKeys: String, CodingKey { case recordID = "recordId", status, reason, message }
}

/// `POST /v1/push` response: one outcome per pushed record, in batch order.
public struct PushResult: Hashable, Sendable, Codable {
    /// The batch answered.
    public var batchID: UUID
    /// One outcome per pushed record, in batch order.
    public var outcomes: [RecordPushOutcome]
    /// The server's change sequence after the batch was applied.
    public var cursor: ChangeCursor

    public init(batchID: UUID, outcomes: [RecordPushOutcome], cursor: ChangeCursor) {
        self.batchID = batchID
        self.outcomes = outcomes
        self.cursor = cursor
    }

    private enum CodingKeys: String, CodingKey { case batchID = "batchId", outcomes, cursor }
}

// MARK: - Pull

/// `POST /v1/pull` request (or `GET /v1/pull?cursor=…&limit=…`).
public struct PullRequest: Hashable, Sendable, Codable {
    /// The cursor of the last page merged; ``ChangeCursor/beginning`` for a first pull.
    public var cursor: ChangeCursor
    /// The most records wanted in the page; the server may send fewer (never more).
    public var limit: Int

    public init(cursor: ChangeCursor = .beginning, limit: Int = PullRequest.defaultLimit) {
        self.cursor = cursor
        self.limit = limit
    }

    /// The page size a client asks for when it has no reason to choose.
    public static let defaultLimit = 200
    /// The largest page a server sends, whatever the request says.
    public static let maximumLimit = 1000
}

/// `POST /v1/pull` response: the current state of records changed after `cursor`,
/// within the user's scope, in change order.
public struct PullPage: Hashable, Sendable, Codable {
    /// Current copies of changed records, in change order, each at most once.
    public var records: [SyncRecord]
    /// The cursor to send next; store it in the same transaction as the merged page.
    public var nextCursor: ChangeCursor
    /// Whether more changes follow now.
    public var hasMore: Bool

    public init(records: [SyncRecord], nextCursor: ChangeCursor, hasMore: Bool) {
        self.records = records
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }
}

// MARK: - Conflicts

/// `GET /v1/conflicts` response.
public struct ConflictListing: Hashable, Sendable, Codable {
    /// Conflicts ordered by record id.
    public var conflicts: [ConflictEntry]
    /// Pass as `after` for the next page; `nil` on the last page.
    public var nextPage: UUID?

    public init(conflicts: [ConflictEntry], nextPage: UUID? = nil) {
        self.conflicts = conflicts
        self.nextPage = nextPage
    }
}

// MARK: - Attachments

/// `HEAD`/`GET /v1/attachments/{sha256}/status` response: how much of an upload the
/// server holds, so a cut upload resumes from there.
public struct AttachmentStatus: Hashable, Sendable, Codable {
    /// Lowercase hex SHA-256 of the whole content.
    public var sha256: String
    /// The total size in bytes, as declared by the first chunk.
    public var size: Int64
    /// Bytes stored so far, a prefix of the content.
    public var receivedBytes: Int64
    /// Whether every byte is stored and the hash verified.
    public var complete: Bool

    public init(sha256: String, size: Int64, receivedBytes: Int64, complete: Bool) {
        self.sha256 = sha256
        self.size = size
        self.receivedBytes = receivedBytes
        self.complete = complete
    }
}

// MARK: - Errors

/// Every error the server returns, as the `code` of an ``ErrorBody``.
public enum ErrorCode: String, Hashable, Sendable, Codable, CaseIterable {
    case badRequest = "bad_request"
    case unauthenticated
    case forbidden
    case notFound = "not_found"
    /// The batch id was seen with different content.
    case batchMismatch = "batch_mismatch"
    /// The cursor is unknown or ahead of the server (e.g. the server was restored).
    case invalidCursor = "invalid_cursor"
    /// An attachment chunk does not start where the stored prefix ends.
    case chunkOutOfOrder = "chunk_out_of_order"
    /// An uploaded attachment does not hash to its name.
    case hashMismatch = "hash_mismatch"
    case payloadTooLarge = "payload_too_large"
    /// The client's protocol or schema version is not supported.
    case unsupportedVersion = "unsupported_version"
    case internalError = "internal"
    case unavailable
}

/// The body of every non-2xx response.
public struct ErrorBody: Hashable, Sendable, Codable, Error {
    /// What kind of error, for the client's logic.
    public var code: ErrorCode
    /// What happened, for logs and support (never a secret).
    public var message: String

    public init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}

// MARK: - Coding

/// The JSON encoder and decoder of the protocol: sorted keys (so equal values encode
/// to equal bytes), ISO 8601 dates.
public enum SyncJSON {
    /// A new encoder configured for the protocol.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// A new decoder configured for the protocol.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Encodes with the protocol's encoder.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try encoder().encode(value)
    }

    /// Decodes with the protocol's decoder.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }
}
