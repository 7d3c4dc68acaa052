import Foundation
import Hummingbird
import ServerStore
import SyncCore

/// The request context of every route: the framework's storage, the caller's address,
/// and, once ``AuthenticationMiddleware`` has checked the bearer token, who is calling.
///
/// Bodies are read and written with the sync protocol's JSON coding (``SyncJSON``:
/// sorted keys, ISO 8601 dates), so a response is byte-for-byte what a client or a test
/// computes for the same value.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, for rate-limiting logins; `nil` in in-process tests.
    public let remoteAddress: String?
    /// The authenticated caller; set by ``AuthenticationMiddleware`` on every `/v1` route
    /// except login.
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var requestDecoder: JSONDecoder { SyncJSON.decoder() }
    public var responseEncoder: JSONEncoder { SyncJSON.encoder() }

    /// Push batches may be 8 MiB (the protocol's limit); everything else is far smaller.
    /// Attachment chunks are read with their own limit.
    public var maxUploadSize: Int { SyncLimits.maximumBatchBytes }

    /// The caller, for routes behind ``AuthenticationMiddleware``.
    public func requireIdentity() throws -> Identity {
        guard let identity else {
            throw APIError(.unauthorized, code: .unauthenticated, message: "Log in first: this request needs a bearer token.")
        }
        return identity
    }
}

/// Who is calling: their account, the replica their token was issued to, and what they
/// may see.
public struct Identity: Sendable, Hashable {
    public var account: UserAccount
    public var replica: ReplicaID
    public var expiresAt: Date

    public init(session: AuthenticatedSession) {
        account = session.account
        replica = session.replica
        expiresAt = session.expiresAt
    }

    public var username: String { account.username }
    public var role: UserRole { account.role }
    /// The records this caller may see and write.
    public var scope: AccessScope { account.scope }
    /// How the caller is named in the audit log.
    public var actor: AuditActor { AuditActor(username: account.username, replica: replica) }
}

/// The protocol's size limits.
public enum SyncLimits {
    /// Records per push batch.
    public static let maximumBatchRecords = 500
    /// Bytes per push batch (and per any JSON body).
    public static let maximumBatchBytes = 8 << 20
    /// Bytes per attachment chunk.
    public static let maximumChunkBytes = 1 << 20
    /// Conflicts per listing page.
    public static let maximumConflictPage = 500
}
