import GRDB

/// The tables of the client's sync layer, registered into the client database's
/// migrator before the patient tables (which are projections of sync records).
///
/// - `sync_replica`: this install's replica id, its dot counter and hybrid clock.
/// - `sync_record`: every record as its canonical JSON, with the envelope columns the
///   queries filter on. Rows are never removed by sync: deletions are tombstones.
/// - `sync_pending`: records changed locally and not yet acknowledged by the server,
///   with the counter of their latest local edit.
/// - `sync_push_batch`: the batch in flight, kept so a retry resends the same batch id
///   with the same content.
/// - `sync_cursor`: the pull cursor, written in the same transaction as the page.
/// - `sync_quarantine`: writes the server refused and pulled records this replica
///   could not accept, with the reason; entries are dismissed by a person, never deleted.
/// - `sync_access_scope`: what the logged-in user may see and write, from the login.
public enum SyncSchema {
    /// Registers the sync migrations (named `sync-…`).
    ///
    /// ```swift
    /// var migrator = DatabaseMigrator()
    /// SyncSchema.registerMigrations(&migrator)
    /// PatientSchema.registerMigrations(&migrator)
    /// ```
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("sync-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sync_replica (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        replica_id TEXT NOT NULL,
                        counter INTEGER NOT NULL CHECK (counter >= 0),
                        clock_wall INTEGER,
                        clock_logical INTEGER
                    );
                    CREATE TABLE sync_record (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        ward TEXT NOT NULL,
                        patient TEXT,
                        append_only INTEGER NOT NULL,
                        deletion_state TEXT NOT NULL,
                        has_conflicts INTEGER NOT NULL,
                        body TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX sync_record_by_kind ON sync_record(kind, deletion_state);
                    CREATE INDEX sync_record_by_patient ON sync_record(patient);
                    CREATE INDEX sync_record_conflicted ON sync_record(has_conflicts) WHERE has_conflicts;
                    CREATE TABLE sync_pending (
                        record_id TEXT PRIMARY KEY NOT NULL REFERENCES sync_record(id),
                        counter INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE sync_push_batch (
                        batch_id TEXT PRIMARY KEY NOT NULL,
                        body TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE sync_push_batch_record (
                        batch_id TEXT NOT NULL REFERENCES sync_push_batch(batch_id) ON DELETE CASCADE,
                        record_id TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        PRIMARY KEY (batch_id, record_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE sync_cursor (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        sequence INTEGER NOT NULL CHECK (sequence >= 0)
                    );
                    CREATE TABLE sync_quarantine (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        record_id TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        message TEXT NOT NULL,
                        body TEXT NOT NULL,
                        quarantined_at INTEGER NOT NULL,
                        dismissed_at INTEGER,
                        dismissed_by TEXT
                    );
                    CREATE INDEX sync_quarantine_open ON sync_quarantine(record_id) WHERE dismissed_at IS NULL;
                    CREATE TABLE sync_access_scope (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        body TEXT NOT NULL
                    );
                    """)
        }
    }
}
