/// A name written in Chinese characters together with its reading in pinyin.
///
/// Nurses find patients by typing pinyin on keyboards without an input method, either in
/// full (`zhangsan`) or by initials (`zs`), so both are kept beside the characters. The
/// reading is stored rather than derived because many characters have several readings
/// and a surname is often read differently from the same character elsewhere
/// (单 is *shan* as a surname, 曾 is *zeng*); only a person who knows the name can say.
///
/// Pinyin is stored without tones, lowercase, with ü written `v` (吕 → `lv`), the way
/// pinyin input methods expect it.
///
/// ```swift
/// let name = ChineseName(characters: "张三", syllables: ["zhang", "san"])
/// name.pinyin          // "zhangsan"
/// name.pinyinInitials  // "zs"
/// name.spacedPinyin    // "zhang san"
/// ```
public struct ChineseName: Sendable, Hashable, Codable {
    /// The name as written, surname first, e.g. "张三".
    public var characters: String
    /// One toneless pinyin syllable per character, in order.
    public var syllables: [String]

    /// Builds a name from its characters and one syllable per character. Syllables are
    /// lowercased and `ü` becomes `v`, so callers may pass pinyin as printed.
    public init(characters: String, syllables: [String]) {
        self.characters = characters
        self.syllables = syllables.map(ChineseName.normalizedSyllable)
    }

    /// The full reading with no spaces, e.g. "zhangsan".
    public var pinyin: String { syllables.joined() }

    /// The reading with a space between syllables, e.g. "zhang san", for display.
    public var spacedPinyin: String { syllables.joined(separator: " ") }

    /// The first letter of each syllable, e.g. "zs".
    public var pinyinInitials: String { String(syllables.compactMap(\.first)) }

    /// True when there is exactly one syllable per character and every syllable is a
    /// plain lowercase Latin word; a name that fails this was typed inconsistently.
    public var isWellFormed: Bool {
        !characters.isEmpty
            && characters.count == syllables.count
            && syllables.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } }
    }

    static func normalizedSyllable(_ syllable: String) -> String {
        var result = ""
        for character in syllable.lowercased() where !character.isWhitespace {
            switch character {
            case "ü", "ǖ", "ǘ", "ǚ", "ǜ": result.append("v")
            case "ā", "á", "ǎ", "à": result.append("a")
            case "ē", "é", "ě", "è": result.append("e")
            case "ī", "í", "ǐ", "ì": result.append("i")
            case "ō", "ó", "ǒ", "ò": result.append("o")
            case "ū", "ú", "ǔ", "ù": result.append("u")
            default: result.append(character)
            }
        }
        return result
    }
}
