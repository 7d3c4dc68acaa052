import Foundation
import Hummingbird
import SyncCore

/// An error that leaves the server as a JSON ``ErrorBody`` with an HTTP status.
///
/// ```swift
/// throw APIError(.badRequest, code: .badRequest, message: "limit must be at least 1")
/// ```
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var body: ErrorBody
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: ErrorCode, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.body = ErrorBody(code: code, message: message)
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try SyncJSON.encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The protocol error code that fits an HTTP status, for errors raised by the framework
    /// (an unknown path, a body over the size limit) rather than by our routes.
    static func code(for status: HTTPResponse.Status) -> ErrorCode {
        switch status {
        case .notFound: .notFound
        case .unauthorized: .unauthenticated
        case .forbidden: .forbidden
        case .contentTooLarge: .payloadTooLarge
        case .serviceUnavailable: .unavailable
        default: status.code >= 500 ? .internalError : .badRequest
        }
    }

    /// The message a client sees for a framework error: the framework's own text when it
    /// has one, else the status's reason phrase ("Method Not Allowed").
    static func message(for status: HTTPResponse.Status, detail: String?) -> String {
        if let detail, !detail.isEmpty { return detail }
        switch status {
        case .notFound: return "There is no such resource on this server."
        case .methodNotAllowed: return "This resource does not accept that method."
        default: return status.reasonPhrase
        }
    }
}
