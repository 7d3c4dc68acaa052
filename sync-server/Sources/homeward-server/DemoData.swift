import ArgumentParser
import Foundation
import ServerStore
import SyncServer

/// `homeward-server demo-data`: fills the server's database with a demo hospital.
struct DemoData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Load a seeded demo hospital's patients into the server's database.",
        discussion: """
            Running it again with the same seed adds only the patients that are missing, \
            so it never duplicates a patient. Creates the database if there is none.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var demo: DemoHospitalOptions

    @Option(help: ArgumentHelp("How many patients.", valueName: "n"))
    var patients: Int = 200

    mutating func validate() throws {
        guard (1...maximumDemoPatients).contains(patients) else {
            throw ValidationError("--patients must be from 1 to \(maximumDemoPatients); got \(patients).")
        }
    }

    func run() async throws {
        let logger = common.bootstrapLogging()
        let database = try openDatabase(at: common.resolvedDataDirectory, logger: logger)
        let hospital = demo.hospital()
        let summary = try await DemoSeeder(hospital: hospital).seed(patients: patients, into: database)
        print("Demo hospital (seed \(hospital.seed), as of \(hospital.referenceDate)): \(summary) in \(database.path).")
    }
}
