import Foundation
import GRDB

/// Why the server's database could not be opened or used.
///
/// Each case names the file it is about and says what an operator can do, because
/// these messages are what someone starting `homeward-server` sees on a console.
/// They never contain record contents.
public enum ServerDatabaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data directory does not exist and the caller asked not to create it.
    case dataDirectoryMissing(path: String)
    /// The data directory exists but is not a directory, or cannot be created or written.
    case dataDirectoryUnusable(path: String, reason: String)
    /// The caller asked to open an existing database and there is none at `path`.
    case databaseMissing(path: String)
    /// The file exists but SQLite cannot read it (permissions, not a database, corrupt).
    case databaseUnreadable(path: String, reason: String)
    /// The file is an SQLite database that some other program created; it is left untouched.
    case notHomewardServerDatabase(path: String)
    /// The file was migrated by a newer Homeward server; opening it with this version
    /// could misread or damage records it does not understand.
    case writtenByNewerVersion(path: String, unknownMigrations: [String])

    public var description: String {
        switch self {
        case .dataDirectoryMissing(let path):
            return "The data directory \(path) does not exist. Create it, or pass another directory with --data."
        case .dataDirectoryUnusable(let path, let reason):
            return "The data directory \(path) cannot be used (\(reason)). Check that it is a directory this user may write to."
        case .databaseMissing(let path):
            return "There is no Homeward database at \(path). Start the server once with this --data directory to create it."
        case .databaseUnreadable(let path, let reason):
            return "The database \(path) cannot be read (\(reason)). Check its permissions, or restore it from a backup."
        case .notHomewardServerDatabase(let path):
            return "\(path) is an SQLite file that the Homeward server did not create; it was left untouched. Point --data at another directory."
        case .writtenByNewerVersion(let path, let unknown):
            return "The database \(path) was written by a newer Homeward server (schema steps \(unknown.sorted().joined(separator: ", ")) are unknown to this version). Run the newer server, or restore a backup made with this version."
        }
    }
}

extension ServerDatabaseError {
    /// SQLite's own words for an error, without the SQL (which could hold patient data).
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return String(describing: error)
    }
}
