import Foundation
import GRDB
import SyncCore

/// Who this profile syncs as, and with which server.
public struct SyncAccount: Sendable, Equatable {
    public var serverURL: String
    public var username: String
    /// The bearer token from the last login. A secret: never logged, never shown.
    public var token: String
    public var expiresAt: Date
    public var serverReplica: ReplicaID

    public init(serverURL: String, username: String, token: String, expiresAt: Date, serverReplica: ReplicaID) {
        self.serverURL = serverURL
        self.username = username
        self.token = token
        self.expiresAt = expiresAt
        self.serverReplica = serverReplica
    }

    public func isExpired(at now: Date = Date()) -> Bool { expiresAt <= now }
}

/// The profile's sync account and its sync bookkeeping (last success), in the client
/// database so the app and `homeward-tool` share one login.
public struct SyncAccountStore: Sendable {
    let writer: any DatabaseWriter

    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("account-v1") { db in
            try db.execute(sql: """
                CREATE TABLE sync_account (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    server_url TEXT NOT NULL,
                    username TEXT NOT NULL,
                    token TEXT NOT NULL,
                    expires_at REAL NOT NULL,
                    server_replica TEXT NOT NULL,
                    last_synced_at REAL
                );
                """)
        }
    }

    public func account() throws -> SyncAccount? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sync_account").map {
                SyncAccount(
                    serverURL: $0["server_url"], username: $0["username"], token: $0["token"],
                    expiresAt: Date(timeIntervalSince1970: $0["expires_at"]),
                    serverReplica: ReplicaID($0["server_replica"] as String))
            }
        }
    }

    /// Stores a login: the account, and what the user may see and write.
    ///
    /// When the scope grew (a nurse was given another ward), the pull starts again from
    /// the beginning: the cursor only promises "everything in the old scope up to here",
    /// and records of the new ward that never change again would otherwise never arrive.
    /// Re-pulling is safe (merge is idempotent). The deterministic simulation found this
    /// (`homeward-sim --seed 3 --faults drop,rescope`); a pull already in flight when the
    /// scope changes needs the server's help (a scope version in the cursor) and is
    /// tracked in the closing notes.
    public func save(_ account: SyncAccount, scope: AccessScope, records: SyncRecordStore) throws {
        try writer.write { db in
            if let previous = try records.accessScope(in: db), !Self.covers(previous, scope) {
                try db.execute(sql: "UPDATE sync_cursor SET sequence = 0")
            }
            try db.execute(
                sql: """
                    INSERT INTO sync_account (singleton, server_url, username, token, expires_at, server_replica)
                    VALUES (1, ?, ?, ?, ?, ?)
                    ON CONFLICT(singleton) DO UPDATE SET server_url = excluded.server_url, username = excluded.username,
                        token = excluded.token, expires_at = excluded.expires_at, server_replica = excluded.server_replica
                    """,
                arguments: [account.serverURL, account.username, account.token,
                            account.expiresAt.timeIntervalSince1970, account.serverReplica.rawValue])
            try records.setAccessScope(scope, in: db)
        }
    }

    /// Whether everything `new` lets the user see was already visible under `old`.
    static func covers(_ old: AccessScope, _ new: AccessScope) -> Bool {
        if old.allWards { return true }
        if new.allWards { return false }
        return new.wards.isSubset(of: old.wards) && new.patients.isSubset(of: old.patients)
    }

    /// Forgets the token (logout or expiry); pending changes stay on the device.
    public func forgetToken() throws {
        try writer.write { db in try db.execute(sql: "UPDATE sync_account SET token = '', expires_at = 0") }
    }

    public func recordSuccess(at date: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE sync_account SET last_synced_at = ?", arguments: [date.timeIntervalSince1970])
        }
    }

    public func lastSyncedAt() throws -> Date? {
        try writer.read { db in
            try Double.fetchOne(db, sql: "SELECT last_synced_at FROM sync_account").map(Date.init(timeIntervalSince1970:))
        }
    }
}

extension ClientDatabase {
    public var accounts: SyncAccountStore { SyncAccountStore(writer: writer) }
}
