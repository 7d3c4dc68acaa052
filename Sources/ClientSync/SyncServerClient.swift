import Foundation
import SyncCore

/// The sync protocol's endpoints (docs/sync-protocol.md) over one ``HTTPTransport``.
///
/// Blocking, like the transport: the sync engine calls it from its worker thread. The
/// bearer token is sent in a header and never appears in an error or a log line.
///
/// ```swift
/// let client = try SyncServerClient(endpoint: try ServerEndpoint("http://127.0.0.1:8420"))
/// let login = try client.login(LoginRequest(username: "li.na", password: "…", replica: replica))
/// client.token = login.token
/// let page = try client.pull(PullRequest(cursor: .beginning))
/// ```
public final class SyncServerClient {
    public let endpoint: ServerEndpoint
    public var token: String?
    public let cancellation = CancellationFlag()
    private let transport: HTTPTransport

    public init(endpoint: ServerEndpoint, options: TransportOptions = TransportOptions()) throws(TransportError) {
        self.endpoint = endpoint
        transport = try HTTPTransport(options: options)
    }

    // MARK: - Records

    public func login(_ request: LoginRequest) throws(TransportError) -> LoginResponse {
        try exchange(.post, "/v1/login", body: request, authenticated: false)
    }

    public func push(_ batch: PushBatch, progress: TransferProgress? = nil) throws(TransportError) -> PushResult {
        try exchange(.post, "/v1/push", body: batch, progress: progress)
    }

    public func pull(_ request: PullRequest, progress: TransferProgress? = nil) throws(TransportError) -> PullPage {
        try exchange(.post, "/v1/pull", body: request, progress: progress)
    }

    public func conflicts(after: UUID? = nil, limit: Int = 100) throws(TransportError) -> ConflictListing {
        var path = "/v1/conflicts?limit=\(limit)"
        if let after { path += "&after=\(after.uuidString)" }
        return try exchange(.get, path, body: Optional<Int>.none)
    }

    // MARK: - Attachments

    /// What the server holds of an attachment, or nil when it holds nothing.
    public func attachmentStatus(sha256: String) throws(TransportError) -> AttachmentStatus? {
        let response = try send(HTTPRequest(.get, url("/v1/attachments/\(sha256)/status"), headers: authorization))
        if response.status == 404 { return nil }
        return try decode(AttachmentStatus.self, response, path: "/v1/attachments/\(sha256)/status")
    }

    /// Sends one chunk (at most 1 MiB, in memory) as the bytes at `offset` of the attachment.
    public func uploadChunk(
        sha256: String, totalSize: Int64, data: Data, offset: Int64, progress: TransferProgress? = nil
    ) throws(TransportError) -> AttachmentStatus {
        let path = "/v1/attachments/\(sha256)?offset=\(offset)&size=\(totalSize)"
        let response = try send(HTTPRequest(
            .put, url(path), headers: authorization + ["Content-Type: application/octet-stream"], body: .data(data)),
            progress: progress)
        return try decode(AttachmentStatus.self, response, path: path)
    }

    /// Up to `length` bytes of a complete attachment from `offset`, in memory (one chunk).
    public func downloadChunk(sha256: String, offset: Int64, length: Int64, progress: TransferProgress? = nil) throws(TransportError) -> Data {
        let path = "/v1/attachments/\(sha256)"
        let headers = authorization + ["Range: bytes=\(offset)-\(offset + length - 1)"]
        let response = try send(HTTPRequest(.get, url(path), headers: headers), responseLimit: Int(length), progress: progress)
        switch response.status {
        case 206: return response.body
        case 200 where offset == 0: return response.body.prefix(Int(length))
        case 200: throw .data(url: shown(path), reason: "the server ignored the range and sent the whole file")
        default: throw serverError(response, path: path)
        }
    }

    // MARK: - Plumbing

    private var authorization: [String] { token.map { ["Authorization: Bearer \($0)"] } ?? [] }

    private func url(_ path: String) -> String { endpoint.baseURL + path }
    private func shown(_ path: String) -> String { TransportError.redactedURL(url(path)) }

    private func send(
        _ request: HTTPRequest, responseLimit: Int = 64 << 20, progress: TransferProgress? = nil
    ) throws(TransportError) -> HTTPResponse {
        try transport.perform(request, responseLimit: responseLimit, progress: progress, cancellation: cancellation)
    }

    private func exchange<Body: Encodable, Answer: Decodable>(
        _ method: HTTPRequest.Method, _ path: String, body: Body?, authenticated: Bool = true,
        progress: TransferProgress? = nil
    ) throws(TransportError) -> Answer {
        var headers = authenticated ? authorization : []
        var requestBody = HTTPRequest.Body.none
        if let body {
            do { requestBody = .data(try SyncJSON.encode(body)) } catch {
                throw .data(url: shown(path), reason: "the request could not be encoded")
            }
            headers.append("Content-Type: application/json")
        }
        let response = try send(HTTPRequest(method, url(path), headers: headers, body: requestBody), progress: progress)
        return try decode(Answer.self, response, path: path)
    }

    private func decode<Answer: Decodable>(_ type: Answer.Type, _ response: HTTPResponse, path: String) throws(TransportError) -> Answer {
        guard (200..<300).contains(response.status) else { throw serverError(response, path: path) }
        do {
            return try SyncJSON.decoder().decode(Answer.self, from: response.body)
        } catch {
            throw .data(url: shown(path), reason: "the answer is not a valid \(Answer.self)")
        }
    }

    private func serverError(_ response: HTTPResponse, path: String) -> TransportError {
        if let body = try? SyncJSON.decoder().decode(ErrorBody.self, from: response.body) {
            return .server(url: shown(path), status: response.status, message: body.message, code: body.code.rawValue)
        }
        return .server(url: shown(path), status: response.status,
                       message: String(decoding: response.body.prefix(200), as: UTF8.self))
    }
}
