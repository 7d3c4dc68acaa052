import Foundation
import Testing
@testable import SyncCore

/// Two ward workstations and the server, editing one patient.
struct Ward {
    static let ws1: ReplicaID = "ward3-ws1"
    static let ws2: ReplicaID = "ward3-ws2"
    static let server: ReplicaID = "server"
    static let scope = RecordScope(ward: "W3")

    static func at(_ replica: ReplicaID, _ wall: Int64 = 1_795_000_000_000) -> HybridTimestamp {
        HybridTimestamp(wallMilliseconds: wall, logical: 0, replica: replica)
    }

    static func dot(_ replica: ReplicaID, _ counter: UInt64) -> Dot { Dot(replica: replica, counter: counter) }

    /// A patient created on ws1 with phone, bed and one allergy, as both workstations hold it.
    static func patient() throws -> SyncRecord {
        var record = SyncRecord(
            id: UUID(uuidString: "00000000-0000-4000-8000-0000000000AA")!, kind: .patient, scope: scope)
        try record.apply(
            ["phone": .set("138 0000"), "bed": .set(12), "allergies": .insert("penicillin")],
            dot: dot(ws1, 1), at: at(ws1))
        return record
    }
}

@Suite struct LocalEditTests {
    @Test func anEditStampsOnlyTheFieldsItChanges() throws {
        var record = try Ward.patient()
        let changed = try record.apply(["phone": .set("138 0000"), "bed": .set(14)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        #expect(changed)
        #expect(record.fields["phone"]?.siblings.dots == [Ward.dot(Ward.ws1, 1)])
        #expect(record.fields["bed"]?.siblings.dots == [Ward.dot(Ward.ws1, 2)])
        #expect(record.version == VersionVector([Ward.ws1: 2]))
    }

    @Test func anEditThatChangesNothingUsesNoDot() throws {
        var record = try Ward.patient()
        let before = record
        #expect(try !record.apply(["phone": .set("138 0000")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1)))
        #expect(try !record.apply(["allergies": .insert("penicillin")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1)))
        #expect(try !record.apply(["allergies": .remove("latex")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1)))
        #expect(record == before)
    }

    @Test func aDotTheRecordHasAlreadySeenIsRefused() throws {
        var record = try Ward.patient()
        #expect(throws: SyncRecordError.staleDot(record: record.id, dot: Ward.dot(Ward.ws1, 1))) {
            try record.apply(["bed": .set(3)], dot: Ward.dot(Ward.ws1, 1), at: Ward.at(Ward.ws1))
        }
    }

    @Test func aFieldKeepsItsKind() throws {
        var record = try Ward.patient()
        #expect(throws: SyncRecordError.wrongFieldKind(record: record.id, field: "phone", kind: .multiValue)) {
            try record.apply(["phone": .insert("x")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        }
        #expect(throws: SyncRecordError.wrongFieldKind(record: record.id, field: "allergies", kind: .addWinsSet)) {
            try record.apply(["allergies": .set("x")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        }
    }

    @Test func settingNullClearsAFieldWithoutRemovingIt() throws {
        var record = try Ward.patient()
        try record.apply(["phone": .set(nil)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        #expect(record["phone"] == .null)
    }
}

@Suite struct FieldMergeTests {
    @Test func theSideWhoseDotIsCoveredLoses() throws {
        let old = try Ward.patient()
        var newer = old
        try newer.apply(["phone": .set("139 1111")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2, 0))
        // The stale copy has the later wall clock: it must not matter.
        let merged = try SyncRecord.merge(old, newer)
        #expect(merged == newer)
        #expect(try SyncRecord.merge(newer, old) == newer)
        #expect(!merged.hasConflicts)
    }

    @Test func concurrentDifferentValuesAreATrueConflictKeepingBoth() throws {
        let base = try Ward.patient()
        var a = base, b = base
        try a.apply(["phone": .set("139 1111")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1, 9_000_000_000_000))
        try b.apply(["phone": .set("137 2222")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2, 0))
        let merged = try SyncRecord.merge(a, b)
        let phone = try #require(merged.fields["phone"])
        #expect(phone.isConflicted)
        #expect(Set(phone.conflictingValues) == ["139 1111", "137 2222"])
        #expect(merged.version == VersionVector([Ward.ws1: 2, Ward.ws2: 1]))
        // Provisional winner by dot (counter 2 beats counter 1), not by the far-future clock.
        #expect(phone.siblings.provisionalWinner?.dot == Ward.dot(Ward.ws1, 2))
        #expect(try SyncRecord.merge(b, a)["phone"] == merged["phone"])
        let entry = try #require(merged.conflicts.first)
        #expect(entry.reason == .concurrentValues)
        #expect(entry.field == "phone")
        #expect(entry.candidates.map(\.value) == ["137 2222", "139 1111"])
        #expect(entry.provisionalWinner == Ward.dot(Ward.ws1, 2))
    }

    @Test func provisionalWinnerIgnoresTimestamps() throws {
        let base = try Ward.patient()
        for (wallA, wallB) in [(Int64(0), Int64(9_999_999_999_999)), (9_999_999_999_999, 0)] {
            var a = base, b = base
            try a.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1, wallA))
            try b.apply(["bed": .set(2)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2, wallB))
            #expect(try SyncRecord.merge(a, b)["bed"] == 1)
        }
    }

    @Test func concurrentEqualValuesDoNotConflict() throws {
        let base = try Ward.patient()
        var a = base, b = base
        try a.apply(["bed": .set(20)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try b.apply(["bed": .set(20)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        let merged = try SyncRecord.merge(a, b)
        #expect(!merged.hasConflicts)
        #expect(merged["bed"] == 20)
        #expect(merged.fields["bed"]?.siblings.dots.count == 2)
    }

    @Test func concurrentEditsOfDifferentFieldsBothSurvive() throws {
        let base = try Ward.patient()
        var a = base, b = base
        try a.apply(["bed": .set(20)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try b.apply(["phone": .set("139")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        let merged = try SyncRecord.merge(a, b)
        #expect(!merged.hasConflicts)
        #expect(merged["bed"] == 20)
        #expect(merged["phone"] == "139")
    }

    @Test func threeWayConcurrencyKeepsAllThreeValues() throws {
        let base = try Ward.patient()
        var a = base, b = base, c = base
        try a.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try b.apply(["bed": .set(2)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        try c.apply(["bed": .set(3)], dot: Ward.dot(Ward.server, 1), at: Ward.at(Ward.server))
        let merged = try SyncRecord.merge(SyncRecord.merge(a, b), c)
        #expect(Set(merged.fields["bed"]!.conflictingValues) == [1, 2, 3])
        #expect(try SyncRecord.merge(c, SyncRecord.merge(b, a)) == merged)
    }

    @Test func aResolutionCoversEveryCandidate() throws {
        let base = try Ward.patient()
        var a = base, b = base
        try a.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try b.apply(["bed": .set(2)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        var resolved = try SyncRecord.merge(a, b)
        try resolved.resolve(field: "bed", choosing: 2, dot: Ward.dot(Ward.server, 1), at: Ward.at(Ward.server))
        #expect(!resolved.hasConflicts)
        #expect(try SyncRecord.merge(resolved, a) == resolved)
        #expect(try SyncRecord.merge(b, resolved) == resolved)
        #expect(resolved["bed"] == 2)
    }

    @Test func resolvingAFieldThatIsNotInConflictIsRefused() throws {
        var record = try Ward.patient()
        #expect(throws: SyncRecordError.nothingToResolve(record: record.id, field: "bed")) {
            try record.resolve(field: "bed", choosing: 3, dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        }
    }

    @Test func aResolutionConcurrentWithANewEditIsItselfAConflict() throws {
        let base = try Ward.patient()
        var a = base, b = base
        try a.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try b.apply(["bed": .set(2)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        var resolved = try SyncRecord.merge(a, b)
        try resolved.resolve(field: "bed", choosing: 1, dot: Ward.dot(Ward.server, 1), at: Ward.at(Ward.server))
        var later = b
        try later.apply(["bed": .set(9)], dot: Ward.dot(Ward.ws2, 2), at: Ward.at(Ward.ws2))
        let merged = try SyncRecord.merge(resolved, later)
        #expect(Set(merged.fields["bed"]!.conflictingValues) == [1, 9])
    }
}

@Suite struct DeletionTests {
    @Test func aDeleteConcurrentWithAnUpdateIsAConflictNotADeletion() throws {
        let base = try Ward.patient()
        var deleter = base, editor = base
        try deleter.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        #expect(deleter.isDeleted)
        try editor.apply(["phone": .set("139")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        let merged = try SyncRecord.merge(deleter, editor)
        #expect(merged.deletionState == .conflicted)
        #expect(!merged.isDeleted)
        #expect(merged["phone"] == "139")
        let entry = try #require(merged.conflicts.first)
        #expect(entry.reason == .updateConcurrentWithDelete)
        #expect(entry.field == nil)
        #expect(entry.candidates.contains { $0.deletes && $0.dot == Ward.dot(Ward.ws1, 2) })
        #expect(entry.candidates.contains { $0.field == "phone" && $0.value == "139" })
        #expect(entry.provisionalWinner == Ward.dot(Ward.ws2, 1))
        #expect(try SyncRecord.merge(editor, deleter) == merged)
    }

    @Test func keepingTheRecordResolvesADeleteConflictWithTheUpdate() throws {
        let base = try Ward.patient()
        var deleter = base, editor = base
        try deleter.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try editor.apply(["phone": .set("139")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        var kept = try SyncRecord.merge(deleter, editor)
        try kept.resolveDeletion(keepRecord: true, dot: Ward.dot(Ward.server, 1), at: Ward.at(Ward.server))
        #expect(kept.deletionState == .live)
        #expect(kept["phone"] == "139")
        #expect(try SyncRecord.merge(kept, deleter) == kept)

        var confirmed = try SyncRecord.merge(deleter, editor)
        try confirmed.resolveDeletion(keepRecord: false, dot: Ward.dot(Ward.server, 1), at: Ward.at(Ward.server))
        #expect(confirmed.isDeleted)
        #expect(try SyncRecord.merge(confirmed, editor) == confirmed)
    }

    @Test func aDeleteThatSawTheUpdateIsADeletion() throws {
        var record = try Ward.patient()
        try record.apply(["phone": .set("139")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        let edited = record
        try record.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        #expect(try SyncRecord.merge(record, edited).isDeleted)
        #expect(record.conflicts.isEmpty)
    }

    @Test func concurrentDeletesAgree() throws {
        let base = try Ward.patient()
        var a = base, b = base
        try a.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try b.delete(dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        let merged = try SyncRecord.merge(a, b)
        #expect(merged.isDeleted)
        #expect(!merged.hasConflicts)
    }

    @Test func aRestoreConcurrentWithADeleteIsAConflict() throws {
        var base = try Ward.patient()
        try base.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        var restorer = base, deleterAgain = base
        try restorer.restore(dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        try deleterAgain.restore(dot: Ward.dot(Ward.ws1, 3), at: Ward.at(Ward.ws1))
        try deleterAgain.delete(dot: Ward.dot(Ward.ws1, 4), at: Ward.at(Ward.ws1))
        let merged = try SyncRecord.merge(restorer, deleterAgain)
        #expect(merged.deletionState == .conflicted)
        #expect(merged.conflicts.first?.reason == .restoreConcurrentWithDelete)
    }

    @Test func editingADeletedRecordRestoresIt() throws {
        var record = try Ward.patient()
        try record.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try record.apply(["bed": .set(7)], dot: Ward.dot(Ward.ws1, 3), at: Ward.at(Ward.ws1))
        #expect(record.deletionState == .live)
        #expect(record["bed"] == 7)
    }

    @Test func deletingTwiceChangesNothing() throws {
        var record = try Ward.patient()
        #expect(try record.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1)))
        #expect(try !record.delete(dot: Ward.dot(Ward.ws1, 3), at: Ward.at(Ward.ws1)))
        var live = try Ward.patient()
        #expect(try !live.restore(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1)))
    }
}

@Suite struct AllergySetTests {
    @Test func anAllergyAddedConcurrentlyWithItsRemovalStays() throws {
        let base = try Ward.patient()
        var remover = base, adder = base
        try remover.apply(["allergies": .remove("penicillin")], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        #expect(remover.fields["allergies"]?.elements == [])
        try adder.apply(["allergies": .insert("latex")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        var readder = base
        try readder.apply(["allergies": .remove("penicillin")], dot: Ward.dot(Ward.server, 1), at: Ward.at(Ward.server))
        try readder.apply(["allergies": .insert("penicillin")], dot: Ward.dot(Ward.server, 2), at: Ward.at(Ward.server))
        let merged = try SyncRecord.merge(SyncRecord.merge(remover, adder), readder)
        #expect(merged.fields["allergies"]?.elements == ["latex", "penicillin"])
        #expect(!merged.hasConflicts)
    }

    @Test func aRemovalThatSawTheAdditionRemovesIt() throws {
        let base = try Ward.patient()
        var remover = base
        try remover.apply(["allergies": .remove("penicillin")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(try SyncRecord.merge(base, remover).fields["allergies"]?.elements == [])
    }

    @Test func anAllergyAddedConcurrentlyWithADeleteMakesItAConflict() throws {
        let base = try Ward.patient()
        var deleter = base, adder = base
        try deleter.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try adder.apply(["allergies": .insert("latex")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(try SyncRecord.merge(deleter, adder).deletionState == .conflicted)
    }
}

@Suite struct AppendOnlyTests {
    func signedFollowUp() throws -> SyncRecord {
        var record = SyncRecord(id: UUID(), kind: .signedFollowUp, scope: Ward.scope)
        #expect(record.isAppendOnly)
        try record.apply(["systolic": .set(162), "signedBy": .set("nurse-li")], dot: Ward.dot(Ward.ws1, 5), at: Ward.at(Ward.ws1))
        return record
    }

    @Test func identicalCopiesMerge() throws {
        let record = try signedFollowUp()
        #expect(try SyncRecord.merge(record, record) == record)
    }

    @Test func aSignedRecordIsNeverEditedOrDeleted() throws {
        var record = try signedFollowUp()
        #expect(throws: SyncRecordError.appendOnlyRecordChanged(record.id)) {
            try record.apply(["systolic": .set(150)], dot: Ward.dot(Ward.ws1, 6), at: Ward.at(Ward.ws1))
        }
        #expect(throws: SyncRecordError.appendOnlyRecordChanged(record.id)) {
            try record.delete(dot: Ward.dot(Ward.ws1, 6), at: Ward.at(Ward.ws1))
        }
    }

    @Test func theSameIdWithADifferentBodyIsAnErrorNotAMerge() throws {
        let record = try signedFollowUp()
        var forged = SyncRecord(id: record.id, kind: .signedFollowUp, scope: Ward.scope)
        try forged.apply(["systolic": .set(120), "signedBy": .set("nurse-li")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(throws: SyncRecordError.appendOnlyRecordChanged(record.id)) { try SyncRecord.merge(record, forged) }
        #expect(throws: SyncRecordError.appendOnlyRecordChanged(record.id)) { try SyncRecord.merge(forged, record) }
    }

    @Test func aCorrectionIsANewAmendmentRecord() throws {
        let original = try signedFollowUp()
        var amendment = SyncRecord(kind: .amendment, scope: Ward.scope)
        try amendment.apply(
            ["amends": .set(.string(original.id.uuidString)), "systolic": .set(152), "reason": .set("misheard on the phone")],
            dot: Ward.dot(Ward.ws1, 6), at: Ward.at(Ward.ws1))
        #expect(amendment.isAppendOnly)
        #expect(amendment.id != original.id)
    }
}

@Suite struct IdentityAndValidityTests {
    @Test func recordsOfDifferentScopeOrKindDoNotMerge() throws {
        let record = try Ward.patient()
        var moved = SyncRecord(id: record.id, kind: .patient, scope: RecordScope(ward: "W5"))
        try moved.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(throws: SyncRecordError.self) { try SyncRecord.merge(record, moved) }
        var other = SyncRecord(id: record.id, kind: .followUpTask, scope: Ward.scope)
        try other.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(throws: SyncRecordError.self) { try SyncRecord.merge(record, other) }
    }

    @Test func oneDotWithTwoValuesIsRefused() throws {
        let base = try Ward.patient()
        var a = base, b = base
        // Two databases that share a replica id (a cloned disk) issue the same dot.
        try a.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        try b.apply(["bed": .set(2)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(throws: SyncRecordError.reusedDot(Ward.dot(Ward.ws2, 1))) { try SyncRecord.merge(a, b) }
    }

    @Test func validationFindsDotsBeyondTheVector() throws {
        var record = try Ward.patient()
        record.version = VersionVector()
        #expect(throws: SyncRecordError.dotNotCovered(record: record.id, dot: Ward.dot(Ward.ws1, 1))) {
            try record.validate()
        }
    }
}

@Suite struct SchemaEvolutionTests {
    /// A record written by a newer Homeward, with a field and an envelope attribute
    /// this version does not know.
    static let newerJSON = """
        {"id":"00000000-0000-4000-8000-0000000000BB","kind":"patient","scope":{"ward":"W3"},
         "appendOnly":false,"schemaVersion":7,"version":{"ward9":3},
         "fields":{"wechatId":{"kind":"multiValue","siblings":[{"dot":{"replica":"ward9","counter":3},
           "value":{"id":"wx_123","verified":true},"at":{"wall":1795000000000,"logical":0,"replica":"ward9"}}]}},
         "lifecycle":[],"retentionClass":"long-term"}
        """

    @Test func unknownFieldsAndAttributesAreKeptAndSentBackUnchanged() throws {
        let record = try SyncJSON.decode(SyncRecord.self, from: Data(Self.newerJSON.utf8))
        #expect(record.unknownAttributes == ["retentionClass": "long-term"])
        #expect(record["wechatId"] == ["id": "wx_123", "verified": true])
        var local = record
        try local.apply(["bed": .set(4)], dot: Ward.dot(Ward.ws1, 1), at: Ward.at(Ward.ws1))
        let merged = try SyncRecord.merge(local, record)
        #expect(merged.schemaVersion == 7)
        #expect(merged.unknownAttributes == record.unknownAttributes)
        #expect(merged.fields["wechatId"] == record.fields["wechatId"])
        let reencoded = try SyncJSON.decode([String: FieldValue].self, from: SyncJSON.encode(merged))
        #expect(reencoded["retentionClass"] == "long-term")
        #expect(reencoded["schemaVersion"] == 7)
    }
}

@Suite struct WireFormatTests {
    @Test func aRecordEncodesToTheDocumentedShape() throws {
        let record = try Ward.patient()
        let json = try SyncJSON.decode([String: FieldValue].self, from: SyncJSON.encode(record))
        #expect(Set(json.keys) == ["id", "kind", "scope", "appendOnly", "schemaVersion", "version", "fields", "lifecycle"])
        #expect(json["version"] == ["ward3-ws1": 1])
        #expect(json["scope"] == ["ward": "W3"])
        #expect(json["kind"] == "patient")
        let phone = try #require(json["fields"].flatMap { if case .object(let f) = $0 { f["phone"] } else { nil } })
        #expect(
            phone == [
                "kind": "multiValue",
                "siblings": [["dot": ["replica": "ward3-ws1", "counter": 1], "value": "138 0000",
                              "at": ["wall": 1_795_000_000_000, "logical": 0, "replica": "ward3-ws1"]]],
            ])
    }

    @Test func aDeletionEncodesWithWhatItSaw() throws {
        var record = try Ward.patient()
        try record.delete(dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        let json = try SyncJSON.decode([String: FieldValue].self, from: SyncJSON.encode(record))
        guard case .array(let lifecycle) = json["lifecycle"], case .object(let sibling) = lifecycle.first else {
            Issue.record("no lifecycle in \(json)")
            return
        }
        #expect(sibling["value"] == ["state": "deleted", "seen": ["ward3-ws1": 1]])
    }

    @Test func protocolBodiesRoundTrip() throws {
        let record = try Ward.patient()
        let batch = PushBatch(replica: Ward.ws1, records: [record])
        #expect(try SyncJSON.decode(PushBatch.self, from: SyncJSON.encode(batch)) == batch)
        let result = PushResult(
            batchID: batch.batchID,
            outcomes: [.accepted(record.id), .refused(UUID(), .outOfScope, "ward W5 is not yours")],
            cursor: ChangeCursor(sequence: 42))
        #expect(try SyncJSON.decode(PushResult.self, from: SyncJSON.encode(result)) == result)
        let page = PullPage(records: [record], nextCursor: ChangeCursor(sequence: 7), hasMore: true)
        #expect(try SyncJSON.decode(PullPage.self, from: SyncJSON.encode(page)) == page)
        let error = ErrorBody(code: .invalidCursor, message: "cursor 99 is ahead of the server")
        #expect(try SyncJSON.decode(ErrorBody.self, from: SyncJSON.encode(error)) == error)
        var conflicted = record, other = record
        try conflicted.apply(["bed": .set(1)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        try other.apply(["bed": .set(2)], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        let listing = ConflictListing(conflicts: try SyncRecord.merge(conflicted, other).conflicts)
        #expect(listing.conflicts.count == 1)
        #expect(try SyncJSON.decode(ConflictListing.self, from: SyncJSON.encode(listing)) == listing)
    }

    @Test func wireKeysMatchTheProtocolDocument() throws {
        let batch = PushBatch(batchID: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, replica: "r", records: [])
        #expect(String(decoding: try SyncJSON.encode(batch), as: UTF8.self)
            == #"{"batchId":"00000000-0000-4000-8000-000000000001","records":[],"replica":"r"}"#)
        #expect(String(decoding: try SyncJSON.encode(ChangeCursor(sequence: 12)), as: UTF8.self) == #""12""#)
        let outcome = RecordPushOutcome.refused(
            UUID(uuidString: "00000000-0000-4000-8000-000000000002")!, .outOfScope, "no")
        #expect(String(decoding: try SyncJSON.encode(outcome), as: UTF8.self)
            == #"{"message":"no","reason":"outOfScope","recordId":"00000000-0000-4000-8000-000000000002","status":"refused"}"#)
        #expect(ErrorCode.invalidCursor.rawValue == "invalid_cursor")
    }

    @Test func numbersBooleansAndNullStayDistinct() throws {
        let values: [FieldValue] = [true, 1, 0, false, nil, 11.1, "1", [1, "a"], ["k": 2.5]]
        let decoded = try SyncJSON.decode([FieldValue].self, from: SyncJSON.encode(values))
        #expect(decoded == values)
    }
}

@Suite struct AccessScopeTests {
    @Test func wardsAndAssignedPatientsAreVisible() {
        let patient = UUID()
        let homeVisit = AccessScope(patients: [patient])
        #expect(homeVisit.allows(RecordScope(ward: "W3", patient: patient)))
        #expect(!homeVisit.allows(RecordScope(ward: "W3", patient: UUID())))
        #expect(!homeVisit.allows(RecordScope(ward: "W3")))
        let nurse = AccessScope(wards: ["W3"])
        #expect(nurse.allows(RecordScope(ward: "W3", patient: patient)))
        #expect(!nurse.allows(RecordScope(ward: "W4")))
        #expect(AccessScope(allWards: true).allows(RecordScope(ward: "W9")))
    }
}

@Suite struct HybridClockTests {
    @Test func readingsIncreaseEvenWhenTheWallClockStepsBack() {
        var clock = HybridClock(replica: "a")
        let first = clock.tick(wallMilliseconds: 1000)
        let second = clock.tick(wallMilliseconds: 500)
        let third = clock.tick(wallMilliseconds: 1000)
        #expect(first < second && second < third)
        #expect(second.wallMilliseconds == 1000)
    }

    @Test func observingARemoteReadingMovesPastIt() {
        var clock = HybridClock(replica: "a")
        _ = clock.tick(wallMilliseconds: 1000)
        let remote = HybridTimestamp(wallMilliseconds: 5000, logical: 3, replica: "b")
        clock.observe(remote, wallMilliseconds: 1001)
        #expect(clock.tick(wallMilliseconds: 1002) > remote)
    }
}

@Suite struct StateHashTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(of: Array(repeating: UInt8(ascii: "a"), count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func theHashDependsOnTheStateNotTheOrder() throws {
        let a = try Ward.patient()
        var b = SyncRecord(kind: .followUpTask, scope: Ward.scope)
        try b.apply(["due": .set("2026-12-01")], dot: Ward.dot(Ward.ws2, 1), at: Ward.at(Ward.ws2))
        #expect(StateHash.of([a, b]) == StateHash.of([b, a]))
        var c = a
        try c.apply(["bed": .set(13)], dot: Ward.dot(Ward.ws1, 2), at: Ward.at(Ward.ws1))
        #expect(StateHash.of([a, b]) != StateHash.of([c, b]))
    }
}
