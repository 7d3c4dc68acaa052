import Foundation
import GRDB
import SyncCore
import Testing
@testable import ServerStore

@Suite("Opening the server database")
struct ServerDatabaseOpeningTests {
    @Test("creates the file in WAL mode and keeps its replica id across restarts")
    func createsAndReopens() async throws {
        let directory = try TemporaryDirectory()
        let first = try ServerDatabase.open(dataDirectory: directory.path)
        #expect(FileManager.default.fileExists(atPath: directory.databasePath))
        let journal = try await first.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let replica = first.serverReplica

        var nurse = TestReplica("ward3-ws1")
        let record = try nurse.create(ward: "W3", ["phone": .set("138 0000 0000")])
        _ = try await first.applyPush(nurse.batch([record]), scope: wardScope("W3"))

        let second = try ServerDatabase.open(dataDirectory: directory.path, mode: .existingOnly)
        #expect(second.serverReplica == replica)
        #expect(try await second.recordCount() == 1)
        #expect(try second.integrityCheck() == ["ok"])
    }

    @Test("creates a missing data directory only when asked to")
    func missingDirectory() throws {
        let parent = try TemporaryDirectory()
        let directory = (parent.path as NSString).appendingPathComponent("data")
        #expect(throws: ServerDatabaseError.dataDirectoryMissing(path: directory)) {
            try ServerDatabase.open(dataDirectory: directory, mode: .existingOnly)
        }
        _ = try ServerDatabase.open(dataDirectory: directory, mode: .createIfMissing)
        #expect(FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(ServerDatabase.fileName)))
    }

    @Test("refuses a missing database for administrative commands")
    func missingDatabase() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: ServerDatabaseError.databaseMissing(path: directory.databasePath)) {
            try ServerDatabase.open(dataDirectory: directory.path, mode: .existingOnly)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.databasePath))
    }

    @Test("refuses a data directory that is a file")
    func directoryIsAFile() throws {
        let parent = try TemporaryDirectory()
        let file = (parent.path as NSString).appendingPathComponent("data")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ServerDatabaseError.dataDirectoryUnusable(path: file, reason: "it is a file, not a directory")) {
            try ServerDatabase.open(dataDirectory: file)
        }
    }

    @Test("says a file that is not a database is unreadable, and leaves it alone")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let garbage = Data(repeating: 0x5A, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: directory.databasePath))
        let error = #expect(throws: ServerDatabaseError.self) {
            try ServerDatabase.open(dataDirectory: directory.path)
        }
        guard case .databaseUnreadable(let path, _) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(path == directory.databasePath)
        #expect(error?.description.contains("cannot be read") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.databasePath)) == garbage)
    }

    @Test("refuses another program's SQLite file")
    func foreignDatabase() throws {
        let directory = try TemporaryDirectory()
        let foreign = try DatabaseQueue(path: directory.databasePath)
        try foreign.write { db in try db.execute(sql: "CREATE TABLE recipes (name TEXT)") }
        try foreign.close()
        #expect(throws: ServerDatabaseError.notHomewardServerDatabase(path: directory.databasePath)) {
            try ServerDatabase.open(dataDirectory: directory.path)
        }
    }

    @Test("refuses a database written by a newer server and changes nothing")
    func newerSchema() throws {
        let directory = try TemporaryDirectory()
        let current = try ServerDatabase.open(dataDirectory: directory.path)
        try current.writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future-audit')")
        }
        #expect(
            throws: ServerDatabaseError.writtenByNewerVersion(
                path: directory.databasePath, unknownMigrations: ["v9-future-audit"])
        ) {
            try ServerDatabase.open(dataDirectory: directory.path)
        }
        let identifiers = try current.writer.read { db in
            try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(identifiers.contains("v9-future-audit"))
    }

    @Test("the error messages name the file and say what to do")
    func messages() {
        let error = ServerDatabaseError.writtenByNewerVersion(path: "/var/lib/homeward/homeward-server.sqlite", unknownMigrations: ["v9"])
        #expect(error.description.contains("/var/lib/homeward/homeward-server.sqlite"))
        #expect(error.description.contains("newer Homeward server"))
    }
}
