import Foundation
import GRDB
import SyncCore

/// The sync server's embedded SQLite database: every synchronised record, the change
/// sequence that pulls follow, the answers to applied push batches, and the server's own
/// replica id.
///
/// One file, `homeward-server.sqlite`, in the server's data directory, in WAL mode so
/// pulls read while a push writes. Opening checks what the file is before anything reads
/// it: a file another program created, or one migrated by a newer server, is refused with
/// a ``ServerDatabaseError`` that says so, and is never changed.
///
/// ```swift
/// let database = try ServerDatabase.open(dataDirectory: "/var/lib/homeward")
/// let store: any RecordStore = database
/// let result = try await store.applyPush(batch, scope: nurse.scope)
/// ```
public final class ServerDatabase: Sendable {
    /// The database file's name inside the data directory.
    public static let fileName = "homeward-server.sqlite"

    /// The connection: a pool (one writer, concurrent readers) for a file, a queue in memory.
    public let writer: any DatabaseWriter
    /// Where the file is, or `":memory:"`.
    public let path: String
    /// The server's own replica id: created with the database, never changed, and used to
    /// stamp the records the server itself writes (demo data, central-office edits).
    public let serverReplica: ReplicaID

    /// Adopts a connection that is already open and brings its schema up to date.
    ///
    /// The simulator uses this to "restart" a server on the database a crash left behind:
    /// what was committed survives, everything held only in memory is gone.
    ///
    /// - Parameter replicaForNewDatabase: the replica id to give a database that has none
    ///   yet (the simulator's, so that a seed replays exactly); a random one if `nil`.
    ///   An existing database keeps its id.
    public init(
        adopting writer: any DatabaseWriter, path: String = ":memory:", replicaForNewDatabase: ReplicaID? = nil
    ) throws(ServerDatabaseError) {
        self.writer = writer
        self.path = path
        try Self.prepareSchema(writer, path: path)
        do {
            serverReplica = try writer.write { db in
                try Self.loadOrCreateIdentity(db, newReplica: replicaForNewDatabase)
            }
        } catch {
            throw .databaseUnreadable(path: path, reason: ServerDatabaseError.describe(error))
        }
    }

    /// How ``open(dataDirectory:mode:)`` treats a missing directory or database.
    public enum OpenMode: Sendable {
        /// Create the directory and an empty database if they are missing: the server's start.
        case createIfMissing
        /// Refuse a missing database: administrative commands, which must not leave an
        /// empty database where an operator mistyped a path.
        case existingOnly
    }

    /// Opens `homeward-server.sqlite` in `dataDirectory`.
    ///
    /// - Throws: ``ServerDatabaseError`` naming the file and what to do about it.
    public static func open(
        dataDirectory: String, mode: OpenMode = .createIfMissing
    ) throws(ServerDatabaseError) -> ServerDatabase {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: dataDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .dataDirectoryUnusable(path: dataDirectory, reason: "it is a file, not a directory")
            }
        } else {
            guard mode == .createIfMissing else { throw .dataDirectoryMissing(path: dataDirectory) }
            do {
                try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw .dataDirectoryUnusable(path: dataDirectory, reason: "it cannot be created")
            }
        }

        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        let exists = manager.fileExists(atPath: path)
        if !exists {
            guard mode == .createIfMissing else { throw .databaseMissing(path: path) }
            guard manager.isWritableFile(atPath: dataDirectory) else {
                throw .dataDirectoryUnusable(path: dataDirectory, reason: "permission denied")
            }
        } else if !manager.isReadableFile(atPath: path) || !manager.isWritableFile(atPath: path) {
            throw .databaseUnreadable(path: path, reason: "permission denied")
        }

        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // A push is acknowledged only after its transaction is on disk: with WAL,
        // synchronous=FULL makes every commit durable across a power cut, not just a crash.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .databaseUnreadable(path: path, reason: ServerDatabaseError.describe(error))
        }
        return try ServerDatabase(adopting: pool, path: path)
    }

    /// A private database in memory, for tests and the simulator.
    public static func inMemory(replica: ReplicaID? = nil) throws(ServerDatabaseError) -> ServerDatabase {
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue() } catch {
            throw .databaseUnreadable(path: ":memory:", reason: ServerDatabaseError.describe(error))
        }
        return try ServerDatabase(adopting: queue, replicaForNewDatabase: replica)
    }

    /// SQLite's own consistency check: `["ok"]` when the file is sound.
    public func integrityCheck() throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    // MARK: - Opening

    /// "HMWS": marks the file as the Homeward server's, so another program's SQLite file
    /// is refused instead of migrated.
    static let applicationID: Int32 = 0x484D_5753

    private static func prepareSchema(_ writer: any DatabaseWriter, path: String) throws(ServerDatabaseError) {
        let migrator = ServerSchema.migrator
        do {
            let (foreign, unknown) = try writer.read { db -> (Bool, Set<String>) in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tableCount = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                let foreign = applicationID != Self.applicationID && (applicationID != 0 || tableCount > 0)
                if foreign { return (true, []) }
                return (false, try migrator.appliedIdentifiers(db).subtracting(migrator.migrations))
            }
            if foreign { throw ServerDatabaseError.notHomewardServerDatabase(path: path) }
            if !unknown.isEmpty {
                throw ServerDatabaseError.writtenByNewerVersion(path: path, unknownMigrations: unknown.sorted())
            }
            try migrator.migrate(writer)
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
            }
        } catch let error as ServerDatabaseError {
            throw error
        } catch {
            throw .databaseUnreadable(path: path, reason: ServerDatabaseError.describe(error))
        }
    }

    private static func loadOrCreateIdentity(_ db: Database, newReplica: ReplicaID?) throws -> ReplicaID {
        if let existing = try String.fetchOne(db, sql: "SELECT replica_id FROM server_identity") {
            return ReplicaID(existing)
        }
        let replica = newReplica ?? ReplicaID("server-" + UUID().uuidString.lowercased())
        try db.execute(
            sql: "INSERT INTO server_identity (singleton, replica_id, last_counter, last_change) VALUES (1, ?, 0, 0)",
            arguments: [replica.rawValue])
        return replica
    }
}
