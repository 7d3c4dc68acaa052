import AppFeatures
import CGtk
import ClientStore
import ClientSync
import Foundation
import GtkKit

/// What the desktop app was started with.
public struct LaunchOptions: Sendable {
    public var dataDirectory: DataDirectory
    /// An explicit database file (must exist), instead of the data directory's.
    public var databasePath: String?
    public var server: String?

    public static let usage = """
        Usage: homeward [--data DIR] [--database FILE] [--server URL]

          --data DIR        profile folder (default: $HOMEWARD_DATA_DIR or ~/.local/share/homeward)
          --database FILE   open this patient database instead of the profile's (must exist)
          --server URL      sync server, e.g. http://127.0.0.1:8420 (default: $HOMEWARD_SERVER)
        """

    public enum ParseError: Error, CustomStringConvertible {
        case missingValue(String)
        case unknownOption(String)
        /// `--help`: not a failure; the caller prints the usage and exits 0.
        case helpRequested
        public var description: String {
            switch self {
            case .helpRequested: LaunchOptions.usage
            case .missingValue(let option): "\(option) needs a value.\n\n\(LaunchOptions.usage)"
            case .unknownOption(let option): "unknown option \(option).\n\n\(LaunchOptions.usage)"
            }
        }
    }

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LaunchOptions {
        var data: String?
        var database: String?
        var server = environment["HOMEWARD_SERVER"]
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--data":
                guard let value = iterator.next() else { throw ParseError.missingValue(argument) }
                data = value
            case "--database":
                guard let value = iterator.next() else { throw ParseError.missingValue(argument) }
                database = value
            case "--help", "-h":
                throw ParseError.helpRequested
            case "--server":
                guard let value = iterator.next() else { throw ParseError.missingValue(argument) }
                server = value
            default:
                throw ParseError.unknownOption(argument)
            }
        }
        return LaunchOptions(
            dataDirectory: .resolve(explicit: data, environment: environment), databasePath: database, server: server)
    }
}

/// The GtkApplication: one main window per activation, with the database opened once.
@MainActor
public final class HomewardApplication {
    public static let applicationID = "org.homeward.Homeward"

    private let options: LaunchOptions
    private let application: ObjectRef
    private var window: MainWindow?

    public init(options: LaunchOptions) {
        self.options = options
        // The program name is how AT-SPI (screen readers, GUI tests) finds the app.
        g_set_prgname("homeward")
        g_set_application_name("Homeward")
        application = ObjectRef(adopting: gtk_application_new(Self.applicationID, G_APPLICATION_NON_UNIQUE).raw)
        Signal.connect(application.pointer, "activate") { [weak self] in self?.activate() }
    }

    /// Runs the main loop until the last window closes; returns the exit status.
    public func run() -> Int32 {
        do {
            try MainLoopBridge.install()
        } catch {
            FileHandle.standardError.write(Data("homeward: \(error)\n".utf8))
            return 1
        }
        // GTK must not see our own options: it would reject them.
        var argv: [UnsafeMutablePointer<CChar>?] = [CommandLine.unsafeArgv[0], nil]
        return g_application_run(application.pointer.as(GApplication.self), 1, &argv)
    }

    private func activate() {
        if let window {
            window.present()
            return
        }
        let resources: ResourceDirectory
        do {
            resources = try ResourceDirectory.locate()
        } catch {
            FileHandle.standardError.write(Data("homeward: \(error)\n".utf8))
            g_application_quit(application.pointer.as(GApplication.self))
            return
        }
        StyleSheet.load(path: resources.file("style.css"))
        gtk_window_set_default_icon_name(Self.applicationID)

        let opened = openDatabase()
        var endpoint: ServerEndpoint?
        var serverProblem: String?
        if let server = options.server {
            do { endpoint = try ServerEndpoint(server) } catch { serverProblem = error.description }
        }
        // A signed-in profile syncs in the background; otherwise the header tells whether
        // the given server is reachable.
        var engine: SyncEngine?
        if case .success(let database) = opened, (try? database.accounts.account()) != nil {
            engine = SyncEngine(database: database)
        }
        do {
            let window = try MainWindow(
                application: application.pointer, resources: resources, database: opened,
                syncStatus: SyncStatusModel(engine: engine, endpoint: endpoint))
            self.window = window
            if let serverProblem { FileHandle.standardError.write(Data("homeward: \(serverProblem)\n".utf8)) }
            window.present()
        } catch {
            FileHandle.standardError.write(Data("homeward: \(error)\n".utf8))
            g_application_quit(application.pointer.as(GApplication.self))
        }
    }

    private func openDatabase() -> Result<ClientDatabase, ClientDatabaseError> {
        do {
            if let explicit = options.databasePath {
                return .success(try ClientDatabase.open(at: explicit, creating: false))
            }
            return .success(try ClientDatabase.open(at: options.dataDirectory.databasePath, creating: true))
        } catch {
            FileHandle.standardError.write(Data("homeward: \(error)\n".utf8))
            return .failure(error)
        }
    }
}
