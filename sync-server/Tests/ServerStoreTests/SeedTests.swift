import Foundation
import SyncCore
import Testing
@testable import ServerStore

@Suite("Seeding records written by the server")
struct SeedTests {
    @Test("drafts are stamped with the server's replica id, and seeding twice changes nothing")
    func draftsAreIdempotent() async throws {
        let store = try ServerDatabase.inMemory()
        let patient = UUID()
        let drafts = [
            RecordDraft(
                kind: .patient, scope: RecordScope(ward: "W3", patient: patient), id: patient,
                changes: ["familyName": .set("张"), "allergies": .insert("penicillin")]),
            RecordDraft(kind: .followUpTask, scope: RecordScope(ward: "W3", patient: patient), changes: ["due": .set("2026-12-01")]),
        ]
        let first = try await store.seed(drafts: drafts, at: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(first == SeedSummary(stored: 2, unchanged: 0))
        let again = try await store.seed(drafts: drafts, at: Date())
        #expect(again == SeedSummary(stored: 0, unchanged: 2))

        let stored = try #require(try await store.record(id: patient, scope: AccessScope(wards: ["W3"])))
        #expect(stored["familyName"] == "张")
        #expect(stored.version.counters.keys.map { $0 } == [store.serverReplica])
        let all = try await store.records(scope: AccessScope(allWards: true))
        #expect(Set(all.flatMap(\.allDots)).count == 2, "each draft is one edit with its own server dot")
    }

    @Test("pre-stamped records are merged, and a malformed one stores nothing")
    func records() async throws {
        let store = try ServerDatabase.inMemory()
        var office = TestReplica("export")
        let good = try office.create(ward: "W1", ["x": .set(1)])
        var bad = try office.create(ward: "W1", ["x": .set(1)])
        bad.version = VersionVector()
        #expect(try await store.seed(records: [good]) == SeedSummary(stored: 1, unchanged: 0))
        #expect(try await store.seed(records: [good]) == SeedSummary(stored: 0, unchanged: 1))
        await #expect(throws: RecordStoreError.self) {
            try await store.seed(records: [try office.create(ward: "W2", ["y": .set(2)]), bad])
        }
        #expect(try await store.recordCount() == 1)
    }
}
