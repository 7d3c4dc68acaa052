import Foundation
import GRDB
import SyncCore
@testable import ServerStore

/// A directory under the system's temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("homeward-server-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { (path as NSString).appendingPathComponent(ServerDatabase.fileName) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A client replica's view of records, enough to produce pushes the way a client does:
/// it edits its own copies with its own counter.
struct TestReplica {
    let id: ReplicaID
    private(set) var counter: UInt64 = 0
    private var clock: HybridClock

    init(_ name: String) {
        id = ReplicaID(name)
        clock = HybridClock(replica: id)
    }

    mutating func nextDot() -> (Dot, HybridTimestamp) {
        counter += 1
        return (Dot(replica: id, counter: counter), clock.tick(wallMilliseconds: 1_700_000_000_000 + Int64(counter)))
    }

    mutating func create(
        _ kind: RecordKind = .patient, ward: String, patient: UUID? = nil, _ changes: [String: FieldChange]
    ) throws -> SyncRecord {
        var record = SyncRecord(kind: kind, scope: RecordScope(ward: ward, patient: patient))
        try edit(&record, changes)
        return record
    }

    mutating func edit(_ record: inout SyncRecord, _ changes: [String: FieldChange]) throws {
        let (dot, at) = nextDot()
        try record.apply(changes, dot: dot, at: at)
    }

    func batch(_ records: [SyncRecord], id: UUID = UUID()) -> PushBatch {
        PushBatch(batchID: id, replica: self.id, records: records)
    }
}

let everything = AccessScope(allWards: true)

func wardScope(_ wards: String...) -> AccessScope { AccessScope(wards: Set(wards)) }
