import Foundation

/// Why a record waits for a person.
public enum ConflictReason: String, Hashable, Sendable, Codable {
    /// Concurrent edits wrote different values to the same field.
    case concurrentValues
    /// The record was deleted while someone else, not knowing, updated it.
    case updateConcurrentWithDelete
    /// The record was restored on one replica while deleted (again) on another.
    case restoreConcurrentWithDelete
}

/// One of the competing writes of a conflict.
public struct ConflictCandidate: Hashable, Sendable, Codable {
    /// The write.
    public let dot: Dot
    /// When it was made (display only).
    public let at: HybridTimestamp
    /// The field it wrote; `nil` for a deletion or restoration.
    public let field: String?
    /// The value it wrote; `nil` for a deletion or restoration.
    public let value: FieldValue?
    /// Whether this write deleted the record.
    public let deletes: Bool

    public init(dot: Dot, at: HybridTimestamp, field: String?, value: FieldValue?, deletes: Bool) {
        self.dot = dot
        self.at = at
        self.field = field
        self.value = value
        self.deletes = deletes
    }
}

/// One true conflict waiting for a person: an entry of the conflict listing
/// (`GET /v1/conflicts`) and of the client's conflict screen.
public struct ConflictEntry: Hashable, Sendable, Codable {
    /// The record in conflict.
    public let recordID: UUID
    /// The record's kind, so a listing can be grouped without fetching records.
    public let kind: RecordKind
    /// The record's scope, so the server filters the listing by the user's scope.
    public let scope: RecordScope
    /// What is in conflict.
    public let reason: ConflictReason
    /// The field in conflict; `nil` for a deletion conflict.
    public let field: String?
    /// Every competing write, sorted by dot.
    public let candidates: [ConflictCandidate]
    /// The write shown until a person decides: the greatest dot for a field; for a
    /// deletion, the greatest non-deleting write, so the record stays visible.
    public let provisionalWinner: Dot

    public init(
        recordID: UUID, kind: RecordKind, scope: RecordScope, reason: ConflictReason, field: String?,
        candidates: [ConflictCandidate], provisionalWinner: Dot
    ) {
        self.recordID = recordID
        self.kind = kind
        self.scope = scope
        self.reason = reason
        self.field = field
        self.candidates = candidates
        self.provisionalWinner = provisionalWinner
    }

    private enum CodingKeys: String, CodingKey {
        case recordID = "recordId", kind, scope, reason, field, candidates, provisionalWinner
    }
}

extension SyncRecord {
    /// Every conflict of this record: a deletion conflict first, then field conflicts
    /// by field name.
    public var conflicts: [ConflictEntry] {
        var result: [ConflictEntry] = []
        if deletionState == .conflicted {
            let deletionSeen = lifecycle.siblings.reduce(VersionVector()) { seen, sibling in
                if case .deleted(let vector) = sibling.value { seen.joined(with: vector) } else { seen }
            }
            var candidates = lifecycle.siblings.map {
                ConflictCandidate(dot: $0.dot, at: $0.at, field: nil, value: nil, deletes: $0.value.isDeletion)
            }
            for (name, field) in fields {
                for sibling in field.siblings.siblings where !deletionSeen.covers(sibling.dot) {
                    candidates.append(
                        ConflictCandidate(dot: sibling.dot, at: sibling.at, field: name, value: sibling.value, deletes: false))
                }
            }
            candidates.sort { ($0.dot, $0.field ?? "") < ($1.dot, $1.field ?? "") }
            let restores = lifecycle.siblings.contains { !$0.value.isDeletion }
            let keeper = candidates.last { !$0.deletes } ?? candidates.last!
            result.append(
                ConflictEntry(
                    recordID: id, kind: kind, scope: scope,
                    reason: restores ? .restoreConcurrentWithDelete : .updateConcurrentWithDelete,
                    field: nil, candidates: candidates, provisionalWinner: keeper.dot))
        }
        for (name, field) in fields.sorted(by: { $0.key < $1.key }) where field.isConflicted {
            let candidates = field.siblings.siblings.map {
                ConflictCandidate(dot: $0.dot, at: $0.at, field: name, value: $0.value, deletes: false)
            }
            result.append(
                ConflictEntry(
                    recordID: id, kind: kind, scope: scope, reason: .concurrentValues, field: name,
                    candidates: candidates, provisionalWinner: field.siblings.provisionalWinner!.dot))
        }
        return result
    }

    /// Whether anything in the record waits for a person.
    public var hasConflicts: Bool {
        deletionState == .conflicted || fields.values.contains(where: \.isConflicted)
    }
}
