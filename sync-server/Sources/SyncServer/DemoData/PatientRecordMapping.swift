import CareModel
import Foundation
import SyncCore

/// How a `Patient` becomes a sync record on the server, and back.
///
/// This mirrors the client's `ClientStore.PatientRecordMapping` field for field (the
/// server does not link the client's store): kind `patient`; scope the patient's ward and
/// the patient; one field per `Patient.CodingKeys` case except `id`, which is the
/// record's own id; each field holds the property's JSON value; `allergies` and `tags`
/// are add-wins sets, one element per edit. Absent optionals are not written. The two
/// mappings must stay in step: a test pins the field names and kinds.
public enum PatientRecordMapping {
    public static let kind: RecordKind = .patient

    /// Fields held as add-wins sets: an allergy added anywhere is never lost to a
    /// concurrent edit elsewhere.
    public static let setFields: Set<String> = [
        Patient.CodingKeys.allergies.rawValue, Patient.CodingKeys.tags.rawValue,
    ]

    /// Every field name a patient record may hold.
    public static let fieldNames: [String] = Patient.CodingKeys.allCases
        .map(\.rawValue)
        .filter { $0 != Patient.CodingKeys.id.rawValue }

    public static func scope(of patient: Patient) -> RecordScope {
        RecordScope(ward: patient.wardID.rawValue, patient: patient.id)
    }

    /// The edits that create `patient`'s record: first every single-value field in one
    /// edit, then one edit per set element, in a fixed order.
    public static func creationEdits(for patient: Patient) throws -> [[String: FieldChange]] {
        let fields = try encodeFields(patient)
        var values: [String: FieldChange] = [:]
        var elementEdits: [[String: FieldChange]] = []
        for name in fieldNames {
            guard let value = fields[name], value != .null else { continue }
            if setFields.contains(name) {
                guard case .array(let elements) = value else { continue }
                for element in Set(elements).sorted() { elementEdits.append([name: .insert(element)]) }
            } else {
                values[name] = .set(value)
            }
        }
        return (values.isEmpty ? [] : [values]) + elementEdits
    }

    /// A new record holding `patient`, every edit stamped by `replica` starting at counter 1.
    ///
    /// The same patient, replica and time always give the same record, dots included,
    /// which is what makes seeding the same demo hospital twice a no-op merge.
    public static func record(
        for patient: Patient, writtenBy replica: ReplicaID, wallMilliseconds: Int64
    ) throws -> SyncRecord {
        var record = SyncRecord(id: patient.id, kind: kind, scope: scope(of: patient))
        var clock = HybridClock(replica: replica)
        for (offset, edit) in try creationEdits(for: patient).enumerated() {
            try record.apply(
                edit, dot: Dot(replica: replica, counter: UInt64(offset + 1)),
                at: clock.tick(wallMilliseconds: wallMilliseconds))
        }
        return record
    }

    /// The patient a record shows now (provisional winners where a field is in conflict),
    /// or nil when the record is deleted or is not a patient.
    public static func patient(from record: SyncRecord) throws -> Patient? {
        guard record.kind == kind, record.deletionState != .deleted else { return nil }
        var values: [String: FieldValue] = [:]
        for (name, register) in record.fields {
            if setFields.contains(name) {
                values[name] = .array(register.elements)
            } else if let value = register.value, value != .null {
                values[name] = value
            }
        }
        values[Patient.CodingKeys.id.rawValue] = .string(record.id.uuidString)
        let data = try SyncJSON.encode(values)
        return try SyncJSON.decode(Patient.self, from: data)
    }

    static func encodeFields(_ patient: Patient) throws -> [String: FieldValue] {
        try SyncJSON.decode([String: FieldValue].self, from: SyncJSON.encode(patient))
    }
}
