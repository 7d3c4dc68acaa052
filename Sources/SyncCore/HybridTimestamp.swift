/// A hybrid logical clock reading: wall-clock milliseconds plus a logical counter.
///
/// Timestamps order the user interface ("edited 10:32 on ward 3") and show which of
/// two conflicting values was typed later. They never decide which data survives a
/// merge: merge looks only at dots and version vectors, so a device whose clock is
/// days off changes no merge outcome.
public struct HybridTimestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z, as the writing device believed.
    public let wallMilliseconds: Int64
    /// Distinguishes readings within the same millisecond, and keeps readings
    /// increasing when the wall clock steps back.
    public let logical: UInt32
    /// The replica that took the reading, so that readings are totally ordered.
    public let replica: ReplicaID

    public init(wallMilliseconds: Int64, logical: UInt32, replica: ReplicaID) {
        self.wallMilliseconds = wallMilliseconds
        self.logical = logical
        self.replica = replica
    }

    private enum CodingKeys: String, CodingKey {
        case wallMilliseconds = "wall"
        case logical
        case replica
    }

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool {
        (lhs.wallMilliseconds, lhs.logical, lhs.replica.rawValue)
            < (rhs.wallMilliseconds, rhs.logical, rhs.replica.rawValue)
    }

    public var description: String { "\(wallMilliseconds).\(logical)@\(replica)" }
}

/// The hybrid logical clock of one replica.
///
/// ```swift
/// var clock = HybridClock(replica: me)
/// let stamp = clock.tick(wallMilliseconds: nowMillis)
/// clock.observe(remoteStamp, wallMilliseconds: nowMillis) // on receiving data
/// ```
public struct HybridClock: Hashable, Sendable, Codable {
    /// The replica whose readings these are.
    public let replica: ReplicaID
    /// The last reading handed out or observed.
    public private(set) var last: HybridTimestamp?

    /// A clock that resumes after `last` (the stored last reading, after a restart).
    public init(replica: ReplicaID, last: HybridTimestamp? = nil) {
        self.replica = replica
        self.last = last
    }

    /// A new reading, strictly greater than every earlier reading and every observed one.
    public mutating func tick(wallMilliseconds: Int64) -> HybridTimestamp {
        let next: HybridTimestamp
        if let last, last.wallMilliseconds >= wallMilliseconds {
            next = HybridTimestamp(wallMilliseconds: last.wallMilliseconds, logical: last.logical &+ 1, replica: replica)
        } else {
            next = HybridTimestamp(wallMilliseconds: wallMilliseconds, logical: 0, replica: replica)
        }
        last = next
        return next
    }

    /// Moves the clock past a reading received from another replica, so that later
    /// local readings sort after it.
    public mutating func observe(_ remote: HybridTimestamp, wallMilliseconds: Int64) {
        let wall = max(wallMilliseconds, remote.wallMilliseconds, last?.wallMilliseconds ?? .min)
        var logical: UInt32 = 0
        if let last, last.wallMilliseconds == wall { logical = max(logical, last.logical) }
        if remote.wallMilliseconds == wall { logical = max(logical, remote.logical) }
        last = HybridTimestamp(wallMilliseconds: wall, logical: logical, replica: replica)
    }
}
