import Foundation
import GRDB

/// The client's local SQLite database: one file per profile, shared by the desktop app
/// and `homeward-tool`.
///
/// Opening checks what the file is before anything reads it: a missing file, a file
/// that is not a Homeward database, or one written by a newer Homeward each give a
/// ``ClientDatabaseError`` that says so, instead of an empty patient list.
///
/// ```swift
/// let database = try ClientDatabase.open(at: "/home/nurse/.local/share/homeward/homeward.sqlite", creating: true)
/// let patients = try database.patients.search("zs")
/// ```
public final class ClientDatabase: Sendable {
    /// The file name inside a data directory.
    public static let fileName = "homeward.sqlite"

    /// GRDB's connection pool: concurrent reads (search while sync applies a page), one writer.
    public let writer: any DatabaseWriter
    /// Where the file is, or `":memory:"`.
    public let path: String

    private init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    /// Opens the database at `path`. With `creating: false` a missing file is an error;
    /// with `creating: true` a missing file (and its directory) is created empty.
    public static func open(at path: String, creating: Bool) throws(ClientDatabaseError) -> ClientDatabase {
        let manager = FileManager.default
        let exists = manager.fileExists(atPath: path)
        if !exists {
            guard creating else { throw .missing(path: path) }
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreate(path: path, reason: "cannot create the folder \(directory)")
            }
        } else if !manager.isReadableFile(atPath: path) {
            throw .unreadable(path: path, reason: "permission denied")
        }

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw exists
                ? .unreadable(path: path, reason: ClientDatabaseError.describe(error))
                : .cannotCreate(path: path, reason: ClientDatabaseError.describe(error))
        }
        let database = ClientDatabase(writer: pool, path: path)
        try database.prepareSchema()
        // Patient data and the sync token live here: readable by this user only.
        try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return database
    }

    /// Opens the database `homeward.sqlite` inside a data directory, creating it on first use.
    public static func open(dataDirectory: String) throws(ClientDatabaseError) -> ClientDatabase {
        try open(at: (dataDirectory as NSString).appendingPathComponent(fileName), creating: true)
    }

    /// A private in-memory database (tests, the simulator).
    public static func inMemory() throws(ClientDatabaseError) -> ClientDatabase {
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue() } catch {
            throw .cannotCreate(path: ":memory:", reason: ClientDatabaseError.describe(error))
        }
        let database = ClientDatabase(writer: queue, path: ":memory:")
        try database.prepareSchema()
        return database
    }

    // MARK: - Schema

    /// Every migration this build knows, in order. Sync tables first: the patient
    /// projection is derived from sync records.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        SyncSchema.registerMigrations(&migrator)
        PatientSchema.registerMigrations(&migrator)
        SyncAccountStore.registerMigrations(&migrator)
        AttachmentStore.registerMigrations(&migrator)
        return migrator
    }

    private func prepareSchema() throws(ClientDatabaseError) {
        let migrator = Self.migrator
        do {
            let superseded = try writer.read { db -> Bool in
                try Self.checkIsHomewardDatabase(db, path: path)
                return try migrator.hasBeenSuperseded(db)
            }
            if superseded {
                let unknown = try writer.read { db in try migrator.appliedIdentifiers(db) }
                    .subtracting(migrator.migrations)
                throw ClientDatabaseError.newerSchema(path: path, unknownMigrations: unknown.sorted())
            }
            try migrator.migrate(writer)
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
            }
        } catch let error as ClientDatabaseError {
            throw error
        } catch {
            throw .unreadable(path: path, reason: ClientDatabaseError.describe(error))
        }
    }

    /// "HMWD": marks the file as ours, so another app's SQLite file is refused instead of migrated.
    static let applicationID: Int32 = 0x484D_5744

    private static func checkIsHomewardDatabase(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if applicationID == Self.applicationID { return }
        let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        if applicationID != 0 || tableCount > 0 {
            throw ClientDatabaseError.notHomeward(path: path)
        }
    }
}

/// Why the local database could not be opened. Messages name the file and say what to do;
/// they never contain patient data.
public enum ClientDatabaseError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case cannotCreate(path: String, reason: String)
    case notHomeward(path: String)
    case newerSchema(path: String, unknownMigrations: [String])

    public var description: String {
        switch self {
        case .missing(let path):
            "The patient database \(path) does not exist. Check the --data folder, or sync to create it."
        case .unreadable(let path, let reason):
            "The patient database \(path) cannot be read (\(reason)). Nothing was changed; restore it from a backup or ask support."
        case .cannotCreate(let path, let reason):
            "The patient database \(path) cannot be created (\(reason))."
        case .notHomeward(let path):
            "\(path.isEmpty ? "This file" : path) is an SQLite file that Homeward did not create; it was left untouched."
        case .newerSchema(let path, let unknown):
            "The patient database \(path) was written by a newer version of Homeward (unknown changes: \(unknown.joined(separator: ", "))). Update Homeward to open it; nothing was changed."
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return String(describing: error)
    }
}
