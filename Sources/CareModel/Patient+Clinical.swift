import Foundation

/// Administrative sex as recorded at registration (FHIR `AdministrativeGender`).
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    case female, male, other, unknown

    /// The label on Chinese forms and reports.
    public var chineseLabel: String {
        switch self {
        case .female: "女"
        case .male: "男"
        case .other: "其他"
        case .unknown: "未知"
        }
    }
}

/// Whose phone a number reaches. Follow-up calls often go to a relative, and a nurse
/// must know whom she is about to speak to.
public enum PhoneOwner: String, Sendable, Hashable, Codable, CaseIterable {
    case patient, spouse, child, parent, sibling, otherRelative, caregiver
}

/// A number to call for follow-up, in the order the nurse should try them.
public struct PhoneContact: Sendable, Hashable, Codable {
    /// Digits as dialled, e.g. "13812345678" or "021-64370045".
    public var number: String
    public var owner: PhoneOwner
    /// The relative's or caregiver's name, when the number is not the patient's own.
    public var contactName: String?

    public init(number: String, owner: PhoneOwner = .patient, contactName: String? = nil) {
        self.number = number
        self.owner = owner
        self.contactName = contactName
    }
}

/// The document that identifies the patient to the hospital.
public struct IdentityDocument: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 居民身份证: 18 characters with a check digit (GB 11643-1999).
        case residentIdentityCard
        /// 港澳居民来往内地通行证 and similar permits.
        case mainlandTravelPermit
        case passport
    }

    public var kind: Kind
    public var number: String

    public init(kind: Kind, number: String) {
        self.kind = kind
        self.number = number
    }

    /// False only for a resident identity card whose number fails its check digit or
    /// embedded birth date; other documents have no checkable structure.
    public var isPlausible: Bool {
        kind != .residentIdentityCard || ResidentIdentityNumber(number) != nil
    }
}

/// One inpatient stay: admission to a ward and, once it happened, discharge from it.
public struct Admission: Sendable, Hashable, Codable, Identifiable {
    public enum DischargeDisposition: String, Sendable, Hashable, Codable, CaseIterable {
        /// Discharged home on medical advice (医嘱离院).
        case home
        /// Transferred to another hospital or a community health centre.
        case transferred
        /// Left against medical advice (非医嘱离院).
        case againstAdvice
        case deceased
    }

    public var id: UUID
    public var admittedOn: CalendarDate
    /// Nil while the patient is still on the ward.
    public var dischargedOn: CalendarDate?
    public var wardID: WardID
    public var departmentID: DepartmentID
    public var disposition: DischargeDisposition?
    /// The discharging physician, as written on the discharge summary.
    public var attendingPhysician: String?

    public init(
        id: UUID, admittedOn: CalendarDate, dischargedOn: CalendarDate? = nil,
        wardID: WardID, departmentID: DepartmentID,
        disposition: DischargeDisposition? = nil, attendingPhysician: String? = nil
    ) {
        self.id = id
        self.admittedOn = admittedOn
        self.dischargedOn = dischargedOn
        self.wardID = wardID
        self.departmentID = departmentID
        self.disposition = disposition
        self.attendingPhysician = attendingPhysician
    }

    /// Length of stay in days (住院天数), counted the hospital way: admission and
    /// discharge on the same day is one day.
    public var lengthOfStay: Int? {
        dischargedOn.map { max(1, admittedOn.days(until: $0)) }
    }
}

/// A diagnosis coded in ICD-10 (the Chinese national clinical edition uses the same
/// codes at the category and subcategory level).
public struct Diagnosis: Sendable, Hashable, Codable {
    /// E.g. "I10", "E11.9", "Z48.8"; upper case with the dot, as printed.
    public var code: String
    /// The wording on the discharge summary, e.g. "原发性高血压".
    public var description: String
    /// The main reason for the stay (主要诊断); follow-up rules key on it first.
    public var isPrincipal: Bool

    public init(code: String, description: String, isPrincipal: Bool = false) {
        self.code = code
        self.description = description
        self.isPrincipal = isPrincipal
    }

    /// The three-character category, e.g. "I10" for "I10.x", "E11" for "E11.9", which
    /// range rules such as "I10–I15 → hypertension" compare against.
    public var category: String { String(code.prefix(3)) }
}

/// An operation, coded in ICD-9-CM-3 as Chinese hospitals record procedures.
public struct Surgery: Sendable, Hashable, Codable {
    /// E.g. "47.01" (laparoscopic appendectomy).
    public var code: String
    public var name: String
    public var performedOn: CalendarDate

    public init(code: String, name: String, performedOn: CalendarDate) {
        self.code = code
        self.name = name
        self.performedOn = performedOn
    }
}

/// A medicine the patient takes home (出院带药), as written on the discharge orders.
public struct DischargeMedication: Sendable, Hashable, Codable {
    /// Generic name, e.g. "苯磺酸氨氯地平片 (amlodipine)".
    public var name: String
    /// Amount per administration, e.g. "5 mg".
    public var dose: String
    /// How often, e.g. "qd" (once daily), "bid", "tid", "qn" (at night).
    public var frequency: String
    /// E.g. "口服" (oral), "皮下注射" (subcutaneous), "吸入" (inhaled).
    public var route: String

    public init(name: String, dose: String, frequency: String, route: String = "口服") {
        self.name = name
        self.dose = dose
        self.frequency = frequency
        self.route = route
    }
}

/// Something the patient must not be given. Allergies are a safety list: when two
/// replicas add different allergies, both survive a merge.
public struct Allergy: Sendable, Hashable, Codable, Comparable {
    /// The drug, food or material, e.g. "青霉素" (penicillin).
    public var substance: String
    /// What happened, e.g. "皮疹" (rash); nil when the reaction was not recorded.
    public var reaction: String?

    public init(substance: String, reaction: String? = nil) {
        self.substance = substance
        self.reaction = reaction
    }

    public static func < (lhs: Allergy, rhs: Allergy) -> Bool {
        (lhs.substance, lhs.reaction ?? "") < (rhs.substance, rhs.reaction ?? "")
    }
}
