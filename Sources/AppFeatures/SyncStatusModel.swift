import ClientSync
import Foundation

/// What the header bar's sync area says, always current.
///
/// With a signed-in profile it follows the sync engine (up to date / N changes waiting /
/// offline since T / syncing with progress / error / conflicts). Without a login but with
/// a server address it tells whether that server is reachable, so a nurse knows what
/// signing in would do.
@MainActor
public final class SyncStatusModel {
    public enum Status: Sendable, Equatable {
        case localOnly
        case checking(server: String)
        case reachable(server: String, health: ServerHealth)
        case unreachable(server: String, since: Date, reason: String)
        case engine(SyncStatus)
    }

    public private(set) var status: Status
    public var onChange: (@MainActor (Status) -> Void)?
    private let engine: SyncEngine?
    private let endpoint: ServerEndpoint?
    private var offlineSince: Date?
    private var monitorTask: Task<Void, Never>?

    public init(engine: SyncEngine?, endpoint: ServerEndpoint?) {
        self.engine = engine
        self.endpoint = endpoint
        if let engine {
            status = .engine(engine.status)
        } else {
            status = endpoint.map { .checking(server: $0.displayName) } ?? .localOnly
        }
    }

    /// Starts following the engine (and starts it), or polling the server's health.
    public func start() {
        if let engine {
            engine.observe { [weak self] status in
                Task { @MainActor [weak self] in self?.publish(.engine(status)) }
            }
            engine.start()
        } else if endpoint != nil {
            monitorTask = Task { [weak self] in
                while !Task.isCancelled {
                    await self?.refresh()
                    try? await Task.sleep(for: .seconds(15))
                }
            }
        }
    }

    public func stop() {
        engine?.stop()
        monitorTask?.cancel()
    }

    /// "Sync now": try at once, whatever the backoff says.
    public func syncNow() {
        engine?.syncSoon()
        if engine == nil { Task { await refresh() } }
    }

    /// Checks the server once, off the main thread (without a login).
    public func refresh() async {
        guard let endpoint else { return }
        let result = await Task.detached { () -> Result<ServerHealth, TransportError> in
            do throws(TransportError) { return .success(try endpoint.checkHealth()) } catch { return .failure(error) }
        }.value
        switch result {
        case .success(let health):
            offlineSince = nil
            publish(.reachable(server: endpoint.displayName, health: health))
        case .failure(let error):
            let since = offlineSince ?? Date()
            offlineSince = since
            publish(.unreachable(server: endpoint.displayName, since: since, reason: Self.reason(error)))
        }
    }

    public var text: String {
        switch status {
        case .localOnly: "Local only — no sync server set"
        case .checking(let server): "Checking \(server)…"
        case .reachable(let server, _): "Not signed in — \(server) online"
        case .unreachable(_, let since, let reason):
            "Offline since \(since.formatted(date: .omitted, time: .shortened)) — \(reason)"
        case .engine(let status): status.summary
        }
    }

    /// A longer explanation for the tooltip.
    public var detail: String {
        switch status {
        case .engine(let status):
            var lines = [status.summary]
            if case .offline(_, let reason) = status.phase { lines.append("Reason: \(reason)") }
            if let last = status.lastSynced { lines.append("Last synced \(last.formatted(date: .abbreviated, time: .shortened))") }
            if status.pendingChanges > 0 { lines.append("Changes waiting stay on this device until the server has them.") }
            return lines.joined(separator: "\n")
        default:
            return text
        }
    }

    public enum Tone: Sendable { case good, busy, warning, neutral }

    public var tone: Tone {
        switch status {
        case .localOnly, .checking: .neutral
        case .reachable: .neutral
        case .unreachable: .warning
        case .engine(let status):
            switch status.phase {
            case .idle: status.conflicts > 0 || status.quarantined > 0 ? .warning : .good
            case .syncing: .busy
            case .offline, .failed, .signedOut: .warning
            }
        }
    }

    private func publish(_ newStatus: Status) {
        guard newStatus != status else { return }
        status = newStatus
        onChange?(newStatus)
    }

    private static func reason(_ error: TransportError) -> String {
        switch error {
        case .network(_, let reason): reason.lowercased()
        case .server(_, let status, _, _): "server error \(status)"
        case .data: "unexpected answer from the server"
        case .cancelled: "check cancelled"
        }
    }
}
