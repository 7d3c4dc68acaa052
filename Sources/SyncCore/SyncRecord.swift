import Foundation

/// One synchronised record: its envelope (id, kind, scope, schema version,
/// append-only flag), its version vector, its fields as (dot, value) siblings, and its
/// lifecycle (deletions are tombstones, never row removals).
///
/// Every dot in ``fields`` and ``lifecycle`` is covered by ``version`` — the
/// well-formedness that makes ``merge(_:_:)`` a join (see ``validate()``).
///
/// ```swift
/// var patient = SyncRecord(kind: .patient, scope: RecordScope(ward: "W3"))
/// try patient.apply(["phone": .set("138…"), "allergies": .insert("penicillin")],
///                   dot: Dot(replica: me, counter: 7), at: stamp)
/// let both = try SyncRecord.merge(patient, copyFromServer)
/// ```
public struct SyncRecord: Hashable, Sendable, Identifiable {
    /// The record's UUID, chosen by the replica that creates it.
    public let id: UUID
    /// What the record is.
    public let kind: RecordKind
    /// Who may see and write the record; fixed at creation.
    public let scope: RecordScope
    /// Whether the record is a signed clinical entry that is never edited or merged
    /// field-wise. Fixed at creation.
    public let isAppendOnly: Bool
    /// The highest schema version of any software that wrote the record. A replica
    /// with an older schema keeps every field anyway.
    public var schemaVersion: Int
    /// Every write this version includes.
    public var version: VersionVector
    /// The fields by name, including those this software does not understand.
    public var fields: [String: FieldRegister]
    /// Deletions and restorations. Empty for a record never deleted.
    public var lifecycle: DotStore<RecordLifecycle>
    /// Envelope attributes written by a newer schema that this software does not
    /// know, kept and sent back unchanged.
    public var unknownAttributes: [String: FieldValue]

    /// An empty record, before its first edit.
    ///
    /// A new record only becomes visible to others through ``apply(_:dot:at:)``: the
    /// store calls that in the same transaction, so no empty record is ever pushed.
    public init(
        id: UUID = UUID(), kind: RecordKind, scope: RecordScope,
        schemaVersion: Int = SyncRecord.currentSchemaVersion, isAppendOnly: Bool? = nil
    ) {
        self.id = id
        self.kind = kind
        self.scope = scope
        self.isAppendOnly = isAppendOnly ?? kind.isAppendOnlyByDefault
        self.schemaVersion = schemaVersion
        self.version = VersionVector()
        self.fields = [:]
        self.lifecycle = DotStore()
        self.unknownAttributes = [:]
    }

    /// The schema version this software writes.
    public static let currentSchemaVersion = 1

    /// The value of a field as shown (the provisional winner while in conflict).
    public subscript(field: String) -> FieldValue? {
        fields[field]?.value
    }

    /// Every dot the record holds, in fields and lifecycle.
    public var allDots: [Dot] {
        fields.values.flatMap(\.siblings.dots) + lifecycle.dots
    }

    /// The latest timestamp of any value the record holds, for ordering lists.
    public var lastChangedAt: HybridTimestamp? {
        (fields.values.flatMap { $0.siblings.siblings.map(\.at) } + lifecycle.siblings.map(\.at)).max()
    }

    /// Checks the record is well formed: every dot is covered by the version vector,
    /// an append-only record has no lifecycle, and set fields hold no duplicate dots.
    /// The server refuses, and the client quarantines, records that fail this.
    public func validate() throws(SyncRecordError) {
        for dot in allDots where !version.covers(dot) {
            throw .dotNotCovered(record: id, dot: dot)
        }
        if isAppendOnly && !lifecycle.isEmpty {
            throw .appendOnlyRecordChanged(id)
        }
    }
}

/// Why a record cannot be merged, edited or accepted.
public enum SyncRecordError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two versions hold the same dot with different contents: two databases share a
    /// replica id (a cloned disk, a restored backup). Refused, never picked.
    case reusedDot(Dot)
    /// Two versions of one id disagree on kind, scope or append-only flag.
    case identityMismatch(record: UUID, detail: String)
    /// An append-only record arrived with a different body than the one held.
    /// Corrections must be new amendment records.
    case appendOnlyRecordChanged(UUID)
    /// A dot in the record is not covered by its version vector.
    case dotNotCovered(record: UUID, dot: Dot)
    /// A local edit's dot is not newer than what the record has seen from the replica.
    case staleDot(record: UUID, dot: Dot)
    /// A local edit names a field in a way its kind does not allow (for example
    /// inserting into a register).
    case wrongFieldKind(record: UUID, field: String, kind: FieldKind)
    /// A resolution names a field that is not in conflict.
    case nothingToResolve(record: UUID, field: String?)

    public var description: String {
        switch self {
        case .reusedDot(let dot):
            "dot \(dot) holds two different values: two databases share replica id \(dot.replica)"
        case .identityMismatch(let record, let detail):
            "record \(record) arrived with a different identity: \(detail)"
        case .appendOnlyRecordChanged(let record):
            "signed record \(record) arrived changed; corrections must be amendments"
        case .dotNotCovered(let record, let dot):
            "record \(record) holds dot \(dot) beyond its version vector"
        case .staleDot(let record, let dot):
            "edit dot \(dot) is not newer than record \(record) has already seen"
        case .wrongFieldKind(let record, let field, let kind):
            "field \(field) of record \(record) is a \(kind.rawValue) and cannot be changed that way"
        case .nothingToResolve(let record, let field):
            "record \(record) has no conflict on \(field ?? "its deletion") to resolve"
        }
    }
}
