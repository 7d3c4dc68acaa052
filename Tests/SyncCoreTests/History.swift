import Foundation
import PropertyBased
@testable import SyncCore

/// A random history of one record edited on three replicas that sync with each other
/// at random moments: the input of the merge laws.
///
/// A history is generated as a list of small integers and interpreted, so that failing
/// cases shrink to the shortest script that still fails, and every state is one the real
/// system could reach (merge is a join only over well-formed states: each dot covered by
/// its record's vector, no dot reused).
struct History: CustomStringConvertible {
    static let replicas: [ReplicaID] = ["ward3-ws1", "ward3-ws2", "home-visit-laptop"]
    static let registerFields = ["phone", "bed", "diagnosis"]
    static let setField = "allergies"
    static let values: [FieldValue] = ["a", "b", 162]

    /// A field write made by one edit, with what its writer had seen before it.
    struct FieldWrite: Hashable {
        let field: String
        let dot: Dot
        let value: FieldValue
        let seen: VersionVector
    }

    /// A removal from the add-wins set and the addition dots it observed.
    struct SetRemoval: Hashable {
        let element: FieldValue
        let removedDots: Set<Dot>
    }

    /// A deletion or restoration.
    struct LifecycleWrite: Hashable {
        let dot: Dot
        let deletes: Bool
        let seen: VersionVector
    }

    let script: [Int]
    private(set) var states: [SyncRecord]
    private(set) var counters: [UInt64]
    /// Every state any replica held, in order: the pool the laws draw from.
    private(set) var snapshots: [SyncRecord] = []
    private(set) var registerWrites: [FieldWrite] = []
    private(set) var setAdds: [FieldWrite] = []
    private(set) var setRemovals: [SetRemoval] = []
    private(set) var lifecycleWrites: [LifecycleWrite] = []
    private(set) var log: [String] = []
    private var wallClock: Int64 = 1_795_000_000_000

    static let recordID = UUID(uuidString: "8C1E3F5A-0000-4000-8000-000000000001")!

    init(script: [Int]) {
        self.script = script
        let creator = History.replicas[0]
        var record = SyncRecord(id: History.recordID, kind: .patient, scope: RecordScope(ward: "W3"))
        let dot = Dot(replica: creator, counter: 1)
        let stamp = HybridTimestamp(wallMilliseconds: wallClock, logical: 0, replica: creator)
        try! record.apply(["phone": .set("138"), "bed": .set(12)], dot: dot, at: stamp)
        registerWrites.append(FieldWrite(field: "phone", dot: dot, value: "138", seen: VersionVector()))
        registerWrites.append(FieldWrite(field: "bed", dot: dot, value: 12, seen: VersionVector()))
        states = Array(repeating: record, count: History.replicas.count)
        counters = [1, 0, 0]
        snapshots = [record]
        for code in script { step(code) }
    }

    /// The range of one script step's code.
    static let codeRange = 0...(10 * 3 * 3 * 3 * 3 - 1)

    /// Histories of up to `steps` operations.
    static func generator(steps: ClosedRange<Int> = 0...30) -> Generator<History, some SendableSequenceType> {
        Gen.int(in: codeRange).array(of: steps).map { History(script: $0) }
    }

    private mutating func nextDot(_ replica: Int) -> (Dot, HybridTimestamp) {
        let id = History.replicas[replica]
        counters[replica] = max(counters[replica], states[replica].version[id]) + 1
        wallClock += 1
        // Skew one replica's clock by days: it must change no merge outcome.
        let wall = replica == 2 ? wallClock - 3 * 86_400_000 : wallClock
        return (Dot(replica: id, counter: counters[replica]), HybridTimestamp(wallMilliseconds: wall, logical: 0, replica: id))
    }

    private mutating func step(_ code: Int) {
        let operation = code % 10
        let replica = (code / 10) % 3
        let fieldIndex = (code / 30) % 3
        let value = History.values[(code / 90) % 3]
        let partner = (code / 270) % 3
        let field = History.registerFields[fieldIndex]
        var record = states[replica]
        let before = record.version
        let (dot, stamp) = nextDot(replica)
        // An edit of a deleted record restores it with the same dot.
        let restoresByEdit = operation <= 3 && record.deletionState == .deleted
        switch operation {
        case 0, 1:
            if try! record.apply([field: .set(value)], dot: dot, at: stamp) {
                registerWrites.append(FieldWrite(field: field, dot: dot, value: value, seen: before))
                log.append("\(replica) sets \(field)=\(value) as \(dot)")
            }
        case 2:
            if try! record.apply([History.setField: .insert(value)], dot: dot, at: stamp) {
                setAdds.append(FieldWrite(field: History.setField, dot: dot, value: value, seen: before))
                log.append("\(replica) adds allergy \(value) as \(dot)")
            }
        case 3:
            let observed = Set(record.fields[History.setField]?.siblings.siblings.filter { $0.value == value }.map(\.dot) ?? [])
            if try! record.apply([History.setField: .remove(value)], dot: dot, at: stamp) {
                setRemovals.append(SetRemoval(element: value, removedDots: observed))
                log.append("\(replica) removes allergy \(value) as \(dot)")
            }
        case 4:
            if try! record.delete(dot: dot, at: stamp) {
                lifecycleWrites.append(LifecycleWrite(dot: dot, deletes: true, seen: before))
                log.append("\(replica) deletes as \(dot)")
            }
        case 5:
            if try! record.restore(dot: dot, at: stamp) {
                lifecycleWrites.append(LifecycleWrite(dot: dot, deletes: false, seen: before))
                log.append("\(replica) restores as \(dot)")
            }
        case 6:
            guard let conflict = record.conflicts.first else { break }
            if let name = conflict.field {
                let candidates = conflict.candidates.compactMap(\.value)
                let chosen = fieldIndex < candidates.count ? candidates[fieldIndex] : value
                try! record.resolve(field: name, choosing: chosen, dot: dot, at: stamp)
                registerWrites.append(FieldWrite(field: name, dot: dot, value: chosen, seen: before))
                log.append("\(replica) resolves \(name)=\(chosen) as \(dot)")
            } else {
                let keep = fieldIndex != 0
                try! record.resolveDeletion(keepRecord: keep, dot: dot, at: stamp)
                lifecycleWrites.append(LifecycleWrite(dot: dot, deletes: !keep, seen: before))
                log.append("\(replica) resolves deletion keep=\(keep) as \(dot)")
            }
        default:  // 7, 8, 9: syncing is as common as editing, as in a real ward
            guard partner != replica else { break }
            record = try! SyncRecord.merge(record, states[partner])
            log.append("\(replica) pulls from \(partner)")
        }
        if restoresByEdit && record.version != before {
            lifecycleWrites.append(LifecycleWrite(dot: dot, deletes: false, seen: before))
        }
        states[replica] = record
        snapshots.append(record)
    }

    /// Every replica's final state merged.
    var mergedFinal: SyncRecord {
        states.dropFirst().reduce(states[0]) { try! SyncRecord.merge($0, $1) }
    }

    /// The register writes of `field` that no other write to it had seen: exactly the
    /// values a correct merge keeps.
    func maximalWrites(of field: String) -> Set<FieldWrite> {
        let writes = registerWrites.filter { $0.field == field }
        return Set(writes.filter { write in !writes.contains { $0.seen.covers(write.dot) } })
    }

    /// The additions to the allergy set that no removal observed.
    var survivingAdds: Set<Dot> {
        let removed = setRemovals.reduce(into: Set<Dot>()) { $0.formUnion($1.removedDots) }
        return Set(setAdds.map(\.dot)).subtracting(removed)
    }

    /// The deletions and restorations that no later one had seen.
    var maximalLifecycleWrites: Set<LifecycleWrite> {
        Set(lifecycleWrites.filter { write in !lifecycleWrites.contains { $0.seen.covers(write.dot) } })
    }

    var description: String { "script \(script):\n  " + log.joined(separator: "\n  ") }
}
