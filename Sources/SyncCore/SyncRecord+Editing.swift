import Foundation

/// One change a person makes to one field in a local edit.
public enum FieldChange: Hashable, Sendable {
    /// Sets a register (``FieldKind/multiValue``) field; `.set(.null)` clears it.
    /// Setting a field that is in conflict resolves the conflict.
    case set(FieldValue)
    /// Adds an element to an add-wins set field (created as a set if new).
    case insert(FieldValue)
    /// Removes an element from an add-wins set field: only the additions this replica
    /// has seen, so a concurrent addition elsewhere survives.
    case remove(FieldValue)
}

/// Whether a record is shown as live or deleted.
public enum DeletionState: String, Hashable, Sendable, Codable {
    /// Never deleted, or restored.
    case live
    /// Deleted, and no write concurrent with the deletion is pending a decision.
    case deleted
    /// A deletion is concurrent with an update or a restoration: the record stays
    /// visible, flagged, until a person confirms the deletion or keeps the record.
    case conflicted
}

extension SyncRecord {
    /// Applies a local edit: every changed field is stamped with `dot`, and the
    /// version vector records it.
    ///
    /// One edit is one dot: the caller takes the replica's next counter (greater than
    /// anything the record has seen from this replica) and stores the result in the
    /// same transaction. Fields whose value would not change are not stamped. Editing a
    /// deleted record restores it, because the edit shows someone still needs it.
    ///
    /// ```swift
    /// let changed = try record.apply(["phone": .set("138…")], dot: nextDot, at: stamp)
    /// ```
    ///
    /// - Returns: whether anything changed; when `false` the record is untouched and the
    ///   dot was not used.
    /// - Throws: ``SyncRecordError/appendOnlyRecordChanged(_:)`` on a signed record that
    ///   already has content; ``SyncRecordError/staleDot(record:dot:)``;
    ///   ``SyncRecordError/wrongFieldKind(record:field:kind:)``.
    @discardableResult
    public mutating func apply(
        _ changes: [String: FieldChange], dot: Dot, at: HybridTimestamp
    ) throws(SyncRecordError) -> Bool {
        try checkWritable(dot: dot)
        var fields = self.fields
        var changed = false
        for (name, change) in changes.sorted(by: { $0.key < $1.key }) {
            let sibling: (FieldValue) -> Sibling<FieldValue> = { Sibling(dot: dot, value: $0, at: at) }
            switch change {
            case .set(let value):
                var register = fields[name] ?? FieldRegister(kind: .multiValue)
                guard register.kind == .multiValue else {
                    throw .wrongFieldKind(record: id, field: name, kind: register.kind)
                }
                if !register.siblings.isEmpty && register.siblings.distinctValues == [value] { continue }
                register.siblings.overwrite(with: sibling(value))
                fields[name] = register
            case .insert(let element):
                var register = fields[name] ?? FieldRegister(kind: .addWinsSet)
                guard register.kind == .addWinsSet else {
                    throw .wrongFieldKind(record: id, field: name, kind: register.kind)
                }
                if register.siblings.siblings.contains(where: { $0.value == element }) { continue }
                register.siblings.insert(sibling(element))
                fields[name] = register
            case .remove(let element):
                guard var register = fields[name] else { continue }
                guard register.kind == .addWinsSet else {
                    throw .wrongFieldKind(record: id, field: name, kind: register.kind)
                }
                if !register.siblings.siblings.contains(where: { $0.value == element }) { continue }
                register.siblings.removeAll(holding: element)
                fields[name] = register
            }
            changed = true
        }
        guard changed else { return false }
        // Decided before the new values land: they are not covered by the deletion and
        // would otherwise read as a conflict with it.
        let restores = deletionState == .deleted
        self.fields = fields
        if restores {
            lifecycle.overwrite(with: Sibling(dot: dot, value: .live, at: at))
        }
        stamp(dot)
        return true
    }

    /// Deletes the record: a tombstone that remembers what it saw, so that updates it
    /// did not see surface as a conflict instead of vanishing. Deleting a record whose
    /// deletion is in conflict confirms the deletion (it now covers every update).
    ///
    /// - Returns: whether anything changed (`false` if already deleted).
    @discardableResult
    public mutating func delete(dot: Dot, at: HybridTimestamp) throws(SyncRecordError) -> Bool {
        try checkWritable(dot: dot)
        guard deletionState != .deleted else { return false }
        lifecycle.overwrite(with: Sibling(dot: dot, value: .deleted(seen: version), at: at))
        stamp(dot)
        return true
    }

    /// Restores a deleted record, or keeps a record whose deletion is in conflict.
    ///
    /// - Returns: whether anything changed (`false` if the record is live).
    @discardableResult
    public mutating func restore(dot: Dot, at: HybridTimestamp) throws(SyncRecordError) -> Bool {
        try checkWritable(dot: dot)
        guard deletionState != .live else { return false }
        lifecycle.overwrite(with: Sibling(dot: dot, value: .live, at: at))
        stamp(dot)
        return true
    }

    /// Resolves a field conflict by choosing a value (one of the siblings, or a new one
    /// a person typed): an ordinary edit whose dot covers every sibling.
    ///
    /// - Throws: ``SyncRecordError/nothingToResolve(record:field:)`` if the field is not
    ///   in conflict, so that a stale resolution screen cannot overwrite a newer value.
    public mutating func resolve(
        field: String, choosing value: FieldValue, dot: Dot, at: HybridTimestamp
    ) throws(SyncRecordError) {
        guard var register = fields[field], register.isConflicted else {
            throw .nothingToResolve(record: id, field: field)
        }
        try checkWritable(dot: dot)
        register.siblings.overwrite(with: Sibling(dot: dot, value: value, at: at))
        fields[field] = register
        stamp(dot)
    }

    /// Resolves a delete-versus-update conflict: `keepRecord` restores it with every
    /// concurrent update, otherwise the deletion is confirmed over them.
    public mutating func resolveDeletion(
        keepRecord: Bool, dot: Dot, at: HybridTimestamp
    ) throws(SyncRecordError) {
        guard deletionState == .conflicted else { throw .nothingToResolve(record: id, field: nil) }
        try checkWritable(dot: dot)
        let value: RecordLifecycle = keepRecord ? .live : .deleted(seen: version)
        lifecycle.overwrite(with: Sibling(dot: dot, value: value, at: at))
        stamp(dot)
    }

    /// Whether the record is live, deleted, or in a delete conflict.
    ///
    /// A deletion is conflicted when a restoration survives beside it, or when some
    /// field holds a value whose dot none of the deletions had seen.
    public var deletionState: DeletionState {
        let deletions = lifecycle.siblings.compactMap { sibling -> VersionVector? in
            if case .deleted(let seen) = sibling.value { seen } else { nil }
        }
        if deletions.isEmpty { return .live }
        if deletions.count != lifecycle.siblings.count { return .conflicted }
        let seen = deletions.reduce(VersionVector()) { $0.joined(with: $1) }
        let unseenUpdate = fields.values.contains { field in
            field.siblings.siblings.contains { !seen.covers($0.dot) }
        }
        return unseenUpdate ? .conflicted : .deleted
    }

    /// Whether the record is deleted and should be hidden (a conflicted deletion keeps
    /// it visible).
    public var isDeleted: Bool { deletionState == .deleted }

    private func checkWritable(dot: Dot) throws(SyncRecordError) {
        if isAppendOnly && !version.counters.isEmpty { throw .appendOnlyRecordChanged(id) }
        guard dot.counter > version[dot.replica] else { throw .staleDot(record: id, dot: dot) }
    }

    private mutating func stamp(_ dot: Dot) {
        version.record(dot)
        schemaVersion = max(schemaVersion, SyncRecord.currentSchemaVersion)
    }
}
