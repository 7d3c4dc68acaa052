import CareModel
import CareRecords
import Foundation
import ServerStore
import SyncCore
import Testing
@testable import SyncServer

@Suite struct DemoSeederTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 23)!

    @Test func loadsPatientsAsRecordsThatReadBackAsTheSamePatients() async throws {
        let database = try ServerDatabase.inMemory()
        let hospital = DemoHospital(seed: 11, referenceDate: Self.today)
        let summary = try await DemoSeeder(hospital: hospital).seed(patients: 40, into: database)
        #expect(summary == DemoSeedSummary(added: 40, alreadyPresent: 0))
        #expect(try await database.recordCount() == 40)

        let records = try await database.records(scope: AccessScope(allWards: true))
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        for patient in hospital.patients(count: 40) {
            let record = try #require(byID[patient.id])
            try record.validate()
            #expect(record.kind == .patient)
            #expect(record.scope == RecordScope(ward: patient.wardID.rawValue, patient: patient.id))
            #expect(!record.hasConflicts)
            #expect(try PatientRecordMapping.patient(from: record) == patient)
        }
    }

    @Test func runningTwiceAddsNothing() async throws {
        let database = try ServerDatabase.inMemory()
        let seeder = DemoSeeder(hospital: DemoHospital(seed: 11, referenceDate: Self.today))
        _ = try await seeder.seed(patients: 30, into: database)
        let cursor = try await database.latestCursor()
        let again = try await seeder.seed(patients: 30, into: database)
        #expect(again == DemoSeedSummary(added: 0, alreadyPresent: 30))
        #expect(try await database.recordCount() == 30)
        #expect(try await database.latestCursor() == cursor)
    }

    @Test func aLaterDayOrMorePatientsOnlyAddsTheMissingOnes() async throws {
        let database = try ServerDatabase.inMemory()
        _ = try await DemoSeeder(hospital: DemoHospital(seed: 11, referenceDate: Self.today))
            .seed(patients: 20, into: database)
        // A week later the same seed draws other discharge dates for the same patients;
        // the stored ones are kept, not duplicated and not turned into conflicts.
        let later = DemoSeeder(hospital: DemoHospital(seed: 11, referenceDate: Self.today.adding(days: 7)))
        let summary = try await later.seed(patients: 35, into: database)
        #expect(summary == DemoSeedSummary(added: 15, alreadyPresent: 20))
        #expect(try await database.recordCount() == 35)
        #expect(try await database.conflicts(scope: AccessScope(allWards: true), after: nil, limit: 10).conflicts.isEmpty)
    }

    @Test func aDifferentSeedIsADifferentHospital() async throws {
        let database = try ServerDatabase.inMemory()
        _ = try await DemoSeeder(hospital: DemoHospital(seed: 1, referenceDate: Self.today)).seed(patients: 10, into: database)
        let summary = try await DemoSeeder(hospital: DemoHospital(seed: 2, referenceDate: Self.today))
            .seed(patients: 10, into: database)
        #expect(summary.added == 10)
        #expect(try await database.recordCount() == 20)
    }

    @Test func recordsAreTheSameWhereverTheyAreGenerated() throws {
        let seeder = DemoSeeder(hospital: DemoHospital(seed: 5, referenceDate: Self.today))
        #expect(try seeder.record(at: 3) == seeder.record(at: 3))
        #expect(try SyncJSON.encode(seeder.record(at: 3)) == SyncJSON.encode(seeder.record(at: 3)))
        #expect(seeder.replica == "demo-hospital-5")
    }

    @Test func wardScopeSeesOnlyItsWard() async throws {
        let database = try ServerDatabase.inMemory()
        _ = try await DemoSeeder(hospital: DemoHospital(seed: 11, referenceDate: Self.today)).seed(patients: 60, into: database)
        let cardiology = try await database.records(scope: AccessScope(wards: ["CARD-1"]))
        #expect(!cardiology.isEmpty)
        #expect(cardiology.allSatisfy { $0.scope.ward == "CARD-1" })
        #expect(cardiology.count < 60)
    }
}

/// The server's mapping must agree with the client's `PatientRecordMapping`, or a patient
/// seeded on the server would read back differently on a ward workstation.
@Suite struct PatientRecordMappingTests {
    static let patient = DemoHospital(seed: 9, referenceDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        .patients(count: 80).first { !$0.allergies.isEmpty && $0.tags.count >= 2 }!

    @Test func fieldsAreThePatientsCodingKeysExceptTheID() throws {
        #expect(PatientRecordMapping.fieldNames == [
            "mrn", "chineseName", "latinName", "sex", "birthDate", "phones", "identityDocument", "address",
            "wardID", "bed", "departmentID", "admissions", "diagnoses", "surgeries", "dischargeMedications",
            "allergies", "tags",
        ])
        let record = try PatientRecordMapping.record(
            for: Self.patient, writtenBy: "demo-hospital-9", wallMilliseconds: 0)
        #expect(Set(record.fields.keys).isSubset(of: PatientRecordMapping.fieldNames))
        #expect(record.fields["id"] == nil)
        #expect(record["mrn"] == .string(Self.patient.mrn))
        #expect(record["wardID"] == .string(Self.patient.wardID.rawValue))
        #expect(record["birthDate"] == .string(Self.patient.birthDate!.description))
    }

    @Test func allergiesAndTagsAreAddWinsSets() throws {
        let record = try PatientRecordMapping.record(
            for: Self.patient, writtenBy: "demo-hospital-9", wallMilliseconds: 0)
        #expect(record.fields["allergies"]?.kind == .addWinsSet)
        #expect(record.fields["tags"]?.kind == .addWinsSet)
        #expect(record.fields["tags"]?.elements == Self.patient.tags.map { FieldValue.string($0) })
        #expect(record.fields["mrn"]?.kind == .multiValue)
        // One edit for the single values, then one per set element.
        let edits = try PatientRecordMapping.creationEdits(for: Self.patient)
        #expect(edits.count == 1 + Self.patient.allergies.count + Self.patient.tags.count)
        #expect(record.version[ReplicaID("demo-hospital-9")] == UInt64(edits.count))
    }

    @Test func aConcurrentAllergyAddedElsewhereSurvivesTheMerge() throws {
        let seeded = try PatientRecordMapping.record(for: Self.patient, writtenBy: "demo-hospital-9", wallMilliseconds: 0)
        var ward = seeded
        var office = seeded
        try ward.apply(["allergies": .insert(.object(["substance": "海鲜"]))],
                       dot: Dot(replica: "ward-pc", counter: 1),
                       at: HybridTimestamp(wallMilliseconds: 1, logical: 0, replica: "ward-pc"))
        try office.apply(["allergies": .insert(.object(["substance": "花粉"]))],
                         dot: Dot(replica: "office-pc", counter: 1),
                         at: HybridTimestamp(wallMilliseconds: 1, logical: 0, replica: "office-pc"))
        let merged = try #require(try PatientRecordMapping.patient(from: SyncRecord.merge(ward, office)))
        let substances = Set(merged.allergies.map(\.substance))
        #expect(substances.isSuperset(of: ["海鲜", "花粉"]))
        #expect(substances.isSuperset(of: Self.patient.allergies.map(\.substance)))
    }
}
