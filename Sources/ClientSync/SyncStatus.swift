import Foundation

/// How far the current sync round has got.
public struct SyncProgress: Sendable, Equatable {
    public enum Step: String, Sendable { case pushing, pulling, uploading, downloading }
    public var step: Step
    public var recordsPushed = 0
    public var recordsPulled = 0
    public var bytesSent: Int64 = 0
    public var bytesReceived: Int64 = 0

    public init(step: Step) { self.step = step }
}

/// What the engine is doing, for the header bar and `homeward-tool status`.
public struct SyncStatus: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// No login on this profile: edits stay local.
        case signedOut
        /// Waiting for the next round.
        case idle
        case syncing(SyncProgress)
        /// The server cannot be reached; edits keep waiting on the device.
        case offline(since: Date, reason: String)
        /// The server refused the round for a reason retrying will not fix by itself.
        case failed(reason: String)
    }

    public var phase: Phase
    /// Local changes the server has not acknowledged yet.
    public var pendingChanges: Int
    /// True conflicts waiting for a person.
    public var conflicts: Int
    /// Writes the server refused, kept on the device until someone acts.
    public var quarantined: Int
    public var lastSynced: Date?

    public init(phase: Phase, pendingChanges: Int = 0, conflicts: Int = 0, quarantined: Int = 0, lastSynced: Date? = nil) {
        self.phase = phase
        self.pendingChanges = pendingChanges
        self.conflicts = conflicts
        self.quarantined = quarantined
        self.lastSynced = lastSynced
    }

    /// One line for people, e.g. "Offline since 14:02 — 3 changes waiting".
    public var summary: String {
        let waiting = pendingChanges == 1 ? "1 change waiting" : "\(pendingChanges) changes waiting"
        var text: String
        switch phase {
        case .signedOut:
            text = pendingChanges > 0 ? "Not signed in — \(waiting)" : "Not signed in"
        case .idle:
            text = pendingChanges > 0 ? waiting : "Up to date"
        case .syncing(let progress):
            text = "Syncing…"
            let records = progress.recordsPushed + progress.recordsPulled
            if records > 0 { text += " \(records) record\(records == 1 ? "" : "s")" }
            let bytes = progress.bytesSent + progress.bytesReceived
            if bytes > 0 { text += ", " + ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file) }
        case .offline(let since, _):
            text = "Offline since \(since.formatted(date: .omitted, time: .shortened))"
            if pendingChanges > 0 { text += " — \(waiting)" }
        case .failed(let reason):
            text = "Sync failed: \(reason)"
        }
        if conflicts > 0 { text += conflicts == 1 ? " · 1 conflict" : " · \(conflicts) conflicts" }
        if quarantined > 0 { text += " · \(quarantined) refused" }
        return text
    }
}
