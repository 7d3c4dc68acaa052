import Foundation
import GRDB
import SyncCore
import Testing
@testable import ServerStore

@Suite("Pulling changes")
struct PullTests {
    /// 30 records: 10 in each of W1, W2, W3, pushed interleaved; the W3 ones are about
    /// two patients.
    private static func hospital() async throws -> (ServerDatabase, [SyncRecord], [UUID]) {
        let store = try ServerDatabase.inMemory()
        var office = TestReplica("office")
        let patients = [UUID(), UUID()]
        var records: [SyncRecord] = []
        for index in 0..<30 {
            let ward = ["W1", "W2", "W3"][index % 3]
            let patient = ward == "W3" ? patients[index % 2] : nil
            records.append(try office.create(ward: ward, patient: patient, ["n": .set(.number(Double(index)))]))
        }
        _ = try await store.applyPush(office.batch(records), scope: everything)
        return (store, records, patients)
    }

    private static func pullAll(_ store: ServerDatabase, scope: AccessScope, limit: Int) async throws -> (
        records: [SyncRecord], pages: Int
    ) {
        var cursor = ChangeCursor.beginning
        var records: [SyncRecord] = []
        var pages = 0
        while true {
            let page = try await store.pull(PullRequest(cursor: cursor, limit: limit), scope: scope)
            pages += 1
            #expect(page.records.count <= limit)
            #expect(page.nextCursor >= cursor)
            records += page.records
            cursor = page.nextCursor
            if !page.hasMore { break }
        }
        return (records, pages)
    }

    @Test("pages through every change in order, and a caught-up pull is empty")
    func pagesInOrder() async throws {
        let (store, records, _) = try await Self.hospital()
        let (pulled, pages) = try await Self.pullAll(store, scope: everything, limit: 7)
        #expect(pulled == records)
        #expect(pages == 5)
        let latest = try await store.latestCursor()
        let empty = try await store.pull(PullRequest(cursor: latest, limit: 7), scope: everything)
        #expect(empty.records.isEmpty && !empty.hasMore && empty.nextCursor == latest)
    }

    @Test("a ward nurse receives only her wards' records")
    func wardScope() async throws {
        let (store, records, _) = try await Self.hospital()
        let scope = AccessScope(wards: ["W1", "W3"])
        let (pulled, _) = try await Self.pullAll(store, scope: scope, limit: 4)
        #expect(pulled == records.filter { $0.scope.ward != "W2" })
    }

    @Test("a home-visit replica receives only its patients' records, once each")
    func patientScope() async throws {
        let (store, records, patients) = try await Self.hospital()
        let scope = AccessScope(wards: ["W3"], patients: [patients[0]])
        let (pulled, _) = try await Self.pullAll(store, scope: scope, limit: 3)
        #expect(pulled == records.filter { $0.scope.ward == "W3" })
        let visits = AccessScope(patients: [patients[0]])
        let (visited, _) = try await Self.pullAll(store, scope: visits, limit: 3)
        #expect(visited == records.filter { $0.scope.patient == patients[0] })
    }

    @Test("an edited record moves to the end of the change sequence and is pulled again")
    func editsMoveForward() async throws {
        let (store, records, _) = try await Self.hospital()
        let cursor = try await store.latestCursor()
        var nurse = TestReplica("ward1-ws")
        var edited = records[0]
        try nurse.edit(&edited, ["n": .set(100)])
        _ = try await store.applyPush(nurse.batch([edited]), scope: AccessScope(wards: ["W1"]))
        let page = try await store.pull(PullRequest(cursor: cursor, limit: 10), scope: everything)
        #expect(page.records == [edited])
        let otherWard = try await store.pull(PullRequest(cursor: cursor, limit: 10), scope: AccessScope(wards: ["W2"]))
        #expect(otherWard.records.isEmpty)
        #expect(otherWard.nextCursor == page.nextCursor)
    }

    @Test("refuses a cursor from the future and a limit below one; caps large limits")
    func badRequests() async throws {
        let (store, _, _) = try await Self.hospital()
        await #expect(throws: RecordStoreError.cursorAhead(cursor: ChangeCursor(sequence: 99), latest: ChangeCursor(sequence: 30))) {
            try await store.pull(PullRequest(cursor: ChangeCursor(sequence: 99)), scope: everything)
        }
        await #expect(throws: RecordStoreError.invalidLimit(0)) {
            try await store.pull(PullRequest(limit: 0), scope: everything)
        }
        let page = try await store.pull(PullRequest(limit: 1_000_000), scope: everything)
        #expect(page.records.count == 30)
    }

    @Test("scoped pulls walk an index from the cursor instead of scanning the table")
    func pullUsesIndexes() throws {
        let store = try ServerDatabase.inMemory()
        let plans = try store.writer.read { db in
            try [
                "SELECT change_seq, body FROM sync_record WHERE ward = 'W1' AND change_seq > 5 ORDER BY change_seq LIMIT 10",
                "SELECT change_seq, body FROM sync_record WHERE patient = 'P' AND change_seq > 5 ORDER BY change_seq LIMIT 10",
                "SELECT change_seq, body FROM sync_record WHERE change_seq > 5 ORDER BY change_seq LIMIT 10",
            ].map { (sql: String) throws -> String in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("USING INDEX sync_record_by_ward (ward=? AND change_seq>?)"), "\(plans[0])")
        #expect(plans[1].contains("USING INDEX sync_record_by_patient (patient=? AND change_seq>?)"), "\(plans[1])")
        #expect(plans[2].contains("change_seq>?"), "\(plans[2])")
        #expect(plans.allSatisfy { !$0.contains("TEMP B-TREE") && !$0.hasPrefix("SCAN sync_record") })
    }
}
