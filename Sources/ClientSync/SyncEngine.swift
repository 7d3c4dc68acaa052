import ClientStore
import Foundation
import GRDB
import SyncCore

/// What one sync round did.
public struct SyncReport: Sendable, Equatable {
    public var pushedRecords = 0
    public var refusedRecords = 0
    public var pulledRecords = 0
    public var changedRecords = 0
    public var quarantinedRecords = 0
    public var bytesSent: Int64 = 0
    public var bytesReceived: Int64 = 0
}

/// When rounds run.
public struct SyncSchedule: Sendable {
    /// A round at least this often while online.
    public var interval: Duration = .seconds(60)
    /// Wait after the first failure; doubles per failure up to `maximumBackoff`.
    public var initialBackoff: Duration = .seconds(2)
    public var maximumBackoff: Duration = .seconds(300)
    /// Local edits wait this long so a burst of typing makes one round.
    public var editDebounce: Duration = .milliseconds(500)
    public var pushBatchSize = 200
    public var pullPageSize = 500
    public init() {}

    /// The wait before attempt `failures + 1`: exponential, capped, with full jitter in
    /// [half, whole] so a ward's workstations do not all retry in the same second.
    public func backoff(afterFailures failures: Int, random: Double) -> Duration {
        let exponent = min(failures - 1, 20)
        let base = Double(initialBackoff.components.seconds) * pow(2, Double(max(0, exponent)))
        let capped = min(base, Double(maximumBackoff.components.seconds))
        return .milliseconds(Int64(capped * (0.5 + 0.5 * random) * 1000))
    }
}

/// Why a round stopped.
public enum SyncError: Error, Equatable, CustomStringConvertible {
    case notSignedIn
    case sessionExpired
    case transport(TransportError)
    case store(String)

    public var description: String {
        switch self {
        case .notSignedIn: "not signed in: log in to sync"
        case .sessionExpired: "the login has expired: log in again (your changes stay on this device)"
        case .transport(let error): error.description
        case .store(let message): "local database: \(message)"
        }
    }
}

/// Pushes local changes and pulls everyone else's, in the background.
///
/// A round pushes every pending batch (a batch whose answer was lost is resent with its
/// batch id, so the server applies it once), then pulls pages since the stored cursor and
/// merges each page with its cursor in one local transaction. Rounds run when edits
/// happen (``requestSync()``), on a timer, and after a failure with exponential backoff
/// and jitter; ``stop()`` cancels the transfer in progress.
///
/// Blocking network work runs on the engine's own thread, never the main thread; status
/// changes are delivered through ``onStatus`` from that thread.
public final class SyncEngine: @unchecked Sendable {
    public let database: ClientDatabase
    public let schedule: SyncSchedule
    private let options: TransportOptions
    private let records: SyncRecordStore
    private let condition = NSCondition()
    private var thread: Thread?
    private var running = false
    private var wakeRequested = false
    private var editRequested = false
    private var failures = 0
    private var offlineSince: Date?
    private var currentClient: SyncServerClient?
    private var _status: SyncStatus
    private var observer: (@Sendable (SyncStatus) -> Void)?

    public init(database: ClientDatabase, schedule: SyncSchedule = SyncSchedule(), options: TransportOptions = TransportOptions()) {
        self.database = database
        self.schedule = schedule
        self.options = options
        records = database.syncRecords
        _status = SyncStatus(phase: .signedOut)
        _status = (try? currentCounts(phase: initialPhase())) ?? _status
    }

    /// The latest status.
    public var status: SyncStatus { condition.withLock { _status } }

    /// Called with every status change, on the engine's thread.
    public func observe(_ handler: @escaping @Sendable (SyncStatus) -> Void) {
        condition.withLock { observer = handler }
        handler(status)
    }

    // MARK: - Login

    /// Logs in, stores the account and the user's scope, and gives the database its
    /// replica id if it has none.
    public func login(server: ServerEndpoint, username: String, password: String) throws(SyncError) -> LoginResponse {
        let replica: ReplicaID
        do { replica = try database.writer.write { db in try records.replicaID(in: db) } } catch {
            throw .store(String(describing: error))
        }
        let response: LoginResponse
        do {
            let client = try SyncServerClient(endpoint: server, options: options)
            response = try client.login(LoginRequest(username: username, password: password, replica: replica))
        } catch { throw .transport(error) }
        do {
            try database.accounts.save(
                SyncAccount(serverURL: server.baseURL, username: username, token: response.token,
                            expiresAt: response.expiresAt, serverReplica: response.serverReplica),
                scope: response.scope, records: records)
        } catch { throw .store(String(describing: error)) }
        publish(phase: .idle)
        return response
    }

    // MARK: - Background operation

    /// Starts the background loop. Idempotent.
    public func start() {
        condition.withLock {
            guard !running else { return }
            running = true
            wakeRequested = true
            let thread = Thread { [weak self] in self?.loop() }
            thread.name = "homeward-sync"
            self.thread = thread
            thread.start()
        }
    }

    /// Stops the loop and cancels the transfer in progress; what was committed stays.
    public func stop() {
        condition.withLock {
            running = false
            currentClient?.cancellation.cancel()
            condition.broadcast()
        }
    }

    /// Local data changed: sync soon (after a short debounce), unless backing off.
    public func requestSync() {
        condition.withLock {
            editRequested = true
            condition.broadcast()
        }
        refreshCounts()
    }

    /// The network came back (or the user pressed "Sync now"): try at once, resetting backoff.
    public func syncSoon() {
        condition.withLock {
            failures = 0
            wakeRequested = true
            condition.broadcast()
        }
    }

    private func loop() {
        var nextRound = Date()
        while true {
            condition.lock()
            while running && !wakeRequested && Date() < nextRound {
                if editRequested && failures == 0 {
                    editRequested = false
                    nextRound = min(nextRound, Date().addingTimeInterval(schedule.editDebounce.seconds))
                }
                condition.wait(until: nextRound)
            }
            let shouldRun = running
            wakeRequested = false
            editRequested = false
            condition.unlock()
            guard shouldRun else { return }

            do {
                _ = try runRound()
                condition.withLock { failures = 0 }
                nextRound = Date().addingTimeInterval(schedule.interval.seconds)
            } catch {
                let failureCount = condition.withLock { () -> Int in failures += 1; return failures }
                let wait = schedule.backoff(afterFailures: failureCount, random: Double.random(in: 0...1))
                nextRound = Date().addingTimeInterval(wait.seconds)
                if error == .notSignedIn || error == .sessionExpired {
                    nextRound = .distantFuture  // until someone logs in again
                }
            }
        }
    }

    // MARK: - One round

    /// Runs one round now, on the calling thread (homeward-tool, tests). Publishes status
    /// as the background loop does.
    @discardableResult
    public func syncNow(progress: (@Sendable (SyncProgress) -> Void)? = nil) throws(SyncError) -> SyncReport {
        try runRound(progress: progress)
    }

    private func runRound(progress onProgress: (@Sendable (SyncProgress) -> Void)? = nil) throws(SyncError) -> SyncReport {
        let account: SyncAccount
        do {
            guard let stored = try database.accounts.account(), !stored.token.isEmpty else {
                publish(phase: .signedOut)
                throw SyncError.notSignedIn
            }
            account = stored
        } catch let error as SyncError { throw error } catch { throw .store(String(describing: error)) }
        if account.isExpired() {
            publish(phase: .signedOut)
            throw .sessionExpired
        }

        let client: SyncServerClient
        do {
            client = try SyncServerClient(endpoint: try ServerEndpoint(account.serverURL), options: options)
        } catch { throw .transport(error) }
        client.token = account.token
        condition.withLock { currentClient = client }
        defer { condition.withLock { currentClient = nil } }

        var report = SyncReport()
        var progress = SyncProgress(step: .pushing)
        let reportProgress: @Sendable (SyncProgress) -> Void = { [weak self] progress in
            self?.publish(phase: .syncing(progress))
            onProgress?(progress)
        }
        reportProgress(progress)
        do {
            // Recordings first, so a record that refers to one never reaches others
            // before its audio can be downloaded.
            progress.step = .uploading
            try uploadRecordings(client, &report, &progress, reportProgress)
            progress.step = .pushing
            reportProgress(progress)
            try push(client, &report, &progress, reportProgress)
            progress.step = .pulling
            reportProgress(progress)
            try pull(client, &report, &progress, reportProgress)
            progress.step = .downloading
            try downloadRecordings(client, &report, &progress, reportProgress)
        } catch {
            fail(error)
            throw error
        }
        try? database.accounts.recordSuccess(at: Date())
        condition.withLock { offlineSince = nil }
        publish(phase: .idle)
        return report
    }

    private func push(
        _ client: SyncServerClient, _ report: inout SyncReport, _ progress: inout SyncProgress,
        _ reportProgress: @escaping @Sendable (SyncProgress) -> Void
    ) throws(SyncError) {
        while true {
            let batch: PushBatch?
            do {
                batch = try database.writer.write { db in try records.preparePushBatch(limit: schedule.pushBatchSize, in: db) }
            } catch { throw .store(String(describing: error)) }
            guard let batch else { return }
            let before = progress
            let transferred = TransferTally()
            let result: PushResult
            do {
                result = try client.push(batch) { sent, received in
                    transferred.record(sent: sent, received: received)
                    var snapshot = before
                    snapshot.bytesSent = before.bytesSent + sent
                    reportProgress(snapshot)
                }
            } catch { throw map(error) }
            progress.bytesSent += transferred.sent
            report.bytesSent += transferred.sent
            let summary: SyncRecordStore.AcknowledgeSummary
            do {
                summary = try database.writer.write { db in try records.acknowledge(result, in: db) }
            } catch { throw .store(String(describing: error)) }
            report.pushedRecords += batch.records.count
            report.refusedRecords += summary.quarantined.count
            progress.recordsPushed += batch.records.count
            reportProgress(progress)
        }
    }

    private func pull(
        _ client: SyncServerClient, _ report: inout SyncReport, _ progress: inout SyncProgress,
        _ reportProgress: @escaping @Sendable (SyncProgress) -> Void
    ) throws(SyncError) {
        var restarted = false
        while true {
            let request: PullRequest
            do { request = try database.writer.read { db in try records.pullRequest(limit: schedule.pullPageSize, in: db) } } catch {
                throw .store(String(describing: error))
            }
            let page: PullPage
            let transferred = TransferTally()
            let before = progress
            do {
                page = try client.pull(request) { sent, received in
                    transferred.record(sent: sent, received: received)
                    var snapshot = before
                    snapshot.bytesReceived = before.bytesReceived + received
                    reportProgress(snapshot)
                }
            } catch let error {
                // The server was restored from a backup behind our cursor: start over and
                // push everything we hold, so nothing the backup lost stays lost.
                if case .server(_, 409, _, "invalid_cursor") = error, !restarted {
                    restarted = true
                    do { try database.writer.write { db in try records.resynchroniseFromScratch(in: db) } } catch {
                        throw .store(String(describing: error))
                    }
                    try push(client, &report, &progress, reportProgress)
                    continue
                }
                throw map(error)
            }
            let summary: SyncRecordStore.ApplySummary
            do {
                summary = try database.writer.write { db in try records.applyPulledPage(page, in: db) }
            } catch { throw .store(String(describing: error)) }
            progress.bytesReceived += transferred.received
            report.bytesReceived += transferred.received
            report.pulledRecords += page.records.count
            report.changedRecords += summary.changed.count
            report.quarantinedRecords += summary.quarantined.count
            progress.recordsPulled += page.records.count
            reportProgress(progress)
            if !page.hasMore { return }
        }
    }

    /// Sends every recording the server does not hold completely, resuming each from what
    /// the server reports having, one chunk per request.
    private func uploadRecordings(
        _ client: SyncServerClient, _ report: inout SyncReport, _ progress: inout SyncProgress,
        _ reportProgress: @escaping @Sendable (SyncProgress) -> Void
    ) throws(SyncError) {
        let attachments = database.attachments
        let pending: [StoredAttachment]
        do { pending = try attachments.pendingUploads() } catch { throw .store(String(describing: error)) }
        for attachment in pending {
            var offset: Int64
            do {
                let status = try client.attachmentStatus(sha256: attachment.sha256)
                if let status, status.complete {
                    try? attachments.recordUploaded(attachment.sha256, bytes: attachment.size, complete: true)
                    continue
                }
                offset = status?.receivedBytes ?? 0
            } catch { throw map(error) }
            while offset < attachment.size {
                let chunk: Data
                do { chunk = try attachments.bytes(of: attachment.sha256, from: offset) } catch {
                    throw .store(String(describing: error))
                }
                let status: AttachmentStatus
                do {
                    status = try client.uploadChunk(
                        sha256: attachment.sha256, totalSize: attachment.size, data: chunk, offset: offset)
                } catch { throw map(error) }
                progress.bytesSent += Int64(chunk.count)
                report.bytesSent += Int64(chunk.count)
                reportProgress(progress)
                offset = status.receivedBytes
                do { try attachments.recordUploaded(attachment.sha256, bytes: offset, complete: status.complete) } catch {
                    throw .store(String(describing: error))
                }
                if status.complete { break }
            }
        }
    }

    /// Fetches the audio of recordings other people made, chunk by chunk; each chunk is
    /// committed on its own, so a cut resumes where it stopped.
    private func downloadRecordings(
        _ client: SyncServerClient, _ report: inout SyncReport, _ progress: inout SyncProgress,
        _ reportProgress: @escaping @Sendable (SyncProgress) -> Void
    ) throws(SyncError) {
        let attachments = database.attachments
        let pending: [StoredAttachment]
        do { pending = try attachments.pendingDownloads() } catch { throw .store(String(describing: error)) }
        for attachment in pending {
            var offset = attachment.storedBytes
            while offset < attachment.size {
                let length = min(Int64(AttachmentStore.chunkSize), attachment.size - offset)
                let chunk: Data
                do {
                    chunk = try client.downloadChunk(sha256: attachment.sha256, offset: offset, length: length)
                } catch {
                    // Not on the server yet (its author has not synced): try next round.
                    if case .server(_, 404, _, _) = error { break }
                    throw map(error)
                }
                guard Int64(chunk.count) == length else {
                    throw .transport(.data(url: "attachment \(attachment.sha256.prefix(12))", reason: "a short chunk arrived"))
                }
                do {
                    offset = try attachments.appendDownloaded(chunk, to: attachment.sha256, at: offset).storedBytes
                } catch let error as AttachmentError {
                    // A damaged download was discarded; the next round starts it again.
                    throw .store(error.description)
                } catch { throw .store(String(describing: error)) }
                progress.bytesReceived += length
                report.bytesReceived += length
                reportProgress(progress)
            }
        }
    }

    private func map(_ error: TransportError) -> SyncError {
        if case .server(_, 401, _, _) = error {
            try? database.accounts.forgetToken()
            return .sessionExpired
        }
        return .transport(error)
    }

    private func fail(_ error: SyncError) {
        switch error {
        case .transport(let transport) where transport.isTransient:
            let since = condition.withLock { () -> Date in
                let since = offlineSince ?? Date()
                offlineSince = since
                return since
            }
            let reason: String
            if case .network(_, let why) = transport { reason = why } else { reason = transport.description }
            publish(phase: .offline(since: since, reason: reason))
        case .transport(.cancelled):
            publish(phase: .idle)
        case .notSignedIn, .sessionExpired:
            publish(phase: .signedOut)
        default:
            publish(phase: .failed(reason: error.description))
        }
    }

    // MARK: - Status

    private func initialPhase() throws -> SyncStatus.Phase {
        guard let account = try database.accounts.account(), !account.token.isEmpty, !account.isExpired() else { return .signedOut }
        return .idle
    }

    private func currentCounts(phase: SyncStatus.Phase) throws -> SyncStatus {
        let lastSynced = try database.accounts.lastSyncedAt()
        return try database.writer.read { db in
            SyncStatus(
                phase: phase,
                pendingChanges: try records.pendingRecordIDs(in: db).count,
                conflicts: try records.conflicts(in: db).count,
                quarantined: try records.quarantine(includingDismissed: false, in: db).count,
                lastSynced: lastSynced)
        }
    }

    private func refreshCounts() {
        publish(phase: status.phase)
    }

    private func publish(phase: SyncStatus.Phase) {
        let counted: SyncStatus
        if case .syncing = phase {
            // Counting would read the database on every progress tick; keep the last counts.
            counted = condition.withLock { var copy = _status; copy.phase = phase; return copy }
        } else {
            counted = (try? currentCounts(phase: phase)) ?? SyncStatus(phase: phase)
        }
        let handler = condition.withLock { () -> (@Sendable (SyncStatus) -> Void)? in
            guard counted != _status else { return nil }
            _status = counted
            return observer
        }
        handler?(counted)
    }
}

/// The latest byte counts of one transfer, written from libcurl's progress callback.
private final class TransferTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: (Int64, Int64) = (0, 0)
    func record(sent: Int64, received: Int64) { lock.withLock { counts = (sent, received) } }
    var sent: Int64 { lock.withLock { counts.0 } }
    var received: Int64 { lock.withLock { counts.1 } }
}

extension Duration {
    var seconds: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
