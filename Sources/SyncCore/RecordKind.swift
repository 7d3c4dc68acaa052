import Foundation

/// What a record is: a patient, a follow-up task, a signed-off follow-up…
///
/// Kinds are open strings so that a replica can hold and pass on kinds from a newer
/// schema. Whether a record is append-only travels on the record itself
/// (``SyncRecord/isAppendOnly``), so a replica that does not know a kind still merges
/// it correctly.
public struct RecordKind: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The kind as written on the wire.
    public let rawValue: String

    /// A kind from its wire form.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: RecordKind, rhs: RecordKind) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    // MARK: - Kinds of the clinical model

    /// A patient's archive entry: demographics, ward/bed, diagnoses, allergies, tags.
    public static let patient: RecordKind = "patient"
    /// A dated follow-up due for a patient; its status and assignee are edited.
    public static let followUpTask: RecordKind = "follow-up-task"
    /// A completed, signed-off follow-up (the form answers). Append-only.
    public static let signedFollowUp: RecordKind = "signed-follow-up"
    /// A call recording attached to a follow-up attempt. Append-only.
    public static let callRecording: RecordKind = "call-recording"
    /// An abnormal-value alert; its owner, deadline and escalation are edited.
    public static let abnormalAlert: RecordKind = "abnormal-alert"
    /// The outcome of an abnormal-value call-back. Append-only.
    public static let alertOutcome: RecordKind = "alert-outcome"
    /// A correction of an append-only record, which it names. Append-only.
    public static let amendment: RecordKind = "amendment"

    /// Whether records of this kind are append-only when created by this version of
    /// the software. Signed clinical entries are never edited: a correction is a new
    /// ``amendment`` record.
    public var isAppendOnlyByDefault: Bool {
        [RecordKind.signedFollowUp, .callRecording, .alertOutcome, .amendment].contains(self)
    }
}

/// Who may see and write a record: an envelope attribute, fixed when the record is
/// created.
///
/// Scope is not a field because the server checks it on every request before it looks
/// at any field, indexes it, and must never see two scopes for one record: a field
/// could be in conflict, a scope cannot. A ward user's replica holds the records of its
/// wards; a home-visit replica holds the records of the patients assigned to it, which
/// is why a record about a patient also names the patient.
///
/// On the wire: `{"ward": "W3", "patient": "8C1E…"}` (`patient` omitted when none).
public struct RecordScope: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The ward the record belongs to.
    public let ward: String
    /// The patient the record is about, if any.
    public let patient: UUID?

    public init(ward: String, patient: UUID? = nil) {
        self.ward = ward
        self.patient = patient
    }

    public static func < (lhs: RecordScope, rhs: RecordScope) -> Bool {
        (lhs.ward, lhs.patient?.uuidString ?? "") < (rhs.ward, rhs.patient?.uuidString ?? "")
    }

    public var description: String {
        patient.map { "ward \(ward), patient \($0.uuidString)" } ?? "ward \(ward)"
    }
}

/// What a user's replica may see and write: whole wards, assigned patients, or all.
///
/// ```swift
/// let nurse = AccessScope(wards: ["W3"])
/// nurse.allows(RecordScope(ward: "W3")) // true
/// ```
public struct AccessScope: Hashable, Sendable, Codable {
    /// Wards whose every record is visible.
    public var wards: Set<String>
    /// Patients assigned for home visits: their records are visible whatever the ward.
    public var patients: Set<UUID>
    /// The central office: every record.
    public var allWards: Bool

    public init(wards: Set<String> = [], patients: Set<UUID> = [], allWards: Bool = false) {
        self.wards = wards
        self.patients = patients
        self.allWards = allWards
    }

    /// Whether a record with this scope may be sent to and accepted from the replica.
    public func allows(_ scope: RecordScope) -> Bool {
        if allWards || wards.contains(scope.ward) { return true }
        if let patient = scope.patient { return patients.contains(patient) }
        return false
    }
}
