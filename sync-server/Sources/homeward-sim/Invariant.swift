import Foundation

/// The six invariants of the sync model (ARCHITECTURE.md, "Sync model").
enum Invariant: Int, Comparable, CaseIterable, Sendable {
    case convergence = 1
    case noLostWrite = 2
    case noSilentOverwrite = 3
    case idempotence = 4
    case durability = 5
    case scope = 6

    var name: String {
        switch self {
        case .convergence: "convergence"
        case .noLostWrite: "no lost write"
        case .noSilentOverwrite: "no silent overwrite"
        case .idempotence: "idempotence"
        case .durability: "durability"
        case .scope: "scope"
        }
    }

    static func < (lhs: Invariant, rhs: Invariant) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One broken invariant, with the record it was seen on (for the trace).
struct Violation: Error, Sendable {
    let invariant: Invariant
    let message: String
    let record: UUID?
}

/// The code under test failed in a way no invariant describes (an operation that
/// should have worked threw).
struct SimulationFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    let record: UUID?
}

/// One line of the run's history.
struct TraceLine: Sendable {
    let step: Int
    let time: Int64
    let text: String
    let records: [UUID]
    /// Events that change the world for everyone (scope assignments, server crashes,
    /// healing) belong in every record's trace.
    let global: Bool
}
