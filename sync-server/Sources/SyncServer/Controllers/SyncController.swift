import Foundation
import Hummingbird
import ServerStore
import SyncCore

/// `POST /v1/push`, `POST`/`GET /v1/pull` and `GET /v1/conflicts`: the sync protocol's
/// record exchange, each limited to the caller's scope.
///
/// Reads are entered in the audit log before the records leave the server; a read that
/// cannot be logged is not answered. Writes are logged by the store inside the push's
/// transaction.
public struct SyncController: Sendable {
    let services: ServerServices

    public init(services: ServerServices) {
        self.services = services
    }

    public func addRoutes(to group: RouterGroup<ServerRequestContext>) {
        group.post("push", use: push)
        group.post("pull", use: pullWithBody)
        group.get("pull", use: pullWithQuery)
        group.get("conflicts", use: conflicts)
    }

    // MARK: - Push

    @Sendable func push(_ request: Request, context: ServerRequestContext) async throws -> PushResult {
        let identity = try context.requireIdentity()
        let batch = try await request.decode(as: PushBatch.self, context: context)
        guard batch.records.count <= SyncLimits.maximumBatchRecords else {
            throw APIError(
                .contentTooLarge, code: .payloadTooLarge,
                message: "A batch holds at most \(SyncLimits.maximumBatchRecords) records; this one has \(batch.records.count). Send smaller batches.")
        }
        // A client writes only under the replica id it logged in with: its dots are the
        // only new ones the server accepts from it.
        guard batch.replica == identity.replica else {
            throw APIError(
                .forbidden, code: .forbidden,
                message: "This batch names replica \(batch.replica) but the token was issued to replica \(identity.replica).")
        }
        let policy = PushPolicy(
            scope: identity.scope, writableKinds: identity.role.syncsRecords ? nil : [],
            knownKinds: PushPolicy.clinicalKinds)
        let result = try await services.records.applyPush(batch, policy: policy, auditAs: identity.actor)
        let refused = result.outcomes.count { $0.status == .refused }
        services.metrics.pushed(accepted: result.outcomes.count - refused, refused: refused)
        return result
    }

    // MARK: - Pull

    @Sendable func pullWithBody(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await request.decode(as: PullRequest.self, context: context)
        return try await pull(body, context: context)
    }

    @Sendable func pullWithQuery(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var pullRequest = PullRequest()
        if let cursor = query["cursor"] {
            guard let sequence = Int64(String(cursor)), sequence >= 0 else {
                throw APIError(.badRequest, code: .badRequest, message: "cursor must be a cursor the server sent, such as \"0\".")
            }
            pullRequest.cursor = ChangeCursor(sequence: sequence)
        }
        if let limit = query["limit"] {
            guard let value = Int(String(limit)) else {
                throw APIError(.badRequest, code: .badRequest, message: "limit must be a whole number.")
            }
            pullRequest.limit = value
        }
        return try await pull(pullRequest, context: context)
    }

    /// The page leaves as the records' stored JSON: the store already holds each record
    /// in the protocol's canonical encoding, so nothing is decoded and encoded again.
    private func pull(_ pullRequest: PullRequest, context: ServerRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try await services.records.pullStored(pullRequest, scope: identity.scope)
        let now = services.clock()
        try await services.audit.append(page.records.map {
            AuditEvent(
                at: now, username: identity.username, replica: identity.replica, action: .read, recordID: $0.id,
                kind: $0.kind, ward: $0.scope.ward, patient: $0.scope.patient)
        })
        services.metrics.pulled(records: page.records.count)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: page.json)))
    }

    // MARK: - Conflicts

    @Sendable func conflicts(_ request: Request, context: ServerRequestContext) async throws -> ConflictListing {
        let identity = try context.requireIdentity()
        let query = request.uri.queryParameters
        var after: UUID?
        if let text = query["after"] {
            guard let id = UUID(uuidString: String(text)) else {
                throw APIError(.badRequest, code: .badRequest, message: "after must be a record id from nextPage.")
            }
            after = id
        }
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(String(text)), value >= 1 else {
                throw APIError(.badRequest, code: .badRequest, message: "limit must be a whole number of at least 1.")
            }
            limit = min(value, SyncLimits.maximumConflictPage)
        }
        let listing = try await services.records.conflicts(scope: identity.scope, after: after, limit: limit)
        let now = services.clock()
        var seen = Set<UUID>()
        let events = listing.conflicts.compactMap { entry -> AuditEvent? in
            guard seen.insert(entry.recordID).inserted else { return nil }
            return AuditEvent(
                at: now, username: identity.username, replica: identity.replica, action: .readConflicts,
                recordID: entry.recordID, kind: entry.kind, ward: entry.scope.ward, patient: entry.scope.patient)
        }
        try await services.audit.append(events)
        return listing
    }
}
