import Hummingbird
import Logging
import ServerStore
import SyncCore

/// Turns every error that escapes a route into a JSON ``ErrorBody``, so a client never
/// has to parse an empty or HTML error page.
///
/// Errors we raise (``APIError``) pass unchanged; the framework's `HTTPError`s (unknown
/// path, wrong method, body too large, malformed JSON) keep their status; the store's
/// refusals become 4xx; anything else is a server fault: the client gets a bare 500 and
/// the log gets the error's type and the route, never its text, which could quote a
/// record.
public struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(
                error.status, code: APIError.code(for: error.status),
                message: APIError.message(for: error.status, detail: error.body), headers: error.headers)
        } catch let error as any HTTPResponseError {
            // The framework's other errors, such as a body beyond the size limit.
            let message = error.status == .contentTooLarge
                ? "The request body is larger than this endpoint accepts (8 MiB for JSON, 1 MiB per attachment chunk)."
                : APIError.message(for: error.status, detail: nil)
            throw APIError(error.status, code: APIError.code(for: error.status), message: message)
        } catch let error as RecordStoreError {
            let status: HTTPResponse.Status = error.errorBody.code == .badRequest ? .badRequest : .conflict
            throw APIError(status, code: error.errorBody.code, message: error.errorBody.message)
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: .badRequest, message: Self.describe(error))
        } catch {
            context.logger.error(
                "request failed",
                metadata: [
                    "error.type": "\(String(reflecting: type(of: error)))",
                    "route": "\(context.endpointPath ?? "unmatched")",
                ])
            throw APIError(
                .internalServerError, code: .internalError,
                message: "The server could not complete the request. It has been logged; try again later.")
        }
    }

    /// Where a body failed to decode, by coding path; the offending value is left out.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : keys.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context)) has the wrong type; expected \(type)."
        case .valueNotFound(let type, let context):
            return "\(path(context)) is missing a value of type \(type)."
        case .keyNotFound(let key, let context):
            return "\(path(context)) lacks the key \"\(key.stringValue)\"."
        case .dataCorrupted(let context):
            return "\(path(context)) is not valid: \(context.debugDescription)"
        @unknown default:
            return "The request body is not valid JSON for this endpoint."
        }
    }
}
