import Foundation
import GRDB
import SyncCore

/// The attachments a record refers to, kept in `attachment_reference` beside the record.
///
/// A record refers to an attachment through a field named `sha256` (a `call-recording`'s
/// content) or ending in `Sha256` (`transcriptSha256`), whose values are lowercase hex
/// SHA-256 digests. Every value any sibling holds counts, conflicting ones included:
/// whoever may see the record may fetch what any of its versions names.
enum AttachmentReferences {
    /// The digests `record` refers to.
    static func digests(in record: SyncRecord) -> Set<String> {
        var found = Set<String>()
        for (name, register) in record.fields where name == "sha256" || name.hasSuffix("Sha256") {
            for sibling in register.siblings.siblings {
                if case .string(let text) = sibling.value, AttachmentDigest(text) != nil { found.insert(text) }
            }
        }
        return found
    }

    /// Adds the references of `record`'s current state. References are never removed:
    /// merge only ever adds siblings a replica has not seen, and an older value that was
    /// overwritten still named content the scope was allowed to see.
    static func record(_ record: SyncRecord, in db: Database) throws {
        for digest in digests(in: record) {
            try db.execute(
                sql: "INSERT OR IGNORE INTO attachment_reference (sha256, record_id, ward, patient) VALUES (?, ?, ?, ?)",
                arguments: [digest, record.id.uuidString, record.scope.ward, record.scope.patient?.uuidString])
        }
    }
}

/// A validated attachment name: exactly 64 lowercase hexadecimal digits.
///
/// Attachment files are named after this value alone, so a request can never name a
/// path outside the attachment directory (`../`, `/`, `%2F` and NUL all fail here).
public struct AttachmentDigest: Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    public init?(_ text: String) {
        guard text.utf8.count == 64,
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        hex = text
    }

    public var description: String { hex }
}
