/// How a field's siblings are read and written.
public enum FieldKind: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
    /// A multi-value register: a write replaces every value the writer has seen;
    /// concurrent writes of different values are a true conflict.
    case multiValue
    /// An add-wins set (safety lists such as allergies): each element is added with its
    /// own dot; a removal removes only the additions it has seen, so an element added
    /// concurrently with its removal stays. Sets never conflict.
    case addWinsSet

    public static func < (lhs: FieldKind, rhs: FieldKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One field of a record: its kind and its (dot, value) siblings.
///
/// ```swift
/// let phone = record.fields["phone"]
/// if phone?.isConflicted == true { show(phone!.conflictingValues) }
/// else { show(phone?.value) }
/// ```
public struct FieldRegister: Hashable, Sendable, Codable {
    /// How the field is read and written.
    public var kind: FieldKind
    /// The values written by edits that no other edit has yet covered.
    public var siblings: DotStore<FieldValue>

    public init(kind: FieldKind = .multiValue, siblings: DotStore<FieldValue> = DotStore()) {
        self.kind = kind
        self.siblings = siblings
    }

    /// Whether concurrent edits wrote different values and a person must choose.
    /// Equal values written concurrently are not a conflict; sets never conflict.
    public var isConflicted: Bool {
        kind == .multiValue && siblings.distinctValues.count > 1
    }

    /// The value to show: for a register, the provisional winner (the only value when
    /// there is no conflict); `nil` when never written. For a set, its elements as an array.
    public var value: FieldValue? {
        switch kind {
        case .multiValue: siblings.provisionalWinner?.value
        case .addWinsSet: .array(elements)
        }
    }

    /// The distinct concurrent values of a register, provisional winner first.
    public var conflictingValues: [FieldValue] { siblings.distinctValues }

    /// The elements of an add-wins set, in canonical order.
    public var elements: [FieldValue] { Array(Set(siblings.siblings.map(\.value))).sorted() }

    /// The causal join of two versions of the field. A kind mismatch (only possible
    /// from a faulty writer) keeps every sibling and reads them as the greater kind, so
    /// nothing is dropped.
    public static func merged(
        _ left: FieldRegister, seenBy leftVersion: VersionVector,
        _ right: FieldRegister, seenBy rightVersion: VersionVector
    ) throws(SyncRecordError) -> FieldRegister {
        FieldRegister(
            kind: max(left.kind, right.kind),
            siblings: try DotStore.merged(left.siblings, seenBy: leftVersion, right.siblings, seenBy: rightVersion)
        )
    }
}

/// Whether a record is live or deleted, as written by one edit.
///
/// A deletion remembers the version vector it saw. Any field value whose dot that
/// vector does not cover was written concurrently with the delete, and the record is
/// then in a delete-versus-update conflict instead of being deleted: deletes never win
/// silently.
public enum RecordLifecycle: Hashable, Sendable, Codable {
    /// Restored after a deletion (a record that was never deleted has no lifecycle sibling).
    case live
    /// Deleted by an edit that had seen `seen`.
    case deleted(seen: VersionVector)

    private enum CodingKeys: String, CodingKey { case state, seen }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .state) {
        case "live": self = .live
        case "deleted": self = .deleted(seen: try container.decode(VersionVector.self, forKey: .seen))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container, debugDescription: "unknown lifecycle state \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .live: try container.encode("live", forKey: .state)
        case .deleted(let seen):
            try container.encode("deleted", forKey: .state)
            try container.encode(seen, forKey: .seen)
        }
    }

    /// Whether this is a deletion.
    public var isDeletion: Bool { if case .deleted = self { true } else { false } }
}
