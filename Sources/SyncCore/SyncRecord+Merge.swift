import Foundation

extension SyncRecord {
    /// Merges two versions of the same record.
    ///
    /// Per field: a value whose dot the other side's vector covers was overwritten
    /// there and loses; values neither side has seen the other overwrite are all kept —
    /// if they differ, the field is a true conflict (``FieldRegister/isConflicted``).
    /// The merged vector is the pointwise maximum. The schema version is the maximum.
    /// Merge is commutative, associative and idempotent, so replicas converge whatever
    /// the order, duplication or delay of messages.
    ///
    /// Append-only records are never merged field-wise: the two versions must be
    /// identical.
    ///
    /// - Throws: ``SyncRecordError/identityMismatch(record:detail:)`` when id, kind,
    ///   scope or append-only flag differ; ``SyncRecordError/appendOnlyRecordChanged(_:)``
    ///   when two bodies of a signed record differ; ``SyncRecordError/reusedDot(_:)``
    ///   when one dot holds two values.
    public static func merge(_ left: SyncRecord, _ right: SyncRecord) throws(SyncRecordError) -> SyncRecord {
        guard left.id == right.id else {
            throw .identityMismatch(record: left.id, detail: "other id \(right.id)")
        }
        guard left.kind == right.kind else {
            throw .identityMismatch(record: left.id, detail: "kind \(left.kind) versus \(right.kind)")
        }
        guard left.scope == right.scope else {
            throw .identityMismatch(record: left.id, detail: "scope \(left.scope) versus \(right.scope)")
        }
        guard left.isAppendOnly == right.isAppendOnly else {
            throw .identityMismatch(record: left.id, detail: "append-only flag differs")
        }
        if left.isAppendOnly {
            guard left == right else { throw .appendOnlyRecordChanged(left.id) }
            return left
        }

        var result = left
        result.schemaVersion = max(left.schemaVersion, right.schemaVersion)
        result.version = left.version.joined(with: right.version)
        result.lifecycle = try DotStore.merged(
            left.lifecycle, seenBy: left.version, right.lifecycle, seenBy: right.version)
        var fields: [String: FieldRegister] = [:]
        for name in Set(left.fields.keys).union(right.fields.keys) {
            let l = left.fields[name], r = right.fields[name]
            fields[name] = try FieldRegister.merged(
                l ?? FieldRegister(kind: r!.kind), seenBy: left.version,
                r ?? FieldRegister(kind: l!.kind), seenBy: right.version)
        }
        result.fields = fields
        // Unknown envelope attributes are written by newer software, which sets them at
        // creation; when two differ, both replicas keep the same one (the greater) so
        // that they still converge.
        for (key, value) in right.unknownAttributes {
            if let mine = left.unknownAttributes[key], !(mine < value) { continue }
            result.unknownAttributes[key] = value
        }
        return result
    }

    /// This version merged with another; see ``merge(_:_:)``.
    public func merged(with other: SyncRecord) throws(SyncRecordError) -> SyncRecord {
        try SyncRecord.merge(self, other)
    }

    /// Whether this version has seen every write `other` holds, so merging `other`
    /// changes nothing.
    public func covers(_ other: SyncRecord) -> Bool {
        other.version.isCovered(by: version)
    }
}
