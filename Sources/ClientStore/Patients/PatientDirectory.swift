import CareModel
import Foundation
import GRDB

/// One row of the patient list: what the list shows without loading the whole archive.
public struct PatientSummary: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var mrn: String
    public var displayName: String
    public var secondaryName: String?
    /// Pinyin initials of a Chinese name ("zs"), nil for Latin-only names.
    public var pinyinInitials: String?
    public var wardID: String
    public var wardName: String?
    public var bed: String?
    public var phone: String?
    public var lastDischargedOn: CalendarDate?
    public var principalDiagnosis: String?
}

/// Reads and searches the patient projection.
///
/// ```swift
/// let ids = try database.patients.search("zs")      // 张三, 周素…
/// let summary = try database.patients.summaries(ids: Array(ids.prefix(50)))
/// ```
public struct PatientDirectory: Sendable {
    let writer: any DatabaseWriter

    /// Patient ids matching `query`, in list order (by pinyin / Latin name).
    ///
    /// Every whitespace-separated word must match one of the patient's keys: Chinese name,
    /// full pinyin (`zhangsan`), pinyin initials (`zs`), Latin name, MRN, bed, phone.
    /// An empty query lists every patient.
    public func search(_ query: String, ward: String? = nil) throws -> [UUID] {
        let words = PatientSearchKeys.normalizedWords(query)
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let ward {
            conditions.append("patient.ward_id = ?")
            arguments.append(ward)
        }
        for word in words.map(PatientSearchKeys.needle(for:)) {
            if word.unicodeScalars.count >= 3 {
                // FTS5 trigram: the phrase in double quotes, quotes doubled inside.
                conditions.append("patient.rowid IN (SELECT rowid FROM patient_search WHERE keys MATCH ?)")
                arguments.append("\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            } else {
                // Trigrams need three characters: short words (initials "zs", a name 张三)
                // match by substring of the key string.
                conditions.append("patient.rowid IN (SELECT rowid FROM patient_search WHERE instr(keys, ?) > 0)")
                arguments.append(word)
            }
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM patient \(whereClause) ORDER BY sort_key, id",
                arguments: StatementArguments(arguments)
            ).compactMap(UUID.init(uuidString:))
        }
    }

    /// Summaries for the given ids, in the order given (missing ids are skipped).
    public func summaries(ids: [UUID]) throws -> [PatientSummary] {
        guard !ids.isEmpty else { return [] }
        let rows = try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT patient.*, ward.name AS ward_name FROM patient
                    LEFT JOIN ward ON ward.id = patient.ward_id
                    WHERE patient.id IN (\(databaseQuestionMarks(count: ids.count)))
                    """,
                arguments: StatementArguments(ids.map(\.uuidString)))
        }
        var byID: [UUID: PatientSummary] = [:]
        for row in rows {
            guard let id = UUID(uuidString: row["id"]) else { continue }
            let discharged: String? = row["last_discharged_on"]
            byID[id] = PatientSummary(
                id: id, mrn: row["mrn"], displayName: row["display_name"], secondaryName: row["secondary_name"],
                pinyinInitials: row["initials"], wardID: row["ward_id"], wardName: row["ward_name"], bed: row["bed"], phone: row["phone"],
                lastDischargedOn: discharged.flatMap { CalendarDate($0) },
                principalDiagnosis: row["principal_diagnosis"])
        }
        return ids.compactMap { byID[$0] }
    }

    /// The full archive of one patient, or nil if there is no such (live) patient.
    public func patient(id: UUID) throws -> Patient? {
        let archive = try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT archive FROM patient WHERE id = ?", arguments: [id.uuidString])
        }
        return try archive.map { try JSONDecoder().decode(Patient.self, from: $0) }
    }

    public func count(ward: String? = nil) throws -> Int {
        try writer.read { db in
            if let ward {
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM patient WHERE ward_id = ?", arguments: [ward]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM patient") ?? 0
        }
    }

    public func wards() throws -> [Ward] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ward ORDER BY name").map {
                Ward(id: WardID($0["id"] as String), name: $0["name"], departmentID: DepartmentID($0["department_id"] as String),
                     bedCount: $0["bed_count"])
            }
        }
    }

    public func departments() throws -> [Department] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM department ORDER BY id").map {
                Department(id: DepartmentID($0["id"] as String), name: $0["name"], englishName: $0["english_name"],
                           isSurgical: $0["is_surgical"])
            }
        }
    }
}

extension ClientDatabase {
    public var patients: PatientDirectory { PatientDirectory(writer: writer) }
}

// MARK: - Projection rows

/// Writes the projection rows for one patient; called by the patient projector inside the
/// transaction that changed the patient's record.
enum PatientProjectionWriter {
    static func upsert(_ patient: Patient, in db: Database) throws {
        let archive = try JSONEncoder.sortedKeys.encode(patient)
        try db.execute(
            sql: """
                INSERT INTO patient (id, ward_id, department_id, mrn, display_name, secondary_name, pinyin, initials,
                                     bed, phone, sex, birth_date, last_discharged_on, principal_diagnosis, sort_key, archive)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    ward_id = excluded.ward_id, department_id = excluded.department_id, mrn = excluded.mrn,
                    display_name = excluded.display_name, secondary_name = excluded.secondary_name,
                    pinyin = excluded.pinyin, initials = excluded.initials, bed = excluded.bed, phone = excluded.phone,
                    sex = excluded.sex, birth_date = excluded.birth_date,
                    last_discharged_on = excluded.last_discharged_on,
                    principal_diagnosis = excluded.principal_diagnosis, sort_key = excluded.sort_key,
                    archive = excluded.archive
                """,
            arguments: [
                patient.id.uuidString, patient.wardID.rawValue, patient.departmentID.rawValue, patient.mrn,
                patient.displayName, patient.secondaryName, patient.pinyin, patient.pinyinInitials,
                patient.bed, patient.phones.first?.number, patient.sex.rawValue, patient.birthDate?.description,
                patient.lastDischargedOn?.description,
                patient.principalDiagnosis.map { "\($0.code) \($0.description)" },
                PatientSearchKeys.sortKey(for: patient), archive,
            ])
        let rowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM patient WHERE id = ?", arguments: [patient.id.uuidString])!
        try db.execute(sql: "DELETE FROM patient_search WHERE rowid = ?", arguments: [rowID])
        try db.execute(
            sql: "INSERT INTO patient_search (rowid, keys) VALUES (?, ?)",
            arguments: [rowID, PatientSearchKeys.keys(for: patient)])
    }

    static func remove(id: UUID, in db: Database) throws {
        if let rowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM patient WHERE id = ?", arguments: [id.uuidString]) {
            try db.execute(sql: "DELETE FROM patient_search WHERE rowid = ?", arguments: [rowID])
            try db.execute(sql: "DELETE FROM patient WHERE rowid = ?", arguments: [rowID])
        }
    }

    static func upsert(_ ward: Ward, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO ward (id, name, department_id, bed_count) VALUES (?, ?, ?, ?)",
            arguments: [ward.id.rawValue, ward.name, ward.departmentID.rawValue, ward.bedCount])
    }

    static func upsert(_ department: Department, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO department (id, name, english_name, is_surgical) VALUES (?, ?, ?, ?)",
            arguments: [department.id.rawValue, department.name, department.englishName, department.isSurgical])
    }
}

/// How patients are found: the keys indexed for each patient and how a query word
/// matches them.
///
/// Romanized keys (full pinyin, pinyin initials, Latin names and their words) match by
/// prefix — `zs` finds 张三 (zs) and 张胜军 (zsj), not 赵振生 (zzs). Chinese characters,
/// MRN, phone and bed match anywhere, since nurses type a given name or the last digits
/// of a phone. Each romanized key is stored behind a `|`, so "prefix of a key" is the
/// substring `|word`, which the trigram index serves from two letters on.
enum PatientSearchKeys {
    static func keys(for patient: Patient) -> String {
        var romanized: [String] = []
        if let name = patient.chineseName {
            // Whole pinyin, initials, and each syllable, so "zhang sh" finds 张生军.
            romanized += [name.pinyin, name.pinyinInitials] + name.syllables
        }
        if let latin = patient.latinName?.lowercased(), !latin.isEmpty {
            let words = latin.split(whereSeparator: { !$0.isLetter }).map(String.init)
            romanized += [words.joined()] + words
        }
        var anywhere: [String] = [patient.mrn.lowercased()]
        if let characters = patient.chineseName?.characters { anywhere.append(characters) }
        anywhere += patient.phones.map(\.number)
        if let bed = patient.bed { anywhere.append(bed.lowercased()) }
        return romanized.map { "|" + $0 }.joined() + " ^ " + anywhere.joined(separator: " ^ ")
    }

    /// The substring a query word must find in the keys string.
    static func needle(for word: String) -> String {
        word.allSatisfy { $0.isASCII && $0.isLetter } ? "|" + word : word
    }

    static func sortKey(for patient: Patient) -> String {
        (patient.pinyin ?? patient.latinName?.lowercased() ?? patient.mrn).lowercased()
    }

    static func normalizedWords(_ query: String) -> [String] {
        query.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}

extension JSONEncoder {
    /// Stable bytes for equal values: archives and record fields compare by content.
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
