/// The stable code of a ward, e.g. `"CARD-1"`.
///
/// Ward codes are the sync scope: a ward nurse's replica holds exactly the records whose
/// scope is one of the nurse's ward codes, so a code never changes once records use it
/// (rename the ward's display name instead). Encodes as a bare JSON string.
public struct WardID: RawRepresentable, Sendable, Hashable, Comparable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: WardID, rhs: WardID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The stable code of a clinical department, e.g. `"CARD"`. Encodes as a bare JSON string.
public struct DepartmentID: RawRepresentable, Sendable, Hashable, Comparable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: DepartmentID, rhs: DepartmentID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A clinical department (科室): owns follow-up rules and forms, and one or more wards.
public struct Department: Sendable, Hashable, Codable, Identifiable {
    public var id: DepartmentID
    /// The name staff use, e.g. "心血管内科".
    public var name: String
    /// The English name, for reports and for staff who do not read Chinese.
    public var englishName: String
    /// Surgical departments record operations and get post-operative follow-up.
    public var isSurgical: Bool

    public init(id: DepartmentID, name: String, englishName: String, isSurgical: Bool) {
        self.id = id
        self.name = name
        self.englishName = englishName
        self.isSurgical = isSurgical
    }
}

/// An inpatient ward (病区) of a department, with its beds.
public struct Ward: Sendable, Hashable, Codable, Identifiable {
    public var id: WardID
    /// The name shown to nurses, e.g. "心内科一病区".
    public var name: String
    public var departmentID: DepartmentID
    /// Beds are labelled `1...bedCount`; a ward may add beds (加床) beyond that number.
    public var bedCount: Int

    public init(id: WardID, name: String, departmentID: DepartmentID, bedCount: Int) {
        self.id = id
        self.name = name
        self.departmentID = departmentID
        self.bedCount = bedCount
    }
}
