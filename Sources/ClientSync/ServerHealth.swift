import Foundation

/// What `GET /health` says about the sync server.
public struct ServerHealth: Sendable, Equatable, Decodable {
    public var status: String
    public var version: String?
    public var recordCount: Int?

    public init(status: String, version: String? = nil, recordCount: Int? = nil) {
        self.status = status
        self.version = version
        self.recordCount = recordCount
    }
}

/// The address of the sync server this profile talks to.
public struct ServerEndpoint: Sendable, Equatable {
    public let baseURL: String

    /// Validates a user-given server address such as `http://127.0.0.1:8420`.
    public init(_ text: String) throws(TransportError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw .data(url: TransportError.redactedURL(trimmed),
                        reason: "not a server address; expected something like https://sync.hospital.example:8420")
        }
        baseURL = trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
    }

    /// Host and port for display.
    public var displayName: String {
        guard let components = URLComponents(string: baseURL), let host = components.host else { return baseURL }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// Asks the server how it is. Blocking: call it off the main thread.
    public func checkHealth(options: TransportOptions = TransportOptions()) throws(TransportError) -> ServerHealth {
        let url = baseURL + "/health"
        let response = try HTTPTransport(options: options).perform(HTTPRequest(.get, url), responseLimit: 1 << 20)
        guard response.status == 200 else {
            throw .server(url: TransportError.redactedURL(url), status: response.status,
                          message: String(decoding: response.body.prefix(200), as: UTF8.self))
        }
        do {
            return try JSONDecoder().decode(ServerHealth.self, from: response.body)
        } catch {
            throw .data(url: TransportError.redactedURL(url), reason: "the health answer is not the expected JSON")
        }
    }
}
