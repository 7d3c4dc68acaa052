/// One value written by one edit: the value, the dot of the edit, and when (for display).
public struct Sibling<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    /// The edit that wrote this value.
    public let dot: Dot
    /// The value written.
    public let value: Value
    /// When the edit was made, for display and UI ordering only.
    public let at: HybridTimestamp

    public init(dot: Dot, value: Value, at: HybridTimestamp) {
        self.dot = dot
        self.value = value
        self.at = at
    }
}

/// A set of (dot, value) siblings: the storage of every field and of a record's
/// lifecycle.
///
/// Merging two dot stores keeps a sibling when both sides have it, or when the side
/// that lacks it has not seen its dot (so it was not overwritten there, it simply has
/// not arrived). A sibling that one side lacks although its vector covers the dot was
/// overwritten or removed there, and is dropped. This is the causal join of
/// dotted-version-vector CRDTs: commutative, associative and idempotent whenever every
/// dot in a store is covered by its record's vector.
///
/// Siblings are kept sorted by dot, so equal stores are equal values and encode to
/// the same bytes.
public struct DotStore<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    /// The siblings, sorted by dot.
    public private(set) var siblings: [Sibling<Value>]

    /// An empty store.
    public init() { siblings = [] }

    /// A store holding exactly these siblings (sorted by dot on the way in).
    ///
    /// - Throws: ``SyncRecordError/reusedDot(_:)`` if two siblings share a dot.
    public init(_ siblings: [Sibling<Value>]) throws(SyncRecordError) {
        let sorted = siblings.sorted { $0.dot < $1.dot }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.dot == b.dot {
            throw .reusedDot(a.dot)
        }
        self.siblings = sorted
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([Sibling<Value>].self)
        self = try DotStore(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(siblings)
    }

    /// Whether the store has no sibling.
    public var isEmpty: Bool { siblings.isEmpty }

    /// The dots of all siblings.
    public var dots: [Dot] { siblings.map(\.dot) }

    /// The distinct values, in the order of their greatest dot (greatest first).
    public var distinctValues: [Value] {
        var seen = Set<Value>()
        var result: [Value] = []
        for sibling in siblings.reversed() where seen.insert(sibling.value).inserted {
            result.append(sibling.value)
        }
        return result
    }

    /// The sibling with the greatest dot: the deterministic provisional winner of a
    /// conflict. Chosen by dot, never by timestamp, so every replica shows the same.
    public var provisionalWinner: Sibling<Value>? { siblings.last }

    /// Replaces everything with one sibling: what a local write does, since the writer
    /// has seen every current sibling.
    public mutating func overwrite(with sibling: Sibling<Value>) {
        siblings = [sibling]
    }

    /// Adds one sibling (add-wins set insertion).
    public mutating func insert(_ sibling: Sibling<Value>) {
        siblings.removeAll { $0.dot == sibling.dot }
        siblings.append(sibling)
        siblings.sort { $0.dot < $1.dot }
    }

    /// Removes every sibling holding `value` (add-wins set removal of observed adds).
    public mutating func removeAll(holding value: Value) {
        siblings.removeAll { $0.value == value }
    }

    /// The causal join of two stores, each with the vector of the record it belongs to.
    ///
    /// - Throws: ``SyncRecordError/reusedDot(_:)`` when both sides hold the same dot with
    ///   different contents, which only happens when two databases share a replica id.
    ///   Picking one would silently lose the other, so it is refused.
    public static func merged(
        _ left: DotStore, seenBy leftVersion: VersionVector,
        _ right: DotStore, seenBy rightVersion: VersionVector
    ) throws(SyncRecordError) -> DotStore {
        var result: [Sibling<Value>] = []
        result.reserveCapacity(left.siblings.count + right.siblings.count)
        var i = 0, j = 0
        let a = left.siblings, b = right.siblings
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].dot < b[j].dot) {
                if !rightVersion.covers(a[i].dot) { result.append(a[i]) }
                i += 1
            } else if i == a.count || b[j].dot < a[i].dot {
                if !leftVersion.covers(b[j].dot) { result.append(b[j]) }
                j += 1
            } else {
                guard a[i] == b[j] else { throw .reusedDot(a[i].dot) }
                result.append(a[i])
                i += 1
                j += 1
            }
        }
        var store = DotStore()
        store.siblings = result
        return store
    }
}
