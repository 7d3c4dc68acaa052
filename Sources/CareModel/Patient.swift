import Foundation

/// A patient's archive entry (患者档案): who they are, where they were treated, what for,
/// and what they went home with. Follow-up tasks, forms and alerts refer to it by `id`.
///
/// Every stored property is one sync field: ``CodingKeys`` lists their names, and both the
/// client's and the server's record mappings use exactly these names, so a new property
/// becomes a new field with no other change. Lists that have no natural order (allergies,
/// tags) are kept sorted so that two replicas with the same content encode identically.
///
/// ```swift
/// let patient = Patient(
///     id: UUID(), mrn: "0001234567",
///     chineseName: ChineseName(characters: "张三", syllables: ["zhang", "san"]),
///     sex: .male, birthDate: CalendarDate(year: 1956, month: 4, day: 2),
///     wardID: "CARD-1", departmentID: "CARD")
/// patient.displayName               // "张三"
/// patient.matchesSearch("zs")       // true
/// ```
public struct Patient: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    /// Medical record number (病案号), unique within the hospital.
    public var mrn: String
    /// The name in Chinese characters with its pinyin; nil for patients registered only
    /// under a Latin-script name.
    public var chineseName: ChineseName?
    /// The name in Latin script as on a passport ("Smith, John" or "John Smith"), for
    /// foreign patients; nil for most mainland patients.
    public var latinName: String?
    public var sex: Sex
    /// Nil when registration did not record it (an unidentified emergency admission).
    public var birthDate: CalendarDate?
    /// Numbers to call, the first one first.
    public var phones: [PhoneContact]
    public var identityDocument: IdentityDocument?
    public var address: String?
    /// The ward currently responsible for the patient's follow-up; the sync scope.
    public var wardID: WardID
    /// The last bed label, e.g. "12" or "加3" for an extra bed.
    public var bed: String?
    public var departmentID: DepartmentID
    /// Stays in this hospital, oldest first.
    public var admissions: [Admission]
    public var diagnoses: [Diagnosis]
    public var surgeries: [Surgery]
    public var dischargeMedications: [DischargeMedication]
    /// Sorted; see ``Allergy``.
    public var allergies: [Allergy]
    /// Labels such as "高血压" or "post-op", set by hand or by tagging rules; sorted and unique.
    public var tags: [String]

    /// The sync field names, one per stored property. Public so that record mappings
    /// iterate them instead of repeating the names.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case id, mrn, chineseName, latinName, sex, birthDate, phones, identityDocument, address
        case wardID, bed, departmentID, admissions, diagnoses, surgeries, dischargeMedications
        case allergies, tags
    }

    public init(
        id: UUID,
        mrn: String,
        chineseName: ChineseName? = nil,
        latinName: String? = nil,
        sex: Sex,
        birthDate: CalendarDate?,
        phones: [PhoneContact] = [],
        identityDocument: IdentityDocument? = nil,
        address: String? = nil,
        wardID: WardID,
        bed: String? = nil,
        departmentID: DepartmentID,
        admissions: [Admission] = [],
        diagnoses: [Diagnosis] = [],
        surgeries: [Surgery] = [],
        dischargeMedications: [DischargeMedication] = [],
        allergies: [Allergy] = [],
        tags: [String] = []
    ) {
        self.id = id
        self.mrn = mrn
        self.chineseName = chineseName
        self.latinName = latinName
        self.sex = sex
        self.birthDate = birthDate
        self.phones = phones
        self.identityDocument = identityDocument
        self.address = address
        self.wardID = wardID
        self.bed = bed
        self.departmentID = departmentID
        self.admissions = admissions
        self.diagnoses = diagnoses
        self.surgeries = surgeries
        self.dischargeMedications = dischargeMedications
        self.allergies = Array(Set(allergies)).sorted()
        self.tags = Array(Set(tags)).sorted()
    }
}

// MARK: - Decoding

extension Patient {
    /// Decodes leniently where absence has an obvious meaning: a missing list is an empty
    /// one. A sync record does not write empty lists (an add-wins set with no elements has
    /// no field at all), and an archive exported by an older version may lack a list that
    /// was added later; neither should make a patient unreadable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func list<T: Decodable>(_ key: CodingKeys) throws -> [T] {
            try container.decodeIfPresent([T].self, forKey: key) ?? []
        }
        self.init(
            id: try container.decode(UUID.self, forKey: .id),
            mrn: try container.decode(String.self, forKey: .mrn),
            chineseName: try container.decodeIfPresent(ChineseName.self, forKey: .chineseName),
            latinName: try container.decodeIfPresent(String.self, forKey: .latinName),
            sex: try container.decodeIfPresent(Sex.self, forKey: .sex) ?? .unknown,
            birthDate: try container.decodeIfPresent(CalendarDate.self, forKey: .birthDate),
            phones: try list(.phones),
            identityDocument: try container.decodeIfPresent(IdentityDocument.self, forKey: .identityDocument),
            address: try container.decodeIfPresent(String.self, forKey: .address),
            wardID: try container.decode(WardID.self, forKey: .wardID),
            bed: try container.decodeIfPresent(String.self, forKey: .bed),
            departmentID: try container.decode(DepartmentID.self, forKey: .departmentID),
            admissions: try list(.admissions),
            diagnoses: try list(.diagnoses),
            surgeries: try list(.surgeries),
            dischargeMedications: try list(.dischargeMedications),
            allergies: try list(.allergies),
            tags: try list(.tags))
    }
}

// MARK: - Names

extension Patient {
    /// The name to show in lists: the Chinese name when there is one, else the Latin
    /// name, else the MRN so that a row is never blank.
    public var displayName: String {
        if let chinese = chineseName?.characters, !chinese.isEmpty { return chinese }
        if let latin = latinName?.trimmingCharacters(in: .whitespaces), !latin.isEmpty { return latin }
        return mrn
    }

    /// A second line under ``displayName``: the Latin name when both exist, otherwise the
    /// spaced pinyin of the Chinese name; nil when there is nothing more to say.
    public var secondaryName: String? {
        if chineseName != nil, let latin = latinName, !latin.isEmpty { return latin }
        return chineseName?.spacedPinyin
    }

    /// Full pinyin with no spaces ("zhangsan"); nil without a Chinese name.
    public var pinyin: String? { chineseName?.pinyin }

    /// Pinyin initials ("zs"); nil without a Chinese name.
    public var pinyinInitials: String? { chineseName?.pinyinInitials }

    /// The lowercased texts a search box matches against: characters, full pinyin,
    /// initials, the Latin name with and without spaces, the MRN and phone digits.
    public var searchKeys: [String] {
        var keys: [String] = []
        if let name = chineseName {
            keys += [name.characters, name.pinyin, name.pinyinInitials]
        }
        if let latin = latinName?.lowercased(), !latin.isEmpty {
            keys.append(latin)
            keys.append(latin.filter { $0.isLetter })
        }
        keys.append(mrn.lowercased())
        keys += phones.map(\.number)
        return keys
    }

    /// Whether a nurse typing `query` is looking for this patient: every whitespace-
    /// separated word of the query must be a substring of some search key, ignoring case.
    public func matchesSearch(_ query: String) -> Bool {
        let words = query.lowercased().split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return true }
        let keys = searchKeys
        return words.allSatisfy { word in keys.contains { $0.contains(word) } }
    }
}

// MARK: - Clinical summary

extension Patient {
    /// Completed years of age on `date`; nil when the birth date is unknown.
    public func age(on date: CalendarDate) -> Int? {
        birthDate?.completedYears(on: date)
    }

    /// The most recent stay, by admission day.
    public var latestAdmission: Admission? {
        admissions.max { $0.admittedOn < $1.admittedOn }
    }

    /// The most recent discharge day of any stay; follow-up schedules count from it.
    public var lastDischargedOn: CalendarDate? {
        admissions.compactMap(\.dischargedOn).max()
    }

    /// The principal diagnosis of the record, or the first one when none is marked.
    public var principalDiagnosis: Diagnosis? {
        diagnoses.first(where: \.isPrincipal) ?? diagnoses.first
    }

    /// Adds a tag, keeping the list sorted and unique.
    public mutating func addTag(_ tag: String) {
        guard !tags.contains(tag) else { return }
        tags.append(tag)
        tags.sort()
    }

    public mutating func removeTag(_ tag: String) {
        tags.removeAll { $0 == tag }
    }

    /// Adds an allergy, keeping the list sorted and unique.
    public mutating func addAllergy(_ allergy: Allergy) {
        guard !allergies.contains(allergy) else { return }
        allergies.append(allergy)
        allergies.sort()
    }
}
