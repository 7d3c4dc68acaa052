import Foundation
import SyncCore

/// The oracle's own record of what a participant has seen of one record: for each
/// replica, the highest counter. Deliberately not SyncCore's `VersionVector`, so that a
/// bug in the library's join cannot hide itself by corrupting the oracle too.
struct Knowledge: Hashable {
    private(set) var counters: [ReplicaID: UInt64] = [:]

    func covers(_ dot: Dot) -> Bool { (counters[dot.replica] ?? 0) >= dot.counter }

    mutating func add(_ dot: Dot) {
        if dot.counter > (counters[dot.replica] ?? 0) { counters[dot.replica] = dot.counter }
    }

    mutating func join(_ other: Knowledge) {
        for (replica, counter) in other.counters where counter > (counters[replica] ?? 0) {
            counters[replica] = counter
        }
    }

    func matches(_ version: VersionVector) -> Bool { version.counters == counters }

    var description: String {
        "[" + counters.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", ") + "]"
    }
}

/// Where a write landed in a record: a field, or the record's lifecycle (delete/restore).
enum Slot: Hashable, Comparable, CustomStringConvertible {
    case field(String)
    case lifecycle

    var description: String {
        switch self {
        case .field(let name): "field \(name)"
        case .lifecycle: "lifecycle"
        }
    }

    static func < (lhs: Slot, rhs: Slot) -> Bool { lhs.description < rhs.description }
}

/// A value as it sits in a slot.
enum SlotValue: Hashable, CustomStringConvertible {
    case value(FieldValue)
    case lifecycle(RecordLifecycle)

    var description: String {
        switch self {
        case .value(let value): value.description
        case .lifecycle(.live): "live"
        case .lifecycle(.deleted): "deleted"
        }
    }
}

/// One committed write as the oracle understands it.
struct OracleWrite {
    enum Effect: Hashable {
        /// Replaces every value of the slot the writer had seen (a register set, a
        /// resolution, a delete or restore).
        case put(SlotValue)
        /// Adds an element to an add-wins set.
        case add(FieldValue)
        /// Removes the additions of an element the writer had seen.
        case remove(FieldValue)
    }

    let dot: Dot
    let record: UUID
    let slot: Slot
    let effect: Effect
    /// What the writer had seen of the record, this write included.
    let context: Knowledge
    let step: Int

    var createdValue: SlotValue? {
        switch effect {
        case .put(let value): value
        case .add(let element): .value(element)
        case .remove: nil
        }
    }

    /// Whether this write removes `other`'s value: it is in the same slot, the writer
    /// had seen it, and it overwrites (or removes that very element).
    func kills(_ other: OracleWrite) -> Bool {
        guard other.slot == slot, other.dot != dot, context.covers(other.dot) else { return false }
        switch (effect, other.effect) {
        case (.put, .put), (.put, .add): return true
        case (.remove(let element), .add(let added)): return element == added
        default: return false
        }
    }
}

/// Everything the simulation has committed anywhere, and what every participant has
/// seen — tracked from the messages it delivered, independently of the stores.
///
/// From it the expected final state of every record follows: a slot holds exactly the
/// values written and not removed by a write that had seen them. Concurrent values all
/// survive (a conflict when they differ); covered values never come back.
struct Oracle {
    static let serverParticipant = -1

    /// Participant (replica index, or -1 for the server) → record → knowledge.
    private(set) var knowledge: [Int: [UUID: Knowledge]] = [:]
    private(set) var writes: [UUID: [OracleWrite]] = [:]
    private(set) var scopes: [UUID: RecordScope] = [:]
    /// Push batches as built: batch id → record → what the replica had seen.
    private var batches: [UUID: [UUID: Knowledge]] = [:]
    /// Records created in a ward the server no longer grants their author: they must
    /// end in that replica's quarantine, with every write kept.
    private(set) var expectedQuarantine: [UUID: Int] = [:]

    func knowledge(of participant: Int, _ record: UUID) -> Knowledge {
        knowledge[participant]?[record] ?? Knowledge()
    }

    /// Records the participant holds, sorted so that picks replay.
    func records(knownBy participant: Int) -> [UUID] {
        (knowledge[participant] ?? [:]).keys.sorted { $0.uuidString < $1.uuidString }
    }

    mutating func noteCreated(_ record: UUID, scope: RecordScope, quarantinedFor replica: Int?) {
        scopes[record] = scope
        if let replica { expectedQuarantine[record] = replica }
    }

    /// A committed local write: its effects, and the writer's knowledge moved past it.
    mutating func commit(
        by participant: Int, record: UUID, dot: Dot, effects: [(Slot, OracleWrite.Effect)], step: Int
    ) {
        var context = knowledge(of: participant, record)
        context.add(dot)
        knowledge[participant, default: [:]][record] = context
        for (slot, effect) in effects {
            writes[record, default: []].append(
                OracleWrite(dot: dot, record: record, slot: slot, effect: effect, context: context, step: step))
        }
    }

    /// A participant merged a copy of `record` carrying `received`.
    mutating func receive(_ received: Knowledge, of record: UUID, by participant: Int) {
        knowledge[participant, default: [:]][record, default: Knowledge()].join(received)
    }

    /// Everything a participant has seen, to be put back by ``restoreKnowledge(of:_:)``
    /// when its database is restored from a backup.
    func knowledgeSnapshot(of participant: Int) -> [UUID: Knowledge] { knowledge[participant] ?? [:] }

    mutating func restoreKnowledge(of participant: Int, _ snapshot: [UUID: Knowledge]) {
        knowledge[participant] = snapshot
    }

    mutating func noteBatch(_ batchID: UUID, records: [UUID], from replica: Int) {
        guard batches[batchID] == nil else { return }
        batches[batchID] = Dictionary(uniqueKeysWithValues: records.map { ($0, knowledge(of: replica, $0)) })
    }

    func batchKnowledge(_ batchID: UUID) -> [UUID: Knowledge]? { batches[batchID] }

    // MARK: - Expected state

    /// The values each slot of `record` must hold once every write has reached everyone.
    func expectedSlots(of record: UUID) -> [Slot: Set<ExpectedSibling>] {
        let all = writes[record] ?? []
        var result: [Slot: Set<ExpectedSibling>] = [:]
        for write in all {
            guard let value = write.createdValue else { continue }
            if all.contains(where: { $0.kills(write) }) { continue }
            result[write.slot, default: []].insert(ExpectedSibling(dot: write.dot, value: value))
        }
        return result
    }

    /// The version vector `record` must end with: every write made to it.
    func expectedVersion(of record: UUID) -> Knowledge {
        var result = Knowledge()
        for write in writes[record] ?? [] { result.add(write.dot) }
        return result
    }

    func write(_ dot: Dot, of record: UUID) -> OracleWrite? {
        writes[record]?.first { $0.dot == dot }
    }

    /// Whether a write that had seen `dot` removed it from `slot`.
    func isCovered(_ dot: Dot, in slot: Slot, of record: UUID) -> OracleWrite? {
        guard let write = writes[record]?.first(where: { $0.dot == dot && $0.slot == slot }) else { return nil }
        return writes[record]?.first { $0.kills(write) }
    }
}

struct ExpectedSibling: Hashable, CustomStringConvertible {
    let dot: Dot
    let value: SlotValue

    var description: String { "\(value) by \(dot)" }
}
