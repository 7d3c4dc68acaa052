import Foundation
import Hummingbird
import ServerStore
import SyncCore

/// `GET /v1/audit?patient=&record=&user=&after=&limit=`: the audit log, for the central
/// office and administrators only.
public struct AuditController: Sendable {
    let audit: any AuditLog

    public init(audit: any AuditLog) {
        self.audit = audit
    }

    public func addRoutes(to group: RouterGroup<ServerRequestContext>) {
        group.get("audit", use: list)
    }

    @Sendable func list(_ request: Request, context: ServerRequestContext) async throws -> AuditPage {
        let identity = try context.requireIdentity()
        guard identity.role.readsAudit else {
            throw APIError(.forbidden, code: .forbidden, message: "Only the central office and administrators read the audit log.")
        }
        let parameters = request.uri.queryParameters
        func uuid(_ name: String) throws -> UUID? {
            guard let text = parameters[name[...]] else { return nil }
            guard let id = UUID(uuidString: String(text)) else {
                throw APIError(.badRequest, code: .badRequest, message: "\(name) must be a UUID.")
            }
            return id
        }
        func number(_ name: String, default value: Int64, minimum: Int64) throws -> Int64 {
            guard let text = parameters[name[...]] else { return value }
            guard let number = Int64(String(text)), number >= minimum else {
                throw APIError(.badRequest, code: .badRequest, message: "\(name) must be a whole number of at least \(minimum).")
            }
            return number
        }
        let query = AuditQuery(
            patient: try uuid("patient"), recordID: try uuid("record"), username: parameters["user"].map(String.init),
            after: try number("after", default: 0, minimum: 0),
            limit: Int(min(try number("limit", default: 200, minimum: 1), Int64(AuditQuery.maximumLimit))))
        return try await audit.auditEvents(query)
    }
}
