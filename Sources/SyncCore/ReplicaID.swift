/// The stable identity of one replica: a client install or the server.
///
/// A replica id is chosen once (usually a UUID string) when a database is created and
/// never changes. Two databases must never share an id, because dots from the same
/// replica are assumed to be issued in order by one writer.
///
/// ```swift
/// let ward3Workstation = ReplicaID("6F1C…")
/// ```
public struct ReplicaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The id as written on the wire.
    public let rawValue: String

    /// Creates a replica id from its wire form.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}

/// The identity of one write: the replica that made it and that replica's counter at
/// the time.
///
/// Every field value carries the dot of the edit that set it, which is how merge tells
/// a stale value (its dot is covered by the other side's ``VersionVector``) from a
/// concurrent one (not covered).
///
/// Dots are totally ordered (counter, then replica) only so that a provisional winner
/// can be chosen identically on every replica; the order says nothing about which
/// write is "newer".
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The replica that made the write.
    public let replica: ReplicaID
    /// The replica's counter for this write; counters start at 1.
    public let counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        if lhs.counter != rhs.counter { return lhs.counter < rhs.counter }
        return lhs.replica < rhs.replica
    }

    public var description: String { "\(replica.rawValue):\(counter)" }
}
