import Foundation

/// Where a request failed, in terms a person can act on. The URL never carries a token:
/// credentials travel in headers, and ``redactedURL(_:)`` drops any query string.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached or the connection broke (retry later).
    case network(url: String, reason: String)
    /// The server answered with an error status; `code` is the protocol's error code.
    case server(url: String, status: Int, message: String, code: String? = nil)
    /// The answer arrived but could not be understood, or what we were sending is bad.
    case data(url: String, reason: String)
    /// Someone cancelled the request.
    case cancelled(url: String)

    public var description: String {
        switch self {
        case .network(let url, let reason): "network: \(url): \(reason)"
        case .server(let url, let status, let message, let code):
            "server: \(url) answered \(status)\(code.map { " \($0)" } ?? ""): \(message)"
        case .data(let url, let reason): "data: \(url): \(reason)"
        case .cancelled(let url): "cancelled: \(url)"
        }
    }

    /// Whether trying the same request later may succeed.
    public var isTransient: Bool {
        switch self {
        case .network: true
        case .server(_, let status, _, _): status >= 500 || status == 429 || status == 408
        case .data, .cancelled: false
        }
    }

    /// A URL safe to log or show: scheme, host, port and path only.
    public static func redactedURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(invalid URL)" }
        components.query = nil
        components.user = nil
        components.password = nil
        components.fragment = nil
        return components.string ?? "(invalid URL)"
    }
}

/// Options every request carries.
public struct TransportOptions: Sendable {
    public var connectTimeout: Duration = .seconds(5)
    public var totalTimeout: Duration = .seconds(60)
    /// Abort a transfer slower than 1 byte/s for this long (a dead link that never closes).
    public var stallTimeout: Duration = .seconds(30)
    /// A CA bundle to verify the server against, instead of the system store.
    public var caFile: String?
    public init() {}
}

/// A flag another thread sets to stop a transfer at the next progress callback.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public func cancel() { lock.withLock { cancelled = true } }
    public var isCancelled: Bool { lock.withLock { cancelled } }
}
