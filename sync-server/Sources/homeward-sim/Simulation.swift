import ClientStore
import Foundation
import GRDB
import ServerStore
import SyncCore

/// One deterministic run: N client replicas and the server in one process, a simulated
/// network and clock, random operations and faults, then healing, a final full sync,
/// and the six invariants checked against the ``Oracle``.
///
/// Everything random comes from one ``SimulationRandom`` seeded with the seed, and the
/// run is strictly sequential, so a seed replays exactly.
final class Simulation {
    let options: SimulationOptions
    private var random: SimulationRandom
    private let time = SimulatedTime()
    private var network = SimulatedNetwork()
    private var oracle = Oracle()
    private let server: SimulatedServer
    private var replicas: [SimulatedReplica] = []
    private var wardPatients: [String: [UUID]] = [:]
    private static let wards = ["W1", "W2", "W3"]

    private var step = 0
    private var faultsActive = true
    private var trace: [TraceLine] = []
    private var violations: [Violation] = []

    // What was delivered, for the replay of invariant 4 and the durability check.
    private var deliveredPushes: [(replica: Int, batch: PushBatch)] = []
    private var deliveredPages: [(replica: Int, page: PullPage)] = []
    private var acknowledged: [(batchID: UUID, records: [UUID])] = []

    // Statistics for the outcome line.
    private(set) var statistics = Statistics()

    struct Statistics: Sendable {
        var ops = 0
        var resolutions = 0
        var crashes = 0
        var commitCrashes = 0
        var dropped = 0
        var duplicated = 0
        var messages = 0
        var openConflicts = 0
        var quarantined = 0
        var lost = 0
        var silentOverwrites = 0
        var converged = true
    }

    init(options: SimulationOptions) throws {
        self.options = options
        random = SimulationRandom(seed: options.seed)
        server = try SimulatedServer(sabotage: options.sabotage)
        for ward in Self.wards {
            wardPatients[ward] = [random.uuid(), random.uuid()]
        }
        // Clocks draw from a stream of their own, so that a run with skewed clocks makes
        // exactly the same operations and faults as the run without (see
        // ``timelessDigest()``).
        var clocks = SimulationRandom(seed: options.seed ^ 0x5EED_C10C_5EED_C10C)
        for index in 0..<options.replicas {
            let (granted, local, revoked) = scopes(forReplica: index)
            var skew: Int64 = 0, drift: Int64 = 0
            if options.faults.contains(.skew) {
                // Up to three days either way; a third of the replicas also drift.
                skew = Int64(clocks.int(in: -259_200_000...259_200_000))
                if clocks.chance(0.33) { drift = Int64(clocks.int(in: -500...500)) }
            }
            replicas.append(try SimulatedReplica(
                index: index, serverScope: granted, localScope: local, revokedWard: revoked,
                time: time, skew: skew, drift: drift))
        }
    }

    /// Who each replica is: the central office, a home-visit nurse, ward nurses, and a
    /// nurse just taken off a ward whose device does not know yet.
    private func scopes(forReplica index: Int) -> (AccessScope, AccessScope, String?) {
        let wards = Self.wards
        switch index {
        case 0:
            let office = AccessScope(allWards: true)
            return (office, office, nil)
        case 1:
            let visits = AccessScope(patients: [wardPatients["W1"]![0], wardPatients["W2"]![1]])
            return (visits, visits, nil)
        default:
            var own: Set<String> = [wards[index % 3]]
            if index % 4 == 0 { own.insert(wards[(index + 1) % 3]) }
            let granted = AccessScope(wards: own)
            if index == options.replicas - 1 && options.replicas >= 4 {
                let revoked = wards.first { !own.contains($0) }!
                return (granted, AccessScope(wards: own.union([revoked])), revoked)
            }
            return (granted, granted, nil)
        }
    }

    // MARK: - Running

    /// Runs the operations, heals, syncs everyone, and checks the invariants. Returns
    /// the violations, worst (lowest invariant number) first; empty when all hold.
    func run() async throws -> [Violation] {
        do {
            try await seedServer()
            while statistics.ops < options.ops {
                try await tick()
            }
            try await healAndSyncEveryone()
            try await checkInvariants()
        } catch let violation as Violation {
            violations.append(violation)
        }
        statistics.lost = violations.filter { $0.invariant == .noLostWrite }.count
        statistics.silentOverwrites = violations.filter { $0.invariant == .noSilentOverwrite }.count
        if violations.contains(where: { $0.invariant == .convergence }) { statistics.converged = false }
        return violations.sorted { $0.invariant < $1.invariant }
    }

    /// A digest of the server's final records without their timestamps: what merge
    /// decided. Timestamps only order the user interface, so the same seed with and
    /// without skewed clocks must give the same digest.
    func timelessDigest() async throws -> String {
        var text = ""
        for record in try await server.store.records(scope: AccessScope(allWards: true)) {
            text += "\(record.id) \(record.version)"
            for (name, field) in record.fields.sorted(by: { $0.key < $1.key }) {
                text += " \(name):" + field.siblings.siblings.map { "\($0.dot)=\($0.value)" }.joined(separator: ",")
            }
            for sibling in record.lifecycle.siblings {
                switch sibling.value {
                case .live: text += " live@\(sibling.dot)"
                case .deleted(let seen): text += " deleted@\(sibling.dot)\(seen)"
                }
            }
            text += "\n"
        }
        return SHA256.hex(of: Array(text.utf8))
    }

    /// The server's own records (demo data): a patient per ward, written with the
    /// server's replica id through the seeding path the real server uses.
    private func seedServer() async throws {
        var drafts: [RecordDraft] = []
        for ward in Self.wards {
            let patient = wardPatients[ward]![0]
            drafts.append(RecordDraft(
                kind: .followUpTask, scope: RecordScope(ward: ward, patient: patient), id: random.uuid(),
                changes: ["status": .set("due"), "allergies": .insert("penicillin")]))
        }
        _ = try await server.store.seed(drafts: drafts, at: Date(timeIntervalSince1970: Double(time.now) / 1000))
        for record in try await server.store.records(scope: AccessScope(allWards: true)) {
            oracle.noteCreated(record.id, scope: record.scope, quarantinedFor: nil)
            let dot = record.allDots[0]
            var effects: [(Slot, OracleWrite.Effect)] = []
            for (name, field) in record.fields.sorted(by: { $0.key < $1.key }) {
                for sibling in field.siblings.siblings {
                    effects.append((.field(name), field.kind == .addWinsSet ? .add(sibling.value) : .put(.value(sibling.value))))
                }
            }
            oracle.commit(by: Oracle.serverParticipant, record: record.id, dot: dot, effects: effects, step: 0)
            log("server seeded \(record.kind) \(short(record.id)) in \(record.scope.ward)", records: [record.id])
        }
    }

    private func tick() async throws {
        step += 1
        time.advance(by: Int64(random.int(in: 1...20)))
        try await deliverDue()
        try restartWhoseTimeHasCome()

        if faultsActive && options.faults.contains(.crash) {
            if random.chance(0.003) { crashReplica(random.pick(replicas), reason: "process killed") }
            if random.chance(0.0015) && server.isUp { crashServer(reason: "process killed") }
        }
        if faultsActive && options.faults.contains(.partition) && random.chance(0.004) {
            let replica = random.pick(replicas)
            replica.partitionedUntil = time.now + Int64(random.int(in: 500...8_000))
            log("network partition cuts r\(replica.index) off until +\(replica.partitionedUntil - time.now) ms")
        }
        if faultsActive && options.faults.contains(.restore) && server.isUp && !serverRestored && random.chance(0.004) {
            try restoreServerFromBackup()
        }
        if faultsActive && options.faults.contains(.rescope) && random.chance(0.002) {
            try assignAnotherWard()
        }
        for replica in replicas where replica.isUp && random.chance(0.06) {
            try await startSync(replica)
        }
        let up = replicas.filter(\.isUp)
        if !up.isEmpty {
            statistics.ops += 1
            try performOperation(on: random.pick(up))
        }
    }

    private func deliverDue() async throws {
        while let message = network.next(dueBy: time.now) {
            try await deliver(message)
        }
    }

    private func restartWhoseTimeHasCome() throws {
        for replica in replicas {
            if let until = replica.downUntil, until <= time.now {
                replica.restart(time: time)
                log("r\(replica.index) restarts on its committed database")
            }
        }
        if let until = server.downUntil, until <= time.now {
            try server.restart()
            log("server restarts on its committed database", global: true)
        }
    }

    private var serverRestored = false
    private var serverKnowledgeAtBackup: [UUID: Knowledge] = [:]

    /// The first call takes a backup of the server's database; a later call restores it.
    /// Everything the server acknowledged in between is gone from it, and comes back only
    /// from the replicas: those whose cursor is ahead of the restored server are told
    /// `invalid_cursor` and start over. The server's refusal of writes by replicas it no
    /// longer knows about ("never sent"), and replicas whose cursor is not ahead, are
    /// what this fault probes.
    private func restoreServerFromBackup() throws {
        if server.backup == nil {
            try server.takeBackup()
            serverKnowledgeAtBackup = oracle.knowledgeSnapshot(of: Oracle.serverParticipant)
            log("server database backed up", global: true)
            return
        }
        try server.restoreBackup()
        oracle.restoreKnowledge(of: Oracle.serverParticipant, serverKnowledgeAtBackup)
        serverRestored = true
        log("server restored from the backup: everything since is gone from it", global: true)
    }

    /// A ward nurse is given one more ward: the server grants it at once, and her
    /// replica learns it at its next login (here: now, while it is up).
    private func assignAnotherWard() throws {
        let nurses = replicas.filter { $0.isUp && $0.index >= 2 && $0.revokedWard == nil && !$0.serverScope.wards.isEmpty }
        guard !nurses.isEmpty else { return }
        let nurse = random.pick(nurses)
        let candidates = Self.wards.filter { !nurse.serverScope.wards.contains($0) }
        guard !candidates.isEmpty else { return }
        let ward = random.pick(candidates)
        nurse.serverScope.wards.insert(ward)
        nurse.localScope.wards.insert(ward)
        try nurse.write { [scope = nurse.localScope] store, db in try store.setAccessScope(scope, in: db) }
        log("r\(nurse.index) is assigned ward \(ward) as well", global: true)
    }

    private func crashReplica(_ replica: SimulatedReplica, reason: String) {
        guard replica.isUp else { return }
        replica.crash(until: time.now + Int64(random.int(in: 100...3_000)))
        statistics.crashes += 1
        log("r\(replica.index) crashes (\(reason)); in-memory sync state lost")
    }

    private func crashServer(reason: String) {
        guard server.isUp else { return }
        server.downUntil = time.now + Int64(random.int(in: 100...2_000))
        statistics.crashes += 1
        log("server crashes (\(reason))", global: true)
    }

    /// Decides whether the next transaction of a process dies before its commit.
    private func maybeArmCommitCrash(_ fault: CommitFault) -> Bool {
        guard faultsActive && options.faults.contains(.crash) && random.chance(0.01) else { return false }
        fault.arm()
        return true
    }

    // MARK: - Network

    private func send(_ message: Message) {
        statistics.messages += 1
        let replica = replicas[message.replica]
        if faultsActive {
            if options.faults.contains(.partition) && replica.partitionedUntil > time.now {
                statistics.dropped += 1
                log("lost in partition: \(message.summary(naming: batchName))", records: message.records)
                return
            }
            if options.faults.contains(.drop) && random.chance(0.05) {
                statistics.dropped += 1
                log("dropped: \(message.summary(naming: batchName))", records: message.records)
                return
            }
        }
        var latency: Int64 = 5
        if faultsActive && options.faults.contains(.reorder) { latency = Int64(random.int(in: 1...80)) }
        if faultsActive && options.faults.contains(.delay) && random.chance(0.05) {
            latency += Int64(random.int(in: 300...4_000))
        }
        network.enqueue(message, at: time.now + latency)
        if faultsActive && options.faults.contains(.duplicate) && random.chance(0.04) {
            statistics.duplicated += 1
            network.enqueue(message, at: time.now + latency + Int64(random.int(in: 0...600)))
            log("duplicated: \(message.summary(naming: batchName))", records: message.records)
        }
    }

    private func deliver(_ message: Message) async throws {
        let replica = replicas[message.replica]
        if faultsActive && options.faults.contains(.partition) && replica.partitionedUntil > time.now {
            statistics.dropped += 1
            log("lost in partition: \(message.summary(naming: batchName))", records: message.records)
            return
        }
        switch message {
        case .push(let index, let batch): try await serverReceivesPush(batch, from: replicas[index])
        case .pull(let index, let request): try await serverReceivesPull(request, from: replicas[index])
        case .pushAnswer(let index, let result): try replicaReceivesPushAnswer(result, replicas[index])
        case .pullAnswer(let index, let page, let knowledge):
            try replicaReceivesPage(page, knowledge: knowledge, replicas[index])
        case .cursorRefused(let index): try replicaStartsOver(replicas[index])
        }
    }

    // MARK: - Server side

    private func serverReceivesPush(_ batch: PushBatch, from replica: SimulatedReplica) async throws {
        guard server.isUp else {
            log("server down, push lost: \(batchName(batch.batchID))", records: batch.records.map(\.id))
            return
        }
        guard let sent = oracle.batchKnowledge(batch.batchID) else {
            throw SimulationFailure(description: "push of a batch the oracle never saw built", record: nil)
        }
        let armed = maybeArmCommitCrash(server.fault)
        let result: PushResult
        do {
            result = try await server.applyPush(batch, scope: replica.serverScope)
        } catch is SimulatedCrash {
            statistics.commitCrashes += 1
            crashServer(reason: "killed inside the push transaction; rolled back")
            return
        } catch {
            throw SimulationFailure(description: "server refused push \(batch.batchID) as a whole: \(error)", record: nil)
        }
        if armed { server.fault.disarm() }
        deliveredPushes.append((replica.index, batch))
        log("server applied push \(batchName(batch.batchID)) from r\(replica.index): "
            + result.outcomes.map { "\(short($0.recordID))=\($0.status.rawValue)" }.joined(separator: " "),
            records: batch.records.map(\.id))

        for outcome in result.outcomes {
            let record = outcome.recordID
            switch outcome.status {
            case .accepted:
                guard let knowledge = sent[record] else { continue }
                oracle.receive(knowledge, of: record, by: Oracle.serverParticipant)
                guard let stored = try await server.store.record(id: record, scope: AccessScope(allWards: true)) else {
                    throw Violation(invariant: .noLostWrite, message: "server accepted record \(record) from r\(replica.index) but does not hold it", record: record)
                }
                let expected = oracle.knowledge(of: Oracle.serverParticipant, record)
                if !expected.matches(stored.version) {
                    throw Violation(
                        invariant: .noLostWrite,
                        message: "after push \(batch.batchID) the server's version of \(record) is \(stored.version), but it has received \(expected.description)",
                        record: record)
                }
            case .refused:
                if oracle.expectedQuarantine[record] == replica.index && outcome.reason == .outOfScope {
                    log("server refused \(short(record)) from r\(replica.index): out of scope (expected)", records: [record])
                } else {
                    throw Violation(
                        invariant: .noLostWrite,
                        message: "server refused a legitimate write of \(record) from r\(replica.index): \(outcome.reason?.rawValue ?? "?") — \(outcome.message ?? "")",
                        record: record)
                }
            }
        }
        if faultsActive && options.faults.contains(.crash) && random.chance(0.01) {
            crashServer(reason: "killed after committing push \(batchName(batch.batchID)), before answering")
            return
        }
        send(.pushAnswer(replica: replica.index, result: result))
    }

    private func serverReceivesPull(_ request: PullRequest, from replica: SimulatedReplica) async throws {
        guard server.isUp else {
            log("server down, pull lost")
            return
        }
        let page: PullPage
        do {
            page = try await server.pull(request, scope: replica.serverScope)
        } catch RecordStoreError.cursorAhead {
            log("server refuses r\(replica.index)'s cursor \(request.cursor): ahead of its latest change")
            send(.cursorRefused(replica: replica.index))
            return
        } catch {
            throw SimulationFailure(description: "server refused pull from r\(replica.index) after \(request.cursor): \(error)", record: nil)
        }
        var knowledge: [UUID: Knowledge] = [:]
        for record in page.records {
            knowledge[record.id] = oracle.knowledge(of: Oracle.serverParticipant, record.id)
        }
        send(.pullAnswer(replica: replica.index, page: page, knowledge: knowledge))
    }

    // MARK: - Replica side

    private func startSync(_ replica: SimulatedReplica) async throws {
        let timeout: Int64 = 3_000
        if replica.pushSentAt.map({ time.now - $0 > timeout }) ?? true {
            _ = maybeArmCommitCrash(replica.fault)
            let batch: PushBatch?
            do {
                batch = try replica.write { store, db in try store.preparePushBatch(limit: 20, in: db) }
            } catch is SimulatedCrash {
                statistics.commitCrashes += 1
                crashReplica(replica, reason: "killed while storing its push batch")
                return
            }
            replica.fault.disarm()
            if let batch {
                let fresh = oracle.batchKnowledge(batch.batchID) == nil
                oracle.noteBatch(batch.batchID, records: batch.records.map(\.id), from: replica.index)
                if fresh {
                    for record in batch.records where !oracle.knowledge(of: replica.index, record.id).matches(record.version) {
                        throw Violation(
                            invariant: .noLostWrite,
                            message: "r\(replica.index) pushes \(record.id) at \(record.version) but has seen \(oracle.knowledge(of: replica.index, record.id).description)",
                            record: record.id)
                    }
                }
                replica.pushSentAt = time.now
                log("r\(replica.index) sends push \(batchName(batch.batchID))\(fresh ? "" : " again")",
                    records: batch.records.map(\.id))
                send(.push(replica: replica.index, batch: batch))
            }
        }
        if replica.pullSentAt.map({ time.now - $0 > timeout }) ?? true {
            try sendPull(from: replica)
        }
    }

    private func sendPull(from replica: SimulatedReplica) throws {
        let request = try replica.read { store, db in try store.pullRequest(limit: 25, in: db) }
        replica.pullSentAt = time.now
        send(.pull(replica: replica.index, request: request))
    }

    /// What the sync engine does on `invalid_cursor`: start over from the beginning and
    /// push everything again, so a server restored from a backup gets back what it lost.
    private func replicaStartsOver(_ replica: SimulatedReplica) throws {
        guard replica.isUp else { return }
        _ = maybeArmCommitCrash(replica.fault)
        do {
            try replica.write { store, db in try store.resynchroniseFromScratch(in: db) }
        } catch is SimulatedCrash {
            statistics.commitCrashes += 1
            crashReplica(replica, reason: "killed while starting over")
            return
        }
        replica.fault.disarm()
        replica.pushSentAt = nil
        log("r\(replica.index) starts over: cursor to the beginning, every record pending", global: true)
        try sendPull(from: replica)
    }

    private func replicaReceivesPushAnswer(_ result: PushResult, _ replica: SimulatedReplica) throws {
        guard replica.isUp else {
            log("r\(replica.index) down, push answer lost")
            return
        }
        _ = maybeArmCommitCrash(replica.fault)
        do {
            let summary = try replica.write { store, db in try store.acknowledge(result, in: db) }
            acknowledged.append((result.batchID, summary.acknowledged))
            statistics.quarantined += summary.quarantined.count
            log("r\(replica.index) acknowledged push \(batchName(result.batchID))", records: summary.acknowledged + summary.quarantined)
        } catch is SimulatedCrash {
            statistics.commitCrashes += 1
            crashReplica(replica, reason: "killed while recording a push answer")
            return
        } catch SyncStoreError.unknownBatch {
            log("r\(replica.index) ignores a second answer to push \(batchName(result.batchID))")
        }
        replica.fault.disarm()
        replica.pushSentAt = nil
    }

    private func replicaReceivesPage(_ page: PullPage, knowledge: [UUID: Knowledge], _ replica: SimulatedReplica) throws {
        guard replica.isUp else {
            log("r\(replica.index) down, page lost")
            return
        }
        for record in page.records where !replica.serverScope.allows(record.scope) {
            throw Violation(
                invariant: .scope,
                message: "r\(replica.index) (granted \(describe(replica.serverScope))) received \(record.id) of \(record.scope)",
                record: record.id)
        }
        _ = maybeArmCommitCrash(replica.fault)
        let summary: SyncRecordStore.ApplySummary
        let versions: [VersionVector?]
        do {
            (summary, versions) = try replica.write { store, db in
                let summary = try store.applyPulledPage(page, in: db)
                return (summary, try page.records.map { try store.record($0.id, in: db)?.version })
            }
        } catch is SimulatedCrash {
            statistics.commitCrashes += 1
            crashReplica(replica, reason: "killed while merging a pulled page; rolled back")
            return
        }
        replica.fault.disarm()
        deliveredPages.append((replica.index, page))
        if let rejected = summary.quarantined.first {
            throw Violation(
                invariant: .noLostWrite, message: "r\(replica.index) quarantined pulled record \(rejected) instead of merging it",
                record: rejected)
        }
        for (record, version) in zip(page.records, versions) {
            oracle.receive(knowledge[record.id] ?? Knowledge(), of: record.id, by: replica.index)
            let seen = oracle.knowledge(of: replica.index, record.id)
            guard let version, seen.matches(version) else {
                throw Violation(
                    invariant: .noLostWrite,
                    message: "after merging a page r\(replica.index) holds \(record.id) at \(version?.description ?? "nothing"), but has received \(seen.description)",
                    record: record.id)
            }
        }
        if !page.records.isEmpty {
            log("r\(replica.index) merged page up to \(page.nextCursor): changed \(summary.changed.map(short).joined(separator: " "))",
                records: page.records.map(\.id))
        }
        roundPulledRecords += summary.changed.count
        if page.hasMore {
            try sendPull(from: replica)
        } else {
            replica.pullSentAt = nil
        }
    }

    // MARK: - Operations

    private static let registerFields = ["phone", "status", "owner", "note"]
    private static let fieldValues: [FieldValue] = ["a", "b", "c", 1, 2]
    private static let allergens: [FieldValue] = ["penicillin", "latex", "iodine"]

    private enum Intent {
        case create(kind: RecordKind, scope: RecordScope, id: UUID, changes: [String: FieldChange])
        case edit([String: FieldChange])
        case delete
        case restore
        case resolve(field: String, value: FieldValue)
        case resolveDeletion(keep: Bool)

        var summary: String {
            switch self {
            case .create(let kind, let scope, _, let changes): "create \(kind) in \(scope.ward) \(Simulation.describe(changes))"
            case .edit(let changes): "edit \(Simulation.describe(changes))"
            case .delete: "delete"
            case .restore: "restore"
            case .resolve(let field, let value): "resolve \(field) choosing \(value)"
            case .resolveDeletion(let keep): keep ? "resolve deletion: keep" : "resolve deletion: confirm delete"
            }
        }
    }

    private func performOperation(on replica: SimulatedReplica) throws {
        let known = oracle.records(knownBy: replica.index)
        var target: SyncRecord?
        if !known.isEmpty && !random.chance(0.15) {
            let id = random.pick(known)
            guard let record = try replica.read({ store, db in try store.record(id, in: db) }) else {
                throw Violation(
                    invariant: .durability, message: "r\(replica.index) lost record \(id) it had committed", record: id)
            }
            if !record.isAppendOnly { target = record }
        }
        let intent = target.map { choose(for: $0) } ?? creation(by: replica)
        try perform(intent, on: target, by: replica)
    }

    private func choose(for record: SyncRecord) -> Intent {
        if record.hasConflicts && random.chance(0.7) {
            let conflict = record.conflicts[0]
            guard let field = conflict.field else { return .resolveDeletion(keep: random.chance(0.5)) }
            let values = conflict.candidates.compactMap(\.value)
            return .resolve(field: field, value: random.chance(0.85) ? random.pick(values) : .string("typed-\(random.int(below: 100))"))
        }
        switch record.deletionState {
        case .deleted:
            return random.chance(0.4) ? .restore : .edit(randomChanges(for: record))
        case .conflicted, .live:
            return random.chance(0.1) ? .delete : .edit(randomChanges(for: record))
        }
    }

    private func randomChanges(for record: SyncRecord?) -> [String: FieldChange] {
        var changes: [String: FieldChange] = [:]
        for _ in 0..<random.int(in: 1...2) {
            if random.chance(0.8) {
                changes[random.pick(Self.registerFields)] = .set(random.pick(Self.fieldValues))
            } else {
                let present = record?.fields["allergies"]?.elements ?? []
                if !present.isEmpty && random.chance(0.5) {
                    changes["allergies"] = .remove(random.pick(present))
                } else {
                    changes["allergies"] = .insert(random.pick(Self.allergens))
                }
            }
        }
        return changes
    }

    private func creation(by replica: SimulatedReplica) -> Intent {
        let scope: RecordScope
        if let revoked = replica.revokedWard, random.chance(0.3) {
            scope = RecordScope(ward: revoked, patient: random.chance(0.5) ? random.pick(wardPatients[revoked]!) : nil)
        } else if replica.localScope.allWards {
            let ward = random.pick(Self.wards)
            scope = RecordScope(ward: ward, patient: random.chance(0.6) ? random.pick(wardPatients[ward]!) : nil)
        } else if !replica.localScope.patients.isEmpty && replica.localScope.wards.isEmpty {
            let patient = random.pick(replica.localScope.patients.sorted { $0.uuidString < $1.uuidString })
            let ward = Self.wards.first { wardPatients[$0]!.contains(patient) }!
            scope = RecordScope(ward: ward, patient: patient)
        } else {
            let ward = random.pick(replica.localScope.wards.sorted())
            scope = RecordScope(ward: ward, patient: random.chance(0.6) ? random.pick(wardPatients[ward]!) : nil)
        }
        let kind: RecordKind = random.chance(0.1) ? .signedFollowUp : random.chance(0.7) ? .followUpTask : .abnormalAlert
        var changes = randomChanges(for: nil)
        changes["status"] = .set("new")
        return .create(kind: kind, scope: scope, id: random.uuid(), changes: changes)
    }

    private func perform(_ intent: Intent, on target: SyncRecord?, by replica: SimulatedReplica) throws {
        let armed = maybeArmCommitCrash(replica.fault)
        let after: SyncRecord
        do {
            after = try replica.write { store, db -> SyncRecord in
                switch intent {
                case .create(let kind, let scope, let id, let changes):
                    return try store.create(kind: kind, scope: scope, id: id, changes: changes, in: db)
                case .edit(let changes): return try store.edit(target!.id, changes, in: db)
                case .delete: return try store.delete(target!.id, in: db)
                case .restore: return try store.restore(target!.id, in: db)
                case .resolve(let field, let value): return try store.resolve(target!.id, field: field, choosing: value, in: db)
                case .resolveDeletion(let keep): return try store.resolveDeletion(target!.id, keepRecord: keep, in: db)
                }
            }
        } catch is SimulatedCrash {
            statistics.commitCrashes += 1
            crashReplica(replica, reason: "killed inside a local edit; rolled back")
            return
        } catch {
            throw SimulationFailure(
                description: "r\(replica.index) could not \(intent.summary) on \(target?.id.uuidString ?? "a new record"): \(error)",
                record: target?.id)
        }
        if armed { replica.fault.disarm() }
        try record(intent, before: target, after: after, by: replica)
    }

    /// Tells the oracle what a committed local operation wrote, and checks the store
    /// wrote what the person asked for.
    private func record(_ intent: Intent, before: SyncRecord?, after: SyncRecord, by replica: SimulatedReplica) throws {
        let id = after.id
        if case .create(_, let scope, _, _) = intent {
            let revoked = replica.revokedWard == scope.ward
            oracle.noteCreated(id, scope: scope, quarantinedFor: revoked ? replica.index : nil)
        }
        let seenBefore = oracle.knowledge(of: replica.index, id)
        if let before, !seenBefore.matches(before.version) {
            throw Violation(
                invariant: .noLostWrite,
                message: "r\(replica.index) holds \(id) at \(before.version) but has received \(seenBefore.description)", record: id)
        }
        let counter = after.version[replica.id]
        guard counter > (before?.version[replica.id] ?? 0) else {
            log("r\(replica.index) \(intent.summary) on \(short(id)): nothing to change", records: [id])
            return
        }
        let dot = Dot(replica: replica.id, counter: counter)
        var effects: [(Slot, OracleWrite.Effect)] = []
        func wrote(_ slot: Slot) -> [SlotValue] {
            switch slot {
            case .field(let name):
                return (after.fields[name]?.siblings.siblings ?? []).filter { $0.dot == dot }.map { .value($0.value) }
            case .lifecycle:
                return after.lifecycle.siblings.filter { $0.dot == dot }.map { .lifecycle($0.value) }
            }
        }
        func lostLocally(_ what: String) -> Violation {
            Violation(invariant: .noLostWrite, message: "r\(replica.index) \(intent.summary) on \(id): \(what)", record: id)
        }
        func fieldChanges(_ changes: [String: FieldChange]) throws {
            for (name, change) in changes.sorted(by: { $0.key < $1.key }) {
                let previous = before?.fields[name]
                switch change {
                case .set(let value):
                    if wrote(.field(name)) == [.value(value)] {
                        effects.append((.field(name), .put(.value(value))))
                    } else if previous?.siblings.distinctValues != [value] {
                        throw lostLocally("\(name) was not set to \(value)")
                    }
                case .insert(let element):
                    if wrote(.field(name)) == [.value(element)] {
                        effects.append((.field(name), .add(element)))
                    } else if !(previous?.elements.contains(element) ?? false) {
                        throw lostLocally("\(element) was not added to \(name)")
                    }
                case .remove(let element):
                    if previous?.elements.contains(element) ?? false {
                        if after.fields[name]?.elements.contains(element) ?? false {
                            throw lostLocally("\(element) is still in \(name)")
                        }
                        effects.append((.field(name), .remove(element)))
                    }
                }
            }
        }
        func lifecycleChange() throws {
            guard let value = wrote(.lifecycle).first else { throw lostLocally("no lifecycle change was stamped") }
            if case .lifecycle(.deleted(let seen)) = value, !seenBefore.matches(seen) {
                throw lostLocally("the deletion remembers \(seen) but the replica had seen \(seenBefore.description)")
            }
            effects.append((.lifecycle, .put(value)))
        }
        switch intent {
        case .create(_, _, _, let changes):
            try fieldChanges(changes)
        case .edit(let changes):
            try fieldChanges(changes)
            if before?.deletionState == .deleted { try lifecycleChange() }
        case .delete, .restore, .resolveDeletion:
            try lifecycleChange()
        case .resolve(let field, let value):
            guard wrote(.field(field)) == [.value(value)] else { throw lostLocally("the chosen value was not stored") }
            effects.append((.field(field), .put(.value(value))))
            statistics.resolutions += 1
        }
        if case .resolveDeletion = intent { statistics.resolutions += 1 }
        oracle.commit(by: replica.index, record: id, dot: dot, effects: effects, step: step)
        log("r\(replica.index) \(intent.summary) on \(short(id)) as \(dot)", records: [id])
    }

    // MARK: - Healing and the final sync

    private var roundPushes = 0
    private var roundPulledRecords = 0

    /// Ends every fault, lets every message in flight arrive, restarts every process,
    /// then syncs everyone until a whole round moves nothing.
    private func healAndSyncEveryone() async throws {
        faultsActive = false
        log("— healing: faults end, partitions heal, every process restarts —", global: true)
        time.advance(by: 10_000)
        for replica in replicas {
            replica.partitionedUntil = 0
            if !replica.isUp { replica.restart(time: time) }
        }
        if !server.isUp { try server.restart() }
        try await drain()
        for round in 1...12 {
            roundPushes = 0
            roundPulledRecords = 0
            for replica in replicas {
                replica.pushSentAt = nil
                replica.pullSentAt = nil
                let before = statistics.messages
                try await startSync(replica)
                if statistics.messages - before > 1 { roundPushes += 1 }
                try await drain()
            }
            if round > 1 && roundPushes == 0 && roundPulledRecords == 0 {
                log("— everyone in sync after \(round) rounds —")
                return
            }
        }
        throw Violation(invariant: .convergence, message: "replicas still exchange changes after 12 full sync rounds", record: nil)
    }

    private func drain() async throws {
        while let message = network.next(dueBy: .max) {
            try await deliver(message)
        }
    }

    // MARK: - Checking the invariants

    private func checkInvariants() async throws {
        let everything = AccessScope(allWards: true)
        let serverRecords = try await server.store.records(scope: everything)
        let serverByID = Dictionary(uniqueKeysWithValues: serverRecords.map { ($0.id, $0) })
        var replicaRecords: [[SyncRecord]] = []
        for replica in replicas {
            replicaRecords.append(try replica.read { store, db in try store.allRecords(in: db) })
        }

        // 1. Convergence: each replica holds exactly the server's records of its scope,
        // apart from its own refused writes, which it keeps in quarantine.
        for (replica, records) in zip(replicas, replicaRecords) {
            let visible = records.filter { oracle.expectedQuarantine[$0.id] != replica.index }
            let expected = serverRecords.filter { replica.serverScope.allows($0.scope) }
            if StateHash.of(visible) != StateHash.of(expected) {
                let mine = Dictionary(uniqueKeysWithValues: visible.map { ($0.id, $0) })
                let differing = expected.first { mine[$0.id] != $0 }?.id
                    ?? visible.first { serverByID[$0.id] == nil }?.id
                violations.append(Violation(
                    invariant: .convergence,
                    message: "r\(replica.index) differs from the server\(differing.map { " on record \($0)" } ?? "")"
                        + (differing.map { " — r\(replica.index): \(mine[$0].map(describe) ?? "missing"); server: \(serverByID[$0].map(describe) ?? "missing")" } ?? ""),
                    record: differing))
            }
        }

        // 2 and 3. Every record against the writes the oracle saw committed.
        for id in oracle.writes.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
            if let author = oracle.expectedQuarantine[id] {
                let replica = replicas[author]
                if serverByID[id] != nil {
                    violations.append(Violation(
                        invariant: .scope, message: "server accepted \(id), written by r\(author) outside its scope", record: id))
                }
                let entries = try replica.read { store, db in try store.quarantine(includingDismissed: false, in: db) }
                if !entries.contains(where: { $0.recordID == id && $0.reason == .outOfScope }) {
                    violations.append(Violation(
                        invariant: .noLostWrite, message: "r\(author)'s refused write of \(id) is not in its quarantine", record: id))
                }
                guard let local = replicaRecords[author].first(where: { $0.id == id }) else {
                    violations.append(Violation(
                        invariant: .noLostWrite, message: "r\(author) no longer holds its refused record \(id)", record: id))
                    continue
                }
                compare(local, where: "r\(author)")
                continue
            }
            guard let stored = serverByID[id] else {
                violations.append(Violation(
                    invariant: .noLostWrite, message: "record \(id) was written but the server does not hold it", record: id))
                continue
            }
            compare(stored, where: "the server")
        }
        statistics.openConflicts = serverRecords.reduce(0) { $0 + $1.conflicts.count }

        // 4. Idempotence: replaying what was delivered changes nothing.
        try await checkReplays(serverRecords: serverRecords, replicaRecords: replicaRecords)

        // 5. Durability: acknowledged writes are on the server; every file is sound.
        for (batchID, records) in acknowledged {
            guard let sent = oracle.batchKnowledge(batchID) else { continue }
            for id in records {
                guard let knowledge = sent[id], let stored = serverByID[id] else { continue }
                if !knowledge.counters.allSatisfy({ stored.version[$0.key] >= $0.value }) {
                    violations.append(Violation(
                        invariant: .durability,
                        message: "push \(batchID) of \(id) was acknowledged, but the server's copy \(stored.version) lacks \(knowledge.description)",
                        record: id))
                }
            }
        }
        let serverCheck = try server.integrityCheck()
        if serverCheck != ["ok"] {
            violations.append(Violation(invariant: .durability, message: "server integrity_check: \(serverCheck)", record: nil))
        }
        for replica in replicas {
            let check = try replica.read { _, db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            if check != ["ok"] {
                violations.append(Violation(invariant: .durability, message: "r\(replica.index) integrity_check: \(check)", record: nil))
            }
        }

        // 6. Scope: no replica holds another ward's record, and the server holds no write
        // by a replica outside that replica's scope.
        for (replica, records) in zip(replicas, replicaRecords) {
            for record in records where !replica.serverScope.allows(record.scope) && oracle.expectedQuarantine[record.id] != replica.index {
                violations.append(Violation(
                    invariant: .scope, message: "r\(replica.index) holds \(record.id) of \(record.scope), outside its scope",
                    record: record.id))
            }
        }
        let scopeOf = Dictionary(uniqueKeysWithValues: replicas.map { ($0.id, $0.serverScope) })
        for record in serverRecords {
            for dot in record.allDots {
                guard let scope = scopeOf[dot.replica] else { continue }
                if !scope.allows(record.scope) {
                    violations.append(Violation(
                        invariant: .scope, message: "server holds \(dot) on \(record.id) of \(record.scope), outside \(dot.replica)'s scope",
                        record: record.id))
                }
            }
        }
    }

    /// Compares one stored record with what its writes say it must hold.
    private func compare(_ actual: SyncRecord, where holder: String) {
        let id = actual.id
        let expected = oracle.expectedSlots(of: id)
        var held: [Slot: Set<ExpectedSibling>] = [:]
        for (name, field) in actual.fields {
            for sibling in field.siblings.siblings {
                held[.field(name), default: []].insert(ExpectedSibling(dot: sibling.dot, value: .value(sibling.value)))
            }
        }
        for sibling in actual.lifecycle.siblings {
            held[.lifecycle, default: []].insert(ExpectedSibling(dot: sibling.dot, value: .lifecycle(sibling.value)))
        }
        for slot in Set(expected.keys).union(held.keys).sorted() {
            let want = expected[slot] ?? [], have = held[slot] ?? []
            if case .field(let name) = slot, actual.fields[name]?.kind != .addWinsSet {
                let distinct = Set(want.map(\.value)).count
                let conflicted = actual.fields[name]?.isConflicted ?? false
                if distinct > 1 && !conflicted {
                    violations.append(Violation(
                        invariant: .noSilentOverwrite,
                        message: "\(holder) shows \(slot) of \(id) as \(actual[name]?.description ?? "empty") without a conflict, but concurrent writes \(want.sorted { $0.dot < $1.dot }) all survive",
                        record: id))
                } else if distinct == 1 && conflicted {
                    violations.append(Violation(
                        invariant: .noSilentOverwrite,
                        message: "\(holder) shows equal concurrent values of \(slot) of \(id) as a conflict", record: id))
                }
            }
            for missing in want.subtracting(have).sorted(by: { $0.dot < $1.dot }) {
                violations.append(Violation(
                    invariant: .noLostWrite,
                    message: "\(holder) lost \(missing) in \(slot) of \(id) (holds \(have.sorted { $0.dot < $1.dot }))",
                    record: id))
            }
            for extra in have.subtracting(want).sorted(by: { $0.dot < $1.dot }) {
                let coveredBy = oracle.isCovered(extra.dot, in: slot, of: id)
                violations.append(Violation(
                    invariant: .noLostWrite,
                    message: coveredBy.map { "\(holder) brought back \(extra) in \(slot) of \(id), covered by \($0.dot)" }
                        ?? "\(holder) holds \(extra) in \(slot) of \(id), which no one wrote",
                    record: id))
            }
        }
        // A delete hides a record only when it had seen every value still there; an
        // update (or restore) it had not seen makes it a conflict for a person, never a
        // silent deletion. Judged from the writers' knowledge, not the stored tombstone.
        let lifecycle = expected[.lifecycle] ?? []
        let deletions = lifecycle.filter { if case .lifecycle(.deleted) = $0.value { true } else { false } }
        var expectedState = DeletionState.live
        if !deletions.isEmpty {
            var seenByDeletions = Knowledge()
            for deletion in deletions {
                if let write = oracle.write(deletion.dot, of: id) { seenByDeletions.join(write.context) }
            }
            let unseenUpdate = expected.contains { slot, siblings in
                slot != .lifecycle && siblings.contains { !seenByDeletions.covers($0.dot) }
            }
            expectedState = deletions.count < lifecycle.count || unseenUpdate ? .conflicted : .deleted
        }
        if actual.deletionState != expectedState {
            violations.append(Violation(
                invariant: expectedState == .conflicted ? .noSilentOverwrite : .noLostWrite,
                message: "\(holder) shows \(id) as \(actual.deletionState.rawValue), but its writes make it \(expectedState.rawValue)",
                record: id))
        }

        let version = oracle.expectedVersion(of: id)
        if !version.matches(actual.version) {
            violations.append(Violation(
                invariant: .noLostWrite,
                message: "\(holder) has \(id) at version \(actual.version), but its writes make \(version.description)", record: id))
        }
    }

    private func checkReplays(serverRecords: [SyncRecord], replicaRecords: [[SyncRecord]]) async throws {
        let everything = AccessScope(allWards: true)
        let serverHash = StateHash.of(serverRecords)
        // About 50 of each, spread over the run, so replays stay cheap on long runs.
        let pushStride = max(1, deliveredPushes.count / 50)
        for (replica, batch) in stride(from: 0, to: deliveredPushes.count, by: pushStride).map({ deliveredPushes[$0] }) {
            let scope = replicas[replica].serverScope
            _ = try await server.applyPush(batch, scope: scope)
            let renamed = PushBatch(batchID: random.uuid(), replica: batch.replica, records: batch.records)
            _ = try await server.applyPush(renamed, scope: scope)
        }
        let replayed = try await server.store.records(scope: everything)
        if StateHash.of(replayed) != serverHash {
            let before = Dictionary(uniqueKeysWithValues: serverRecords.map { ($0.id, $0) })
            let changed = replayed.first { before[$0.id] != $0 }?.id
            violations.append(Violation(
                invariant: .idempotence, message: "replaying delivered push batches changed the server\(changed.map { " (record \($0))" } ?? "")",
                record: changed))
        }
        let pageStride = max(1, deliveredPages.count / 50)
        for (replica, page) in stride(from: 0, to: deliveredPages.count, by: pageStride).map({ deliveredPages[$0] }) {
            _ = try replicas[replica].write { store, db in try store.applyPulledPage(page, in: db) }
        }
        for (replica, before) in zip(replicas, replicaRecords) {
            let after = try replica.read { store, db in try store.allRecords(in: db) }
            if StateHash.of(after) != StateHash.of(before) {
                let old = Dictionary(uniqueKeysWithValues: before.map { ($0.id, $0) })
                let changed = after.first { old[$0.id] != $0 }?.id
                violations.append(Violation(
                    invariant: .idempotence, message: "replaying delivered pages changed r\(replica.index)\(changed.map { " (record \($0))" } ?? "")",
                    record: changed))
            }
        }
    }

    // MARK: - Trace

    private func log(_ text: String, records: [UUID] = [], global: Bool = false) {
        let line = TraceLine(step: step, time: time.now, text: text, records: records, global: global)
        trace.append(line)
        if options.verbose { print(format(line)) }
    }

    func format(_ line: TraceLine) -> String {
        "  step \(line.step) t+\(line.time - 1_795_000_000_000)ms: \(line.text)"
    }

    /// The events that touched `record` (or the last events, when the violation names
    /// none): the shortest story of how it broke.
    func minimalTrace(for record: UUID?, limit: Int = 60) -> [String] {
        let relevant = record.map { id in trace.filter { $0.global || $0.records.contains(id) } } ?? trace
        return relevant.suffix(limit).map(format)
    }

    func short(_ id: UUID) -> String { String(id.uuidString.prefix(8)) }

    /// Batch ids are drawn by the client store, not by the simulation's generator, so
    /// traces name batches by the order they were first seen: b1, b2… — the same on
    /// every replay of a seed.
    private var batchNames: [UUID: String] = [:]

    private func batchName(_ id: UUID) -> String {
        if let name = batchNames[id] { return name }
        let name = "b\(batchNames.count + 1)"
        batchNames[id] = name
        return name
    }

    private func describe(_ scope: AccessScope) -> String {
        if scope.allWards { return "all wards" }
        return (scope.wards.sorted() + scope.patients.map { "patient \(short($0))" }.sorted()).joined(separator: ", ")
    }

    private func describe(_ record: SyncRecord) -> String {
        let fields = record.fields.sorted { $0.key < $1.key }.map { name, field in
            "\(name)=" + field.siblings.siblings.map { "\($0.value)@\($0.dot)" }.joined(separator: "|")
        }
        return "\(record.version) \(record.deletionState.rawValue) " + fields.joined(separator: " ")
    }

    static func describe(_ changes: [String: FieldChange]) -> String {
        changes.sorted { $0.key < $1.key }.map { name, change in
            switch change {
            case .set(let value): "\(name)=\(value)"
            case .insert(let element): "\(name)+=\(element)"
            case .remove(let element): "\(name)-=\(element)"
            }
        }.joined(separator: " ")
    }
}
