import GRDB

/// The patient projection: one row per live patient record, derived from the sync
/// records in the same transaction that changes them, and shaped for the list and its
/// search (pinyin, initials, MRN, bed, phone). Never edited directly.
enum PatientSchema {
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("patients-v1") { db in
            try db.execute(sql: """
                CREATE TABLE department (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    english_name TEXT NOT NULL,
                    is_surgical INTEGER NOT NULL
                );
                CREATE TABLE ward (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    department_id TEXT NOT NULL,
                    bed_count INTEGER NOT NULL
                );
                CREATE TABLE patient (
                    id TEXT PRIMARY KEY NOT NULL,
                    ward_id TEXT NOT NULL,
                    department_id TEXT NOT NULL,
                    mrn TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    secondary_name TEXT,
                    pinyin TEXT,
                    initials TEXT,
                    bed TEXT,
                    phone TEXT,
                    sex TEXT NOT NULL,
                    birth_date TEXT,
                    last_discharged_on TEXT,
                    principal_diagnosis TEXT,
                    sort_key TEXT NOT NULL,
                    archive BLOB NOT NULL
                );
                CREATE INDEX patient_by_sort_key ON patient(sort_key, id);
                CREATE INDEX patient_by_ward ON patient(ward_id, sort_key);
                CREATE INDEX patient_by_mrn ON patient(mrn);
                CREATE INDEX patient_by_initials ON patient(initials);
                CREATE INDEX patient_by_pinyin ON patient(pinyin);
                -- Trigram index over every search key of a patient (rowid = patient.rowid):
                -- substring search in names, pinyin, MRN, bed and phone without a table scan.
                CREATE VIRTUAL TABLE patient_search USING fts5(keys, tokenize = 'trigram');
                """)
        }
    }
}
