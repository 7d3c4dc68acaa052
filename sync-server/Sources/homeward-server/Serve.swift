import ArgumentParser
import Foundation
import Logging
import ServerStore
import SyncServer

/// `homeward-server serve`: runs the server until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the sync server (the default command).",
        discussion: "Stops gracefully on SIGTERM or SIGINT: requests in flight finish first.")

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host: String = ServerConfiguration.defaultHost

    @Option(help: ArgumentHelp("The TCP port to listen on (1-65535).", valueName: "port"))
    var port: Int = ServerConfiguration.defaultPort

    @Option(help: ArgumentHelp(
        "Load this many demo patients before serving (those already present are kept).", valueName: "n"))
    var demoPatients: Int = 0

    @Option(help: ArgumentHelp("The demo hospital's seed.", valueName: "seed"))
    var demoSeed: UInt64 = 1

    @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate (chain); needs --tls-key.", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("How long a login stays valid, in hours.", valueName: "hours"))
    var sessionHours: Double = ServerServices.defaultSessionLifetime / 3600

    mutating func validate() throws {
        guard (1...65_535).contains(port) else {
            throw ValidationError("--port must be a TCP port from 1 to 65535; got \(port).")
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            throw ValidationError("--host must be an address such as 127.0.0.1 or 0.0.0.0; got '\(host)'.")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both, or neither for plain HTTP.")
        }
        guard sessionHours > 0, sessionHours <= 24 * 30 else {
            throw ValidationError("--session-hours must be more than 0 and at most 720; got \(sessionHours).")
        }
        guard (0...maximumDemoPatients).contains(demoPatients) else {
            throw ValidationError("--demo-patients must be from 0 to \(maximumDemoPatients); got \(demoPatients).")
        }
    }

    func run() async throws {
        let logger = common.bootstrapLogging()
        let dataDirectory = common.resolvedDataDirectory
        let database = try openDatabase(at: dataDirectory, logger: logger)

        if demoPatients > 0 {
            let hospital = demoHospital(seed: demoSeed, referenceDate: nil)
            let summary = try await DemoSeeder(hospital: hospital).seed(patients: demoPatients, into: database)
            logger.notice("demo data loaded", metadata: [
                "added": "\(summary.added)", "alreadyPresent": "\(summary.alreadyPresent)", "seed": "\(demoSeed)",
            ])
            let demo = DemoAccounts(hospital: hospital)
            try await demo.ensure(in: database)
            // Demo mode only: a published password for published accounts, so `make run`
            // can log in. A server started without --demo-patients never prints this.
            print("Demo accounts (password \"\(DemoAccounts.password)\"): "
                + demo.accounts.map { "\($0.username) (\($0.role))" }.joined(separator: ", "))
            fflush(nil)
        }

        var services = try await ServerServices.open(
            database: database,
            attachmentDirectory: ServerServices.attachmentDirectory(inDataDirectory: dataDirectory))
        services.sessionLifetime = sessionHours * 3600
        let tls = tlsCert.flatMap { cert in tlsKey.map { TLSFiles(certificatePath: cert, keyPath: $0) } }
        let configuration = ServerConfiguration(host: host, port: port, dataDirectory: dataDirectory, tls: tls)
        do {
            try await run(configuration: configuration, services: services, logger: logger)
        } catch let error as ServerConfigurationError {
            throw fail(error.description)
        } catch {
            // Binding fails here: the port is taken, or below 1024 without privileges.
            throw fail("the server stopped: cannot serve on \(host):\(port) (\(error)). Choose another --port or stop the program using it.")
        }
        logger.notice("stopped")
    }

    private func run(configuration: ServerConfiguration, services: ServerServices, logger: Logger) async throws {
        let app = try buildApplication(configuration: configuration, services: services, logger: logger)
        try await app.runService()
    }
}
