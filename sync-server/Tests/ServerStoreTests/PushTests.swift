import Foundation
import GRDB
import Synchronization
import SyncCore
import Testing
@testable import ServerStore

@Suite("Applying push batches")
struct PushTests {
    @Test("accepts a new record and serves it to a pull")
    func acceptsAndServes() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("ward3-ws1")
        let record = try nurse.create(ward: "W3", ["phone": .set("138 0000 0000")])
        let result = try await store.applyPush(nurse.batch([record]), scope: wardScope("W3"))
        #expect(result.outcomes == [.accepted(record.id)])
        #expect(result.cursor == ChangeCursor(sequence: 1))
        let page = try await store.pull(PullRequest(), scope: wardScope("W3"))
        #expect(page.records == [record])
        #expect(page.nextCursor == ChangeCursor(sequence: 1))
        #expect(!page.hasMore)
    }

    @Test("a retried batch is applied once and answered the same")
    func retriedBatch() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("ward3-ws1")
        var record = try nurse.create(ward: "W3", ["phone": .set("1")])
        let first = nurse.batch([record])
        let answer = try await store.applyPush(first, scope: wardScope("W3"))

        // Another replica changes the record in between: the retry must not undo it.
        var other = TestReplica("ward3-ws2")
        var theirs = record
        try other.edit(&theirs, ["phone": .set("2")])
        _ = try await store.applyPush(other.batch([theirs]), scope: wardScope("W3"))
        let cursorBefore = try await store.latestCursor()

        let retried = try await store.applyPush(first, scope: wardScope("W3"))
        #expect(retried == answer)
        #expect(try await store.latestCursor() == cursorBefore)
        #expect(try await store.record(id: record.id, scope: everything)?["phone"] == "2")

        // Reusing the batch id for new changes is refused: answering with the old result
        // would tell the client its new edit was stored.
        try nurse.edit(&record, ["phone": .set("3")])
        await #expect(throws: RecordStoreError.batchMismatch(batchID: first.batchID)) {
            try await store.applyPush(nurse.batch([record], id: first.batchID), scope: wardScope("W3"))
        }
        // …and so is the same batch id from another replica.
        await #expect(throws: RecordStoreError.batchMismatch(batchID: first.batchID)) {
            try await store.applyPush(
                PushBatch(batchID: first.batchID, replica: other.id, records: first.records), scope: wardScope("W3"))
        }
    }

    @Test("a record already covered by the server's copy changes nothing")
    func coveredRecordIsANoOp() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("a")
        var record = try nurse.create(ward: "W1", ["x": .set(1)])
        let stale = record
        try nurse.edit(&record, ["x": .set(2)])
        _ = try await store.applyPush(nurse.batch([record]), scope: everything)
        let cursor = try await store.latestCursor()
        let result = try await store.applyPush(nurse.batch([stale]), scope: everything)
        #expect(result.outcomes == [.accepted(record.id)])
        #expect(try await store.latestCursor() == cursor)
        #expect(try await store.record(id: record.id, scope: everything) == record)
    }

    @Test("concurrent edits of one field become a conflict that the listing shows")
    func concurrentEditsConflict() async throws {
        let store = try ServerDatabase.inMemory()
        var a = TestReplica("a"), b = TestReplica("b")
        let created = try a.create(ward: "W1", ["phone": .set("1"), "bed": .set("12")])
        _ = try await store.applyPush(a.batch([created]), scope: everything)
        var mine = created, theirs = created
        try a.edit(&mine, ["phone": .set("2")])
        try b.edit(&theirs, ["phone": .set("3"), "bed": .set("14")])
        _ = try await store.applyPush(a.batch([mine]), scope: everything)
        _ = try await store.applyPush(b.batch([theirs]), scope: everything)

        let merged = try #require(try await store.record(id: created.id, scope: everything))
        #expect(merged.fields["phone"]?.isConflicted == true)
        #expect(Set(merged.fields["phone"]?.conflictingValues ?? []) == ["2", "3"])
        #expect(merged["bed"] == "14")
        #expect(merged.fields["bed"]?.isConflicted == false)

        let listing = try await store.conflicts(scope: wardScope("W1"), after: nil, limit: 10)
        #expect(listing.conflicts.map(\.field) == ["phone"])
        #expect(listing.nextPage == nil)
        #expect(try await store.conflicts(scope: wardScope("W2"), after: nil, limit: 10).conflicts.isEmpty)
    }

    @Test("conflict listing pages by record")
    func conflictPaging() async throws {
        let store = try ServerDatabase.inMemory()
        var a = TestReplica("a"), b = TestReplica("b")
        for _ in 0..<5 {
            let created = try a.create(ward: "W1", ["x": .set(0)])
            var mine = created, theirs = created
            try a.edit(&mine, ["x": .set(1)])
            try b.edit(&theirs, ["x": .set(2)])
            _ = try await store.applyPush(a.batch([created, mine]), scope: everything)
            _ = try await store.applyPush(b.batch([theirs]), scope: everything)
        }
        var seen: [UUID] = []
        var after: UUID? = nil
        repeat {
            let page = try await store.conflicts(scope: everything, after: after, limit: 2)
            #expect(page.conflicts.count <= 2)
            seen += page.conflicts.map(\.recordID)
            after = page.nextPage
        } while after != nil
        #expect(seen.count == 5)
        #expect(Set(seen).count == 5)
    }

    @Test("every refused record comes back with its reason; the rest of the batch is applied")
    func refusalsAreReported() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("ward3-ws1")
        let mine = try nurse.create(ward: "W3", ["x": .set(1)])
        let elsewhere = try nurse.create(ward: "W5", ["x": .set(1)])
        var malformed = try nurse.create(ward: "W3", ["x": .set(1)])
        malformed.version = VersionVector()
        let result = try await store.applyPush(nurse.batch([mine, elsewhere, malformed]), scope: wardScope("W3"))
        #expect(result.outcomes.map(\.status) == [.accepted, .refused, .refused])
        #expect(result.outcomes.map(\.reason) == [nil, .outOfScope, .invalid])
        #expect(result.outcomes.allSatisfy { $0.status == .accepted || $0.message?.isEmpty == false })
        #expect(try await store.recordCount() == 1)
    }

    @Test("a nurse cannot write another ward's record by claiming her own ward, nor learn it exists")
    func scopeIsCheckedAgainstTheStoredCopy() async throws {
        let store = try ServerDatabase.inMemory()
        var office = TestReplica("office")
        let wardFive = try office.create(ward: "W5", ["diagnosis": .set("I10")])
        _ = try await store.applyPush(office.batch([wardFive]), scope: everything)

        var nurse = TestReplica("ward3-ws1")
        var forged = SyncRecord(id: wardFive.id, kind: .patient, scope: RecordScope(ward: "W3"))
        try nurse.edit(&forged, ["diagnosis": .set("none")])
        let unknown = try nurse.create(ward: "W5", ["x": .set(1)])
        let result = try await store.applyPush(nurse.batch([forged, unknown]), scope: wardScope("W3"))
        #expect(result.outcomes.map(\.reason) == [.outOfScope, .outOfScope])
        #expect(result.outcomes[0].message == result.outcomes[1].message)
        #expect(try await store.record(id: wardFive.id, scope: everything) == wardFive)
        #expect(try await store.record(id: wardFive.id, scope: wardScope("W3")) == nil)
    }

    @Test("writes of another replica that the server never sent are refused as forged")
    func forgedVectors() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("ward3-ws1")
        var record = try nurse.create(ward: "W3", ["x": .set(1)])
        // Claims to include a write by another workstation.
        var impostor = TestReplica("ward3-ws2")
        try impostor.edit(&record, ["x": .set(2)])
        let result = try await store.applyPush(nurse.batch([record]), scope: wardScope("W3"))
        #expect(result.outcomes.first?.reason == .invalid)
        #expect(try await store.recordCount() == 0)
    }

    @Test("a role may be limited to some kinds of record")
    func writableKinds() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("hv-1")
        let task = try nurse.create(.followUpTask, ward: "W3", ["status": .set("done")])
        let patient = try nurse.create(.patient, ward: "W3", ["phone": .set("1")])
        let result = try await store.applyPush(
            nurse.batch([task, patient]), scope: wardScope("W3"), writableKinds: [.followUpTask])
        #expect(result.outcomes.map(\.reason) == [nil, .notPermitted])
    }

    @Test("a signed entry cannot be changed; identity changes are refused")
    func appendOnlyAndIdentity() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("a")
        let signed = try nurse.create(.signedFollowUp, ward: "W1", ["systolic": .set(150)])
        _ = try await store.applyPush(nurse.batch([signed]), scope: everything)
        var altered = SyncRecord(id: signed.id, kind: .signedFollowUp, scope: signed.scope)
        try nurse.edit(&altered, ["systolic": .set(120)])
        var otherKind = SyncRecord(id: signed.id, kind: .patient, scope: signed.scope)
        try nurse.edit(&otherKind, ["x": .set(1)])
        let result = try await store.applyPush(nurse.batch([altered, otherKind]), scope: everything)
        #expect(result.outcomes.map(\.reason) == [.appendOnlyChanged, .identityMismatch])
        #expect(try await store.record(id: signed.id, scope: everything) == signed)
    }

    @Test("a batch is one transaction: a failure keeps nothing of it")
    func batchIsAtomic() async throws {
        let store = try ServerDatabase.inMemory()
        var nurse = TestReplica("a")
        let first = try nurse.create(ward: "W1", ["x": .set(1)])
        let second = try nurse.create(ward: "W1", ["x": .set(2)])
        let batch = nurse.batch([first, second])
        // Fail the transaction at its last step, as a crash before commit would.
        let crash = FailNextCommit()
        store.writer.add(transactionObserver: crash, extent: .databaseLifetime)
        await #expect(throws: FailNextCommit.Crash.self) {
            try await store.applyPush(batch, scope: everything)
        }
        #expect(try await store.recordCount() == 0)
        #expect(try await store.latestCursor() == .beginning)
        // The retry after the "crash" is applied in full.
        let result = try await store.applyPush(batch, scope: everything)
        #expect(result.outcomes.map(\.status) == [.accepted, .accepted])
        #expect(try await store.recordCount() == 2)
    }
}

/// Makes the next commit fail, as a process killed just before SQLite commits.
private final class FailNextCommit: TransactionObserver, Sendable {
    struct Crash: Error {}
    private let armed = Atomic<Bool>(true)

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseWillCommit() throws {
        if armed.exchange(false, ordering: .relaxed) { throw Crash() }
    }
}
