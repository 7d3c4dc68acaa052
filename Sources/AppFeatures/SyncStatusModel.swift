import ClientSync
import Foundation

/// What the header bar's sync area says, kept current by polling the server.
///
/// This round the client does not push or pull yet (that is the sync engine's issue);
/// it tells the nurse honestly whether the server is reachable and, when not, since when.
@MainActor
public final class SyncStatusModel {
    public enum Status: Sendable, Equatable {
        case localOnly
        case checking(server: String)
        case online(server: String, health: ServerHealth)
        case offline(server: String, since: Date, reason: String)
    }

    public private(set) var status: Status
    public var onChange: (@MainActor (Status) -> Void)?
    private let endpoint: ServerEndpoint?
    private var offlineSince: Date?

    public init(endpoint: ServerEndpoint?) {
        self.endpoint = endpoint
        status = endpoint.map { .checking(server: $0.displayName) } ?? .localOnly
    }

    /// Checks the server once, off the main thread, and publishes the result.
    public func refresh() async {
        guard let endpoint else { return }
        let result = await Task.detached { () -> Result<ServerHealth, TransportError> in
            do throws(TransportError) { return .success(try endpoint.checkHealth()) } catch { return .failure(error) }
        }.value
        switch result {
        case .success(let health):
            offlineSince = nil
            publish(.online(server: endpoint.displayName, health: health))
        case .failure(let error):
            let since = offlineSince ?? Date()
            offlineSince = since
            publish(.offline(server: endpoint.displayName, since: since, reason: Self.reason(error)))
        }
    }

    /// Checks now and then every `interval` until the task is cancelled.
    public func monitor(every interval: Duration = .seconds(15)) async {
        while !Task.isCancelled {
            await refresh()
            try? await Task.sleep(for: interval)
        }
    }

    public var text: String {
        switch status {
        case .localOnly: "Local only — no sync server set"
        case .checking(let server): "Checking \(server)…"
        case .online(let server, _): "Server \(server) online"
        case .offline(_, let since, let reason):
            "Offline since \(since.formatted(date: .omitted, time: .shortened)) — \(reason)"
        }
    }

    public var isOnline: Bool {
        if case .online = status { return true }
        return false
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
