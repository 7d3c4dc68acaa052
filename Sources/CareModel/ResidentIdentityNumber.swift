/// An 18-character mainland China resident identity number (公民身份号码, GB 11643-1999):
/// six digits of administrative region, the birth date as YYYYMMDD, a three-digit
/// sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character,
/// which is a digit or `X`.
///
/// ```swift
/// ResidentIdentityNumber("11010519491231002X")?.birthDate   // 1949-12-31
/// ResidentIdentityNumber.checkCharacter(for: "11010519491231002")  // "X"
/// ```
public struct ResidentIdentityNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, with a lowercase `x` normalised to `X`.
    public let value: String
    public let birthDate: CalendarDate
    /// The sex the sequence number encodes.
    public let sex: Sex

    /// Returns nil unless `text` has 17 digits, a correct check character and a real
    /// birth date.
    public init?(_ text: String) {
        let normalized = text.uppercased()
        let characters = Array(normalized)
        guard characters.count == 18 else { return nil }
        let body = String(characters[0..<17])
        guard body.allSatisfy({ $0.isASCII && $0.isNumber }),
              let check = ResidentIdentityNumber.checkCharacter(for: body),
              check == characters[17],
              let year = Int(String(characters[6..<10])),
              let month = Int(String(characters[10..<12])),
              let day = Int(String(characters[12..<14])),
              let birthDate = CalendarDate(year: year, month: month, day: day),
              let sequenceDigit = characters[16].wholeNumberValue
        else { return nil }
        value = normalized
        self.birthDate = birthDate
        sex = sequenceDigit % 2 == 1 ? .male : .female
    }

    public var description: String { value }

    /// The check character for the first 17 digits, or nil when `body` is not 17 ASCII digits.
    public static func checkCharacter(for body: String) -> Character? {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = body.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 17, body.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return Array("10X98765432")[sum % 11]
    }
}
