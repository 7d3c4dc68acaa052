import CareModel
import CareRecords
import Foundation
import ServerStore
import SyncCore

/// Loads a ``DemoHospital`` into the server's store as patient records.
///
/// Idempotent: patient ids depend only on the seed and the patient's number, and a
/// patient whose record already exists is left as it is, so running the loader again,
/// even on a later day or with more patients, adds only the patients that are missing.
///
/// The records are written by a replica of their own, `demo-hospital-<seed>`, rather than
/// the server's: each patient needs several edits (its allergies and tags are add-wins
/// sets, one element per edit), and a record written this way is the same, dots
/// included, wherever it is generated.
///
/// ```swift
/// let seeder = DemoSeeder(hospital: DemoHospital(seed: 7, referenceDate: today))
/// let summary = try await seeder.seed(patients: 200, into: database)
/// ```
public struct DemoSeeder: Sendable {
    public let hospital: DemoHospital

    /// Patients written per transaction: large enough to load thousands quickly, small
    /// enough that a push waiting on the writer is not held up for long.
    public static let batchSize = 250

    public init(hospital: DemoHospital) {
        self.hospital = hospital
    }

    /// The replica that writes this hospital's records.
    public var replica: ReplicaID { ReplicaID("demo-hospital-\(hospital.seed)") }

    /// The record of demo patient number `index`.
    public func record(at index: Int) throws -> SyncRecord {
        // Midnight UTC of the reference day: a fixed, plausible time for the original writes.
        let wall = Int64(hospital.referenceDate.daysSinceEpoch) * 86_400_000
        return try PatientRecordMapping.record(
            for: hospital.patient(at: index), writtenBy: replica, wallMilliseconds: wall)
    }

    /// Adds patients `0..<count` that the store does not hold yet.
    public func seed(patients count: Int, into store: any RecordStore) async throws -> DemoSeedSummary {
        var summary = DemoSeedSummary(added: 0, alreadyPresent: 0)
        let everything = AccessScope(allWards: true)
        var start = 0
        while start < count {
            let end = min(count, start + Self.batchSize)
            var missing: [SyncRecord] = []
            for index in start..<end {
                let record = try record(at: index)
                if try await store.record(id: record.id, scope: everything) != nil {
                    summary.alreadyPresent += 1
                } else {
                    missing.append(record)
                }
            }
            if !missing.isEmpty {
                let stored = try await store.seed(records: missing)
                summary.added += stored.stored
                summary.alreadyPresent += stored.unchanged
            }
            start = end
        }
        return summary
    }
}

/// What a demo load did, in numbers only: the log and the console never name a patient.
public struct DemoSeedSummary: Sendable, Equatable, CustomStringConvertible {
    public var added: Int
    public var alreadyPresent: Int

    public init(added: Int, alreadyPresent: Int) {
        self.added = added
        self.alreadyPresent = alreadyPresent
    }

    public var description: String {
        "\(added) patients added, \(alreadyPresent) already present"
    }
}
