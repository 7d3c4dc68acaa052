/// What a replica has seen of one record: for each replica, the highest counter of
/// that replica's writes that this version includes.
///
/// On the wire a version vector is a JSON object from replica id to counter:
/// `{"ward3-ws1": 4, "server": 2}`. Replicas with counter 0 are never written.
///
/// ```swift
/// var seen = VersionVector()
/// seen.record(Dot(replica: "a", counter: 3))
/// seen.covers(Dot(replica: "a", counter: 2)) // true
/// ```
public struct VersionVector: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The counters, without zero entries (so equal histories compare equal).
    public private(set) var counters: [ReplicaID: UInt64]

    /// The empty vector: has seen nothing.
    public init() { counters = [:] }

    /// Creates a vector from counters; zero counters are dropped.
    public init(_ counters: [ReplicaID: UInt64]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    /// The highest counter seen from `replica`, 0 if none.
    public subscript(replica: ReplicaID) -> UInt64 {
        counters[replica] ?? 0
    }

    /// Whether the write identified by `dot` is included in this version.
    public func covers(_ dot: Dot) -> Bool {
        self[dot.replica] >= dot.counter
    }

    /// Whether every write this vector has seen, `other` has seen too
    /// (`self ≤ other` in the causal order).
    public func isCovered(by other: VersionVector) -> Bool {
        counters.allSatisfy { other[$0.key] >= $0.value }
    }

    /// Whether neither vector has seen everything the other has.
    public func isConcurrent(with other: VersionVector) -> Bool {
        !isCovered(by: other) && !other.isCovered(by: self)
    }

    /// Adds one write to the vector.
    public mutating func record(_ dot: Dot) {
        if dot.counter > self[dot.replica] { counters[dot.replica] = dot.counter }
    }

    /// The pointwise maximum: everything either side has seen.
    public func joined(with other: VersionVector) -> VersionVector {
        var result = self
        for (replica, counter) in other.counters where counter > result[replica] {
            result.counters[replica] = counter
        }
        return result
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: UInt64].self)
        self.init(Dictionary(uniqueKeysWithValues: raw.map { (ReplicaID($0.key), $0.value) }))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counters.map { ($0.key.rawValue, $0.value) }))
    }

    public var description: String {
        "[" + counters.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", ") + "]"
    }
}
