import ArgumentParser
import CareModel
import ClientStore
import ClientSync
import Foundation
import SyncCore

@main
struct HomewardTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-tool",
        abstract: "Headless Homeward client: the same patient database as the desktop app.",
        subcommands: [
            Login.self, Sync.self, Status.self, Conflicts.self, Patients.self, Edit.self, AttachRecording.self,
            StateHash.self, DemoData.self,
        ])
}

/// `--data DIR`, shared by every command that opens a profile.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: "Profile folder (default: $HOMEWARD_DATA_DIR, else ~/.local/share/homeward).")
    var data: String?

    var directory: DataDirectory { .resolve(explicit: data) }

    /// Opens the profile's existing database; a missing one is an error, not a new empty file.
    func openExisting() throws -> ClientDatabase {
        do {
            return try ClientDatabase.open(at: directory.databasePath, creating: false)
        } catch {
            throw ToolError(error.description)
        }
    }
}

/// A failure while running a command: printed as `Error: …` without the usage text,
/// because the command line itself was fine.
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct DemoData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Fill a client database with a seeded demo hospital (same seed and date, same data).")

    @Option(help: "How many patients.") var patients: Int = 2000
    @Option(help: "Seed of the generator.") var seed: UInt64 = 7
    @Option(name: .customLong("reference-date"), help: "The demo's 'today' (YYYY-MM-DD); discharges fall in the two years before it.")
    var referenceDate: String?
    @Option(help: "Write to this database file instead of the profile's.") var out: String?
    @OptionGroup var profile: ProfileOptions

    func validate() throws {
        guard (1...1_000_000).contains(patients) else {
            throw ValidationError("--patients must be between 1 and 1000000, not \(patients)")
        }
        if let referenceDate, CalendarDate(referenceDate) == nil {
            throw ValidationError("--reference-date must be a date like 2026-11-23, not '\(referenceDate)'")
        }
    }

    func run() throws {
        let today = referenceDate.flatMap { CalendarDate($0) } ?? CalendarDate(Date(), in: .current)
        let path = out ?? profile.directory.databasePath
        let database: ClientDatabase
        do { database = try ClientDatabase.open(at: path, creating: true) } catch { throw ToolError(error.description) }
        let hospital = DemoHospital(seed: seed, referenceDate: today)
        let started = ContinuousClock.now
        let summary = try database.archive.saveDemoHospital(hospital, patientCount: patients)
        let elapsed = ContinuousClock.now - started
        print("\(path): \(summary.created) patients created, \(summary.unchanged) already there, "
              + "\(hospital.wards.count) wards (\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))))")
    }
}

struct Patients: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or search the patients of a profile.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, tsv }

    @Option(help: "Search as the app does: name, pinyin or initials, MRN, bed, phone.") var search: String = ""
    @Option(help: "Only this ward (its id).") var ward: String?
    @Option(help: "At most this many rows.") var limit: Int?
    @Option(help: "table or tsv.") var format: Format = .table
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        let database = try profile.openExisting()
        var ids = try database.patients.search(search, ward: ward)
        if let limit { ids = Array(ids.prefix(limit)) }
        let header = ["id", "name", "romanized", "initials", "mrn", "ward", "bed"]
        var rows: [[String]] = []
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[chunk..<min(ids.count, chunk + 500)])
            for summary in try database.patients.summaries(ids: slice) {
                rows.append([
                    summary.id.uuidString, summary.displayName, summary.secondaryName ?? "",
                    summary.pinyinInitials ?? "", summary.mrn, summary.wardID, summary.bed ?? "",
                ])
            }
        }
        switch format {
        case .tsv:
            for row in [header] + rows { print(row.joined(separator: "\t")) }
        case .table:
            for row in rows { print("\(row[4])  \(row[1])  \(row[2])  \(row[5]) \(row[6])") }
            print("\(rows.count) patient\(rows.count == 1 ? "" : "s")")
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What a profile holds and how its sync stands.")
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        let database = try profile.openExisting()
        let engine = SyncEngine(database: database)
        let account = try database.accounts.account()
        print("database: \(database.path)")
        print("patients: \(try database.patients.count())")
        if let account {
            print("server: \(account.serverURL) as \(account.username)\(account.token.isEmpty || account.isExpired() ? " (signed out)" : "")")
        } else {
            print("server: none (homeward-tool login --server URL --username NAME)")
        }
        let status = engine.status
        print("sync: \(status.summary)")
        if let last = status.lastSynced { print("last synced: \(last.formatted(date: .abbreviated, time: .standard))") }
    }
}

struct Login: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign this profile in to a sync server.",
        discussion: "The password is read from standard input (one line), never from the command line.")

    @Option(help: "The sync server, e.g. http://127.0.0.1:8420.") var server: String
    @Option(help: "Your user name.") var username: String
    @Option(name: .customLong("ca-file"), help: "A CA bundle to verify the server's certificate.") var caFile: String?
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        let endpoint: ServerEndpoint
        do { endpoint = try ServerEndpoint(server) } catch { throw ValidationError(error.description) }
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ToolError("no password on standard input")
        }
        let database: ClientDatabase
        do { database = try ClientDatabase.open(at: profile.directory.databasePath, creating: true) } catch {
            throw ToolError(error.description)
        }
        var options = TransportOptions()
        options.caFile = caFile
        do {
            let login = try SyncEngine(database: database, options: options)
                .login(server: endpoint, username: username, password: password)
            let wards = login.scope.allWards ? "all wards" : login.scope.wards.sorted().joined(separator: ", ")
            print("signed in to \(endpoint.displayName) as \(username) (\(wards)); valid until \(login.expiresAt.formatted(date: .abbreviated, time: .shortened))")
        } catch { throw ToolError(error.description) }
    }
}

struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Push local changes and pull everyone else's, once.")
    @OptionGroup var profile: ProfileOptions
    @Flag(help: "No progress line.") var quiet = false

    func run() throws {
        let database = try profile.openExisting()
        let engine = SyncEngine(database: database)
        let showProgress = !quiet && isatty(STDOUT_FILENO) != 0
        do {
            let report = try engine.syncNow { progress in
                guard showProgress else { return }
                let bytes = ByteCountFormatter.string(fromByteCount: progress.bytesSent + progress.bytesReceived, countStyle: .file)
                let line = "\r\(progress.step.rawValue): \(progress.recordsPushed) pushed, \(progress.recordsPulled) pulled, \(bytes)   "
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            if showProgress { print("") }
            print("pushed \(report.pushedRecords) (\(report.refusedRecords) refused), pulled \(report.pulledRecords) (\(report.changedRecords) changed, \(report.quarantinedRecords) quarantined)")
            print(engine.status.summary)
        } catch {
            if showProgress { print("") }
            throw ToolError("sync failed: \(error)")
        }
    }
}

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the true conflicts waiting for a person.")
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        let database = try profile.openExisting()
        let conflicts = try database.writer.read { db in try database.syncRecords.conflicts(in: db) }
        for conflict in conflicts {
            let what = conflict.field.map { "field \($0)" } ?? "deletion"
            print("\(conflict.kind) \(conflict.recordID.uuidString) \(what): \(conflict.reason.rawValue)")
            for candidate in conflict.candidates {
                let value = candidate.deletes ? "(delete)" : candidate.value.map { "\($0)" } ?? "(restore)"
                let marker = candidate.dot == conflict.provisionalWinner ? "*" : " "
                print("  \(marker) \(value)  by \(candidate.dot.replica) at \(candidate.at)")
            }
        }
        print("\(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s")")
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Change a patient's contact details, as a nurse would in the app (synced on the next sync).")

    @Option(help: "The patient's id (see `patients --format tsv`).") var patient: String
    @Option(help: "New bed.") var bed: String?
    @Option(help: "New address.") var address: String?
    @Option(help: "New main phone number.") var phone: String?
    @Option(help: "Add an allergy (substance).") var addAllergy: String?
    @Option(help: "Add a tag.") var addTag: String?
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        guard let id = UUID(uuidString: patient) else { throw ValidationError("--patient must be a patient id (a UUID), not '\(patient)'") }
        let database = try profile.openExisting()
        guard var record = try database.patients.patient(id: id) else { throw ToolError("no patient \(id.uuidString) in this profile") }
        if let bed { record.bed = bed }
        if let address { record.address = address }
        if let phone {
            if record.phones.isEmpty { record.phones = [PhoneContact(number: phone)] } else { record.phones[0].number = phone }
        }
        if let addAllergy { record.addAllergy(Allergy(substance: addAllergy)) }
        if let addTag { record.addTag(addTag) }
        let changed = try database.archive.save(record)
        print(changed ? "saved" : "nothing changed")
    }
}

struct AttachRecording: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach-recording", abstract: "Keep a call recording with a patient (WAV, Ogg Opus, MP3, M4A).")

    @Option(help: "The patient's id.") var patient: String
    @Argument(help: "The audio file.") var file: String
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        guard let id = UUID(uuidString: patient) else { throw ValidationError("--patient must be a patient id (a UUID), not '\(patient)'") }
        let database = try profile.openExisting()
        guard let record = try database.patients.patient(id: id) else { throw ToolError("no patient \(id.uuidString) in this profile") }
        do {
            let recording = try database.callRecordings.attach(file: file, patientID: id, ward: record.wardID.rawValue)
            print("\(recording.id.uuidString) \(recording.sha256) \(recording.size) bytes \(recording.mediaType)")
        } catch let error as AttachmentError {
            throw ToolError(error.description)
        }
    }
}

struct StateHash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state-hash",
        abstract: "The canonical hash of every record in the profile (equal on replicas that have converged).")
    @OptionGroup var profile: ProfileOptions

    func run() throws {
        let database = try profile.openExisting()
        print(try database.writer.read { db in try database.syncRecords.stateHash(in: db) })
    }
}
