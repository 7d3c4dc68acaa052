/// The value of one field of a record: any JSON value.
///
/// Records are schema-agnostic on purpose: a replica keeps and sends back fields it
/// does not understand, so the value type must be able to hold whatever a newer
/// schema writes. Numbers are IEEE doubles, as in JSON; integers beyond ±2^53 (none in
/// the clinical model) must be sent as strings.
///
/// ```swift
/// let systolic: FieldValue = 162
/// let phone: FieldValue = "+86 138 0000 0000"
/// ```
public indirect enum FieldValue: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([FieldValue])
    case object([String: FieldValue])

    public init(from decoder: any Decoder) throws {
        // JSON's types are disjoint for JSONDecoder (a number never decodes as a Bool, a
        // string never as a number), so the order only decides how many failed attempts
        // — each a thrown error — a value costs. Patient fields are mostly strings and
        // objects: try those first (push ingest was dominated by these failures).
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: FieldValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([FieldValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    private var typeRank: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .number: 2
        case .string: 3
        case .array: 4
        case .object: 5
        }
    }

    /// A total order (null < bool < number < string < array < object, then by content),
    /// used only to list set elements and unknown attributes in the same order on every
    /// replica.
    public static func < (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.number(let a), .number(let b)): return a < b
        case (.string(let a), .string(let b)): return a < b
        case (.array(let a), .array(let b)):
            for (x, y) in zip(a, b) where x != y { return x < y }
            return a.count < b.count
        case (.object(let a), .object(let b)):
            let keysA = a.keys.sorted(), keysB = b.keys.sorted()
            if keysA != keysB { return keysA.lexicographicallyPrecedes(keysB) }
            for key in keysA where a[key] != b[key] { return a[key]! < b[key]! }
            return false
        default: return lhs.typeRank < rhs.typeRank
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let value): "[" + value.map(\.description).joined(separator: ", ") + "]"
        case .object(let value):
            "{" + value.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    /// The number, if this is a number.
    public var numberValue: Double? { if case .number(let value) = self { value } else { nil } }
    /// The boolean, if this is a boolean.
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
}

extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: FieldValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, FieldValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
