import CareModel
import CareRecords
import Foundation
import GRDB
import SyncCore

/// Keeps the patient projection in step with patient records: every change to a patient
/// record — a local save, a pulled page, a conflict resolution — rewrites its list row in
/// the same transaction; a deleted record leaves the list.
struct PatientProjector: RecordProjector {
    func project(_ record: SyncRecord, in db: Database) throws {
        guard record.kind == PatientRecordMapping.kind else { return }
        if let patient = try PatientRecordMapping.patient(from: record) {
            try PatientProjectionWriter.upsert(patient, in: db)
        } else {
            try PatientProjectionWriter.remove(id: record.id, in: db)
        }
    }
}

/// Writes patient archives as sync records (so they sync and merge field by field).
///
/// ```swift
/// try database.archive.save(patient)        // creates or edits, one transaction
/// ```
public struct PatientArchive: Sendable {
    let writer: any DatabaseWriter
    let records: SyncRecordStore

    /// What a bulk save did.
    public struct SaveSummary: Sendable, Equatable {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
    }

    /// Creates the patient's record or edits the fields that differ. Returns whether
    /// anything changed.
    @discardableResult
    public func save(_ patient: Patient) throws -> Bool {
        try writer.write { db in try save(patient, in: db) != .unchanged }
    }

    /// Saves many patients (and their wards and departments) in one transaction: all or nothing.
    public func save(patients: [Patient], wards: [Ward] = [], departments: [Department] = []) throws -> SaveSummary {
        try writer.write { db in
            for department in departments { try PatientProjectionWriter.upsert(department, in: db) }
            for ward in wards { try PatientProjectionWriter.upsert(ward, in: db) }
            var summary = SaveSummary()
            for patient in patients {
                switch try save(patient, in: db) {
                case .created: summary.created += 1
                case .updated: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                }
            }
            return summary
        }
    }

    /// Fills the database with the first `patientCount` patients of a demo hospital.
    /// Patient ids come from the seed, so running it again changes nothing.
    public func saveDemoHospital(_ hospital: DemoHospital, patientCount: Int) throws -> SaveSummary {
        try save(patients: hospital.patients(count: patientCount), wards: hospital.wards, departments: hospital.departments)
    }

    private enum Outcome { case created, updated, unchanged }

    private func save(_ patient: Patient, in db: Database) throws -> Outcome {
        let existing = try records.record(patient.id, in: db)
        let current = try existing.flatMap(PatientRecordMapping.patient(from:))
        let edits = try PatientRecordMapping.edits(from: current, to: patient)
        guard !edits.isEmpty else { return .unchanged }
        // Only the last edit of the save needs projecting: it sees every field.
        let unprojected = SyncRecordStore(projectors: [], wallClock: records.wallClock)
        for (index, edit) in edits.enumerated() {
            let store = index == edits.count - 1 ? records : unprojected
            if index == 0 && existing == nil {
                try store.create(
                    kind: PatientRecordMapping.kind, scope: PatientRecordMapping.scope(of: patient), id: patient.id,
                    changes: edit, in: db)
            } else {
                try store.edit(patient.id, edit, in: db)
            }
        }
        return existing == nil ? .created : .updated
    }
}

extension ClientDatabase {
    /// The sync record layer of this database, with the patient projection registered.
    public var syncRecords: SyncRecordStore { syncRecords(wallClock: nil) }

    /// The sync record layer with another clock for hybrid timestamps (benchmarks and
    /// tests that simulate days offline; never used to decide what survives a merge).
    public func syncRecords(wallClock: (@Sendable () -> Int64)?) -> SyncRecordStore {
        let projectors: [any RecordProjector] = [PatientProjector(), CallRecordingProjector()]
        if let wallClock { return SyncRecordStore(projectors: projectors, wallClock: wallClock) }
        return SyncRecordStore(projectors: projectors)
    }

    /// Saving patient archives.
    public var archive: PatientArchive { PatientArchive(writer: writer, records: syncRecords) }

    /// Saving patient archives with another clock (see ``syncRecords(wallClock:)``).
    public func archive(wallClock: @escaping @Sendable () -> Int64) -> PatientArchive {
        PatientArchive(writer: writer, records: syncRecords(wallClock: wallClock))
    }
}
