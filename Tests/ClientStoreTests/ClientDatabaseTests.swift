import ClientStore
import Foundation
import GRDB
import SyncCore
import Testing

/// A fresh temporary folder per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "homeward-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
}

@Suite("Opening the client database")
struct ClientDatabaseTests {
    @Test func createsAnEmptyDatabaseOnFirstUse() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("profile/homeward.sqlite")
        let database = try ClientDatabase.open(at: path, creating: true)
        #expect(try database.patients.count() == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        // Opening again finds the same, already migrated database.
        #expect(try ClientDatabase.open(at: path, creating: false).patients.count() == 0)
    }

    @Test func aMissingDatabaseIsAnErrorWhenItMustExist() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("nowhere.sqlite")
        #expect(throws: ClientDatabaseError.missing(path: path)) { try ClientDatabase.open(at: path, creating: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotSQLiteIsUnreadableAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("homeward.sqlite")
        let garbage = Data("this is a nurse's shopping list, not a database".utf8) + Data(repeating: 7, count: 4096)
        try garbage.write(to: URL(fileURLWithPath: path))
        #expect {
            try ClientDatabase.open(at: path, creating: true)
        } throws: { error in
            guard case .unreadable(let errorPath, _) = error as? ClientDatabaseError else { return false }
            return errorPath == path
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func anotherAppsDatabaseIsRefusedNotMigrated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("other.sqlite")
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        #expect(throws: ClientDatabaseError.notHomeward(path: path)) { try ClientDatabase.open(at: path, creating: true) }
        let tables = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["invoices"])
    }

    @Test func aDatabaseFromANewerHomewardIsRefusedAndUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("homeward.sqlite")
        _ = try ClientDatabase.open(at: path, creating: true)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('patients-v99')")
        }
        #expect(throws: ClientDatabaseError.newerSchema(path: path, unknownMigrations: ["patients-v99"])) {
            try ClientDatabase.open(at: path, creating: true)
        }
        let marks = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations WHERE identifier = 'patients-v99'")
        }
        #expect(marks == 1)
    }

    @Test func errorMessagesNameTheFileAndSayWhatToDo() {
        let message = ClientDatabaseError.newerSchema(path: "/data/homeward.sqlite", unknownMigrations: ["x"]).description
        #expect(message.contains("/data/homeward.sqlite"))
        #expect(message.contains("Update Homeward"))
    }
}

@Suite("Data directory")
struct DataDirectoryTests {
    @Test func explicitWinsThenEnvironmentThenXDG() {
        let environment = ["HOMEWARD_DATA_DIR": "/env/dir", "XDG_DATA_HOME": "/xdg", "HOME": "/home/n"]
        #expect(DataDirectory.resolve(explicit: "/cli", environment: environment).path == "/cli")
        #expect(DataDirectory.resolve(explicit: nil, environment: environment).path == "/env/dir")
        #expect(DataDirectory.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/home/n"]).path == "/xdg/homeward")
        #expect(DataDirectory.resolve(explicit: nil, environment: ["HOME": "/home/n"]).path == "/home/n/.local/share/homeward")
        #expect(DataDirectory.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"]).path == "/h/.local/share/homeward")
    }
}

@Suite("Sync account")
struct SyncAccountStoreTests {
    private func login(_ database: ClientDatabase, wards: Set<String>) throws {
        try database.accounts.save(
            SyncAccount(serverURL: "http://127.0.0.1:8420", username: "li.na", token: "t", expiresAt: Date().addingTimeInterval(3600),
                        serverReplica: "server-1"),
            scope: AccessScope(wards: wards), records: database.syncRecords)
    }

    private func cursor(_ database: ClientDatabase) throws -> Int64 {
        try database.writer.read { db in try database.syncRecords.pullCursor(in: db).sequence }
    }

    @Test func aWiderScopePullsFromTheBeginningAgain() throws {
        let database = try ClientDatabase.inMemory()
        try login(database, wards: ["CARD-1"])
        _ = try database.writer.write { db in
            try database.syncRecords.applyPulledPage(PullPage(records: [], nextCursor: ChangeCursor(sequence: 40), hasMore: false), in: db)
        }
        #expect(try cursor(database) == 40)
        try login(database, wards: ["CARD-1"])  // the same scope again: keep going from 40
        #expect(try cursor(database) == 40)
        try login(database, wards: ["CARD-1", "ENDO-1"])  // a ward added: its older records must come too
        #expect(try cursor(database) == 0)
        #expect(try database.accounts.account()?.username == "li.na")
    }
}
