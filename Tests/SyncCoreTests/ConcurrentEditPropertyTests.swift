import Foundation
import PropertyBased
import Testing
@testable import SyncCore

/// Two or three replicas edit the same record without seeing each other's edits.
@Suite struct ConcurrentEditPropertyTests {
    static let fields = ["phone", "bed", "diagnosis"]
    static let valueGenerator = Gen.int(in: 0...3)
    static let fieldGenerator = Gen.int(in: 0...2)

    func base() throws -> SyncRecord {
        var record = SyncRecord(id: UUID(uuidString: "00000000-0000-4000-8000-00000000C0DE")!, kind: .patient, scope: RecordScope(ward: "W3"))
        try record.apply(["phone": .set(-1), "bed": .set(-1), "diagnosis": .set(-1)], dot: Dot(replica: "origin", counter: 1),
                         at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "origin"))
        return record
    }

    func edited(_ record: SyncRecord, by replica: ReplicaID, field: Int, value: Int, wall: Int64) throws -> SyncRecord {
        var copy = record
        try copy.apply([Self.fields[field]: .set(.number(Double(value)))], dot: Dot(replica: replica, counter: 1),
                       at: HybridTimestamp(wallMilliseconds: wall, logical: 0, replica: replica))
        return copy
    }

    @Test func twoConcurrentWritesConflictExactlyWhenTheyHitTheSameFieldWithDifferentValues() async {
        await propertyCheck(
            count: 300, input: Self.fieldGenerator, Self.valueGenerator, Self.fieldGenerator, Self.valueGenerator,
            Gen.int64(in: 0...1_000_000)
        ) { fieldA, valueA, fieldB, valueB, skew in
            let origin = try base()
            let a = try edited(origin, by: "a", field: fieldA, value: valueA, wall: skew)
            let b = try edited(origin, by: "b", field: fieldB, value: valueB, wall: 0)
            let merged = try SyncRecord.merge(a, b)
            let shouldConflict = fieldA == fieldB && valueA != valueB
            #expect(merged.hasConflicts == shouldConflict)
            #expect(merged.conflicts.count == (shouldConflict ? 1 : 0))
            if shouldConflict {
                #expect(Set(merged.fields[Self.fields[fieldA]]!.conflictingValues) == [.number(Double(valueA)), .number(Double(valueB))])
                // The provisional winner does not depend on the (skewed) timestamps.
                #expect(merged[Self.fields[fieldA]] == .number(Double(valueB)))
            } else {
                #expect(merged[Self.fields[fieldA]] == .number(Double(valueA)))
                #expect(merged[Self.fields[fieldB]] == .number(Double(valueB)))
            }
        }
    }

    @Test func threeConcurrentWritesKeepEveryDistinctValue() async {
        await propertyCheck(count: 300, input: Self.valueGenerator, Self.valueGenerator, Self.valueGenerator) { x, y, z in
            let origin = try base()
            let copies = try [("a", x), ("b", y), ("c", z)].map { try edited(origin, by: ReplicaID($0.0), field: 1, value: $0.1, wall: 0) }
            let orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0]]
            let results = try orders.map { order in
                try SyncRecord.merge(SyncRecord.merge(copies[order[0]], copies[order[1]]), copies[order[2]])
            }
            #expect(Set(results).count == 1)
            let bed = results[0].fields["bed"]!
            #expect(Set(bed.conflictingValues) == Set([x, y, z].map { FieldValue.number(Double($0)) }))
            #expect(bed.isConflicted == (Set([x, y, z]).count > 1))
            #expect(bed.siblings.dots.count == 3)
        }
    }

    @Test func aWriteThatSawAnotherNeverConflictsWithIt() async {
        await propertyCheck(count: 300, input: Self.fieldGenerator, Self.valueGenerator, Self.valueGenerator) { field, first, second in
            let origin = try base()
            let a = try edited(origin, by: "a", field: field, value: first, wall: 1_000_000)
            var b = try SyncRecord.merge(origin, a)
            try b.apply([Self.fields[field]: .set(.number(Double(second)))], dot: Dot(replica: "b", counter: 1),
                        at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "b"))
            let merged = try SyncRecord.merge(a, b)
            #expect(!merged.hasConflicts)
            #expect(merged[Self.fields[field]] == .number(Double(second)))
        }
    }
}
