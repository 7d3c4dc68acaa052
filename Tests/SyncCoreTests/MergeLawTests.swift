import Foundation
import PropertyBased
import Testing
@testable import SyncCore

/// The laws of merge, checked over random histories of one record on three replicas
/// (concurrent same-field edits, add-wins set edits, deletes, restores, resolutions
/// and partial syncs, with one replica's clock days off).
@Suite struct MergeLawTests {
    static let checks = 400
    let pick = Gen.int(in: 0...100_000)

    private func state(_ history: History, _ index: Int) -> SyncRecord {
        history.snapshots[index % history.snapshots.count]
    }

    @Test func mergeIsCommutative() async {
        await propertyCheck(count: Self.checks, input: History.generator(), pick, pick) { history, i, j in
            let a = state(history, i), b = state(history, j)
            let ab = try SyncRecord.merge(a, b), ba = try SyncRecord.merge(b, a)
            #expect(ab == ba, "\(history)")
        }
    }

    @Test func mergeIsAssociative() async {
        await propertyCheck(count: Self.checks, input: History.generator(), zip(pick, pick, pick)) { history, picks in
            let a = state(history, picks.0), b = state(history, picks.1), c = state(history, picks.2)
            let left = try SyncRecord.merge(SyncRecord.merge(a, b), c)
            let right = try SyncRecord.merge(a, SyncRecord.merge(b, c))
            #expect(left == right, "\(history)")
        }
    }

    @Test func mergeIsIdempotent() async {
        await propertyCheck(count: Self.checks, input: History.generator(), pick, pick) { history, i, j in
            let a = state(history, i), b = state(history, j)
            #expect(try SyncRecord.merge(a, a) == a)
            let ab = try SyncRecord.merge(a, b)
            #expect(try SyncRecord.merge(ab, b) == ab, "replaying a message must change nothing: \(history)")
            #expect(try SyncRecord.merge(ab, a) == ab, "\(history)")
        }
    }

    @Test func everyOrderOfMergingConvergesToTheSameHash() async {
        await propertyCheck(count: Self.checks, input: History.generator()) { history in
            let s = history.states
            let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
            let hashes = try Set(orders.map { order in
                let merged = try order.dropFirst().reduce(s[order[0]]) { try SyncRecord.merge($0, s[$1]) }
                return StateHash.of([merged])
            })
            #expect(hashes.count == 1, "\(history)")
        }
    }

    /// The precise specification of a multi-value register: after everyone syncs, a
    /// field holds exactly the writes to it that no other write had seen. This is "no
    /// lost write" (every maximal write is kept), "a stale version never overwrites"
    /// (nothing seen by a later write survives) and "concurrent different values always
    /// conflict; equal values or different fields never do" in one statement.
    @Test func mergedRegisterHoldsExactlyTheUnseenWrites() async {
        await propertyCheck(count: Self.checks, input: History.generator()) { history in
            let merged = history.mergedFinal
            for field in History.registerFields {
                let expected = history.maximalWrites(of: field)
                let actual = Set(merged.fields[field]?.siblings.siblings ?? [])
                #expect(Set(actual.map(\.dot)) == Set(expected.map(\.dot)), "\(field) in \(history)")
                #expect(Set(actual.map(\.value)) == Set(expected.map(\.value)), "\(field) in \(history)")
                let shouldConflict = Set(expected.map(\.value)).count > 1
                #expect(merged.fields[field]?.isConflicted ?? false == shouldConflict, "\(field) in \(history)")
            }
        }
    }

    @Test func conflictsAreTheSameOnEveryReplicaOnceSynced() async {
        await propertyCheck(count: Self.checks, input: History.generator()) { history in
            let merged = history.mergedFinal
            for replica in history.states {
                let synced = try SyncRecord.merge(replica, merged)
                #expect(synced.conflicts == merged.conflicts, "\(history)")
                #expect(synced == merged, "\(history)")
            }
        }
    }

    /// Add-wins: an allergy is present exactly when some addition of it was not
    /// observed by a removal, so an allergy added concurrently with its removal stays.
    @Test func allergySetKeepsEveryUnobservedAddition() async {
        await propertyCheck(count: Self.checks, input: History.generator()) { history in
            let merged = history.mergedFinal
            let actual = Set(merged.fields[History.setField]?.siblings.dots ?? [])
            #expect(actual == history.survivingAdds, "\(history)")
            #expect(merged.fields[History.setField]?.isConflicted != true)
        }
    }

    /// Deletions and restorations form a register too; and a deleted record hides no
    /// update its deletions had not seen.
    @Test func deletionNeverHidesAnUnseenUpdate() async {
        await propertyCheck(count: Self.checks, input: History.generator()) { history in
            let merged = history.mergedFinal
            let expected = history.maximalLifecycleWrites
            #expect(Set(merged.lifecycle.dots) == Set(expected.map(\.dot)), "\(history)")
            if merged.isDeleted {
                let seen = expected.filter(\.deletes).reduce(VersionVector()) { $0.joined(with: $1.seen) }
                for field in History.registerFields {
                    for write in history.maximalWrites(of: field) {
                        #expect(seen.covers(write.dot), "deleted record hides \(write.dot): \(history)")
                    }
                }
                for dot in history.survivingAdds {
                    #expect(seen.covers(dot), "deleted record hides allergy \(dot): \(history)")
                }
            }
            if expected.contains(where: \.deletes) && expected.contains(where: { !$0.deletes }) {
                #expect(merged.deletionState == .conflicted, "\(history)")
            }
        }
    }

    /// Resolving every conflict of the merged state gives a version that covers every
    /// state any replica ever held: merging any of them back changes nothing, and the
    /// conflicts do not come back.
    @Test func resolutionCoversItsConflict() async {
        await propertyCheck(count: Self.checks, input: History.generator()) { history in
            var resolved = history.mergedFinal
            let resolver: ReplicaID = "central-office"
            var counter: UInt64 = 0
            let stamp = HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: resolver)
            while let conflict = resolved.conflicts.first {
                counter += 1
                let dot = Dot(replica: resolver, counter: counter)
                if let field = conflict.field {
                    let chosen = conflict.candidates.first!.value!
                    try resolved.resolve(field: field, choosing: chosen, dot: dot, at: stamp)
                    #expect(resolved[field] == chosen)
                    #expect(resolved.fields[field]?.siblings.dots == [dot])
                } else {
                    try resolved.resolveDeletion(keepRecord: counter % 2 == 0, dot: dot, at: stamp)
                }
            }
            #expect(!resolved.hasConflicts)
            for snapshot in history.snapshots {
                #expect(try SyncRecord.merge(resolved, snapshot) == resolved, "\(history)")
            }
        }
    }

    /// A state merged with an older state of its own lineage is unchanged.
    @Test func staleVersionNeverOverwritesANewerOne() async {
        await propertyCheck(count: Self.checks, input: History.generator(), pick, pick) { history, i, j in
            let a = state(history, i), b = state(history, j)
            let (older, newer) = a.version.isCovered(by: b.version) ? (a, b) : (b, a)
            guard older.version.isCovered(by: newer.version) else { return }
            let merged = try SyncRecord.merge(newer, older)
            #expect(merged == newer, "\(history)")
        }
    }

    @Test func everyStateIsWellFormedAndRoundTripsThroughJSON() async throws {
        await propertyCheck(count: 150, input: History.generator()) { history in
            for snapshot in history.snapshots + [history.mergedFinal] {
                try snapshot.validate()
                let decoded = try SyncJSON.decode(SyncRecord.self, from: SyncJSON.encode(snapshot))
                #expect(decoded == snapshot)
            }
        }
    }
}

/// The specification used by the laws must reject a merge that loses data silently, or
/// the laws prove nothing: a last-writer-wins merge by timestamp fails it.
@Suite struct SpecificationHasTeethTests {
    static func lastWriterWins(_ a: SyncRecord, _ b: SyncRecord) throws -> SyncRecord {
        var merged = try SyncRecord.merge(a, b)
        for (name, field) in merged.fields where field.siblings.siblings.count > 1 {
            let latest = field.siblings.siblings.max { $0.at < $1.at }!
            merged.fields[name]?.siblings.overwrite(with: latest)
        }
        return merged
    }

    @Test func lastWriterWinsViolatesTheRegisterSpecification() throws {
        // ward3-ws1 sets phone "a" while ward3-ws2 sets phone "b".
        let history = History(script: [0, 100])
        let expected = history.maximalWrites(of: "phone")
        #expect(Set(expected.map(\.value)) == ["a", "b"])
        let lww = try Self.lastWriterWins(history.states[0], history.states[1])
        #expect(Set(lww.fields["phone"]!.siblings.dots) != Set(expected.map(\.dot)))
        let real = try SyncRecord.merge(history.states[0], history.states[1])
        #expect(Set(real.fields["phone"]!.siblings.dots) == Set(expected.map(\.dot)))
        #expect(real.fields["phone"]!.isConflicted)
    }
}

/// The laws prove little if the random histories never reach the hard cases; this
/// checks that a sample of them does.
@Suite struct HistoryCoverageTests {
    @Test func randomHistoriesReachConflictsDeleteConflictsAndResolutions() {
        var rng = Xoshiro(seed: (1, 2, 3, 4))
        let generator = History.generator(steps: 10...30)
        var fieldConflicts = 0, deleteConflicts = 0, deletions = 0, resolutions = 0, concurrentAllergyRemovals = 0
        for _ in 0..<300 {
            let history = generator.run(using: &rng)
            let merged = history.mergedFinal
            if merged.fields.values.contains(where: \.isConflicted) { fieldConflicts += 1 }
            if merged.deletionState == .conflicted { deleteConflicts += 1 }
            if merged.isDeleted { deletions += 1 }
            if history.log.contains(where: { $0.contains("resolves") }) { resolutions += 1 }
            if history.survivingAdds.count < history.setAdds.count && !history.survivingAdds.isEmpty {
                concurrentAllergyRemovals += 1
            }
        }
        #expect(fieldConflicts >= 30, "field conflicts: \(fieldConflicts)")
        #expect(deleteConflicts >= 10, "delete conflicts: \(deleteConflicts)")
        #expect(deletions >= 5, "deleted records: \(deletions)")
        #expect(resolutions >= 30, "histories with a resolution: \(resolutions)")
        #expect(concurrentAllergyRemovals >= 10, "allergy removals with survivors: \(concurrentAllergyRemovals)")
    }
}

/// Envelope attributes from a newer schema merge as a join too, so replicas that do not
/// understand them still converge on them.
@Suite struct UnknownAttributeLawTests {
    static let attributes = Gen.int(in: 0...8).array(of: 0...3).map { codes -> [String: FieldValue] in
        Dictionary(codes.map { ("key\($0 % 3)", FieldValue.number(Double($0 / 3))) }, uniquingKeysWith: { first, _ in first })
    }

    func record(_ attributes: [String: FieldValue]) -> SyncRecord {
        var record = SyncRecord(id: History.recordID, kind: .patient, scope: RecordScope(ward: "W3"))
        record.unknownAttributes = attributes
        return record
    }

    @Test func unknownAttributesMergeCommutativelyAssociativelyAndIdempotently() async {
        await propertyCheck(count: 300, input: Self.attributes, Self.attributes, Self.attributes) { x, y, z in
            let a = record(x), b = record(y), c = record(z)
            let ab = try SyncRecord.merge(a, b), ba = try SyncRecord.merge(b, a)
            #expect(ab == ba)
            let left = try SyncRecord.merge(ab, c), right = try SyncRecord.merge(a, SyncRecord.merge(b, c))
            #expect(left == right)
            #expect(try SyncRecord.merge(ab, a) == ab)
            #expect(Set(ab.unknownAttributes.keys) == Set(x.keys).union(y.keys))
        }
    }
}
