import Foundation
import GRDB
import SyncCore
import Testing
@testable import ClientStore

/// A projector that mirrors each record's bed and deletion state into a table, and can
/// be told to fail, to check that projection shares the record's transaction.
struct BedProjector: RecordProjector {
    let failOnBed: FieldValue?

    init(failOnBed: FieldValue? = nil) { self.failOnBed = failOnBed }

    func project(_ record: SyncRecord, in db: Database) throws {
        if let failOnBed, record["bed"] == failOnBed { throw ProjectionFailure() }
        try db.execute(
            sql: "INSERT OR REPLACE INTO test_bed (id, bed, deleted) VALUES (?, ?, ?)",
            arguments: [record.id.uuidString, record["bed"]?.description, record.isDeleted])
    }

    struct ProjectionFailure: Error {}
}

/// One client replica on its own in-memory database.
struct Replica {
    let queue: DatabaseQueue
    let store: SyncRecordStore
    let id: ReplicaID

    init(_ id: ReplicaID, failOnBed: FieldValue? = nil, clock: @escaping @Sendable () -> Int64 = { 1_795_000_000_000 }) throws {
        queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        SyncSchema.registerMigrations(&migrator)
        migrator.registerMigration("test-bed") { db in
            try db.execute(sql: "CREATE TABLE test_bed (id TEXT PRIMARY KEY, bed TEXT, deleted INTEGER)")
        }
        try migrator.migrate(queue)
        store = SyncRecordStore(projectors: [BedProjector(failOnBed: failOnBed)], wallClock: clock)
        self.id = id
        let store = self.store
        try queue.write { db in try store.setUpReplica(id, in: db) }
    }

    @discardableResult
    func write<T>(_ body: (SyncRecordStore, Database) throws -> T) throws -> T {
        try queue.write { db in try body(store, db) }
    }

    func read<T>(_ body: (SyncRecordStore, Database) throws -> T) throws -> T {
        try queue.read { db in try body(store, db) }
    }

    func projectedBed(_ id: UUID) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT bed FROM test_bed WHERE id = ?", arguments: [id.uuidString]) }
    }
}

/// The server's merge, reduced to what the client's tests need: a record map and a
/// change sequence, with an optional scope it refuses writes outside of.
final class FakeServer {
    var records: [UUID: SyncRecord] = [:]
    var changes: [(sequence: Int64, id: UUID)] = []
    var refusedWards: Set<String> = []
    var answered: [UUID: PushResult] = [:]

    func push(_ batch: PushBatch) throws -> PushResult {
        if let answer = answered[batch.batchID] { return answer }
        var outcomes: [RecordPushOutcome] = []
        for record in batch.records {
            if refusedWards.contains(record.scope.ward) {
                outcomes.append(.refused(record.id, .outOfScope, "ward \(record.scope.ward) is not yours"))
                continue
            }
            let merged = try records[record.id].map { try SyncRecord.merge($0, record) } ?? record
            if merged != records[record.id] {
                records[record.id] = merged
                changes.append((Int64(changes.count + 1), record.id))
            }
            outcomes.append(.accepted(record.id))
        }
        let result = PushResult(batchID: batch.batchID, outcomes: outcomes, cursor: ChangeCursor(sequence: Int64(changes.count)))
        answered[batch.batchID] = result
        return result
    }

    func pull(_ request: PullRequest) -> PullPage {
        let after = changes.filter { $0.sequence > request.cursor.sequence }
        let page = after.prefix(request.limit)
        var seen = Set<UUID>()
        let records = page.compactMap { seen.insert($0.id).inserted ? self.records[$0.id] : nil }
        return PullPage(
            records: records, nextCursor: ChangeCursor(sequence: page.last?.sequence ?? request.cursor.sequence),
            hasMore: after.count > page.count)
    }

    /// Pushes everything pending and pulls every page, each step in its own transaction.
    func sync(_ replica: Replica, pageSize: Int = 2) throws {
        while let batch = try replica.write({ store, db in try store.preparePushBatch(limit: 3, in: db) }) {
            let result = try push(batch)
            try replica.write { store, db in try store.acknowledge(result, in: db) }
        }
        while true {
            let request = try replica.read { store, db in try store.pullRequest(limit: pageSize, in: db) }
            let page = pull(request)
            try replica.write { store, db in try store.applyPulledPage(page, in: db) }
            if !page.hasMore { break }
        }
    }
}

let ward3 = RecordScope(ward: "W3")

@Suite struct SyncRecordStoreLocalEditTests {
    @Test func aReplicaIdIsSetOnceAndNeverChanged() throws {
        let replica = try Replica("ws1")
        try replica.write { store, db in try store.setUpReplica("ws1", in: db) }
        #expect(throws: SyncStoreError.replicaAlreadySet("ws1")) {
            try replica.write { store, db in try store.setUpReplica("ws2", in: db) }
        }
    }

    @Test func creatingAndEditingStampsDotsMarksPendingAndProjects() throws {
        let replica = try Replica("ws1")
        let created = try replica.write { store, db in
            try store.create(kind: .patient, scope: ward3, changes: ["name": .set("张三"), "bed": .set(12)], in: db)
        }
        #expect(created.version == VersionVector(["ws1": 1]))
        #expect(try replica.projectedBed(created.id) == "12.0")
        let edited = try replica.write { store, db in try store.edit(created.id, ["bed": .set(14)], in: db) }
        #expect(edited.fields["bed"]?.siblings.dots == [Dot(replica: "ws1", counter: 2)])
        #expect(try replica.read { store, db in try store.record(created.id, in: db) } == edited)
        #expect(try replica.read { store, db in try store.pendingRecordIDs(in: db) } == [created.id])
        #expect(try replica.read { store, db in try store.counter(in: db) } == 2)
        #expect(try replica.projectedBed(created.id) == "14.0")
    }

    @Test func anEditThatChangesNothingUsesNoCounter() throws {
        let replica = try Replica("ws1")
        let created = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        let same = try replica.write { store, db in try store.edit(created.id, ["bed": .set(1)], in: db) }
        #expect(same == created)
        #expect(try replica.read { store, db in try store.counter(in: db) } == 1)
    }

    @Test func anEditRolledBackWithItsTransactionLeavesNoTrace() throws {
        let replica = try Replica("ws1")
        let created = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        struct DomainFailure: Error {}
        #expect(throws: DomainFailure.self) {
            try replica.write { store, db in
                try store.edit(created.id, ["bed": .set(2)], in: db)
                throw DomainFailure()
            }
        }
        #expect(try replica.read { store, db in try store.record(created.id, in: db) } == created)
        #expect(try replica.read { store, db in try store.counter(in: db) } == 1)
        #expect(try replica.projectedBed(created.id) == "1.0")
    }

    @Test func aFailingProjectorRollsTheEditBack() throws {
        let replica = try Replica("ws1", failOnBed: 99)
        let created = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        #expect(throws: BedProjector.ProjectionFailure.self) {
            try replica.write { store, db in try store.edit(created.id, ["bed": .set(99)], in: db) }
        }
        #expect(try replica.read { store, db in try store.record(created.id, in: db) }?["bed"] == 1)
    }

    @Test func deletedRecordsAreKeptAsTombstonesAndHiddenFromListings() throws {
        let replica = try Replica("ws1")
        let created = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        try replica.write { store, db in try store.delete(created.id, in: db) }
        #expect(try replica.read { store, db in try store.records(kind: .patient, in: db) }.isEmpty)
        let all = try replica.read { store, db in try store.records(kind: .patient, includingDeleted: true, in: db) }
        #expect(all.map(\.id) == [created.id])
        #expect(all.first?.isDeleted == true)
        try replica.write { store, db in try store.restore(created.id, in: db) }
        #expect(try replica.read { store, db in try store.records(kind: .patient, in: db) }.count == 1)
    }

    @Test func changesOutsideATransactionAreRefused() throws {
        let replica = try Replica("ws1")
        #expect(throws: SyncStoreError.notInTransaction) {
            try replica.queue.writeWithoutTransaction { db in
                try replica.store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db)
            }
        }
    }

    @Test func recordsAboutAPatientIncludeThePatientAndTheirFollowUps() throws {
        let replica = try Replica("ws1")
        let patientID = UUID()
        let scope = RecordScope(ward: "W3", patient: patientID)
        try replica.write { store, db in
            try store.create(kind: .patient, scope: scope, id: patientID, changes: ["bed": .set(1)], in: db)
            try store.create(kind: .followUpTask, scope: scope, changes: ["due": .set("2026-12-01")], in: db)
            try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(2)], in: db)
        }
        let about = try replica.read { store, db in try store.records(aboutPatient: patientID, in: db) }
        #expect(Set(about.map(\.kind)) == [.patient, .followUpTask])
    }

    @Test func editTimesKeepIncreasingWhenTheWallClockStepsBack() throws {
        final class SteppingClock: @unchecked Sendable {
            private let lock = NSLock()
            private var readings: [Int64] = [5_000, 4_000, 3_000, 3_000]
            func read() -> Int64 { lock.withLock { readings.count > 1 ? readings.removeFirst() : readings[0] } }
        }
        let clock = SteppingClock()
        let replica = try Replica("ws1", clock: { clock.read() })
        let created = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        let second = try replica.write { store, db in try store.edit(created.id, ["bed": .set(2)], in: db) }
        let third = try replica.write { store, db in try store.edit(created.id, ["phone": .set("139")], in: db) }
        let first = try #require(created.lastChangedAt)
        let secondAt = try #require(second.fields["bed"]?.siblings.provisionalWinner?.at)
        let thirdAt = try #require(third.fields["phone"]?.siblings.provisionalWinner?.at)
        #expect(first < secondAt && secondAt < thirdAt)
        #expect(thirdAt.wallMilliseconds == 5_000)
    }

    @Test func signedRecordsCannotBeEdited() throws {
        let replica = try Replica("ws1")
        let signed = try replica.write { store, db in
            try store.create(kind: .signedFollowUp, scope: ward3, changes: ["systolic": .set(162)], in: db)
        }
        #expect(throws: SyncStoreError.rejectedEdit(.appendOnlyRecordChanged(signed.id))) {
            try replica.write { store, db in try store.edit(signed.id, ["systolic": .set(150)], in: db) }
        }
    }

    @Test func writesOutsideTheUsersScopeAreRefused() throws {
        let replica = try Replica("ws1")
        try replica.write { store, db in try store.setAccessScope(AccessScope(wards: ["W3"]), in: db) }
        #expect(throws: SyncStoreError.outOfScope(RecordScope(ward: "W5"))) {
            try replica.write { store, db in
                try store.create(kind: .patient, scope: RecordScope(ward: "W5"), changes: ["bed": .set(1)], in: db)
            }
        }
    }
}

@Suite struct SyncRecordStorePushTests {
    @Test func aRetriedPushResendsTheSameBatch() throws {
        let replica = try Replica("ws1")
        try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        let first = try #require(try replica.write { store, db in try store.preparePushBatch(in: db) })
        // The answer was lost; the next attempt must be the same batch, same content.
        let second = try #require(try replica.write { store, db in try store.preparePushBatch(in: db) })
        #expect(first == second)
    }

    @Test func anEditMadeWhileABatchWasInFlightStaysPending() throws {
        let replica = try Replica("ws1")
        let server = FakeServer()
        let created = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        let batch = try #require(try replica.write { store, db in try store.preparePushBatch(in: db) })
        try replica.write { store, db in try store.edit(created.id, ["bed": .set(2)], in: db) }
        let result = try server.push(batch)
        try replica.write { store, db in try store.acknowledge(result, in: db) }
        #expect(try replica.read { store, db in try store.pendingRecordIDs(in: db) } == [created.id])
        try server.sync(replica)
        #expect(try replica.read { store, db in try store.pendingRecordIDs(in: db) }.isEmpty)
        #expect(server.records[created.id]?["bed"] == 2)
    }

    @Test func aDuplicatedAnswerIsRecognised() throws {
        let replica = try Replica("ws1")
        let server = FakeServer()
        try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        let batch = try #require(try replica.write { store, db in try store.preparePushBatch(in: db) })
        let result = try server.push(batch)
        try replica.write { store, db in try store.acknowledge(result, in: db) }
        #expect(throws: SyncStoreError.unknownBatch(batch.batchID)) {
            try replica.write { store, db in try store.acknowledge(result, in: db) }
        }
    }

    @Test func aRefusedWriteIsQuarantinedVisiblyAndNeverDropped() throws {
        let replica = try Replica("ws1")
        let server = FakeServer()
        server.refusedWards = ["W5"]
        let refused = try replica.write { store, db in
            try store.create(kind: .patient, scope: RecordScope(ward: "W5"), changes: ["bed": .set(1)], in: db)
        }
        let accepted = try replica.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(2)], in: db) }
        try server.sync(replica)
        let quarantine = try replica.read { store, db in try store.quarantine(in: db) }
        #expect(quarantine.count == 1)
        let entry = try #require(quarantine.first)
        #expect(entry.recordID == refused.id)
        #expect(entry.reason == .outOfScope)
        #expect(entry.origin == .pushRefused)
        #expect(entry.message == "ward W5 is not yours")
        #expect(entry.record == refused)
        #expect(server.records[accepted.id] != nil)
        // Still on the device, still shown, but not pushed again until a person acts.
        #expect(try replica.read { store, db in try store.record(refused.id, in: db) } == refused)
        #expect(try replica.write { store, db in try store.preparePushBatch(in: db) } == nil)

        // A person fixes the scope at the central office and retries.
        server.refusedWards = []
        try replica.write { store, db in try store.retryQuarantined(entry.id, by: "nurse-li", in: db) }
        try server.sync(replica)
        #expect(server.records[refused.id] == refused)
        let closed = try replica.read { store, db in try store.quarantine(in: db) }
        #expect(closed.count == 1)
        #expect(closed.first?.dismissedBy == "nurse-li (retried)")
        #expect(try replica.read { store, db in try store.quarantine(includingDismissed: false, in: db) }.isEmpty)
    }

    @Test func aDismissedRefusalIsNotPushedAgainUntilTheNextEdit() throws {
        let replica = try Replica("ws1")
        let server = FakeServer()
        server.refusedWards = ["W5"]
        let refused = try replica.write { store, db in
            try store.create(kind: .patient, scope: RecordScope(ward: "W5"), changes: ["bed": .set(1)], in: db)
        }
        try server.sync(replica)
        let entry = try #require(try replica.read { store, db in try store.quarantine(in: db) }.first)
        try replica.write { store, db in try store.dismissQuarantined(entry.id, by: "head-nurse", in: db) }
        #expect(try replica.write { store, db in try store.preparePushBatch(in: db) } == nil)
        try replica.write { store, db in try store.edit(refused.id, ["bed": .set(2)], in: db) }
        try server.sync(replica)
        let entries = try replica.read { store, db in try store.quarantine(includingDismissed: false, in: db) }
        #expect(entries.map(\.record["bed"]) == [2])
    }

    @Test func dismissingKeepsTheEntry() throws {
        let replica = try Replica("ws1")
        let server = FakeServer()
        server.refusedWards = ["W5"]
        try replica.write { store, db in
            try store.create(kind: .patient, scope: RecordScope(ward: "W5"), changes: ["bed": .set(1)], in: db)
        }
        try server.sync(replica)
        let entry = try #require(try replica.read { store, db in try store.quarantine(in: db) }.first)
        try replica.write { store, db in try store.dismissQuarantined(entry.id, by: "head-nurse", in: db) }
        let after = try replica.read { store, db in try store.quarantine(in: db) }
        #expect(after.map(\.id) == [entry.id])
        #expect(after.first?.dismissedBy == "head-nurse")
        #expect(throws: SyncStoreError.quarantineEntryNotFound(entry.id)) {
            try replica.write { store, db in try store.dismissQuarantined(entry.id, by: "x", in: db) }
        }
    }
}

@Suite struct SyncRecordStorePullTests {
    @Test func twoReplicasConvergeWithAConflictOnBoth() throws {
        let server = FakeServer()
        let ws1 = try Replica("ws1"), ws2 = try Replica("ws2")
        let patient = try ws1.write { store, db in
            try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1), "phone": .set("138")], in: db)
        }
        try server.sync(ws1)
        try server.sync(ws2)
        try ws1.write { store, db in try store.edit(patient.id, ["bed": .set(5)], in: db) }
        try ws2.write { store, db in try store.edit(patient.id, ["bed": .set(7), "phone": .set("139")], in: db) }
        try server.sync(ws1)
        try server.sync(ws2)
        try server.sync(ws1)
        let hash1 = try ws1.read { store, db in try store.stateHash(in: db) }
        let hash2 = try ws2.read { store, db in try store.stateHash(in: db) }
        #expect(hash1 == hash2)
        #expect(hash1 == StateHash.of(server.records.values))
        let conflicts = try ws1.read { store, db in try store.conflicts(in: db) }
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.field == "bed")
        #expect(Set(conflicts.first?.candidates.compactMap(\.value) ?? []) == [5, 7])
        #expect(try ws2.read { store, db in try store.conflicts(in: db) } == conflicts)
        #expect(try ws1.read { store, db in try store.record(patient.id, in: db) }?["phone"] == "139")

        // The head nurse resolves on ws2; the resolution reaches ws1 and the conflict is gone everywhere.
        try ws2.write { store, db in try store.resolve(patient.id, field: "bed", choosing: 7, in: db) }
        try server.sync(ws2)
        try server.sync(ws1)
        #expect(try ws1.read { store, db in try store.conflicts(in: db) }.isEmpty)
        #expect(try ws1.read { store, db in try store.record(patient.id, in: db) }?["bed"] == 7)
        #expect(try ws1.projectedBed(patient.id) == "7.0")
        #expect(try ws1.read { store, db in try store.stateHash(in: db) } == ws2.read { store, db in try store.stateHash(in: db) })
    }

    @Test func aDeleteConcurrentWithAnEditSurfacesOnBothReplicas() throws {
        let server = FakeServer()
        let ws1 = try Replica("ws1"), ws2 = try Replica("ws2")
        let patient = try ws1.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        try server.sync(ws1)
        try server.sync(ws2)
        try ws1.write { store, db in try store.delete(patient.id, in: db) }
        try ws2.write { store, db in try store.edit(patient.id, ["bed": .set(3)], in: db) }
        try server.sync(ws1)
        try server.sync(ws2)
        try server.sync(ws1)
        for replica in [ws1, ws2] {
            let conflicts = try replica.read { store, db in try store.conflicts(in: db) }
            #expect(conflicts.map(\.reason) == [.updateConcurrentWithDelete])
            #expect(try replica.read { store, db in try store.records(kind: .patient, in: db) }.count == 1)
        }
        try ws1.write { store, db in try store.resolveDeletion(patient.id, keepRecord: true, in: db) }
        try server.sync(ws1)
        try server.sync(ws2)
        #expect(try ws2.read { store, db in try store.conflicts(in: db) }.isEmpty)
        #expect(try ws2.read { store, db in try store.record(patient.id, in: db) }?["bed"] == 3)
    }

    @Test func aReplayedOrStalePageChangesNothingAndNeverMovesTheCursorBack() throws {
        let server = FakeServer()
        let ws1 = try Replica("ws1"), ws2 = try Replica("ws2")
        for bed in 1...5 {
            try ws1.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(.number(Double(bed)))], in: db) }
        }
        try server.sync(ws1)
        let firstPage = server.pull(PullRequest(cursor: .beginning, limit: 2))
        try server.sync(ws2)
        let hash = try ws2.read { store, db in try store.stateHash(in: db) }
        let cursor = try ws2.read { store, db in try store.pullCursor(in: db) }
        #expect(cursor == ChangeCursor(sequence: 5))
        let summary = try ws2.write { store, db in try store.applyPulledPage(firstPage, in: db) }
        #expect(summary.changed.isEmpty)
        #expect(summary.unchanged.count == 2)
        #expect(try ws2.read { store, db in try store.stateHash(in: db) } == hash)
        #expect(try ws2.read { store, db in try store.pullCursor(in: db) } == cursor)
    }

    @Test func aPulledCopyThatCoversTheLocalOneClearsPending() throws {
        let server = FakeServer()
        let ws1 = try Replica("ws1"), ws2 = try Replica("ws2")
        let patient = try ws1.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        // ws2 already received the record by another path and pushed nothing.
        let batch = try #require(try ws1.write { store, db in try store.preparePushBatch(in: db) })
        _ = try server.push(batch)
        try server.sync(ws2)
        try ws2.write { store, db in try store.edit(patient.id, ["bed": .set(2)], in: db) }
        let ws2Batch = try #require(try ws2.write { store, db in try store.preparePushBatch(in: db) })
        _ = try server.push(ws2Batch)  // the answer is lost
        try ws2.write { store, db in try store.applyPulledPage(server.pull(PullRequest()), in: db) }
        #expect(try ws2.read { store, db in try store.pendingRecordIDs(in: db) }.isEmpty)
    }

    @Test func aSignedRecordArrivingWithADifferentBodyIsQuarantinedNotMerged() throws {
        let ws1 = try Replica("ws1")
        let signed = try ws1.write { store, db in
            try store.create(kind: .signedFollowUp, scope: ward3, changes: ["systolic": .set(162)], in: db)
        }
        var forged = SyncRecord(id: signed.id, kind: .signedFollowUp, scope: ward3)
        try forged.apply(["systolic": .set(120)], dot: Dot(replica: "ws9", counter: 1),
                         at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "ws9"))
        let summary = try ws1.write { store, db in try store.applyRemote([forged], in: db) }
        #expect(summary.quarantined == [signed.id])
        #expect(try ws1.read { store, db in try store.record(signed.id, in: db) } == signed)
        let entry = try #require(try ws1.read { store, db in try store.quarantine(in: db) }.first)
        #expect(entry.origin == .pullRejected)
        #expect(entry.reason == .appendOnlyChanged)
        #expect(entry.record == forged)
    }

    @Test func aPulledRecordOutsideTheScopeIsQuarantined() throws {
        let ws1 = try Replica("ws1")
        try ws1.write { store, db in try store.setAccessScope(AccessScope(wards: ["W3"]), in: db) }
        var foreign = SyncRecord(kind: .patient, scope: RecordScope(ward: "W5"))
        try foreign.apply(["bed": .set(1)], dot: Dot(replica: "ws9", counter: 1),
                          at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "ws9"))
        try ws1.write { store, db in try store.applyRemote([foreign], in: db) }
        #expect(try ws1.read { store, db in try store.record(foreign.id, in: db) } == nil)
        #expect(try ws1.read { store, db in try store.quarantine(in: db) }.first?.reason == .outOfScope)
    }

    @Test func aRejectedPulledRecordIsMergedWhenRetriedAfterTheScopeWidens() throws {
        let ws1 = try Replica("ws1")
        try ws1.write { store, db in try store.setAccessScope(AccessScope(wards: ["W3"]), in: db) }
        var transferred = SyncRecord(kind: .patient, scope: RecordScope(ward: "W5"))
        try transferred.apply(["bed": .set(1)], dot: Dot(replica: "ws9", counter: 1),
                              at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "ws9"))
        try ws1.write { store, db in try store.applyRemote([transferred], in: db) }
        let entry = try #require(try ws1.read { store, db in try store.quarantine(in: db) }.first)
        // Still out of scope: retried, quarantined again, never lost.
        try ws1.write { store, db in try store.retryQuarantined(entry.id, by: "nurse-li", in: db) }
        #expect(try ws1.read { store, db in try store.quarantine(includingDismissed: false, in: db) }.count == 1)
        let again = try #require(try ws1.read { store, db in try store.quarantine(includingDismissed: false, in: db) }.first)
        try ws1.write { store, db in try store.setAccessScope(AccessScope(wards: ["W3", "W5"]), in: db) }
        try ws1.write { store, db in try store.retryQuarantined(again.id, by: "nurse-li", in: db) }
        #expect(try ws1.read { store, db in try store.record(transferred.id, in: db) } == transferred)
        #expect(try ws1.read { store, db in try store.quarantine(includingDismissed: false, in: db) }.isEmpty)
        #expect(try ws1.read { store, db in try store.quarantine(in: db) }.count == 2)
    }

    @Test func dotsTheServerHoldsFromThisReplicaAreNeverReissued() throws {
        // The database was restored from a backup older than what the server holds.
        let ws1 = try Replica("ws1")
        var fromServer = SyncRecord(kind: .patient, scope: ward3)
        try fromServer.apply(["bed": .set(1)], dot: Dot(replica: "ws1", counter: 40),
                             at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "ws1"))
        try ws1.write { store, db in try store.applyRemote([fromServer], in: db) }
        let other = try ws1.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(2)], in: db) }
        #expect(other.version == VersionVector(["ws1": 41]))
    }

    @Test func manyReplicasConvergeInAnyPushOrder() throws {
        let server = FakeServer()
        let replicas = try (1...4).map { try Replica(ReplicaID("ws\($0)")) }
        let patient = try replicas[0].write { store, db in
            try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(0), "allergies": .insert("penicillin")], in: db)
        }
        for replica in replicas { try server.sync(replica) }
        for (index, replica) in replicas.enumerated() {
            try replica.write { store, db in
                try store.edit(patient.id, ["bed": .set(.number(Double(10 + index % 2))), "allergies": .insert(.string("drug\(index)"))], in: db)
            }
        }
        for replica in replicas.reversed() { try server.sync(replica) }
        for replica in replicas { try server.sync(replica) }
        let hashes = try Set(replicas.map { replica in try replica.read { store, db in try store.stateHash(in: db) } })
        #expect(hashes.count == 1)
        let record = try #require(try replicas[0].read { store, db in try store.record(patient.id, in: db) })
        #expect(record.fields["allergies"]?.elements == ["drug0", "drug1", "drug2", "drug3", "penicillin"])
        #expect(Set(record.fields["bed"]?.conflictingValues ?? []) == [10, 11])
    }
}

@Suite struct SyncRecordStoreRecoveryTests {
    @Test func aServerRestoredFromABackupGetsEverythingBack() throws {
        let server = FakeServer()
        let ws1 = try Replica("ws1")
        let patient = try ws1.write { store, db in try store.create(kind: .patient, scope: ward3, changes: ["bed": .set(1)], in: db) }
        try server.sync(ws1)
        let restored = FakeServer()  // the backup predates the patient
        try ws1.write { store, db in try store.resynchroniseFromScratch(in: db) }
        #expect(try ws1.read { store, db in try store.pullCursor(in: db) } == .beginning)
        try restored.sync(ws1)
        #expect(restored.records[patient.id] == server.records[patient.id])
        #expect(try ws1.read { store, db in try store.pendingRecordIDs(in: db) }.isEmpty)
    }
}
