import Foundation
import SyncCore

/// The server's storage of synchronised records, as the routes see it.
///
/// Routes, the seeding of demo data and the simulator talk to this protocol only, so a
/// PostgreSQL store can take the place of the embedded SQLite one (``ServerDatabase``)
/// without touching them. Every method checks the caller's ``AccessScope`` itself: a
/// record outside it is neither returned nor written, and its existence is not revealed.
///
/// Errors: ``RecordStoreError`` for a request the store refuses as a whole (the route
/// answers 4xx with ``RecordStoreError/errorBody``); any other error is a storage
/// failure, after which nothing of the request was kept.
public protocol RecordStore: Sendable {
    /// The server's own replica id, persisted with the data.
    var serverReplica: ReplicaID { get }

    /// Merges a push batch into the stored records in one transaction and answers with
    /// one outcome per record, in batch order.
    ///
    /// A record outside the policy's scope, of a kind it does not allow, malformed,
    /// carrying another replica's writes this server never held, or disagreeing with the
    /// stored copy's identity is refused with a reason and left out; the others are
    /// merged with ``SyncRecord/merge(_:_:)``. A batch id applied before is not applied
    /// again: the stored result is returned. With an `actor`, every record of the batch
    /// is entered in the audit log in the same transaction, so no write goes unlogged.
    ///
    /// - Throws: ``RecordStoreError/batchMismatch(batchID:)`` when the batch id was
    ///   applied before with other contents or from another replica.
    func applyPush(_ batch: PushBatch, policy: PushPolicy, auditAs actor: AuditActor?) async throws -> PushResult

    /// The current state of the records in `scope` changed after the request's cursor,
    /// in change order, at most `min(limit, PullRequest.maximumLimit)` of them.
    ///
    /// - Throws: ``RecordStoreError/cursorAhead(cursor:latest:)`` for a cursor this server
    ///   never handed out; ``RecordStoreError/invalidLimit(_:)`` for a limit below 1.
    func pull(_ request: PullRequest, scope: AccessScope) async throws -> PullPage

    /// ``pull(_:scope:)`` with each record as stored: its envelope and its canonical JSON
    /// (``SyncJSON``), so a route can send the page without decoding and re-encoding it.
    func pullStored(_ request: PullRequest, scope: AccessScope) async throws -> StoredPullPage

    /// The records in `scope` that wait for a person, by record id, after `after`.
    func conflicts(scope: AccessScope, after: UUID?, limit: Int) async throws -> ConflictListing

    /// One record, if it exists and is in `scope`.
    func record(id: UUID, scope: AccessScope) async throws -> SyncRecord?

    /// Every record in `scope`, by id: exports, reports and the simulator's checks.
    func records(scope: AccessScope) async throws -> [SyncRecord]

    /// Whether a record in `scope` refers to the attachment (see the protocol's
    /// "Attachments"): the condition for downloading it.
    func refersToAttachment(_ digest: AttachmentDigest, scope: AccessScope) async throws -> Bool

    /// How many records the server holds, deleted ones included (tombstones are records).
    func recordCount() async throws -> Int

    /// The cursor of the latest change.
    func latestCursor() async throws -> ChangeCursor

    /// Creates records written by the server itself — demo data, imports — stamped with
    /// the server's replica id. Drafts whose id is already stored are left as they are,
    /// so seeding the same drafts twice changes nothing.
    func seed(drafts: [RecordDraft], at date: Date) async throws -> SeedSummary

    /// Merges records that already carry their dots (for example exported from another
    /// server) in one transaction, without scope checks: an administrative path.
    ///
    /// - Throws: ``RecordStoreError/invalidRecord(id:reason:)`` for the first record that
    ///   is malformed or cannot be merged; then nothing is stored.
    func seed(records: [SyncRecord]) async throws -> SeedSummary
}

extension RecordStore {
    /// ``applyPush(_:policy:auditAs:)`` limited to `scope` and `writableKinds` (`nil`:
    /// every kind), without an audit entry: the simulator and administrative paths.
    public func applyPush(
        _ batch: PushBatch, scope: AccessScope, writableKinds: Set<RecordKind>? = nil
    ) async throws -> PushResult {
        try await applyPush(batch, policy: PushPolicy(scope: scope, writableKinds: writableKinds), auditAs: nil)
    }
}

extension RecordStore {
    /// Encodes the records of ``pull(_:scope:)``: for stores that keep no JSON.
    public func pullStored(_ request: PullRequest, scope: AccessScope) async throws -> StoredPullPage {
        let page = try await pull(request, scope: scope)
        return StoredPullPage(
            records: try page.records.map {
                StoredRecord(id: $0.id, kind: $0.kind, scope: $0.scope, body: try SyncJSON.encode($0))
            },
            nextCursor: page.nextCursor, hasMore: page.hasMore)
    }
}

/// A record as the store keeps it: the envelope a route needs for scope and audit, and
/// the record's canonical JSON.
public struct StoredRecord: Hashable, Sendable {
    public var id: UUID
    public var kind: RecordKind
    public var scope: RecordScope
    /// `SyncJSON.encode(record)`.
    public var body: Data

    public init(id: UUID, kind: RecordKind, scope: RecordScope, body: Data) {
        self.id = id
        self.kind = kind
        self.scope = scope
        self.body = body
    }
}

/// A pull page of stored records.
public struct StoredPullPage: Hashable, Sendable {
    public var records: [StoredRecord]
    public var nextCursor: ChangeCursor
    public var hasMore: Bool

    public init(records: [StoredRecord], nextCursor: ChangeCursor, hasMore: Bool) {
        self.records = records
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }

    /// The page as the protocol's `PullPage` JSON, byte for byte what ``SyncJSON`` makes
    /// of the decoded page: keys sorted (`hasMore`, `nextCursor`, `records`), each record
    /// its stored canonical JSON.
    public var json: Data {
        var data = Data()
        data.reserveCapacity(records.reduce(64) { $0 + $1.body.count + 1 })
        data.append(contentsOf: Array("{\"hasMore\":\(hasMore),\"nextCursor\":\"\(nextCursor)\",\"records\":[".utf8))
        for (index, record) in records.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            data.append(record.body)
        }
        data.append(contentsOf: Array("]}".utf8))
        return data
    }
}

/// What a push may write.
///
/// ```swift
/// let policy = PushPolicy(scope: AccessScope(wards: ["W3"]), knownKinds: PushPolicy.clinicalKinds)
/// ```
public struct PushPolicy: Hashable, Sendable {
    /// Records outside it are refused `outOfScope`.
    public var scope: AccessScope
    /// Kinds the caller's role may write; `nil`: every kind. Others are refused `notPermitted`.
    public var writableKinds: Set<RecordKind>?
    /// Kinds this server knows; `nil`: any. Others are refused `schemaTooNew` when the
    /// record says it comes from a newer schema, else `invalid`.
    public var knownKinds: Set<RecordKind>?

    public init(scope: AccessScope, writableKinds: Set<RecordKind>? = nil, knownKinds: Set<RecordKind>? = nil) {
        self.scope = scope
        self.writableKinds = writableKinds
        self.knownKinds = knownKinds
    }

    /// The kinds of the clinical model of schema version 1.
    public static let clinicalKinds: Set<RecordKind> = [
        .patient, .followUpTask, .signedFollowUp, .callRecording, .abnormalAlert, .alertOutcome, .amendment,
    ]
}

/// A record the server creates, before it is stamped with the server's dot.
///
/// ```swift
/// let draft = RecordDraft(kind: .patient, scope: RecordScope(ward: "W3", patient: id), id: id,
///                         changes: ["familyName": .set("张"), "allergies": .insert("penicillin")])
/// try await store.seed(drafts: [draft], at: Date())
/// ```
public struct RecordDraft: Hashable, Sendable {
    public var id: UUID
    public var kind: RecordKind
    public var scope: RecordScope
    public var changes: [String: FieldChange]

    public init(kind: RecordKind, scope: RecordScope, id: UUID = UUID(), changes: [String: FieldChange]) {
        self.id = id
        self.kind = kind
        self.scope = scope
        self.changes = changes
    }
}

/// What a seeding did.
public struct SeedSummary: Hashable, Sendable {
    /// Records created or changed.
    public var stored: Int
    /// Records that were already there, unchanged.
    public var unchanged: Int

    public init(stored: Int, unchanged: Int) {
        self.stored = stored
        self.unchanged = unchanged
    }
}

/// A request the store refuses as a whole. Nothing of it was kept.
public enum RecordStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The batch id was applied before with other records, or by another replica: the
    /// client reused an id, and applying it again or answering with the old result would
    /// hide its new records.
    case batchMismatch(batchID: UUID)
    /// The cursor is later than any change of this server (a server restored from an
    /// older backup, or a cursor from another server). The client should pull from the
    /// beginning.
    case cursorAhead(cursor: ChangeCursor, latest: ChangeCursor)
    /// A page size below 1.
    case invalidLimit(Int)
    /// A seeded record is malformed or cannot be merged with the stored copy.
    case invalidRecord(id: UUID, reason: String)

    public var description: String {
        switch self {
        case .batchMismatch(let batchID):
            "push batch \(batchID) was already applied with other contents or from another replica; send new changes under a new batch id"
        case .cursorAhead(let cursor, let latest):
            "cursor \(cursor) is ahead of this server's latest change \(latest); pull again from the beginning"
        case .invalidLimit(let limit):
            "page limit \(limit) must be at least 1"
        case .invalidRecord(let id, let reason):
            "record \(id) cannot be stored: \(reason)"
        }
    }

    /// The JSON error body a route answers with.
    public var errorBody: ErrorBody {
        switch self {
        case .batchMismatch: ErrorBody(code: .batchMismatch, message: description)
        case .cursorAhead: ErrorBody(code: .invalidCursor, message: description)
        case .invalidLimit, .invalidRecord: ErrorBody(code: .badRequest, message: description)
        }
    }
}
