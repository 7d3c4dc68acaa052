import Foundation

/// A seeded, realistic hospital for demonstrations, tests and load: departments and
/// wards, and discharged patients with Chinese (and some Latin-script) names, identity
/// numbers, phones, addresses, diagnoses, operations and take-home medicines that fit
/// their department, discharged over the two years before ``referenceDate``.
///
/// The same seed and reference date give the same hospital on every platform and Swift
/// release: all randomness comes from ``SplitMix64``, and patient `i` is drawn from its
/// own stream, so it is identical whether 10 or 10 000 patients are generated. Patient ids
/// depend only on the seed and the index, which is what lets a demo loader run twice
/// without creating duplicates.
///
/// ```swift
/// let hospital = DemoHospital(seed: 7, referenceDate: CalendarDate(year: 2026, month: 11, day: 23)!)
/// let patients = hospital.patients(count: 200)
/// hospital.wards.map(\.name)   // ["心内科一病区", "心内科二病区", ...]
/// ```
public struct DemoHospital: Sendable {
    public let seed: UInt64
    /// The "today" of the demo: every discharge lies in the ``historyDays`` before it.
    public let referenceDate: CalendarDate

    /// How far back discharges reach.
    public static let historyDays = 730

    public init(seed: UInt64, referenceDate: CalendarDate) {
        self.seed = seed
        self.referenceDate = referenceDate
    }

    public var departments: [Department] { Self.departmentProfiles.map(\.department) }

    public var wards: [Ward] { Self.departmentProfiles.flatMap(\.wards) }

    /// The first `count` patients.
    public func patients(count: Int) -> [Patient] {
        (0..<max(0, count)).map { patient(at: $0) }
    }

    /// Patient number `index` (from 0) of this hospital.
    public func patient(at index: Int) -> Patient {
        var random = SplitMix64(seed: seed, stream: UInt64(index))
        // Drawn first so ids stay the same even if the clinical tables grow.
        let id = UUID(random.uuid())

        let (profile, ward) = random.element(of: Self.wardChoices)
        let condition = random.element(of: Self.conditionChoices[profile.department.id]!)
        let sex = condition.onlySex ?? (random.chance(percent: 50) ? .male : .female)

        // Dates: discharge within the history window, admission before it, birth before that.
        let dischargedOn = referenceDate.adding(days: -random.int(in: 0...(Self.historyDays - 1)))
        let stay = random.int(in: condition.stayDays)
        let admittedOn = dischargedOn.adding(days: -stay)
        let ageAtAdmission = random.int(in: condition.ages)
        let birthDate = Self.birthDate(age: ageAtAdmission, on: admittedOn, random: &random)

        var person = Self.person(sex: sex, birthDate: birthDate, random: &random)
        let region = random.element(of: Self.regionChoices)
        if person.identityDocument == nil {
            person.identityDocument = IdentityDocument(
                kind: .residentIdentityCard,
                number: Self.residentIdentityNumber(region: region, birthDate: birthDate, sex: sex, random: &random))
        }
        let address = Self.address(in: region, random: &random)
        let phones = Self.phones(
            age: ageAtAdmission, surname: person.chineseName.flatMap { Self.surname(of: $0) },
            region: region, random: &random)

        let bed = random.chance(percent: 5)
            ? "加\(random.int(in: 1...3))"
            : String(random.int(in: 1...ward.bedCount))
        let mrn = String(10_000_000 + index * 13 + random.int(in: 0...12))

        var admissions: [Admission] = []
        if random.chance(percent: 15) {
            // An earlier stay on the same ward: readmissions are what follow-up tries to prevent.
            let earlierDischarge = admittedOn.adding(days: -random.int(in: 30...400))
            admissions.append(Admission(
                id: UUID(random.uuid()),
                admittedOn: earlierDischarge.adding(days: -random.int(in: condition.stayDays)),
                dischargedOn: earlierDischarge, wardID: ward.id, departmentID: profile.department.id,
                disposition: .home, attendingPhysician: random.element(of: profile.physicians)))
        }
        admissions.append(Admission(
            id: UUID(random.uuid()), admittedOn: admittedOn, dischargedOn: dischargedOn,
            wardID: ward.id, departmentID: profile.department.id,
            disposition: random.weightedElement(of: [
                (Admission.DischargeDisposition.home, weight: 93), (.transferred, weight: 4), (.againstAdvice, weight: 3),
            ]),
            attendingPhysician: random.element(of: profile.physicians)))

        let allergies = Self.allergies(random: &random)

        var diagnoses = [condition.diagnosis]
        for (complication, percent) in condition.complications where random.chance(percent: percent) {
            diagnoses.append(complication)
        }
        if ageAtAdmission >= 50 {
            for (comorbidity, percent) in [
                (Comorbidities.hypertension, 35), (Comorbidities.type2Diabetes, 18), (Comorbidities.hyperlipidaemia, 22),
            ] where random.chance(percent: percent) {
                guard !diagnoses.contains(where: { $0.category == comorbidity.category }) else { continue }
                diagnoses.append(comorbidity)
            }
        }

        var surgeries: [Surgery] = []
        if !condition.operations.isEmpty, random.chance(percent: condition.operatedPercent) {
            let operation = random.element(of: condition.operations)
            surgeries.append(Surgery(
                code: operation.code, name: operation.name,
                performedOn: admittedOn.adding(days: random.int(in: 0...min(2, max(0, stay - 1))))))
        }

        var medications: [DischargeMedication] = []
        func prescribe(oneOf alternatives: [DischargeMedication]) {
            let allowed = alternatives.filter { !Self.isContraindicated($0, by: allergies) }
            guard !allowed.isEmpty else { return }
            let chosen = random.element(of: allowed)
            guard !medications.contains(where: { $0.name == chosen.name }) else { return }
            medications.append(chosen)
        }
        for drugClass in condition.medications { prescribe(oneOf: drugClass) }
        for diagnosis in diagnoses.dropFirst() {
            if let alternatives = Comorbidities.medications[diagnosis.code] { prescribe(oneOf: alternatives) }
        }

        var tags = Set(condition.tags.filter { $0 != "术后" || !surgeries.isEmpty })
        if diagnoses.contains(where: { ("I10"..."I15").contains($0.category) }) { tags.insert("高血压") }
        if diagnoses.contains(where: { ("E10"..."E14").contains($0.category) }) { tags.insert("糖尿病") }

        return Patient(
            id: id, mrn: mrn, chineseName: person.chineseName, latinName: person.latinName,
            sex: sex, birthDate: birthDate, phones: phones, identityDocument: person.identityDocument,
            address: address, wardID: ward.id, bed: bed, departmentID: profile.department.id,
            admissions: admissions, diagnoses: diagnoses, surgeries: surgeries,
            dischargeMedications: medications, allergies: allergies, tags: Array(tags))
    }
}

// MARK: - Prepared tables

extension DemoHospital {
    // Built once: a demo of a million patients draws from these millions of times.
    static let wardChoices = WeightedChoices(departmentProfiles.flatMap { profile in
        profile.wards.map { ((profile, $0), weight: $0.bedCount) }
    })
    static let conditionChoices = Dictionary(uniqueKeysWithValues: departmentProfiles.map { profile in
        (profile.department.id, WeightedChoices(profile.conditions.map { ($0, weight: $0.weight) }))
    })
    static let regionChoices = WeightedChoices(homeRegions.map { ($0, weight: $0.weight) })
    static let surnameChoices = WeightedChoices(surnames.map { ($0, weight: $0.weight) })
    static let maleGivenChoices = WeightedChoices((maleGivenCharacters + sharedGivenCharacters).map { ($0, weight: $0.weight) })
    static let femaleGivenChoices = WeightedChoices((femaleGivenCharacters + sharedGivenCharacters).map { ($0, weight: $0.weight) })
    static let mobilePrefixChoices = WeightedChoices(mobilePrefixes.map { ($0.prefix, weight: $0.weight) })
    static let allergenChoices = WeightedChoices(allergens.map { ($0.allergy, weight: $0.weight) })
}

// MARK: - People

extension DemoHospital {
    struct Person {
        var chineseName: ChineseName?
        var latinName: String?
        var identityDocument: IdentityDocument?
    }

    static func person(sex: Sex, birthDate: CalendarDate, random: inout SplitMix64) -> Person {
        let roll = random.int(in: 0...99)
        if roll < 4 {
            let given = random.element(of: foreignGivenNames.filter { $0.sex == sex }).name
            let family = random.element(of: foreignFamilyNames)
            let passport = "P" + digits(8, random: &random)
            return Person(latinName: "\(given) \(family)",
                          identityDocument: IdentityDocument(kind: .passport, number: passport))
        }
        if roll < 6 {
            let entry = random.element(of: hongKongPatients.filter { $0.sex == sex })
            return Person(
                chineseName: ChineseName(characters: entry.chinese, syllables: entry.syllables),
                latinName: entry.latin,
                identityDocument: IdentityDocument(kind: .mainlandTravelPermit, number: "H" + digits(8, random: &random)))
        }
        return Person(chineseName: chineseName(sex: sex, random: &random))
    }

    /// A mainland name: a surname and one or two given-name characters.
    static func chineseName(sex: Sex, surname fixedSurname: NamePart? = nil, random: inout SplitMix64) -> ChineseName {
        let surname = fixedSurname ?? random.element(of: surnameChoices)
        let weighted = sex == .female ? femaleGivenChoices : maleGivenChoices
        let givenLength = random.chance(percent: 70) ? 2 : 1
        var given = [random.element(of: weighted)]
        if givenLength == 2 {
            // Doubled characters (婷婷) are nicknames more than registered names; draw again.
            var second = random.element(of: weighted)
            if second.characters == given[0].characters { second = random.element(of: weighted) }
            given.append(second)
        }
        let parts = [surname] + given
        return ChineseName(characters: parts.map(\.characters).joined(), syllables: parts.flatMap(\.syllables))
    }

    /// The surname entry a generated name starts with, so a relative can share it.
    static func surname(of name: ChineseName) -> NamePart? {
        surnames
            .filter { name.characters.hasPrefix($0.characters) }
            .max { $0.characters.count < $1.characters.count }
    }

    static func birthDate(age: Int, on day: CalendarDate, random: inout SplitMix64) -> CalendarDate {
        // A birthday anywhere in the year before the `age`-th birthday falls on `day`.
        let latest = CalendarDate(year: day.year - age, month: day.month, day: min(day.day, 28))
            ?? CalendarDate(daysSinceEpoch: day.daysSinceEpoch - age * 365)
        return latest.adding(days: -random.int(in: 0...364))
    }

    static func residentIdentityNumber(
        region: HomeRegion, birthDate: CalendarDate, sex: Sex, random: inout SplitMix64
    ) -> String {
        // The sequence's last digit is odd for men and even for women.
        let parity = sex == .male ? random.int(in: 0...4) * 2 + 1 : random.int(in: 0...4) * 2
        let birth = birthDate.description.replacingOccurrences(of: "-", with: "")
        let body = region.code + birth + digits(2, random: &random) + String(parity)
        return body + String(ResidentIdentityNumber.checkCharacter(for: body)!)
    }

    static func address(in region: HomeRegion, random: inout SplitMix64) -> String {
        let road = random.element(of: region.roads)
        let room = "\(random.int(in: 1...24))\(random.int(in: 0...1))\(random.int(in: 1...6))室"
        if random.chance(percent: 60) {
            return "\(region.name)\(road)\(random.int(in: 1...1200))弄\(random.int(in: 1...60))号\(room)"
        }
        return "\(region.name)\(road)\(random.int(in: 1...999))号\(room)"
    }

    /// Older patients are reached through their children more often than directly.
    static func phones(age: Int, surname: NamePart?, region: HomeRegion, random: inout SplitMix64) -> [PhoneContact] {
        var phones: [PhoneContact] = []
        let ownsMobile = random.chance(percent: age < 75 ? 92 : 55)
        if ownsMobile { phones.append(PhoneContact(number: mobileNumber(random: &random))) }
        if !ownsMobile || random.chance(percent: age < 60 ? 15 : 45) {
            let owner: PhoneOwner = age >= 60
                ? random.weightedElement(of: [(.child, weight: 6), (.spouse, weight: 3), (.caregiver, weight: 1)])
                : random.weightedElement(of: [(.spouse, weight: 6), (.parent, weight: 2), (.sibling, weight: 2)])
            let relativeSex: Sex = random.chance(percent: 50) ? .male : .female
            // Children and siblings usually carry the family surname; spouses do not.
            let sharesSurname = owner == .child || owner == .sibling || owner == .parent
            let contact = chineseName(sex: relativeSex, surname: sharesSurname ? surname : nil, random: &random)
            phones.append(PhoneContact(number: mobileNumber(random: &random), owner: owner, contactName: contact.characters))
        }
        if random.chance(percent: age >= 65 ? 30 : 8) {
            let localDigits = region.areaCode == "021" ? "6" + digits(7, random: &random) : "8" + digits(7, random: &random)
            phones.append(PhoneContact(number: "\(region.areaCode)-\(localDigits)"))
        }
        return phones
    }

    static func mobileNumber(random: inout SplitMix64) -> String {
        random.element(of: mobilePrefixChoices) + digits(8, random: &random)
    }

    static func allergies(random: inout SplitMix64) -> [Allergy] {
        guard random.chance(percent: 15) else { return [] }
        var result = [random.element(of: allergenChoices)]
        if random.chance(percent: 20) {
            let second = random.element(of: allergenChoices)
            if !result.contains(second) { result.append(second) }
        }
        return result.sorted()
    }

    /// The cross-reactions a prescriber checks before writing discharge orders.
    static func isContraindicated(_ medication: DischargeMedication, by allergies: [Allergy]) -> Bool {
        allergies.contains { allergy in
            switch allergy.substance {
            case "青霉素": medication.name.contains("阿莫西林")
            case "头孢曲松": medication.name.contains("头孢")
            case "磺胺类药物": medication.name.contains("磺胺")
            default: false
            }
        }
    }

    static func digits(_ count: Int, random: inout SplitMix64) -> String {
        String((0..<count).map { _ in Character(String(random.int(in: 0...9))) })
    }
}
