import CareModel
import Foundation
import SyncCore

/// How archive values become sync record fields and back.
///
/// Each top-level property (the type's coding keys) is one field, holding the property's
/// JSON value, so two nurses editing different parts of a patient (phone, bed) never
/// conflict, while two different phones written concurrently do. Safety lists
/// (allergies) and tags are add-wins sets: an allergy added on one laptop is never
/// dropped by a concurrent edit elsewhere. Client and server share this one mapping.
public enum PatientRecordMapping {
    public static let kind: RecordKind = .patient
    /// Fields held as add-wins sets rather than single values.
    public static let setFields: Set<String> = [
        Patient.CodingKeys.allergies.rawValue, Patient.CodingKeys.tags.rawValue,
    ]

    /// Every field a patient record may hold (the id is the record's own).
    public static let fieldNames: [String] = Patient.CodingKeys.allCases.map(\.rawValue)
        .filter { $0 != Patient.CodingKeys.id.rawValue }

    public static func scope(of patient: Patient) -> RecordScope {
        RecordScope(ward: patient.wardID.rawValue, patient: patient.id)
    }

    /// The edits that turn `old` (nil for a new record) into `new`. The first holds every
    /// single-value field change (one dot); set fields change one element per edit, since
    /// an add-wins set records each addition and removal on its own.
    public static func edits(from old: Patient?, to new: Patient) throws -> [[String: FieldChange]] {
        let oldFields = try old.map(RecordFields.encode) ?? [:]
        let newFields = try RecordFields.encode(new)
        var values: [String: FieldChange] = [:]
        var elementEdits: [[String: FieldChange]] = []
        for key in Patient.CodingKeys.allCases.map(\.rawValue) where key != Patient.CodingKeys.id.rawValue {
            let before = oldFields[key]
            let after = newFields[key] ?? .null
            if setFields.contains(key) {
                let beforeElements = Set(before?.arrayElements ?? [])
                let afterElements = Set(after.arrayElements ?? [])
                for element in afterElements.subtracting(beforeElements).sorted() {
                    elementEdits.append([key: .insert(element)])
                }
                for element in beforeElements.subtracting(afterElements).sorted() {
                    elementEdits.append([key: .remove(element)])
                }
            } else if before != after, !(before == nil && after == .null) {
                values[key] = .set(after)
            }
        }
        return (values.isEmpty ? [] : [values]) + elementEdits
    }

    /// The edits that create a record holding `patient`.
    public static func creationEdits(for patient: Patient) throws -> [[String: FieldChange]] {
        try edits(from: nil, to: patient)
    }

    /// A new record holding `patient`, written by `replica` with consecutive dots from 1
    /// (the server's demo seeding and benchmarks, which write without a local store).
    public static func record(for patient: Patient, writtenBy replica: ReplicaID, wallMilliseconds: Int64) throws -> SyncRecord {
        var record = SyncRecord(id: patient.id, kind: kind, scope: scope(of: patient))
        var clock = HybridClock(replica: replica)
        for (offset, edit) in try edits(from: nil, to: patient).enumerated() {
            try record.apply(
                edit, dot: Dot(replica: replica, counter: UInt64(offset + 1)), at: clock.tick(wallMilliseconds: wallMilliseconds))
        }
        return record
    }

    /// The patient a record holds now (provisional winners where a field is in conflict),
    /// or nil when the record is deleted or does not decode as a patient.
    public static func patient(from record: SyncRecord) throws -> Patient? {
        guard record.kind == kind, record.deletionState != .deleted else { return nil }
        var values: [String: FieldValue] = [:]
        for name in setFields { values[name] = .array([]) }
        for (name, register) in record.fields {
            if setFields.contains(name) {
                values[name] = .array(register.elements)
            } else if let value = register.value, value != .null {
                values[name] = value
            }
        }
        values[Patient.CodingKeys.id.rawValue] = .string(record.id.uuidString)
        return try RecordFields.decode(Patient.self, from: values)
    }
}

/// JSON-shaped conversion between Codable values and field dictionaries.
public enum RecordFields {
    public static func encode<T: Encodable>(_ value: T) throws -> [String: FieldValue] {
        try SyncJSON.decoder().decode([String: FieldValue].self, from: SyncJSON.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from fields: [String: FieldValue]) throws -> T {
        try SyncJSON.decoder().decode(type, from: SyncJSON.encode(fields))
    }
}

extension FieldValue {
    public var arrayElements: [FieldValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
