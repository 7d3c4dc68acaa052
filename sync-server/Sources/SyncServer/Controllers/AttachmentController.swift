import Foundation
import HTTPTypes
import Hummingbird
import ServerStore
import SyncCore

/// `/v1/attachments/{sha256}`: resumable, content-addressed uploads and ranged downloads.
///
/// The name must be 64 lowercase hex digits before anything else happens, which is what
/// makes a path outside the attachment directory impossible to name. Uploads are open to
/// every syncing role (content addressing makes them harmless); downloads need a record
/// in the caller's scope that refers to the attachment, checked before its existence is
/// looked at, so an outsider learns nothing.
public struct AttachmentController: Sendable {
    let services: ServerServices
    let fileIO = FileIO()

    public init(services: ServerServices) {
        self.services = services
    }

    static var receivedBytesHeader: HTTPField.Name { HTTPField.Name("Homeward-Received-Bytes")! }
    static var completeHeader: HTTPField.Name { HTTPField.Name("Homeward-Complete")! }

    public func addRoutes(to group: RouterGroup<ServerRequestContext>) {
        let attachments = group.group("attachments")
        attachments.head(":sha256", use: head)
        attachments.get(":sha256/status", use: status)
        attachments.put(":sha256", use: upload)
        attachments.get(":sha256", use: download)
    }

    private func digest(_ context: ServerRequestContext) throws -> AttachmentDigest {
        guard let text = context.parameters.get("sha256"), let digest = AttachmentDigest(text) else {
            throw APIError(
                .badRequest, code: .badRequest,
                message: "An attachment is named by the lowercase hex SHA-256 of its bytes: 64 characters 0-9 and a-f.")
        }
        return digest
    }

    private func requireSyncingRole(_ identity: Identity) throws {
        guard identity.role.syncsRecords else {
            throw APIError(.forbidden, code: .forbidden, message: "Your role does not exchange attachments.")
        }
    }

    // MARK: - Status

    @Sendable func head(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try requireSyncingRole(identity)
        guard let status = try await services.attachments.status(of: try digest(context)) else {
            return Response(status: .notFound)
        }
        return Response(status: .ok, headers: [
            .contentLength: String(status.size),
            Self.receivedBytesHeader: String(status.receivedBytes),
            Self.completeHeader: status.complete ? "true" : "false",
        ])
    }

    @Sendable func status(_ request: Request, context: ServerRequestContext) async throws -> AttachmentStatus {
        let identity = try context.requireIdentity()
        try requireSyncingRole(identity)
        guard let status = try await services.attachments.status(of: try digest(context)) else {
            throw APIError(.notFound, code: .notFound, message: "The server holds nothing of this attachment yet; upload from offset 0.")
        }
        return status
    }

    // MARK: - Upload

    @Sendable func upload(_ request: Request, context: ServerRequestContext) async throws -> AttachmentStatus {
        let identity = try context.requireIdentity()
        try requireSyncingRole(identity)
        let digest = try digest(context)
        let query = request.uri.queryParameters
        guard let offset = query["offset"].flatMap({ Int64(String($0)) }), offset >= 0,
              let size = query["size"].flatMap({ Int64(String($0)) }), size >= 0
        else {
            throw APIError(
                .badRequest, code: .badRequest,
                message: "A chunk needs ?offset= (where it starts) and ?size= (the whole attachment's size) as whole numbers.")
        }
        var body = request.body
        let buffer = try await body.collect(upTo: SyncLimits.maximumChunkBytes)
        let chunk = Array(buffer.readableBytesView)
        let status: AttachmentStatus
        do {
            status = try await services.attachments.append(chunk, at: offset, size: size, to: digest)
        } catch let error as AttachmentStoreError {
            throw Self.apiError(error)
        }
        services.metrics.attachmentBytes(direction: "in", count: chunk.count)
        if status.complete && offset + Int64(chunk.count) == size {
            try await services.audit.append([
                AuditEvent(
                    at: services.clock(), username: identity.username, replica: identity.replica, action: .upload,
                    attachment: digest.hex)
            ])
        }
        return status
    }

    static func apiError(_ error: AttachmentStoreError) -> APIError {
        switch error {
        case .outOfOrder(let received):
            APIError(
                .conflict, code: .chunkOutOfOrder,
                message: "The server holds \(received) bytes of this attachment; send the chunk that starts at offset \(received).")
        case .sizeMismatch(let declared):
            APIError(
                .badRequest, code: .badRequest,
                message: "The chunk does not fit an attachment of \(declared) bytes; size must be the whole attachment's size.")
        case .hashMismatch:
            APIError(
                .unprocessableContent, code: .hashMismatch,
                message: "The uploaded bytes do not hash to the attachment's name; they were discarded. Upload again from offset 0.")
        case .tooLarge(let maximum):
            APIError(.contentTooLarge, code: .payloadTooLarge, message: "Attachments are limited to \(maximum) bytes.")
        }
    }

    // MARK: - Download

    @Sendable func download(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try requireSyncingRole(identity)
        let digest = try digest(context)
        guard try await services.records.refersToAttachment(digest, scope: identity.scope) else {
            throw APIError(.forbidden, code: .forbidden, message: "No record in your scope refers to this attachment.")
        }
        guard let file = await services.attachments.completedFile(digest) else {
            throw APIError(.notFound, code: .notFound, message: "This attachment has not been completely uploaded yet.")
        }
        var headers: HTTPFields = [.contentType: "application/octet-stream", .acceptRanges: "bytes"]
        var status = HTTPResponse.Status.ok
        var range: ClosedRange<Int64>? = file.size > 0 ? 0...(file.size - 1) : nil
        if let header = request.headers[.range] {
            guard let requested = ByteRange(header: header, size: file.size) else {
                throw APIError(
                    .rangeNotSatisfiable, code: .badRequest,
                    message: "The range does not fit an attachment of \(file.size) bytes; ask for bytes=N- with N below the size.",
                    headers: [.contentRange: "bytes */\(file.size)"])
            }
            range = requested.range
            status = .partialContent
            headers[.contentRange] = "bytes \(requested.range.lowerBound)-\(requested.range.upperBound)/\(file.size)"
        }
        let body: ResponseBody
        if let range {
            headers[.contentLength] = String(range.count)
            body = try await fileIO.loadFile(
                path: file.path, range: Int(range.lowerBound)...Int(range.upperBound), context: context)
        } else {
            headers[.contentLength] = "0"
            body = ResponseBody()
        }
        try await services.audit.append([
            AuditEvent(
                at: services.clock(), username: identity.username, replica: identity.replica, action: .download,
                attachment: digest.hex)
        ])
        services.metrics.attachmentBytes(direction: "out", count: range.map { Int($0.count) } ?? 0)
        return Response(status: status, headers: headers, body: body)
    }
}

/// A single byte range from a `Range` header: `bytes=N-`, `bytes=N-M` or `bytes=-N`.
/// Several ranges are not supported; a client resumes with one.
struct ByteRange {
    let range: ClosedRange<Int64>

    init?(header: String, size: Int64) {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = text.dropFirst("bytes=".count)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return nil }
            range = max(0, size - suffix)...(size - 1)
            return
        }
        guard let start = Int64(first), start >= 0, start < size else { return nil }
        if last.isEmpty {
            range = start...(size - 1)
        } else {
            guard let end = Int64(last), end >= start else { return nil }
            range = start...min(end, size - 1)
        }
    }
}
