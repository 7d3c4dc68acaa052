import GRDB

/// The server database's tables, as a sequence of migrations that is only ever appended to.
///
/// `sync_record` holds each record's merged state as `SyncRecord` JSON (`body`) next to
/// the columns the server filters on: scope (`ward`, `patient`) and the change sequence
/// (`change_seq`). Pulls walk the `(ward, change_seq)` and `(patient, change_seq)`
/// indexes from the caller's cursor, so their cost depends on the changes since that
/// cursor, not on how many records the hospital has.
enum ServerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sync-records") { db in
            // One row. `last_counter` numbers the server's own edits (its dots);
            // `last_change` is the change sequence, kept here rather than derived from
            // MAX(change_seq) so it never steps back, even if rows are one day removed.
            try db.execute(sql: """
                CREATE TABLE server_identity (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    replica_id TEXT NOT NULL,
                    last_counter INTEGER NOT NULL,
                    last_change INTEGER NOT NULL
                );
                CREATE TABLE sync_record (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    ward TEXT NOT NULL,
                    patient TEXT,
                    change_seq INTEGER NOT NULL UNIQUE,
                    has_conflicts INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE INDEX sync_record_by_ward ON sync_record (ward, change_seq);
                CREATE INDEX sync_record_by_patient ON sync_record (patient, change_seq) WHERE patient IS NOT NULL;
                CREATE INDEX sync_record_conflicted ON sync_record (id) WHERE has_conflicts;
                CREATE TABLE push_batch (
                    batch_id TEXT PRIMARY KEY NOT NULL,
                    replica_id TEXT NOT NULL,
                    contents TEXT NOT NULL,
                    result BLOB NOT NULL
                );
                """)
        }
        return migrator
    }
}
