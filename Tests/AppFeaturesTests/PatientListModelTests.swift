import AppFeatures
import CareModel
import ClientStore
import Foundation
import Testing

@MainActor
private func demoDatabase(patients: Int) throws -> ClientDatabase {
    let database = try ClientDatabase.inMemory()
    _ = try database.archive.saveDemoHospital(
        DemoHospital(seed: 11, referenceDate: CalendarDate(year: 2026, month: 11, day: 23)!), patientCount: patients)
    return database
}

@Suite("Patient list view model")
@MainActor
struct PatientListModelTests {
    @Test func emptyQueryListsEveryPatientInPinyinOrder() async throws {
        let database = try demoDatabase(patients: 120)
        let list = PatientListModel(directory: database.patients)
        var changes: [PatientListModel.Change] = []
        list.onChange = { changes.append($0) }
        await list.search("")
        #expect(list.resultIDs.count == 120)
        #expect(list.countText == "120 patients")
        #expect(list.emptyMessage == nil)
        #expect(changes.contains(.results(ids: list.resultIDs)))
        #expect(changes.last == .state(.loaded))
        let keys = try list.resultIDs.map { try #require(try database.patients.patient(id: $0)) }
            .map { ($0.pinyin ?? $0.latinName ?? $0.mrn).lowercased() }
        #expect(keys == keys.sorted())
    }

    @Test func searchNarrowsAndSaysHowMany() async throws {
        let database = try demoDatabase(patients: 120)
        let list = PatientListModel(directory: database.patients)
        let someone = try #require(try database.patients.patient(id: try database.patients.search("")[17]))
        await list.search(someone.mrn)
        #expect(list.resultIDs == [someone.id])
        #expect(list.countText == "1 of 120 patients matches")
        #expect(list.summary(for: someone.id)?.displayName == someone.displayName)
    }

    @Test func noMatchExplainsWhatCanBeSearched() async throws {
        let database = try demoDatabase(patients: 20)
        let list = PatientListModel(directory: database.patients)
        await list.search("zzzzqqq")
        #expect(list.resultIDs.isEmpty)
        #expect(list.emptyMessage?.title == "No patient matches “zzzzqqq”")
    }

    @Test func anEmptyDatabaseSaysWherePatientsComeFrom() async throws {
        let list = PatientListModel(directory: try ClientDatabase.inMemory().patients)
        await list.search("")
        #expect(list.emptyMessage?.title == "No patients yet")
    }

    @Test func aSlowerOlderQueryNeverOverwritesANewerOne() async throws {
        let database = try demoDatabase(patients: 200)
        let list = PatientListModel(directory: database.patients)
        let someone = try #require(try database.patients.patient(id: try database.patients.search("")[3]))
        // The broad query starts first and is still running when the nurse types more.
        let broad = Task { @MainActor in await list.search("a") }
        while list.query != "a" { await Task.yield() }
        await list.search(someone.mrn)
        await broad.value
        #expect(list.query == someone.mrn)
        #expect(list.resultIDs == [someone.id])
    }

    @Test func summariesAreFetchedForRowsOnDemand() async throws {
        let database = try demoDatabase(patients: 150)
        let list = PatientListModel(directory: database.patients)
        await list.search("")
        let last = try #require(list.resultIDs.last)
        let summary = try #require(list.summary(for: last))
        #expect(summary.id == last)
        #expect(list.summary(for: UUID()) == nil)
    }
}

@Suite("Patient detail")
struct PatientDetailTests {
    @Test func summarizesTheArchiveInLabelledLines() throws {
        let hospital = DemoHospital(seed: 3, referenceDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        let patient = hospital.patient(at: 5)
        let detail = PatientDetail(patient: patient, wardName: "Cardiology 1", today: hospital.referenceDate)
        #expect(detail.title == patient.displayName)
        #expect(detail.subtitle.contains("MRN \(patient.mrn)"))
        #expect(detail.lines.first?.label == "Ward")
        #expect(detail.lines.first?.value.hasPrefix("Cardiology 1") == true)
        for diagnosis in patient.diagnoses {
            #expect(detail.lines.contains { $0.value == "\(diagnosis.code) \(diagnosis.description)" })
        }
    }
}
