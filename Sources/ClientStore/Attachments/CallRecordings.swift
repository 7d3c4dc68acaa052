import Foundation
import GRDB
import SyncCore

/// A call recording as the follow-up screens show it.
public struct CallRecording: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var patientID: UUID
    public var followUpAttemptID: UUID?
    public var sha256: String
    public var size: Int64
    public var mediaType: String
    public var fileName: String
    public var recordedAt: Date
    /// Whether the audio is on this device (playable) and whether the server has it.
    public var isOnDevice: Bool
    public var isUploaded: Bool
}

/// Call recordings: the audio lives in ``AttachmentStore``; a signed, append-only
/// `call-recording` record refers to it by SHA-256 and syncs like any other record.
public struct CallRecordingStore: Sendable {
    let writer: any DatabaseWriter
    let records: SyncRecordStore
    let attachments: AttachmentStore

    /// Keeps the audio of a recording made during a follow-up call: checks it is audio,
    /// stores it in chunks, and writes the recording record (ward scope of the patient).
    @discardableResult
    public func attach(
        file path: String, patientID: UUID, ward: String, followUpAttemptID: UUID? = nil, recordedAt: Date = Date()
    ) throws -> CallRecording {
        let stored = try attachments.importRecording(at: path)
        let fileName = (path as NSString).lastPathComponent
        var fields: [String: FieldChange] = [
            "sha256": .set(.string(stored.sha256)),
            "size": .set(.number(Double(stored.size))),
            "mediaType": .set(.string(stored.mediaType)),
            "patient": .set(.string(patientID.uuidString)),
            "fileName": .set(.string(fileName)),
            "recordedAt": .set(.string(ISO8601DateFormatter().string(from: recordedAt))),
        ]
        if let followUpAttemptID { fields["followUpAttempt"] = .set(.string(followUpAttemptID.uuidString)) }
        let record = try writer.write { db in
            try records.create(kind: .callRecording, scope: RecordScope(ward: ward, patient: patientID), changes: fields, in: db)
        }
        return try recording(from: record)!
    }

    /// The recordings of one patient, newest first.
    public func recordings(ofPatient patientID: UUID) throws -> [CallRecording] {
        let all = try writer.read { db in try records.records(aboutPatient: patientID, in: db) }
        return try all.filter { $0.kind == .callRecording }.compactMap(recording(from:))
            .sorted { $0.recordedAt > $1.recordedAt }
    }

    func recording(from record: SyncRecord) throws -> CallRecording? {
        guard record.kind == .callRecording, let sha = record["sha256"]?.stringValue,
              let size = record["size"]?.numberValue, let patient = record["patient"]?.stringValue.flatMap(UUID.init(uuidString:))
        else { return nil }
        let stored = try attachments.attachment(sha)
        return CallRecording(
            id: record.id, patientID: patient,
            followUpAttemptID: record["followUpAttempt"]?.stringValue.flatMap(UUID.init(uuidString:)),
            sha256: sha, size: Int64(size), mediaType: record["mediaType"]?.stringValue ?? "application/octet-stream",
            fileName: record["fileName"]?.stringValue ?? "recording",
            recordedAt: record["recordedAt"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date(timeIntervalSince1970: 0),
            isOnDevice: stored?.isComplete ?? false, isUploaded: stored?.isUploaded ?? false)
    }
}

/// When a recording record arrives from elsewhere, its audio is queued for download.
struct CallRecordingProjector: RecordProjector {
    func project(_ record: SyncRecord, in db: Database) throws {
        guard record.kind == .callRecording, let sha = record["sha256"]?.stringValue, sha.count == 64,
              sha.allSatisfy(\.isHexDigit), let size = record["size"]?.numberValue, size > 0 else { return }
        try db.execute(
            sql: """
                INSERT INTO attachment (sha256, size, media_type, stored_bytes, uploaded_bytes, needs_upload)
                VALUES (?, ?, ?, 0, ?, 0) ON CONFLICT(sha256) DO NOTHING
                """,
            arguments: [sha.lowercased(), Int64(size), record["mediaType"]?.stringValue ?? "application/octet-stream", Int64(size)])
    }
}

extension ClientDatabase {
    public var callRecordings: CallRecordingStore {
        CallRecordingStore(writer: writer, records: syncRecords, attachments: attachments)
    }
}
