import Crypto
import Foundation
import GRDB
import SyncCore

/// A file kept in the local database, named by the SHA-256 of its bytes.
public struct StoredAttachment: Sendable, Equatable {
    public var sha256: String
    public var size: Int64
    public var mediaType: String
    /// Bytes held locally (all of them once complete; fewer while a download resumes).
    public var storedBytes: Int64
    public var isComplete: Bool { storedBytes == size }
    /// Bytes the server has confirmed holding (for recordings made here).
    public var uploadedBytes: Int64
    public var isUploaded: Bool { uploadedBytes == size }
}

/// Why a file could not be attached.
public enum AttachmentError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notAudio(path: String)
    case empty(path: String)
    case digestMismatch(expected: String, actual: String)
    case notStored(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path) cannot be read: \(reason)"
        case .notAudio(let path):
            "\(path) is not a recording Homeward can keep: use WAV, Ogg Opus, MP3 or M4A (the content is checked, not the name)"
        case .empty(let path): "\(path) is empty"
        case .digestMismatch(let expected, let actual):
            "the downloaded recording is damaged (expected SHA-256 \(expected.prefix(12))…, got \(actual.prefix(12))…); it will be downloaded again"
        case .notStored(let sha): "the recording \(sha.prefix(12))… is not on this device yet"
        }
    }
}

/// Content-addressed attachments (call recordings) in the client database, in chunks,
/// so that no file ever sits whole in memory: importing, exporting for playback,
/// uploading and downloading all move one chunk at a time, and a cut download resumes
/// from the last stored chunk.
public struct AttachmentStore: Sendable {
    /// Chunk size in the database and on the wire (the server accepts up to 1 MiB).
    public static let chunkSize = 1 << 20
    let writer: any DatabaseWriter

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("attachments-v1") { db in
            try db.execute(sql: """
                CREATE TABLE attachment (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
                    size INTEGER NOT NULL CHECK (size > 0),
                    media_type TEXT NOT NULL,
                    stored_bytes INTEGER NOT NULL DEFAULT 0,
                    uploaded_bytes INTEGER NOT NULL DEFAULT 0,
                    needs_upload INTEGER NOT NULL
                );
                CREATE INDEX attachment_to_upload ON attachment(needs_upload) WHERE needs_upload;
                CREATE TABLE attachment_chunk (
                    sha256 TEXT NOT NULL REFERENCES attachment(sha256),
                    chunk_index INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (sha256, chunk_index)
                ) WITHOUT ROWID;
                """)
        }
    }

    // MARK: - Import and export

    /// Stores an audio file recorded here (content checked, hashed while read in chunks),
    /// all in one transaction: a crash leaves either the whole file or nothing. Storing
    /// the same content twice stores it once.
    public func importRecording(at path: String) throws -> StoredAttachment {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw AttachmentError.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? input.close() }
        let header = [UInt8](input.readData(ofLength: AudioFormat.sniffLength))
        guard !header.isEmpty else { throw AttachmentError.empty(path: path) }
        guard let format = AudioFormat.detect(header: header) else { throw AttachmentError.notAudio(path: path) }
        input.seek(toFileOffset: 0)

        // Hash first (one streaming pass), so chunks are written under their final name.
        var hasher = Crypto.SHA256()
        var size: Int64 = 0
        while true {
            let chunk = input.readData(ofLength: Self.chunkSize)
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        let sha = Self.hex(hasher.finalize())
        if let existing = try attachment(sha), existing.isComplete { return existing }

        input.seek(toFileOffset: 0)
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO attachment (sha256, size, media_type, stored_bytes, uploaded_bytes, needs_upload)
                    VALUES (?, ?, ?, 0, 0, 1)
                    ON CONFLICT(sha256) DO UPDATE SET needs_upload = 1
                    """,
                arguments: [sha, size, format.mediaType])
            try db.execute(sql: "DELETE FROM attachment_chunk WHERE sha256 = ?", arguments: [sha])
            var index = 0
            var stored: Int64 = 0
            while true {
                let chunk = input.readData(ofLength: Self.chunkSize)
                if chunk.isEmpty { break }
                try db.execute(
                    sql: "INSERT INTO attachment_chunk (sha256, chunk_index, data) VALUES (?, ?, ?)",
                    arguments: [sha, index, chunk])
                index += 1
                stored += Int64(chunk.count)
            }
            // The file changed under us while we read it: refuse rather than store a lie.
            guard stored == size else { throw AttachmentError.unreadable(path: path, reason: "the file changed while it was being read") }
            try db.execute(sql: "UPDATE attachment SET stored_bytes = ? WHERE sha256 = ?", arguments: [stored, sha])
        }
        return try attachment(sha)!
    }

    /// Writes a complete attachment to `path` (for playback), chunk by chunk.
    public func export(_ sha256: String, to path: String) throws {
        guard let stored = try attachment(sha256), stored.isComplete else { throw AttachmentError.notStored(sha256) }
        FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let output = FileHandle(forWritingAtPath: path) else {
            throw AttachmentError.unreadable(path: path, reason: "cannot write here")
        }
        defer { try? output.close() }
        let chunkCount = Int((stored.size + Int64(Self.chunkSize) - 1) / Int64(Self.chunkSize))
        for index in 0..<chunkCount {
            let data = try writer.read { db in
                try Data.fetchOne(db, sql: "SELECT data FROM attachment_chunk WHERE sha256 = ? AND chunk_index = ?",
                                  arguments: [sha256, index])
            }
            guard let data else { throw AttachmentError.notStored(sha256) }
            output.write(data)
        }
    }

    public func attachment(_ sha256: String) throws -> StoredAttachment? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM attachment WHERE sha256 = ?", arguments: [sha256]).map(Self.attachment(from:))
        }
    }

    // MARK: - Upload

    /// Attachments recorded here that the server does not hold completely yet.
    public func pendingUploads() throws -> [StoredAttachment] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attachment WHERE needs_upload AND stored_bytes = size ORDER BY rowid")
                .map(Self.attachment(from:))
        }
    }

    /// The stored bytes from `offset`, at most one chunk, aligned to chunk boundaries
    /// except where the server's resume point falls inside a chunk.
    public func bytes(of sha256: String, from offset: Int64) throws -> Data {
        let index = Int(offset / Int64(Self.chunkSize))
        let within = Int(offset % Int64(Self.chunkSize))
        let data = try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM attachment_chunk WHERE sha256 = ? AND chunk_index = ?",
                              arguments: [sha256, index])
        }
        guard let data else { throw AttachmentError.notStored(sha256) }
        return within == 0 ? data : data.subdata(in: within..<data.count)
    }

    /// Records how much of an upload the server confirmed.
    public func recordUploaded(_ sha256: String, bytes: Int64, complete: Bool) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE attachment SET uploaded_bytes = ?, needs_upload = ? WHERE sha256 = ?",
                arguments: [bytes, !complete, sha256])
        }
    }

    // MARK: - Download

    /// Registers an attachment a pulled record refers to, so it can be downloaded.
    public func expect(sha256: String, size: Int64, mediaType: String) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO attachment (sha256, size, media_type, stored_bytes, uploaded_bytes, needs_upload)
                    VALUES (?, ?, ?, 0, ?, 0) ON CONFLICT(sha256) DO NOTHING
                    """,
                arguments: [sha256, size, mediaType, size])
        }
    }

    /// Attachments known from records but not (completely) on this device.
    public func pendingDownloads() throws -> [StoredAttachment] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attachment WHERE stored_bytes < size ORDER BY rowid").map(Self.attachment(from:))
        }
    }

    /// Appends downloaded bytes starting at `offset` (which must be what is stored),
    /// one transaction per chunk, so a cut resumes from the last whole chunk. When the
    /// last byte arrives the whole content is hashed; a mismatch discards it.
    public func appendDownloaded(_ data: Data, to sha256: String, at offset: Int64) throws -> StoredAttachment {
        guard let stored = try attachment(sha256) else { throw AttachmentError.notStored(sha256) }
        precondition(offset == stored.storedBytes && offset % Int64(Self.chunkSize) == 0, "downloads append whole chunks in order")
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO attachment_chunk (sha256, chunk_index, data) VALUES (?, ?, ?)",
                arguments: [sha256, Int(offset / Int64(Self.chunkSize)), data])
            try db.execute(sql: "UPDATE attachment SET stored_bytes = ? WHERE sha256 = ?",
                           arguments: [offset + Int64(data.count), sha256])
        }
        let updated = try attachment(sha256)!
        if updated.isComplete {
            let actual = try digest(of: sha256, size: updated.size)
            guard actual == sha256 else {
                try writer.write { db in
                    try db.execute(sql: "DELETE FROM attachment_chunk WHERE sha256 = ?", arguments: [sha256])
                    try db.execute(sql: "UPDATE attachment SET stored_bytes = 0 WHERE sha256 = ?", arguments: [sha256])
                }
                throw AttachmentError.digestMismatch(expected: sha256, actual: actual)
            }
        }
        return updated
    }

    private func digest(of sha256: String, size: Int64) throws -> String {
        var hasher = Crypto.SHA256()
        var offset: Int64 = 0
        while offset < size {
            let data = try bytes(of: sha256, from: offset)
            hasher.update(data: data)
            offset += Int64(data.count)
        }
        return Self.hex(hasher.finalize())
    }

    /// Lowercase hex of a digest, the attachment's name on the wire.
    static func hex(_ digest: Crypto.SHA256.Digest) -> String {
        digest.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }

    private static func attachment(from row: Row) -> StoredAttachment {
        StoredAttachment(
            sha256: row["sha256"], size: row["size"], mediaType: row["media_type"], storedBytes: row["stored_bytes"],
            uploadedBytes: row["uploaded_bytes"])
    }
}

extension ClientDatabase {
    public var attachments: AttachmentStore { AttachmentStore(writer: writer) }
}
