import ClientStore
import Foundation
import GRDB
import ServerStore
import Synchronization
import SyncCore

/// The simulated wall clock every process reads (each through its own skew).
final class SimulatedTime: Sendable {
    private let milliseconds = Atomic<Int64>(1_795_000_000_000)

    var now: Int64 { milliseconds.load(ordering: .relaxed) }

    func advance(by step: Int64) { milliseconds.add(step, ordering: .relaxed) }
}

/// One client install: the real client database and sync record store on in-memory
/// SQLite, plus the little a sync engine holds in memory (what it is waiting for),
/// which a crash loses.
final class SimulatedReplica {
    let index: Int
    let id: ReplicaID
    /// What the server grants this replica's user.
    var serverScope: AccessScope
    /// What the replica believes it may write (wider than the server's for a user who
    /// was just taken off a ward).
    var localScope: AccessScope
    /// A ward in the local scope that the server no longer grants.
    let revokedWard: String?
    let database: ClientDatabase
    let fault = CommitFault()
    private(set) var store: SyncRecordStore
    let skew: Int64
    let drift: Int64

    // In-memory engine state: lost on a crash.
    var pushSentAt: Int64?
    var pullSentAt: Int64?
    var downUntil: Int64?
    var partitionedUntil: Int64 = 0

    init(
        index: Int, serverScope: AccessScope, localScope: AccessScope, revokedWard: String?,
        time: SimulatedTime, skew: Int64, drift: Int64
    ) throws {
        self.index = index
        id = ReplicaID(String(format: "replica-%02d", index))
        self.serverScope = serverScope
        self.localScope = localScope
        self.revokedWard = revokedWard
        self.skew = skew
        self.drift = drift
        database = try ClientDatabase.inMemory()
        database.writer.add(transactionObserver: fault, extent: .databaseLifetime)
        store = Self.makeStore(time: time, skew: skew, drift: drift)
        try database.writer.write { [store, id, localScope] db in
            try store.setUpReplica(id, in: db)
            try store.setAccessScope(localScope, in: db)
        }
    }

    private static func makeStore(time: SimulatedTime, skew: Int64, drift: Int64) -> SyncRecordStore {
        let start = time.now
        return SyncRecordStore(wallClock: {
            let now = time.now
            // A drifting clock gains `drift` ms per simulated second.
            return now + skew + (now - start) / 1000 * drift
        })
    }

    var isUp: Bool { downUntil == nil }

    /// The process died: whatever it held in memory is gone; the database keeps what
    /// was committed.
    func crash(until time: Int64) {
        downUntil = time
        pushSentAt = nil
        pullSentAt = nil
    }

    /// A fresh process on the database the crash left.
    func restart(time: SimulatedTime) {
        downUntil = nil
        store = Self.makeStore(time: time, skew: skew, drift: drift)
    }

    func write<T>(_ body: (SyncRecordStore, Database) throws -> T) throws -> T {
        try database.writer.write { db in try body(store, db) }
    }

    func read<T>(_ body: (SyncRecordStore, Database) throws -> T) throws -> T {
        try database.writer.read { db in try body(store, db) }
    }
}

/// The sync server: the real ``ServerDatabase`` on in-memory SQLite, seen through the
/// ``RecordStore`` protocol exactly as the routes see it.
final class SimulatedServer {
    static let replica = ReplicaID("server")

    private(set) var database: ServerDatabase
    let fault = CommitFault()
    var downUntil: Int64?
    let sabotage: Sabotage?
    private var pushes = 0

    init(sabotage: Sabotage?) throws {
        database = try ServerDatabase.inMemory(replica: Self.replica)
        database.writer.add(transactionObserver: fault, extent: .databaseLifetime)
        self.sabotage = sabotage
    }

    var store: any RecordStore { database }
    var isUp: Bool { downUntil == nil }

    /// A fresh server process on the database the crash left: it re-runs the opening
    /// checks and reloads its identity.
    func restart() throws {
        downUntil = nil
        database = try ServerDatabase(adopting: database.writer)
    }

    /// A copy of the database as it was when ``takeBackup()`` ran.
    private(set) var backup: DatabaseQueue?

    func takeBackup() throws {
        let copy = try DatabaseQueue()
        try database.writer.backup(to: copy)
        backup = copy
    }

    /// Replaces the database with the backup, as an operator restoring a file would,
    /// and starts a server process on it.
    func restoreBackup() throws {
        guard let backup else { return }
        let copy = try DatabaseQueue()
        try backup.backup(to: copy)
        copy.add(transactionObserver: fault, extent: .databaseLifetime)
        database = try ServerDatabase(adopting: copy)
        downUntil = nil
    }

    func applyPush(_ batch: PushBatch, scope: AccessScope) async throws -> PushResult {
        pushes += 1
        // A sabotaged push goes to the store under a batch id of its own, since its
        // contents depend on the moment it is applied; the answer keeps the client's id.
        let sabotageID = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012x", pushes))!
        switch sabotage {
        case .lastWriterWins:
            // The incoming copy claims to have seen everything stored: merge then drops
            // every concurrent value the server held.
            var rewritten = PushBatch(batchID: sabotageID, replica: batch.replica, records: batch.records)
            for (position, record) in batch.records.enumerated() {
                guard let stored = try await store.record(id: record.id, scope: AccessScope(allWards: true)) else { continue }
                var overwriting = record
                overwriting.version = record.version.joined(with: stored.version)
                rewritten.records[position] = overwriting
            }
            var result = try await store.applyPush(rewritten, scope: scope)
            result.batchID = batch.batchID
            return result
        case .dropPushedRecord where pushes % 10 == 0 && !batch.records.isEmpty:
            let truncated = PushBatch(batchID: sabotageID, replica: batch.replica, records: batch.records.dropLast())
            var result = try await store.applyPush(truncated, scope: scope)
            result.batchID = batch.batchID
            result.outcomes.append(.accepted(batch.records.last!.id))
            return result
        default:
            return try await store.applyPush(batch, scope: scope)
        }
    }

    func pull(_ request: PullRequest, scope: AccessScope) async throws -> PullPage {
        try await store.pull(request, scope: sabotage == .ignoreScope ? AccessScope(allWards: true) : scope)
    }

    func integrityCheck() throws -> [String] { try database.integrityCheck() }
}

/// A message on the simulated wire.
enum Message {
    case push(replica: Int, batch: PushBatch)
    case pushAnswer(replica: Int, result: PushResult)
    case pull(replica: Int, request: PullRequest)
    case pullAnswer(replica: Int, page: PullPage, knowledge: [UUID: Knowledge])
    /// The server's `invalid_cursor`: the replica's cursor is ahead of every change.
    case cursorRefused(replica: Int)

    var replica: Int {
        switch self {
        case .push(let replica, _), .pushAnswer(let replica, _), .pull(let replica, _), .pullAnswer(let replica, _, _),
            .cursorRefused(let replica):
            replica
        }
    }

    func summary(naming batchName: (UUID) -> String) -> String {
        switch self {
        case .push(let replica, let batch): "push \(batchName(batch.batchID)) from r\(replica) (\(batch.records.count) records)"
        case .pushAnswer(let replica, let result): "push answer \(batchName(result.batchID)) to r\(replica)"
        case .pull(let replica, let request): "pull from r\(replica) after \(request.cursor)"
        case .pullAnswer(let replica, let page, _): "page to r\(replica) (\(page.records.count) records, next \(page.nextCursor))"
        case .cursorRefused(let replica): "invalid_cursor to r\(replica)"
        }
    }

    var records: [UUID] {
        switch self {
        case .push(_, let batch): batch.records.map(\.id)
        case .pullAnswer(_, let page, _): page.records.map(\.id)
        default: []
        }
    }
}

/// The wire: messages ordered by delivery time, ties by sending order.
struct SimulatedNetwork {
    private struct Envelope {
        let deliverAt: Int64
        let order: UInt64
        let message: Message
    }

    private var heap: [Envelope] = []
    private var sent: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func enqueue(_ message: Message, at time: Int64) {
        sent += 1
        heap.append(Envelope(deliverAt: time, order: sent, message: message))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The next message due at or before `time`.
    mutating func next(dueBy time: Int64) -> Message? {
        guard let first = heap.first, first.deliverAt <= time else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && Self.before(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count && Self.before(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first.message
    }

    private static func before(_ a: Envelope, _ b: Envelope) -> Bool {
        (a.deliverAt, a.order) < (b.deliverAt, b.order)
    }
}
