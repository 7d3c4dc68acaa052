import HTTPTypes
import Foundation
import Hummingbird
import SyncCore

/// Answers `426 unsupported_version` to a client that states a protocol version other
/// than the one this server speaks.
///
/// A request without `Homeward-Protocol` is served: monitors, `curl` and load balancers
/// do not send it, and every protocol client does.
public struct ProtocolVersionMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var headerName: HTTPField.Name { HTTPField.Name("Homeward-Protocol")! }
    public static var spokenVersion: String { "1" }

    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let stated = request.headers[Self.headerName],
           stated.trimmingCharacters(in: .whitespaces) != Self.spokenVersion
        {
            throw APIError(
                .upgradeRequired, code: .unsupportedVersion,
                message: "This server speaks Homeward protocol version \(Self.spokenVersion); update the application.")
        }
        return try await next(request, context)
    }
}
