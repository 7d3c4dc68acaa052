import Foundation
import Testing
@testable import CareModel

@Suite struct PatientTests {
    func makePatient(chinese: ChineseName? = nil, latin: String? = nil) -> Patient {
        Patient(
            id: UUID(), mrn: "10000042", chineseName: chinese, latinName: latin, sex: .female,
            birthDate: CalendarDate(year: 1950, month: 6, day: 1),
            phones: [PhoneContact(number: "13812345678")],
            wardID: "CARD-1", departmentID: "CARD",
            allergies: [Allergy(substance: "青霉素", reaction: "皮疹"), Allergy(substance: "碘造影剂")],
            tags: ["高血压", "糖尿病", "高血压"])
    }

    @Test func chineseNameCarriesPinyinAndInitials() {
        let name = ChineseName(characters: "张三", syllables: ["Zhāng", "sān"])
        #expect(name.pinyin == "zhangsan")
        #expect(name.pinyinInitials == "zs")
        #expect(name.spacedPinyin == "zhang san")
        #expect(name.isWellFormed)
        #expect(ChineseName(characters: "吕丽", syllables: ["lǚ", "li"]).pinyin == "lvli")
        #expect(!ChineseName(characters: "张三", syllables: ["zhang"]).isWellFormed)
    }

    @Test func displayNamePrefersChineseThenLatinThenMRN() {
        let both = makePatient(chinese: ChineseName(characters: "陈大文", syllables: ["chen", "da", "wen"]),
                               latin: "CHAN Tai Man")
        #expect(both.displayName == "陈大文")
        #expect(both.secondaryName == "CHAN Tai Man")
        let chineseOnly = makePatient(chinese: ChineseName(characters: "王芳", syllables: ["wang", "fang"]))
        #expect(chineseOnly.secondaryName == "wang fang")
        let latinOnly = makePatient(latin: "Sarah Johnson")
        #expect(latinOnly.displayName == "Sarah Johnson")
        #expect(latinOnly.secondaryName == nil)
        #expect(makePatient(latin: "  ").displayName == "10000042")
    }

    @Test func searchMatchesCharactersPinyinInitialsLatinMRNAndPhone() {
        let patient = makePatient(chinese: ChineseName(characters: "王芳", syllables: ["wang", "fang"]))
        for query in ["王", "王芳", "wangfang", "WANG", "wf", "10000042", "1381234", "wang 芳", ""] {
            #expect(patient.matchesSearch(query), "\(query)")
        }
        for query in ["李", "lifang", "wx", "wang li"] {
            #expect(!patient.matchesSearch(query), "\(query)")
        }
        let foreign = makePatient(latin: "Sarah Johnson")
        #expect(foreign.matchesSearch("johnson"))
        #expect(foreign.matchesSearch("sarahjohn"))
    }

    @Test func setsAreKeptSortedAndUnique() {
        var patient = makePatient()
        #expect(patient.tags == ["糖尿病", "高血压"].sorted())
        #expect(patient.allergies == patient.allergies.sorted())
        patient.addTag("术后")
        patient.addTag("术后")
        #expect(patient.tags == ["术后", "糖尿病", "高血压"].sorted())
        patient.addAllergy(Allergy(substance: "海鲜"))
        #expect(patient.allergies.count == 3)
        #expect(patient.allergies == patient.allergies.sorted())
        patient.removeTag("术后")
        #expect(!patient.tags.contains("术后"))
    }

    @Test func codingKeysNameEveryStoredProperty() throws {
        let patient = makePatient(chinese: ChineseName(characters: "王芳", syllables: ["wang", "fang"]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try JSONSerialization.jsonObject(with: encoder.encode(patient)) as! [String: Any]
        let optionalNil: Set<String> = ["latinName", "identityDocument", "address", "bed"]
        #expect(Set(json.keys).union(optionalNil) == Set(Patient.CodingKeys.allCases.map(\.rawValue)))
        #expect(try JSONDecoder().decode(Patient.self, from: encoder.encode(patient)) == patient)
        #expect(Mirror(reflecting: patient).children.count == Patient.CodingKeys.allCases.count)
    }

    @Test func missingListsDecodeAsEmpty() throws {
        // What a sync record holds for a patient with no allergies, tags or surgeries yet.
        let json = #"""
            {"id": "8C1E3A52-3C7B-4B4F-9E59-2F0E4F6A1D10", "mrn": "10000042", "wardID": "CARD-1",
             "departmentID": "CARD", "sex": "female", "birthDate": "1950-06-01"}
            """#
        let patient = try JSONDecoder().decode(Patient.self, from: Data(json.utf8))
        #expect(patient.allergies.isEmpty && patient.tags.isEmpty && patient.phones.isEmpty)
        #expect(patient.admissions.isEmpty && patient.diagnoses.isEmpty && patient.surgeries.isEmpty)
        #expect(patient.dischargeMedications.isEmpty)
        // Unsorted lists from an older writer come back sorted and unique.
        let older = #"{"id": "8C1E3A52-3C7B-4B4F-9E59-2F0E4F6A1D10", "mrn": "1", "wardID": "W", "departmentID": "D", "tags": ["b", "a", "b"]}"#
        let olderPatient = try JSONDecoder().decode(Patient.self, from: Data(older.utf8))
        #expect(olderPatient.tags == ["a", "b"])
        #expect(olderPatient.sex == .unknown)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Patient.self, from: Data(#"{"mrn": "1", "wardID": "W", "departmentID": "D"}"#.utf8))
        }
    }

    @Test func clinicalSummary() {
        var patient = makePatient()
        let first = Admission(id: UUID(), admittedOn: CalendarDate("2025-01-03")!, dischargedOn: CalendarDate("2025-01-10")!,
                              wardID: "CARD-1", departmentID: "CARD")
        let second = Admission(id: UUID(), admittedOn: CalendarDate("2025-06-01")!, dischargedOn: CalendarDate("2025-06-01")!,
                               wardID: "CARD-1", departmentID: "CARD")
        patient.admissions = [second, first]
        #expect(patient.latestAdmission == second)
        #expect(patient.lastDischargedOn == CalendarDate("2025-06-01"))
        #expect(first.lengthOfStay == 7)
        #expect(second.lengthOfStay == 1)
        #expect(patient.age(on: CalendarDate("2025-06-01")!) == 75)
        patient.diagnoses = [Diagnosis(code: "E11.9", description: "2型糖尿病"),
                             Diagnosis(code: "I10", description: "原发性高血压", isPrincipal: true)]
        #expect(patient.principalDiagnosis?.code == "I10")
        #expect(patient.diagnoses[0].category == "E11")
    }
}

@Suite struct ResidentIdentityNumberTests {
    @Test func acceptsTheStandardsExample() throws {
        // The worked example of GB 11643-1999.
        let number = try #require(ResidentIdentityNumber("11010519491231002X"))
        #expect(number.birthDate == CalendarDate(year: 1949, month: 12, day: 31))
        #expect(number.sex == .female)
        #expect(ResidentIdentityNumber("11010519491231002x")?.value == "11010519491231002X")
        #expect(ResidentIdentityNumber.checkCharacter(for: "44052418800101001") == "4")
        #expect(ResidentIdentityNumber("440524188001010014")?.sex == .male)
    }

    @Test func rejectsWrongCheckDigitsLengthsAndDates() {
        #expect(ResidentIdentityNumber("110105194912310021") == nil)
        #expect(ResidentIdentityNumber("11010519491231002") == nil)
        #expect(ResidentIdentityNumber("1101051949123100２X") == nil)
        // A correct check digit over an impossible birth date (30 February).
        let body = "11010519490230002"
        #expect(ResidentIdentityNumber(body + String(ResidentIdentityNumber.checkCharacter(for: body)!)) == nil)
        #expect(IdentityDocument(kind: .residentIdentityCard, number: "110105194912310021").isPlausible == false)
        #expect(IdentityDocument(kind: .passport, number: "P1234").isPlausible)
    }
}
