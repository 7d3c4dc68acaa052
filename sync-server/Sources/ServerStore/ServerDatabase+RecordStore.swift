import Foundation
import GRDB
import SyncCore

extension ServerDatabase: RecordStore {
    // MARK: - Push

    public func applyPush(_ batch: PushBatch, policy: PushPolicy, auditAs actor: AuditActor?) async throws -> PushResult {
        try await writer.write { db in
            try self.applyPush(batch, policy: policy, auditAs: actor, in: db)
        }
    }

    /// The body of ``applyPush(_:policy:auditAs:)``, inside the caller's transaction.
    func applyPush(_ batch: PushBatch, policy: PushPolicy, auditAs actor: AuditActor?, in db: Database) throws -> PushResult {
        let contents = try BatchContents(batch).json
        if let row = try Row.fetchOne(
            db, sql: "SELECT replica_id, contents, result FROM push_batch WHERE batch_id = ?",
            arguments: [batch.batchID.uuidString])
        {
            guard row["replica_id"] == batch.replica.rawValue, row["contents"] == contents else {
                throw RecordStoreError.batchMismatch(batchID: batch.batchID)
            }
            return try SyncJSON.decode(PushResult.self, from: row["result"])
        }

        var sequence = try lastChange(db)
        var outcomes: [RecordPushOutcome] = []
        outcomes.reserveCapacity(batch.records.count)
        let now = Date()
        for incoming in batch.records {
            let outcome = try merge(incoming, from: batch.replica, policy: policy, sequence: &sequence, in: db)
            outcomes.append(outcome)
            if let actor {
                // Refused writes are logged too: repeated attempts outside a scope are
                // what an auditor looks for.
                try AuditEvent(
                    at: now, actor: actor, action: outcome.status == .accepted ? .write : .refusedWrite,
                    record: incoming
                ).insert(in: db)
            }
        }
        // The change sequence is stored once per batch rather than once per record.
        try db.execute(sql: "UPDATE server_identity SET last_change = ?", arguments: [sequence])
        let result = PushResult(batchID: batch.batchID, outcomes: outcomes, cursor: ChangeCursor(sequence: sequence))
        try db.execute(
            sql: "INSERT INTO push_batch (batch_id, replica_id, contents, result) VALUES (?, ?, ?, ?)",
            arguments: [batch.batchID.uuidString, batch.replica.rawValue, contents, try SyncJSON.encode(result)])
        return result
    }

    /// Checks one pushed record and merges it into the stored copy.
    private func merge(
        _ incoming: SyncRecord, from pusher: ReplicaID, policy: PushPolicy, sequence: inout Int64, in db: Database
    ) throws -> RecordPushOutcome {
        // The same answer whether a record outside the scope exists or not, so that a
        // push cannot be used to learn about another ward's patients.
        let outOfScope = RecordPushOutcome.refused(
            incoming.id, .outOfScope, "This record belongs to a ward or patient outside your assignment.")
        guard policy.scope.allows(incoming.scope) else { return outOfScope }
        let stored = try fetchRecord(id: incoming.id, in: db)
        if let stored, !policy.scope.allows(stored.scope) { return outOfScope }
        if let knownKinds = policy.knownKinds, !knownKinds.contains(incoming.kind) {
            if incoming.schemaVersion > SyncRecord.currentSchemaVersion {
                return .refused(
                    incoming.id, .schemaTooNew,
                    "This server does not know \(incoming.kind) records yet; it needs an update before it can keep them.")
            }
            return .refused(incoming.id, .invalid, "There is no record kind called \(incoming.kind).")
        }
        if let writableKinds = policy.writableKinds, !writableKinds.contains(incoming.kind) {
            return .refused(incoming.id, .notPermitted, "Your role may not change \(incoming.kind) records.")
        }
        do {
            try incoming.validate()
        } catch {
            return .refused(incoming.id, .invalid, "The record is malformed: \(error).")
        }
        // Clients sync only with this server, so any write of another replica that a
        // client holds came from here: a counter beyond what is stored is forged (or
        // comes from a database restored under another id) and is refused, never merged.
        for (replica, counter) in incoming.version.counters.sorted(by: { $0.key < $1.key })
        where replica != pusher && counter > (stored?.version[replica] ?? 0) {
            return .refused(
                incoming.id, .invalid,
                "The record carries changes of replica \(replica) that this server never sent.")
        }

        guard let stored else {
            sequence += 1
            try write(incoming, isNew: true, sequence: sequence, in: db)
            return .accepted(incoming.id)
        }
        let merged: SyncRecord
        do {
            merged = try SyncRecord.merge(stored, incoming)
        } catch {
            return Self.refusal(for: error, record: incoming.id)
        }
        if merged != stored {
            sequence += 1
            try write(merged, isNew: false, sequence: sequence, in: db)
        }
        return .accepted(incoming.id)
    }

    private static func refusal(for error: SyncRecordError, record: UUID) -> RecordPushOutcome {
        switch error {
        case .identityMismatch:
            .refused(record, .identityMismatch, "The server's copy of this record has another kind or ward: \(error).")
        case .appendOnlyRecordChanged:
            .refused(record, .appendOnlyChanged, "A signed entry cannot be changed; record the correction as an amendment.")
        default:
            .refused(record, .invalid, "The record cannot be merged: \(error).")
        }
    }

    // MARK: - Pull

    public func pull(_ request: PullRequest, scope: AccessScope) async throws -> PullPage {
        let page = try await pullStored(request, scope: scope)
        return PullPage(
            records: try page.records.map { try SyncJSON.decode(SyncRecord.self, from: $0.body) },
            nextCursor: page.nextCursor, hasMore: page.hasMore)
    }

    public func pullStored(_ request: PullRequest, scope: AccessScope) async throws -> StoredPullPage {
        guard request.limit >= 1 else { throw RecordStoreError.invalidLimit(request.limit) }
        let limit = min(request.limit, PullRequest.maximumLimit)
        return try await writer.read { db in
            let latest = try self.lastChange(db)
            guard request.cursor.sequence <= latest else {
                throw RecordStoreError.cursorAhead(cursor: request.cursor, latest: ChangeCursor(sequence: latest))
            }
            // One more than asked for tells whether more follow.
            let rows = try self.changes(after: request.cursor.sequence, scope: scope, limit: limit + 1, in: db)
            let hasMore = rows.count > limit
            let page = rows.prefix(limit)
            // With nothing more in scope, the cursor moves to the latest change of the
            // whole server, so the next pull skips everything other wards changed.
            let next = hasMore ? page.last!.sequence : latest
            return StoredPullPage(
                records: page.map(\.record), nextCursor: ChangeCursor(sequence: next), hasMore: hasMore)
        }
    }

    private struct Change {
        let sequence: Int64
        let record: StoredRecord
    }

    /// The first `limit` changes after `sequence` in `scope`, in change order.
    ///
    /// Each ward and each assigned patient is one walk of its `(…, change_seq)` index
    /// from the cursor, at most `limit` rows long; the walks are merged here. The rows
    /// read are bounded by the changes since the cursor, however large the tables.
    private func changes(after sequence: Int64, scope: AccessScope, limit: Int, in db: Database) throws -> [Change] {
        func fetch(_ sql: String, _ arguments: StatementArguments) throws -> [Change] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                let id: String = row["id"], kind: String = row["kind"], patient: String? = row["patient"]
                return Change(
                    sequence: row["change_seq"],
                    record: StoredRecord(
                        id: UUID(uuidString: id) ?? UUID(), kind: RecordKind(kind),
                        scope: RecordScope(ward: row["ward"], patient: patient.flatMap(UUID.init(uuidString:))),
                        body: row["body"]))
            }
        }
        if scope.allWards {
            return try fetch(
                "SELECT id, kind, ward, patient, change_seq, body FROM sync_record WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
                [sequence, limit])
        }
        var walks: [[Change]] = []
        for ward in scope.wards.sorted() {
            walks.append(try fetch(
                "SELECT id, kind, ward, patient, change_seq, body FROM sync_record WHERE ward = ? AND change_seq > ? ORDER BY change_seq LIMIT ?",
                [ward, sequence, limit]))
        }
        for patient in scope.patients.sorted(by: { $0.uuidString < $1.uuidString }) {
            walks.append(try fetch(
                "SELECT id, kind, ward, patient, change_seq, body FROM sync_record WHERE patient = ? AND change_seq > ? ORDER BY change_seq LIMIT ?",
                [patient.uuidString, sequence, limit]))
        }
        if walks.count == 1 { return walks[0] }
        // A patient's record can be found by both its ward and its patient: keep it once.
        var seen = Set<Int64>()
        return walks.joined().sorted { $0.sequence < $1.sequence }
            .filter { seen.insert($0.sequence).inserted }
            .prefix(limit).map { $0 }
    }

    // MARK: - Reading

    public func conflicts(scope: AccessScope, after: UUID?, limit: Int) async throws -> ConflictListing {
        guard limit >= 1 else { throw RecordStoreError.invalidLimit(limit) }
        return try await writer.read { db in
            // Conflicts are few, so the partial index on conflicted ids is walked and
            // filtered by scope here.
            var found: [SyncRecord] = []
            var position = after?.uuidString ?? ""
            var hasMore = false
            scan: while true {
                let bodies = try Data.fetchAll(
                    db, sql: "SELECT body FROM sync_record WHERE has_conflicts AND id > ? ORDER BY id LIMIT 200",
                    arguments: [position])
                for body in bodies {
                    let record = try SyncJSON.decode(SyncRecord.self, from: body)
                    position = record.id.uuidString
                    guard scope.allows(record.scope) else { continue }
                    if found.count == limit {
                        hasMore = true
                        break scan
                    }
                    found.append(record)
                }
                if bodies.count < 200 { break }
            }
            return ConflictListing(
                conflicts: found.flatMap(\.conflicts), nextPage: hasMore ? found.last?.id : nil)
        }
    }

    public func record(id: UUID, scope: AccessScope) async throws -> SyncRecord? {
        try await writer.read { db in
            guard let record = try self.fetchRecord(id: id, in: db), scope.allows(record.scope) else { return nil }
            return record
        }
    }

    public func records(scope: AccessScope) async throws -> [SyncRecord] {
        try await writer.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM sync_record ORDER BY id")
                .map { try SyncJSON.decode(SyncRecord.self, from: $0) }
                .filter { scope.allows($0.scope) }
        }
    }

    public func refersToAttachment(_ digest: AttachmentDigest, scope: AccessScope) async throws -> Bool {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT ward, patient FROM attachment_reference WHERE sha256 = ?", arguments: [digest.hex])
            return rows.contains { row in
                let patient: String? = row["patient"]
                return scope.allows(RecordScope(ward: row["ward"], patient: patient.flatMap(UUID.init(uuidString:))))
            }
        }
    }

    public func recordCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_record") ?? 0 }
    }

    public func latestCursor() async throws -> ChangeCursor {
        try await writer.read { db in ChangeCursor(sequence: try self.lastChange(db)) }
    }

    // MARK: - Seeding

    public func seed(drafts: [RecordDraft], at date: Date) async throws -> SeedSummary {
        let wallMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        return try await writer.write { db in
            var clock = HybridClock(replica: self.serverReplica)
            var summary = SeedSummary(stored: 0, unchanged: 0)
            for draft in drafts {
                if try self.fetchRecord(id: draft.id, in: db) != nil {
                    summary.unchanged += 1
                    continue
                }
                var record = SyncRecord(id: draft.id, kind: draft.kind, scope: draft.scope)
                let dot = Dot(replica: self.serverReplica, counter: try self.nextCounter(db))
                do {
                    try record.apply(draft.changes, dot: dot, at: clock.tick(wallMilliseconds: wallMilliseconds))
                } catch {
                    throw RecordStoreError.invalidRecord(id: draft.id, reason: String(describing: error))
                }
                try self.write(record, isNew: true, sequence: try self.nextChange(db), in: db)
                summary.stored += 1
            }
            return summary
        }
    }

    public func seed(records: [SyncRecord]) async throws -> SeedSummary {
        try await writer.write { db in
            var summary = SeedSummary(stored: 0, unchanged: 0)
            for record in records {
                do {
                    try record.validate()
                    let stored = try self.fetchRecord(id: record.id, in: db)
                    let merged = try stored.map { try SyncRecord.merge($0, record) } ?? record
                    if merged == stored {
                        summary.unchanged += 1
                    } else {
                        try self.write(merged, isNew: stored == nil, sequence: try self.nextChange(db), in: db)
                        summary.stored += 1
                    }
                } catch let error as SyncRecordError {
                    throw RecordStoreError.invalidRecord(id: record.id, reason: String(describing: error))
                }
            }
            return summary
        }
    }

    // MARK: - Rows

    func fetchRecord(id: UUID, in db: Database) throws -> SyncRecord? {
        // Cached statements: a batch runs these once per record.
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT body FROM sync_record WHERE id = ?"), arguments: [id.uuidString])
            .map { try SyncJSON.decode(SyncRecord.self, from: $0) }
    }

    /// Stores a record's new state under change sequence number `sequence`, which the
    /// caller has taken from ``nextChange(_:)`` or keeps for a whole batch.
    private func write(_ record: SyncRecord, isNew: Bool, sequence: Int64, in db: Database) throws {
        let body = try SyncJSON.encode(record)
        if isNew {
            try db.cachedStatement(sql: """
                    INSERT INTO sync_record (id, kind, ward, patient, change_seq, has_conflicts, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                    record.id.uuidString, record.kind.rawValue, record.scope.ward, record.scope.patient?.uuidString,
                    sequence, record.hasConflicts, body,
                ])
        } else {
            // Kind and scope are fixed at creation (merge refuses a mismatch), so only the
            // state and its position in the change sequence move.
            try db.cachedStatement(sql: "UPDATE sync_record SET change_seq = ?, has_conflicts = ?, body = ? WHERE id = ?")
                .execute(arguments: [sequence, record.hasConflicts, body, record.id.uuidString])
        }
        try AttachmentReferences.record(record, in: db)
    }

    /// Takes the next change sequence number and stores it as the latest.
    private func nextChange(_ db: Database) throws -> Int64 {
        let sequence = try lastChange(db) + 1
        try db.execute(sql: "UPDATE server_identity SET last_change = ?", arguments: [sequence])
        return sequence
    }

    func lastChange(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT last_change FROM server_identity") ?? 0
    }

    private func nextCounter(_ db: Database) throws -> UInt64 {
        try db.execute(sql: "UPDATE server_identity SET last_counter = last_counter + 1")
        return try UInt64.fetchOne(db, sql: "SELECT last_counter FROM server_identity") ?? 1
    }
}

/// What a push batch held, by record id and version: enough to tell a retry of the
/// same batch (identical) from a reuse of its id for other changes. Two versions with
/// equal vectors hold the same writes, so the bodies need not be kept.
private struct BatchContents: Encodable {
    struct Entry: Encodable {
        let id: UUID
        let version: VersionVector
    }

    let entries: [Entry]

    init(_ batch: PushBatch) {
        entries = batch.records.map { Entry(id: $0.id, version: $0.version) }
    }

    var json: String {
        get throws { String(decoding: try SyncJSON.encode(entries), as: UTF8.self) }
    }
}
