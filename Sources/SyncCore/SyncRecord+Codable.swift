import Foundation

extension SyncRecord: Codable {
    private static let knownKeys: Set<String> = [
        "id", "kind", "scope", "appendOnly", "schemaVersion", "version", "fields", "lifecycle",
    ]

    private struct Key: CodingKey {
        let stringValue: String
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// Decodes a record; envelope keys this software does not know are kept in
    /// ``unknownAttributes`` and encoded back unchanged.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        id = try container.decode(UUID.self, forKey: Key("id"))
        kind = try container.decode(RecordKind.self, forKey: Key("kind"))
        scope = try container.decode(RecordScope.self, forKey: Key("scope"))
        isAppendOnly = try container.decodeIfPresent(Bool.self, forKey: Key("appendOnly")) ?? false
        schemaVersion = try container.decode(Int.self, forKey: Key("schemaVersion"))
        version = try container.decode(VersionVector.self, forKey: Key("version"))
        fields = try container.decodeIfPresent([String: FieldRegister].self, forKey: Key("fields")) ?? [:]
        lifecycle = try container.decodeIfPresent(DotStore<RecordLifecycle>.self, forKey: Key("lifecycle")) ?? DotStore()
        var unknown: [String: FieldValue] = [:]
        for key in container.allKeys where !Self.knownKeys.contains(key.stringValue) {
            unknown[key.stringValue] = try container.decode(FieldValue.self, forKey: key)
        }
        unknownAttributes = unknown
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: Key("id"))
        try container.encode(kind, forKey: Key("kind"))
        try container.encode(scope, forKey: Key("scope"))
        try container.encode(isAppendOnly, forKey: Key("appendOnly"))
        try container.encode(schemaVersion, forKey: Key("schemaVersion"))
        try container.encode(version, forKey: Key("version"))
        try container.encode(fields, forKey: Key("fields"))
        try container.encode(lifecycle, forKey: Key("lifecycle"))
        for (key, value) in unknownAttributes where !Self.knownKeys.contains(key) {
            try container.encode(value, forKey: Key(key))
        }
    }
}
