import Foundation
import GRDB
import SyncCore
import Testing
@testable import ClientStore

/// Random edits on three client databases syncing through a server that loses answers:
/// after everyone syncs, every database holds the same records, and every field holds
/// exactly the writes no other write had seen.
@Suite struct SyncRecordStorePropertyTests {
    static let recordIDs = (1...2).map { UUID(uuidString: "00000000-0000-4000-8000-00000000000\($0)")! }
    static let fields = ["bed", "phone"]

    struct Write: Hashable {
        let record: UUID
        let field: String
        let dot: Dot
        let seen: VersionVector
    }

    /// SplitMix64: a failing seed replays exactly.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: 1...40)
    func replicasConvergeAndKeepEveryUnseenWrite(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let script = (0..<Int.random(in: 5...40, using: &random)).map { _ in Int.random(in: 0..<(8 * 3 * 2 * 2 * 3), using: &random) }
        let server = FakeServer()
        let replicas = try ["ws1", "ws2", "laptop"].map { try Replica(ReplicaID($0)) }
        var writes: [Write] = []
        var log: [String] = []
        // Every record exists everywhere before the random part begins.
        for id in Self.recordIDs {
            let record = try replicas[0].write { store, db in
                try store.create(kind: .patient, scope: ward3, id: id, changes: ["bed": .set(0), "phone": .set(0)], in: db)
            }
            for field in Self.fields {
                writes.append(Write(record: id, field: field, dot: record.fields[field]!.siblings.dots[0], seen: VersionVector()))
            }
        }
        for replica in replicas { try server.sync(replica) }

        for code in script {
            let operation = code % 8
            let replica = replicas[(code / 8) % 3]
            let record = Self.recordIDs[(code / 24) % 2]
            let field = Self.fields[(code / 48) % 2]
            let value = FieldValue.number(Double((code / 96) % 3))
            switch operation {
            case 0, 1, 2:
                let before = try #require(try replica.read { store, db in try store.record(record, in: db) })
                let after = try replica.write { store, db in try store.edit(record, [field: .set(value)], in: db) }
                if after != before {
                    writes.append(Write(record: record, field: field, dot: after.fields[field]!.siblings.dots.last!, seen: before.version))
                    log.append("\(replica.id) sets \(field) of \(record.uuidString.suffix(1)) = \(value)")
                }
            case 3:
                try replica.write { store, db in try store.delete(record, in: db) }
                log.append("\(replica.id) deletes \(record.uuidString.suffix(1))")
            case 4:
                // The server applies the batch but the answer is lost.
                if let batch = try replica.write({ store, db in try store.preparePushBatch(limit: 1, in: db) }) {
                    _ = try server.push(batch)
                    log.append("\(replica.id) pushes, answer lost")
                }
            case 5:
                // A pull while local edits are still unpushed: they must survive it.
                let request = try replica.read { store, db in try store.pullRequest(limit: 1, in: db) }
                let page = server.pull(request)
                try replica.write { store, db in try store.applyPulledPage(page, in: db) }
                log.append("\(replica.id) pulls one page")
            default:
                try server.sync(replica)
                log.append("\(replica.id) syncs")
            }
        }
        for _ in 0..<2 { for replica in replicas { try server.sync(replica) } }

        let serverHash = StateHash.of(server.records.values)
        for replica in replicas {
            #expect(try replica.read { store, db in try store.stateHash(in: db) } == serverHash, "\(log)")
            #expect(try replica.read { store, db in try store.pendingRecordIDs(in: db) }.isEmpty, "\(log)")
        }
        for id in Self.recordIDs {
            let merged = try #require(server.records[id])
            for field in Self.fields {
                let candidates = writes.filter { $0.record == id && $0.field == field }
                let maximal = candidates.filter { write in !candidates.contains { $0.seen.covers(write.dot) } }
                #expect(Set(merged.fields[field]!.siblings.dots) == Set(maximal.map(\.dot)), "\(field) of \(id): \(log)")
            }
        }
    }
}
