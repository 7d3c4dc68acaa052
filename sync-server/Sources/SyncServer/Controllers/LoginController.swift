import Foundation
import Hummingbird
import ServerStore
import SyncCore

/// `POST /v1/login`: exchanges a user name and password for a bearer token.
///
/// Tokens are 256 random bits from the system's CSPRNG; only their SHA-256 is stored.
/// Failed attempts are throttled per user name and per address, an unknown user name
/// costs as much time as a wrong password, and every refusal says the same thing, so a
/// login reveals neither which names exist nor which part was wrong.
public struct LoginController: Sendable {
    let services: ServerServices
    let serverReplica: ReplicaID

    public init(services: ServerServices) {
        self.services = services
        serverReplica = services.records.serverReplica
    }

    public func addRoutes(to group: RouterGroup<ServerRequestContext>) {
        group.post("login", use: login)
    }

    @Sendable func login(_ request: Request, context: ServerRequestContext) async throws -> LoginResponse {
        let body = try await request.decode(as: LoginRequest.self, context: context)
        guard (1...64).contains(body.username.utf8.count), (1...1024).contains(body.password.utf8.count) else {
            throw APIError(.badRequest, code: .badRequest, message: "username and password must be 1 to 64 and 1 to 1024 bytes.")
        }
        try ReplicaCheck.validate(body.replica)

        if let wait = await services.loginThrottle.delay(username: body.username, address: context.remoteAddress) {
            services.metrics.login(outcome: "throttled")
            let seconds = max(1, Int(wait.components.seconds) + 1)
            throw APIError(
                .tooManyRequests, code: .unauthenticated,
                message: "Too many failed logins; try again in \(seconds) seconds.",
                headers: [.retryAfter: String(seconds)])
        }

        let found = try await services.accounts.credentials(username: body.username)
        // An unknown name is checked against a decoy hash so that it takes as long.
        let matches = PasswordHasher.verify(body.password, against: found?.passwordHash ?? PasswordHasher.decoy)
        guard let found, matches, !found.account.disabled else {
            await services.loginThrottle.recordFailure(username: body.username, address: context.remoteAddress)
            services.metrics.login(outcome: "refused")
            throw AuthenticationMiddleware.unauthenticated("The user name or password is wrong, or the account is disabled.")
        }
        await services.loginThrottle.recordSuccess(username: body.username)

        let token = Self.newToken()
        let now = services.clock()
        // Whole seconds: the wire format (ISO 8601) has no fractions.
        let expiresAt = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + services.sessionLifetime).rounded(.down))
        try await services.accounts.createSession(
            tokenDigest: AuthenticationMiddleware.digest(of: token), username: found.account.username,
            replica: body.replica, expiresAt: expiresAt)
        try await services.audit.append([
            AuditEvent(at: now, username: found.account.username, replica: body.replica, action: .login)
        ])
        services.metrics.login(outcome: "ok")
        return LoginResponse(token: token, expiresAt: expiresAt, scope: found.account.scope, serverReplica: serverReplica)
    }

    /// `hw1.` and 32 random bytes in unpadded base64url.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "hw1." + text
    }
}

/// Replica ids are opaque, but they are stored with every write and shown in the audit
/// log: printable, and short enough to index.
enum ReplicaCheck {
    static func validate(_ replica: ReplicaID) throws {
        let text = replica.rawValue
        guard (1...128).contains(text.utf8.count),
              text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw APIError(.badRequest, code: .badRequest, message: "replica must be 1 to 128 printable ASCII characters.")
        }
    }
}
