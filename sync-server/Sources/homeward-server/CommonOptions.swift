import ArgumentParser
import CareModel
import Foundation
import Logging
import ServerStore
import SyncServer

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp(
        "The directory of the server's database.", valueName: "dir"))
    var dataDirectory: String?

    @Option(help: ArgumentHelp(
        "How much to log: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "info"

    mutating func validate() throws {
        if let dataDirectory, dataDirectory.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--data needs a directory, not an empty string.")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got '\(logLevel)'.")
        }
    }

    var resolvedDataDirectory: String { ServerDataDirectory.resolve(explicit: dataDirectory) }

    /// Sends logs to standard error at the chosen level. Called once, by `run()`.
    func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "homeward-server")
    }
}

/// Options that pick a demo hospital.
struct DemoHospitalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The demo hospital's seed: the same seed gives the same patients.", valueName: "seed"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "The demo's 'today' as YYYY-MM-DD; discharges fall in the two years before it. Default: today.",
        valueName: "date"))
    var referenceDate: String?

    mutating func validate() throws {
        if let referenceDate, CalendarDate(referenceDate) == nil {
            throw ValidationError("--reference-date must be a date written YYYY-MM-DD, such as 2026-11-23; got '\(referenceDate)'.")
        }
    }

    func hospital(today: Date = Date()) -> DemoHospital {
        demoHospital(seed: seed, referenceDate: referenceDate, today: today)
    }
}

/// The demo hospital of `seed` as of `referenceDate` (YYYY-MM-DD), or as of today in the
/// server's time zone, which is the hospital's.
func demoHospital(seed: UInt64, referenceDate: String?, today: Date = Date()) -> DemoHospital {
    DemoHospital(
        seed: seed,
        referenceDate: referenceDate.flatMap(CalendarDate.init) ?? CalendarDate(today, in: .current))
}

/// The most demo patients one command loads: enough for load tests, few enough that a
/// typo (an extra zero or three) does not fill the disk.
let maximumDemoPatients = 1_000_000

/// Prints `message` on standard error and ends the command with a failure status.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("homeward-server: \(message)\n".utf8))
    return ExitCode.failure
}

/// Opens the database, turning the store's refusal into a console message.
func openDatabase(at directory: String, logger: Logger) throws -> ServerDatabase {
    do {
        let database = try ServerDatabase.open(dataDirectory: directory)
        logger.info("database open", metadata: ["path": "\(database.path)"])
        return database
    } catch {
        throw fail(error.description)
    }
}
