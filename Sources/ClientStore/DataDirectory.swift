import Foundation

/// Where a client profile keeps its database and files.
///
/// `--data DIR` wins, then `$HOMEWARD_DATA_DIR`, then the XDG data directory
/// (`$XDG_DATA_HOME/homeward`, else `~/.local/share/homeward`). Tests and several local
/// profiles run side by side by giving each its own directory.
public struct DataDirectory: Sendable, Equatable {
    public let path: String

    public init(path: String) {
        self.path = (path as NSString).expandingTildeInPath
    }

    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DataDirectory {
        if let explicit, !explicit.isEmpty { return DataDirectory(path: explicit) }
        if let fromEnvironment = environment["HOMEWARD_DATA_DIR"], !fromEnvironment.isEmpty {
            return DataDirectory(path: fromEnvironment)
        }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return DataDirectory(path: xdg + "/homeward")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return DataDirectory(path: home + "/.local/share/homeward")
    }

    /// The client database inside this directory.
    public var databasePath: String { (path as NSString).appendingPathComponent(ClientDatabase.fileName) }
}
