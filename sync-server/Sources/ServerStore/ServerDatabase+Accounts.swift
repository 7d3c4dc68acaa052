import Foundation
import GRDB
import SyncCore

extension ServerDatabase: AccountStore {
    public func addWard(_ ward: WardEntry) async throws {
        guard Self.isValidName(ward.id) else {
            throw AccountStoreError.invalid("A ward id is 1 to 64 letters, digits, '-', '_' or '.'; got '\(ward.id)'.")
        }
        try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM ward WHERE id = ?", arguments: [ward.id]) == nil else {
                throw AccountStoreError.wardExists(ward.id)
            }
            try db.execute(sql: "INSERT INTO ward (id, name) VALUES (?, ?)", arguments: [ward.id, ward.name])
        }
    }

    public func wards() async throws -> [WardEntry] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM ward ORDER BY id").map {
                WardEntry(id: $0["id"], name: $0["name"])
            }
        }
    }

    public func addUser(_ account: UserAccount, passwordHash: String) async throws {
        guard Self.isValidName(account.username) else {
            throw AccountStoreError.invalid(
                "A user name is 1 to 64 letters, digits, '-', '_' or '.'; got '\(account.username)'.")
        }
        try await writer.write { db in
            guard try Int.fetchOne(
                db, sql: "SELECT 1 FROM user_account WHERE username = ?", arguments: [account.username]) == nil
            else { throw AccountStoreError.userExists(account.username) }
            for ward in account.wards.sorted() {
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM ward WHERE id = ?", arguments: [ward]) != nil else {
                    throw AccountStoreError.unknownWard(ward)
                }
            }
            try db.execute(
                sql: "INSERT INTO user_account (username, role, password_hash, disabled, created_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    account.username, account.role.rawValue, passwordHash, account.disabled,
                    Int64(Date().timeIntervalSince1970 * 1000),
                ])
            for ward in account.wards.sorted() {
                try db.execute(sql: "INSERT INTO user_ward (username, ward) VALUES (?, ?)", arguments: [account.username, ward])
            }
            for patient in account.patients {
                try db.execute(
                    sql: "INSERT INTO user_patient (username, patient) VALUES (?, ?)",
                    arguments: [account.username, patient.uuidString])
            }
        }
    }

    public func users() async throws -> [UserAccount] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT username FROM user_account ORDER BY username").compactMap {
                try Self.account(username: $0, in: db)?.account
            }
        }
    }

    public func credentials(username: String) async throws -> (account: UserAccount, passwordHash: String)? {
        try await writer.read { db in try Self.account(username: username, in: db) }
    }

    public func setDisabled(_ disabled: Bool, username: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE user_account SET disabled = ? WHERE username = ?", arguments: [disabled, username])
            guard db.changesCount == 1 else { throw AccountStoreError.unknownUser(username) }
            if disabled {
                try db.execute(sql: "DELETE FROM session_token WHERE username = ?", arguments: [username])
            }
        }
    }

    public func createSession(tokenDigest: String, username: String, replica: ReplicaID, expiresAt: Date) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await writer.write { db in
            // Expired sessions are removed as new ones are made, so the table stays small.
            try db.execute(sql: "DELETE FROM session_token WHERE expires_ms <= ?", arguments: [now])
            try db.execute(
                sql: "INSERT INTO session_token (token_digest, username, replica_id, expires_ms) VALUES (?, ?, ?, ?)",
                arguments: [tokenDigest, username, replica.rawValue, Int64(expiresAt.timeIntervalSince1970 * 1000)])
        }
    }

    public func session(tokenDigest: String, now: Date) async throws -> AuthenticatedSession? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT username, replica_id, expires_ms FROM session_token WHERE token_digest = ? AND expires_ms > ?",
                arguments: [tokenDigest, Int64(now.timeIntervalSince1970 * 1000)]),
                let (account, _) = try Self.account(username: row["username"], in: db), !account.disabled
            else { return nil }
            let expires: Int64 = row["expires_ms"]
            let replica: String = row["replica_id"]
            return AuthenticatedSession(
                account: account, replica: ReplicaID(replica),
                expiresAt: Date(timeIntervalSince1970: Double(expires) / 1000))
        }
    }

    private static func account(username: String, in db: Database) throws -> (account: UserAccount, passwordHash: String)? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT role, password_hash, disabled FROM user_account WHERE username = ?", arguments: [username]),
            let role = UserRole(rawValue: row["role"])
        else { return nil }
        let wards = try String.fetchAll(db, sql: "SELECT ward FROM user_ward WHERE username = ?", arguments: [username])
        let patients = try String.fetchAll(
            db, sql: "SELECT patient FROM user_patient WHERE username = ?", arguments: [username])
        let account = UserAccount(
            username: username, role: role, wards: Set(wards), patients: Set(patients.compactMap(UUID.init(uuidString:))),
            disabled: row["disabled"])
        return (account, row["password_hash"])
    }

    /// User names and ward ids appear in logs, tokens' sessions and scopes: keep them to
    /// characters that need no quoting anywhere.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}
