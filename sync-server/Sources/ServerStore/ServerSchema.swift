import Foundation
import GRDB
import SyncCore

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
        migrator.registerMigration("v2-accounts-audit-attachments") { db in
            try db.execute(sql: """
                CREATE TABLE ward (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL
                );
                CREATE TABLE user_account (
                    username TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    created_ms INTEGER NOT NULL
                );
                CREATE TABLE user_ward (
                    username TEXT NOT NULL REFERENCES user_account(username),
                    ward TEXT NOT NULL REFERENCES ward(id),
                    PRIMARY KEY (username, ward)
                );
                CREATE TABLE user_patient (
                    username TEXT NOT NULL REFERENCES user_account(username),
                    patient TEXT NOT NULL,
                    PRIMARY KEY (username, patient)
                );
                -- Only a digest of each token is kept: a copy of the database lets no one
                -- act as a logged-in user.
                CREATE TABLE session_token (
                    token_digest TEXT PRIMARY KEY NOT NULL,
                    username TEXT NOT NULL REFERENCES user_account(username),
                    replica_id TEXT NOT NULL,
                    expires_ms INTEGER NOT NULL
                );
                CREATE INDEX session_token_by_expiry ON session_token (expires_ms);
                CREATE TABLE audit_event (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at_ms INTEGER NOT NULL,
                    username TEXT NOT NULL,
                    replica_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    record_id TEXT,
                    kind TEXT,
                    ward TEXT,
                    patient TEXT,
                    attachment TEXT
                );
                CREATE INDEX audit_event_by_patient ON audit_event (patient, seq) WHERE patient IS NOT NULL;
                CREATE INDEX audit_event_by_record ON audit_event (record_id, seq) WHERE record_id IS NOT NULL;
                CREATE INDEX audit_event_by_user ON audit_event (username, seq);
                -- Append-only: the database itself refuses to change or remove an entry.
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                -- Which records refer to which attachment, so a download is allowed exactly
                -- when a record in the caller's scope refers to it.
                CREATE TABLE attachment_reference (
                    sha256 TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    ward TEXT NOT NULL,
                    patient TEXT,
                    PRIMARY KEY (sha256, record_id)
                );
                """)
            // Records stored before this step may already refer to attachments.
            let bodies = try Data.fetchAll(db, sql: "SELECT body FROM sync_record WHERE instr(body, 'sha256') > 0")
            for body in bodies {
                try AttachmentReferences.record(try SyncJSON.decode(SyncRecord.self, from: body), in: db)
            }
        }
        return migrator
    }
}
