import GRDB
import SyncCore

/// Keeps a derived table (patient search, follow-up queue…) in step with sync records.
///
/// ``SyncRecordStore`` calls every registered projector for every record it changes —
/// local edits, pulled pages, resolutions — inside the same transaction, so a derived
/// table is never behind or ahead of the records it comes from. A projector that throws
/// rolls the whole change back.
///
/// ```swift
/// struct PatientSearchProjector: RecordProjector {
///     func project(_ record: SyncRecord, in db: Database) throws {
///         guard record.kind == .patient else { return }
///         try db.execute(sql: "…", arguments: […])
///     }
/// }
/// ```
public protocol RecordProjector: Sendable {
    /// Brings derived rows up to date with `record` (which may be deleted or in conflict).
    func project(_ record: SyncRecord, in db: Database) throws
}
