import Crypto
import Foundation
import Hummingbird
import ServerStore
import SyncCore

/// Checks the bearer token of every request it guards and puts the caller's
/// ``Identity`` in the context; anything else is `401 unauthenticated`.
///
/// The token is looked up by its SHA-256 digest (the database holds no usable token),
/// and the account is read afresh on every request, so disabling a user or changing
/// their wards takes effect at once.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ServerRequestContext

    let accounts: any AccountStore
    let clock: @Sendable () -> Date

    public init(accounts: any AccountStore, clock: @escaping @Sendable () -> Date = Date.init) {
        self.accounts = accounts
        self.clock = clock
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count < 512,
              header.lowercased().hasPrefix("bearer ")
        else {
            throw Self.unauthenticated("This request needs an Authorization: Bearer token from POST /v1/login.")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let session = try await accounts.session(tokenDigest: Self.digest(of: token), now: clock()) else {
            throw Self.unauthenticated("The token is unknown or has expired; log in again.")
        }
        var context = context
        context.identity = Identity(session: session)
        return try await next(request, context)
    }

    static func unauthenticated(_ message: String) -> APIError {
        APIError(.unauthorized, code: .unauthenticated, message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// The form a token is stored and looked up in.
    public static func digest(of token: String) -> String {
        Crypto.SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
