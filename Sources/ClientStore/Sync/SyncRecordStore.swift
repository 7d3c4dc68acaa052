import Foundation
import GRDB
import SyncCore

/// The client's sync record layer: local edits, remote merges, the push outbox, the
/// pull cursor, conflicts and the quarantine, on the client's SQLite database.
///
/// Every method takes a GRDB `Database`, so the caller decides the transaction: a
/// local edit and the domain change it belongs to commit together, a pulled page and
/// its cursor commit together. The store calls its ``RecordProjector``s for every
/// record it changes, in that same transaction.
///
/// ```swift
/// let store = SyncRecordStore(projectors: [PatientSearchProjector()])
/// try database.writer.write { db in
///     let patient = try store.create(kind: .patient, scope: RecordScope(ward: "W3"),
///                                    changes: ["name": .set("张三")], in: db)
///     try store.edit(patient.id, ["phone": .set("138…")], in: db)
/// }
/// ```
///
/// The same code runs in the desktop app, in `homeward-tool` and, on in-memory
/// databases, as the client replicas of the deterministic simulator.
public struct SyncRecordStore: Sendable {
    /// Derived tables kept in step with records.
    public let projectors: [any RecordProjector]
    /// Milliseconds since 1970 for hybrid timestamps; the simulator passes its own clock.
    public let wallClock: @Sendable () -> Int64

    /// A store that keeps `projectors` in step and stamps edits with `wallClock`
    /// (milliseconds since 1970; display only, never used to decide a merge).
    public init(
        projectors: [any RecordProjector] = [],
        wallClock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
    ) {
        self.projectors = projectors
        self.wallClock = wallClock
    }

    // MARK: - Replica identity

    /// Gives this database its replica id. Done once, when the profile is created or at
    /// first login; calling again with the same id does nothing.
    ///
    /// - Throws: ``SyncStoreError/replicaAlreadySet(_:)`` if the database already has a
    ///   different id: changing it would let two databases issue the same dots.
    public func setUpReplica(_ replica: ReplicaID, in db: Database) throws {
        if let existing = try currentReplicaID(in: db) {
            guard existing == replica else { throw SyncStoreError.replicaAlreadySet(existing) }
            return
        }
        try db.execute(
            sql: "INSERT INTO sync_replica (singleton, replica_id, counter) VALUES (1, ?, 0)",
            arguments: [replica.rawValue])
    }

    /// This database's replica id, creating a random one on first use.
    public func replicaID(in db: Database) throws -> ReplicaID {
        if let existing = try currentReplicaID(in: db) { return existing }
        let replica = ReplicaID(UUID().uuidString.lowercased())
        try setUpReplica(replica, in: db)
        return replica
    }

    /// This database's replica id if it has one; never writes.
    public func currentReplicaID(in db: Database) throws -> ReplicaID? {
        try String.fetchOne(db, sql: "SELECT replica_id FROM sync_replica WHERE singleton = 1").map { ReplicaID($0) }
    }

    /// The highest counter this replica has issued.
    public func counter(in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT counter FROM sync_replica WHERE singleton = 1") ?? 0)
    }

    // MARK: - Access scope

    /// Records what the logged-in user may see and write (from the login response).
    /// Once set, local writes outside it are refused and pulled records outside it are
    /// quarantined instead of stored.
    public func setAccessScope(_ scope: AccessScope, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO sync_access_scope (singleton, body) VALUES (1, ?) ON CONFLICT(singleton) DO UPDATE SET body = excluded.body",
            arguments: [try Self.json(scope)])
    }

    /// The stored access scope, if a user has logged in.
    public func accessScope(in db: Database) throws -> AccessScope? {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM sync_access_scope WHERE singleton = 1") else {
            return nil
        }
        return try Self.decode(AccessScope.self, body)
    }

    // MARK: - Reading

    /// The record with this id, deleted or not.
    public func record(_ id: UUID, in db: Database) throws -> SyncRecord? {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM sync_record WHERE id = ?", arguments: [id.uuidString])
        else { return nil }
        return try Self.decode(SyncRecord.self, body)
    }

    /// Every record about one patient (the patient's own record included), deleted
    /// ones only if asked for.
    public func records(aboutPatient patient: UUID, includingDeleted: Bool = false, in db: Database) throws -> [SyncRecord] {
        let sql =
            includingDeleted
            ? "SELECT body FROM sync_record WHERE patient = ? ORDER BY id"
            : "SELECT body FROM sync_record WHERE patient = ? AND deletion_state != 'deleted' ORDER BY id"
        return try String.fetchAll(db, sql: sql, arguments: [patient.uuidString]).map { try Self.decode(SyncRecord.self, $0) }
    }

    /// Records of one kind; deleted ones only if asked for.
    public func records(kind: RecordKind, includingDeleted: Bool = false, in db: Database) throws -> [SyncRecord] {
        let sql =
            includingDeleted
            ? "SELECT body FROM sync_record WHERE kind = ? ORDER BY id"
            : "SELECT body FROM sync_record WHERE kind = ? AND deletion_state != 'deleted' ORDER BY id"
        return try String.fetchAll(db, sql: sql, arguments: [kind.rawValue]).map { try Self.decode(SyncRecord.self, $0) }
    }

    /// Every record, tombstones included, ordered by id (the convergence check).
    public func allRecords(in db: Database) throws -> [SyncRecord] {
        try String.fetchAll(db, sql: "SELECT body FROM sync_record ORDER BY id").map { try Self.decode(SyncRecord.self, $0) }
    }

    /// The canonical hash of every record this replica holds (see ``StateHash``).
    public func stateHash(in db: Database) throws -> String {
        StateHash.of(try allRecords(in: db))
    }

    /// Every conflict waiting for a person, by record id.
    public func conflicts(in db: Database) throws -> [ConflictEntry] {
        try String.fetchAll(db, sql: "SELECT body FROM sync_record WHERE has_conflicts ORDER BY id")
            .flatMap { try Self.decode(SyncRecord.self, $0).conflicts }
    }

    // MARK: - Local edits

    /// Creates a record with its first values, stamped with this replica's next dot and
    /// marked pending, in the caller's transaction.
    ///
    /// - Throws: ``SyncStoreError/outOfScope(_:)`` when the user may not write there;
    ///   ``SyncStoreError/recordExists(_:)`` if the id is taken;
    ///   ``SyncStoreError/emptyRecord(_:)`` when `changes` would leave it empty.
    @discardableResult
    public func create(
        kind: RecordKind, scope: RecordScope, id: UUID = UUID(), isAppendOnly: Bool? = nil,
        changes: [String: FieldChange], in db: Database
    ) throws -> SyncRecord {
        try requireTransaction(db)
        try checkScope(scope, in: db)
        guard try record(id, in: db) == nil else { throw SyncStoreError.recordExists(id) }
        var record = SyncRecord(id: id, kind: kind, scope: scope, isAppendOnly: isAppendOnly)
        let (dot, stamp) = try nextDot(for: record, in: db)
        do {
            guard try record.apply(changes, dot: dot, at: stamp) else { throw SyncStoreError.emptyRecord(id) }
        } catch let error as SyncRecordError {
            throw SyncStoreError.rejectedEdit(error)
        }
        try commitLocal(record, dot: dot, in: db)
        return record
    }

    /// Applies a local edit to a record. Unchanged fields are not stamped; an edit that
    /// changes nothing changes nothing (no dot, no push).
    @discardableResult
    public func edit(_ id: UUID, _ changes: [String: FieldChange], in db: Database) throws -> SyncRecord {
        try localChange(id, in: db) { record, dot, stamp in try record.apply(changes, dot: dot, at: stamp) }
    }

    /// Deletes a record (a tombstone that remembers what it saw).
    @discardableResult
    public func delete(_ id: UUID, in db: Database) throws -> SyncRecord {
        try localChange(id, in: db) { record, dot, stamp in try record.delete(dot: dot, at: stamp) }
    }

    /// Restores a deleted record.
    @discardableResult
    public func restore(_ id: UUID, in db: Database) throws -> SyncRecord {
        try localChange(id, in: db) { record, dot, stamp in try record.restore(dot: dot, at: stamp) }
    }

    /// Resolves a field conflict with the value a person chose (one of the candidates or
    /// a new one): an ordinary local edit whose dot covers every candidate.
    @discardableResult
    public func resolve(_ id: UUID, field: String, choosing value: FieldValue, in db: Database) throws -> SyncRecord {
        try localChange(id, in: db) { record, dot, stamp in
            try record.resolve(field: field, choosing: value, dot: dot, at: stamp)
            return true
        }
    }

    /// Resolves a delete-versus-update conflict: keep the record with its updates, or
    /// confirm the deletion over them.
    @discardableResult
    public func resolveDeletion(_ id: UUID, keepRecord: Bool, in db: Database) throws -> SyncRecord {
        try localChange(id, in: db) { record, dot, stamp in
            try record.resolveDeletion(keepRecord: keepRecord, dot: dot, at: stamp)
            return true
        }
    }

    private func localChange(
        _ id: UUID, in db: Database,
        _ change: (inout SyncRecord, Dot, HybridTimestamp) throws -> Bool
    ) throws -> SyncRecord {
        try requireTransaction(db)
        guard var record = try record(id, in: db) else { throw SyncStoreError.recordNotFound(id) }
        try checkScope(record.scope, in: db)
        let (dot, stamp) = try nextDot(for: record, in: db)
        do {
            guard try change(&record, dot, stamp) else { return record }
        } catch let error as SyncRecordError {
            throw SyncStoreError.rejectedEdit(error)
        }
        try commitLocal(record, dot: dot, in: db)
        return record
    }

    /// The next dot for an edit of `record`: past both this replica's counter and
    /// anything the record has seen from this replica (a database restored from an old
    /// backup must not reissue dots the server already holds). Not stored until used.
    private func nextDot(for record: SyncRecord, in db: Database) throws -> (Dot, HybridTimestamp) {
        let replica = try replicaID(in: db)
        let counter = max(try counter(in: db), record.version[replica]) + 1
        var clock = try hybridClock(replica: replica, in: db)
        let stamp = clock.tick(wallMilliseconds: wallClock())
        return (Dot(replica: replica, counter: counter), stamp)
    }

    private func commitLocal(_ record: SyncRecord, dot: Dot, in db: Database) throws {
        try db.execute(
            sql: "UPDATE sync_replica SET counter = max(counter, ?) WHERE singleton = 1",
            arguments: [Int64(dot.counter)])
        if let stamp = record.lastChangedAt { try saveClock(stamp, in: db) }
        try save(record, in: db)
        try db.execute(
            sql: """
                INSERT INTO sync_pending (record_id, counter) VALUES (?, ?)
                ON CONFLICT(record_id) DO UPDATE SET counter = excluded.counter
                """,
            arguments: [record.id.uuidString, Int64(dot.counter)])
    }

    // MARK: - Remote records

    /// What applying remote records did.
    public struct ApplySummary: Hashable, Sendable {
        /// Records whose stored state changed.
        public var changed: [UUID] = []
        /// Records already covered by the local state.
        public var unchanged: [UUID] = []
        /// Records that could not be accepted and went to the quarantine.
        public var quarantined: [UUID] = []
    }

    /// Merges records received from the server into the local state, in the caller's
    /// transaction. A record that is malformed, outside the user's scope, or cannot be
    /// merged (an append-only record with a different body, a reused dot) is kept in the
    /// quarantine with the reason — never dropped, never allowed to stop the rest.
    @discardableResult
    public func applyRemote(_ records: [SyncRecord], in db: Database) throws -> ApplySummary {
        try requireTransaction(db)
        var summary = ApplySummary()
        let scope = try accessScope(in: db)
        let replica = try currentReplicaID(in: db)
        for remote in records {
            if let scope, !scope.allows(remote.scope) {
                try quarantine(remote, origin: .pullRejected, reason: .outOfScope,
                               message: "The server sent a record of \(remote.scope), outside this user's scope.", in: db)
                summary.quarantined.append(remote.id)
                continue
            }
            let merged: SyncRecord
            let existing: SyncRecord?
            do {
                try remote.validate()
                existing = try record(remote.id, in: db)
                merged = try existing.map { try SyncRecord.merge($0, remote) } ?? remote
            } catch let error as SyncRecordError {
                try quarantine(remote, origin: .pullRejected, reason: Self.refusal(for: error),
                               message: error.description, in: db)
                summary.quarantined.append(remote.id)
                continue
            }
            if let replica {
                // Never reissue a dot the server already holds from this replica.
                try db.execute(
                    sql: "UPDATE sync_replica SET counter = max(counter, ?) WHERE singleton = 1",
                    arguments: [Int64(remote.version[replica])])
            }
            if let stamp = remote.lastChangedAt { try saveClock(stamp, in: db) }
            // The server's copy already holds every local write: nothing left to push.
            if let existing, existing.version.isCovered(by: remote.version) {
                try db.execute(sql: "DELETE FROM sync_pending WHERE record_id = ?", arguments: [remote.id.uuidString])
            }
            if merged == existing {
                summary.unchanged.append(remote.id)
                continue
            }
            try save(merged, in: db)
            summary.changed.append(remote.id)
        }
        return summary
    }

    // MARK: - Push

    /// The batch to push: the one in flight if a previous push got no answer (same
    /// batch id, same content, so the server applies it once), otherwise a new batch of
    /// up to `limit` pending records, stored until acknowledged. `nil` when nothing is
    /// pending. A record whose refusal is open in the quarantine is held back until a
    /// person retries or dismisses it, so it is not refused over and over.
    public func preparePushBatch(limit: Int = 100, in db: Database) throws -> PushBatch? {
        try requireTransaction(db)
        if let body = try String.fetchOne(db, sql: "SELECT body FROM sync_push_batch ORDER BY created_at, batch_id LIMIT 1") {
            return try Self.decode(PushBatch.self, body)
        }
        let pending = try Row.fetchAll(
            db,
            sql: """
                SELECT p.record_id, p.counter, r.body FROM sync_pending p
                JOIN sync_record r ON r.id = p.record_id
                WHERE p.record_id NOT IN (SELECT record_id FROM sync_quarantine WHERE dismissed_at IS NULL AND origin = 'pushRefused')
                ORDER BY p.counter LIMIT ?
                """,
            arguments: [max(1, limit)])
        guard !pending.isEmpty else { return nil }
        let batch = PushBatch(
            batchID: UUID(), replica: try replicaID(in: db),
            records: try pending.map { try Self.decode(SyncRecord.self, $0["body"]) })
        try db.execute(
            sql: "INSERT INTO sync_push_batch (batch_id, body, created_at) VALUES (?, ?, ?)",
            arguments: [batch.batchID.uuidString, try Self.json(batch), wallClock()])
        for row in pending {
            try db.execute(
                sql: "INSERT INTO sync_push_batch_record (batch_id, record_id, counter) VALUES (?, ?, ?)",
                arguments: [batch.batchID.uuidString, row["record_id"] as String, row["counter"] as Int64])
        }
        return batch
    }

    /// What acknowledging a push did.
    public struct AcknowledgeSummary: Hashable, Sendable {
        /// Records the server holds now and that have not changed locally since.
        public var acknowledged: [UUID] = []
        /// Records refused and now in the quarantine.
        public var quarantined: [UUID] = []
    }

    /// Records the server's answer to a pushed batch: accepted records stop being
    /// pending unless edited again since the batch was built; refused records go to the
    /// quarantine with the server's reason (and stay in the local state, visible).
    ///
    /// - Throws: ``SyncStoreError/unknownBatch(_:)`` for an answer to a batch not in
    ///   flight (a duplicated answer, already acknowledged).
    @discardableResult
    public func acknowledge(_ result: PushResult, in db: Database) throws -> AcknowledgeSummary {
        try requireTransaction(db)
        guard let body = try String.fetchOne(
            db, sql: "SELECT body FROM sync_push_batch WHERE batch_id = ?", arguments: [result.batchID.uuidString])
        else { throw SyncStoreError.unknownBatch(result.batchID) }
        let batch = try Self.decode(PushBatch.self, body)
        let sent = Dictionary(uniqueKeysWithValues: batch.records.map { ($0.id, $0) })
        let counters = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(
                db, sql: "SELECT record_id, counter FROM sync_push_batch_record WHERE batch_id = ?",
                arguments: [result.batchID.uuidString]
            ).map { (UUID(uuidString: $0["record_id"])!, $0["counter"] as Int64) })
        var summary = AcknowledgeSummary()
        for outcome in result.outcomes {
            guard let record = sent[outcome.recordID], let counter = counters[outcome.recordID] else { continue }
            switch outcome.status {
            case .accepted:
                try db.execute(
                    sql: "DELETE FROM sync_pending WHERE record_id = ? AND counter <= ?",
                    arguments: [record.id.uuidString, counter])
                summary.acknowledged.append(record.id)
            case .refused:
                try quarantine(
                    record, origin: .pushRefused, reason: outcome.reason ?? .invalid,
                    message: outcome.message ?? "The server refused this change.", in: db)
                summary.quarantined.append(record.id)
            }
        }
        // A record the answer does not mention stays pending and goes in the next batch.
        try db.execute(sql: "DELETE FROM sync_push_batch WHERE batch_id = ?", arguments: [result.batchID.uuidString])
        return summary
    }

    /// Ids of records changed locally and not yet acknowledged, oldest change first.
    public func pendingRecordIDs(in db: Database) throws -> [UUID] {
        try String.fetchAll(db, sql: "SELECT record_id FROM sync_pending ORDER BY counter").compactMap(UUID.init(uuidString:))
    }

    // MARK: - Pull

    /// The stored pull cursor (``ChangeCursor/beginning`` before the first pull).
    public func pullCursor(in db: Database) throws -> ChangeCursor {
        ChangeCursor(sequence: try Int64.fetchOne(db, sql: "SELECT sequence FROM sync_cursor WHERE singleton = 1") ?? 0)
    }

    /// The request for the next page.
    public func pullRequest(limit: Int = PullRequest.defaultLimit, in db: Database) throws -> PullRequest {
        PullRequest(cursor: try pullCursor(in: db), limit: limit)
    }

    /// Merges a pulled page and stores its cursor, in the caller's transaction (one
    /// transaction per page, so a crash never stores a cursor past unmerged records).
    ///
    /// A page whose cursor is behind the stored one (a duplicated or late answer) is
    /// still merged — merge is idempotent — but does not move the cursor back.
    @discardableResult
    public func applyPulledPage(_ page: PullPage, in db: Database) throws -> ApplySummary {
        try requireTransaction(db)
        let summary = try applyRemote(page.records, in: db)
        try db.execute(
            sql: """
                INSERT INTO sync_cursor (singleton, sequence) VALUES (1, ?)
                ON CONFLICT(singleton) DO UPDATE SET sequence = max(sequence, excluded.sequence)
                """,
            arguments: [page.nextCursor.sequence])
        return summary
    }

    /// Recovers from a server restored from an older backup (`invalid_cursor`): the
    /// cursor goes back to the beginning and every record this replica holds is marked
    /// pending, so the next sync pulls everything and gives the server back whatever the
    /// backup lost. Merge makes both harmless when nothing was lost.
    public func resynchroniseFromScratch(in db: Database) throws {
        try requireTransaction(db)
        try db.execute(sql: "DELETE FROM sync_push_batch")
        try db.execute(sql: "INSERT OR REPLACE INTO sync_cursor (singleton, sequence) VALUES (1, 0)")
        try db.execute(
            sql: """
                INSERT INTO sync_pending (record_id, counter)
                SELECT id, ? FROM sync_record WHERE true
                ON CONFLICT(record_id) DO NOTHING
                """,
            arguments: [Int64(try counter(in: db))])
    }

    // MARK: - Quarantine

    /// Every write in the quarantine, open entries first.
    public func quarantine(includingDismissed: Bool = true, in db: Database) throws -> [QuarantinedWrite] {
        let filter = includingDismissed ? "" : "WHERE dismissed_at IS NULL"
        return try Row.fetchAll(
            db, sql: "SELECT * FROM sync_quarantine \(filter) ORDER BY dismissed_at IS NOT NULL, id"
        ).map(QuarantinedWrite.init(row:))
    }

    /// Tries a quarantined write again once its cause is fixed (the user's scope or
    /// permission changed, a newer Homeward was installed) and closes the entry as
    /// retried. A refused push becomes pending and goes in the next batch; a rejected
    /// pulled record is merged now — or, if it still cannot be, quarantined anew.
    public func retryQuarantined(_ entryID: Int64, by person: String, in db: Database) throws {
        try requireTransaction(db)
        guard let entry = try openEntry(entryID, in: db) else { throw SyncStoreError.quarantineEntryNotFound(entryID) }
        try closeEntry(entryID, by: "\(person) (retried)", in: db)
        switch entry.origin {
        case .pushRefused:
            if try record(entry.recordID, in: db) != nil {
                try db.execute(
                    sql: """
                        INSERT INTO sync_pending (record_id, counter) VALUES (?, ?)
                        ON CONFLICT(record_id) DO NOTHING
                        """,
                    arguments: [entry.recordID.uuidString, Int64(try counter(in: db))])
            }
        case .pullRejected:
            try applyRemote([entry.record], in: db)
        }
    }

    /// Closes an entry once a person has dealt with it (re-entered the data elsewhere,
    /// or confirmed it should not be sent). The entry and its record body stay in the
    /// table, marked with who dismissed it and when.
    public func dismissQuarantined(_ entryID: Int64, by person: String, in db: Database) throws {
        try requireTransaction(db)
        guard let entry = try openEntry(entryID, in: db) else { throw SyncStoreError.quarantineEntryNotFound(entryID) }
        try closeEntry(entryID, by: person, in: db)
        // The person decided this version is not to be sent: stop offering it, or the
        // next push would be refused and quarantined again. A later edit sends it anew.
        if entry.origin == .pushRefused {
            try db.execute(sql: "DELETE FROM sync_pending WHERE record_id = ?", arguments: [entry.recordID.uuidString])
        }
    }

    private func openEntry(_ entryID: Int64, in db: Database) throws -> QuarantinedWrite? {
        try Row.fetchOne(db, sql: "SELECT * FROM sync_quarantine WHERE id = ? AND dismissed_at IS NULL", arguments: [entryID])
            .map(QuarantinedWrite.init(row:))
    }

    private func closeEntry(_ entryID: Int64, by person: String, in db: Database) throws {
        try db.execute(
            sql: "UPDATE sync_quarantine SET dismissed_at = ?, dismissed_by = ? WHERE id = ?",
            arguments: [wallClock(), person, entryID])
    }

    private func quarantine(
        _ record: SyncRecord, origin: QuarantinedWrite.Origin, reason: RefusalReason, message: String, in db: Database
    ) throws {
        let body = try Self.json(record)
        // The same refusal of the same content, answered twice, is one entry.
        let duplicate = try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM sync_quarantine WHERE record_id = ? AND origin = ? AND reason = ?
                               AND body = ? AND dismissed_at IS NULL)
                """,
            arguments: [record.id.uuidString, origin.rawValue, reason.rawValue, body]) ?? false
        guard !duplicate else { return }
        try db.execute(
            sql: """
                INSERT INTO sync_quarantine (record_id, origin, reason, message, body, quarantined_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [record.id.uuidString, origin.rawValue, reason.rawValue, message, body, wallClock()])
    }

    // MARK: - Storage

    private func save(_ record: SyncRecord, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO sync_record (id, kind, ward, patient, append_only, deletion_state, has_conflicts, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    deletion_state = excluded.deletion_state, has_conflicts = excluded.has_conflicts, body = excluded.body
                """,
            arguments: [
                record.id.uuidString, record.kind.rawValue, record.scope.ward, record.scope.patient?.uuidString,
                record.isAppendOnly, record.deletionState.rawValue, record.hasConflicts, try Self.json(record),
            ])
        for projector in projectors {
            try projector.project(record, in: db)
        }
    }

    /// Every change spans several rows (record, counter, pending, projections); outside
    /// a transaction a crash could keep some and lose others.
    private func requireTransaction(_ db: Database) throws {
        guard db.isInsideTransaction else { throw SyncStoreError.notInTransaction }
    }

    private func checkScope(_ scope: RecordScope, in db: Database) throws {
        if let access = try accessScope(in: db), !access.allows(scope) {
            throw SyncStoreError.outOfScope(scope)
        }
    }

    private func hybridClock(replica: ReplicaID, in db: Database) throws -> HybridClock {
        guard let row = try Row.fetchOne(db, sql: "SELECT clock_wall, clock_logical FROM sync_replica WHERE singleton = 1"),
            let wall = row["clock_wall"] as Int64?, let logical = row["clock_logical"] as Int64?
        else { return HybridClock(replica: replica) }
        return HybridClock(
            replica: replica, last: HybridTimestamp(wallMilliseconds: wall, logical: UInt32(logical), replica: replica))
    }

    /// Moves the stored hybrid clock past `stamp` (a local reading or a remote one).
    private func saveClock(_ stamp: HybridTimestamp, in db: Database) throws {
        guard let replica = try currentReplicaID(in: db) else { return }
        var clock = try hybridClock(replica: replica, in: db)
        clock.observe(stamp, wallMilliseconds: wallClock())
        guard let last = clock.last else { return }
        try db.execute(
            sql: "UPDATE sync_replica SET clock_wall = ?, clock_logical = ? WHERE singleton = 1",
            arguments: [last.wallMilliseconds, Int64(last.logical)])
    }

    static func refusal(for error: SyncRecordError) -> RefusalReason {
        switch error {
        case .identityMismatch: .identityMismatch
        case .appendOnlyRecordChanged: .appendOnlyChanged
        default: .invalid
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try SyncJSON.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: String) throws -> T {
        try SyncJSON.decode(type, from: Data(body.utf8))
    }
}

/// A write that could not go where it was meant to, kept with the reason until a
/// person acts on it.
public struct QuarantinedWrite: Hashable, Sendable, Identifiable {
    /// Which direction the write was travelling.
    public enum Origin: String, Hashable, Sendable, Codable {
        /// A local change the server refused.
        case pushRefused
        /// A pulled record this replica could not accept.
        case pullRejected
    }

    /// The entry's number, for retry and dismiss.
    public let id: Int64
    /// The record refused.
    public let recordID: UUID
    /// A refused push or a rejected pull.
    public let origin: Origin
    /// Why, in the protocol's terms.
    public let reason: RefusalReason
    /// What happened, as the server or this replica put it.
    public let message: String
    /// The record exactly as it was refused.
    public let record: SyncRecord
    /// Milliseconds since 1970.
    public let quarantinedAt: Int64
    /// When a person closed the entry, and who; `nil` while open.
    public let dismissedAt: Int64?
    /// Who closed the entry, with "(retried)" when they sent it again.
    public let dismissedBy: String?

    init(row: Row) throws {
        id = row["id"]
        recordID = UUID(uuidString: row["record_id"])!
        origin = Origin(rawValue: row["origin"]) ?? .pushRefused
        reason = RefusalReason(rawValue: row["reason"]) ?? .invalid
        message = row["message"]
        record = try SyncRecordStore.decode(SyncRecord.self, row["body"])
        quarantinedAt = row["quarantined_at"]
        dismissedAt = row["dismissed_at"]
        dismissedBy = row["dismissed_by"]
    }
}

/// Why the sync layer refused a local operation.
public enum SyncStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case recordNotFound(UUID)
    case recordExists(UUID)
    case emptyRecord(UUID)
    case outOfScope(RecordScope)
    case rejectedEdit(SyncRecordError)
    case replicaAlreadySet(ReplicaID)
    case unknownBatch(UUID)
    case quarantineEntryNotFound(Int64)
    case notInTransaction

    public var description: String {
        switch self {
        case .recordNotFound(let id): "No record \(id) on this device; sync and try again."
        case .recordExists(let id): "A record \(id) already exists."
        case .emptyRecord(let id): "Record \(id) would be created without any value."
        case .outOfScope(let scope): "This user may not write records of \(scope)."
        case .rejectedEdit(let error): "The change was not made: \(error)"
        case .replicaAlreadySet(let id): "This database already belongs to replica \(id)."
        case .unknownBatch(let id): "No push batch \(id) is waiting for an answer."
        case .quarantineEntryNotFound(let id): "Quarantine entry \(id) does not exist or is already closed."
        case .notInTransaction: "Sync changes must be made inside a database transaction."
        }
    }
}
