import Crypto
import Foundation
import SyncCore

/// Why an attachment chunk was refused. Nothing was stored.
public enum AttachmentStoreError: Error, Hashable, Sendable {
    /// The chunk does not start where the stored prefix ends (and is not a retry of
    /// bytes already stored).
    case outOfOrder(received: Int64)
    /// The chunk runs past the declared size, or the size disagrees with the one declared
    /// when the upload began.
    case sizeMismatch(declared: Int64)
    /// The complete content does not hash to its name; the partial content was discarded.
    case hashMismatch
    /// The declared size is beyond ``FileAttachmentStore/maximumSize``.
    case tooLarge(maximum: Int64)
}

/// Attachment bytes, content-addressed by SHA-256 and uploaded in resumable chunks.
public protocol AttachmentStore: Sendable {
    /// How much of the attachment is stored; `nil` when nothing is.
    func status(of digest: AttachmentDigest) async throws -> AttachmentStatus?
    /// Appends `chunk` at `offset` of an attachment of `size` bytes (see the protocol's
    /// "Attachments") and answers with the new status. The last chunk is verified
    /// against the digest before the attachment counts as complete.
    func append(_ chunk: [UInt8], at offset: Int64, size: Int64, to digest: AttachmentDigest) async throws -> AttachmentStatus
    /// The path of a complete attachment's file, for streaming it out.
    func completedFile(_ digest: AttachmentDigest) async -> (path: String, size: Int64)?
}

/// Attachments as files under `<data>/attachments`:
/// `complete/<sha256>` once verified, `partial/<sha256>.part` while uploading, with the
/// declared size in `partial/<sha256>.size`.
///
/// The stored prefix is the `.part` file's length, so a crash can at worst lose the end
/// of a chunk that was never acknowledged; the client asks the status and resumes. Each
/// chunk is flushed to disk before it is acknowledged, and a completed file is flushed,
/// renamed and its directory flushed before the answer says `complete`.
///
/// File names come only from ``AttachmentDigest``, 64 hex digits: no request can name a
/// path outside the directory.
public actor FileAttachmentStore: AttachmentStore {
    /// The largest attachment accepted: an hour of uncompressed call audio is ~600 MB.
    public static let maximumSize: Int64 = 2 << 30

    public nonisolated let directory: String
    private let completeDirectory: String
    private let partialDirectory: String

    public init(directory: String) throws {
        self.directory = directory
        completeDirectory = (directory as NSString).appendingPathComponent("complete")
        partialDirectory = (directory as NSString).appendingPathComponent("partial")
        for path in [completeDirectory, partialDirectory] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
    }

    private func completePath(_ digest: AttachmentDigest) -> String {
        (completeDirectory as NSString).appendingPathComponent(digest.hex)
    }

    private func partPath(_ digest: AttachmentDigest) -> String {
        (partialDirectory as NSString).appendingPathComponent(digest.hex + ".part")
    }

    private func sizePath(_ digest: AttachmentDigest) -> String {
        (partialDirectory as NSString).appendingPathComponent(digest.hex + ".size")
    }

    public func status(of digest: AttachmentDigest) throws -> AttachmentStatus? {
        if let size = Self.fileSize(completePath(digest)) {
            return AttachmentStatus(sha256: digest.hex, size: size, receivedBytes: size, complete: true)
        }
        guard let text = try? String(contentsOfFile: sizePath(digest), encoding: .utf8), let size = Int64(text) else {
            return nil
        }
        return AttachmentStatus(
            sha256: digest.hex, size: size, receivedBytes: Self.fileSize(partPath(digest)) ?? 0, complete: false)
    }

    public func completedFile(_ digest: AttachmentDigest) -> (path: String, size: Int64)? {
        let path = completePath(digest)
        return Self.fileSize(path).map { (path, $0) }
    }

    public func append(
        _ chunk: [UInt8], at offset: Int64, size: Int64, to digest: AttachmentDigest
    ) throws -> AttachmentStatus {
        guard size <= Self.maximumSize else { throw AttachmentStoreError.tooLarge(maximum: Self.maximumSize) }
        guard size >= 0, offset >= 0, offset + Int64(chunk.count) <= size else {
            throw AttachmentStoreError.sizeMismatch(declared: size)
        }
        if let current = try status(of: digest) {
            guard current.size == size else { throw AttachmentStoreError.sizeMismatch(declared: current.size) }
            if current.complete { return current }
            // A chunk wholly inside what is stored is a retry whose answer was lost.
            if offset + Int64(chunk.count) <= current.receivedBytes && !(chunk.isEmpty && offset != current.receivedBytes) {
                return current
            }
            guard offset == current.receivedBytes else { throw AttachmentStoreError.outOfOrder(received: current.receivedBytes) }
        } else {
            guard offset == 0 else { throw AttachmentStoreError.outOfOrder(received: 0) }
            try Self.writeDurably(Array(String(size).utf8), to: sizePath(digest))
            FileManager.default.createFile(atPath: partPath(digest), contents: nil)
        }

        try Self.appendDurably(chunk, to: partPath(digest))
        let received = offset + Int64(chunk.count)
        guard received == size else {
            return AttachmentStatus(sha256: digest.hex, size: size, receivedBytes: received, complete: false)
        }
        guard try Self.sha256(ofFile: partPath(digest)) == digest.hex else {
            try? FileManager.default.removeItem(atPath: partPath(digest))
            try? FileManager.default.removeItem(atPath: sizePath(digest))
            throw AttachmentStoreError.hashMismatch
        }
        guard rename(partPath(digest), completePath(digest)) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
        try Self.syncDirectory(completeDirectory)
        try? FileManager.default.removeItem(atPath: sizePath(digest))
        return AttachmentStatus(sha256: digest.hex, size: size, receivedBytes: size, complete: true)
    }

    // MARK: - Files

    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    private static func appendDurably(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        try bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                guard result > 0 else { throw CocoaError(.fileWriteUnknown) }
                written += result
            }
        }
        guard fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    private static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        try appendDurably(bytes, to: path)
    }

    private static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadUnknown) }
        defer { try? handle.close() }
        var hasher = Crypto.SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            hasher.update(data: data)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
