import ArgumentParser
import Foundation
import Logging
import ServerStore
import SyncServer

/// `homeward-server user add|list|disable|enable`: the accounts that log in to sync.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable or enable user accounts.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. The password is read from standard input, never from the command line.",
            discussion: """
                Roles: ward-nurse (needs --ward), home-visit (needs --patient), central-office, admin.
                At a terminal the password is asked for without echo; otherwise the first line of \
                standard input is the password, e.g. printf '%s\\n' "$PASSWORD" | homeward-server user add ...
                """)

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The login name: letters, digits, '-', '_' or '.'.", valueName: "username"))
        var username: String

        @Option(help: ArgumentHelp("ward-nurse, home-visit, central-office or admin.", valueName: "role"))
        var role: String

        @Option(name: .customLong("ward"), help: ArgumentHelp("A ward of a ward nurse (repeat for several).", valueName: "ward"))
        var wards: [String] = []

        @Option(name: .customLong("patient"), help: ArgumentHelp(
            "A patient id assigned to home-visit staff (repeat for several).", valueName: "uuid"))
        var patients: [String] = []

        mutating func validate() throws {
            guard let role = UserRole(rawValue: role) else {
                throw ValidationError("--role must be one of \(UserRole.allCases.map(\.rawValue).joined(separator: ", ")); got '\(role)'.")
            }
            for patient in patients where UUID(uuidString: patient) == nil {
                throw ValidationError("--patient must be a patient's UUID; got '\(patient)'.")
            }
            switch role {
            case .wardNurse where wards.isEmpty:
                throw ValidationError("A ward nurse needs at least one --ward.")
            case .homeVisit where patients.isEmpty:
                throw ValidationError("Home-visit staff need at least one --patient.")
            case .wardNurse, .homeVisit, .centralOffice, .admin:
                break
            }
            if role != .wardNurse && !wards.isEmpty { throw ValidationError("--ward applies to ward nurses only.") }
            if role != .homeVisit && !patients.isEmpty { throw ValidationError("--patient applies to home-visit staff only.") }
        }

        func run() async throws {
            let logger = common.bootstrapLogging()
            guard let password = readPassword(), password.count >= 8 else {
                throw fail("no password of at least 8 characters on standard input; the user was not added.")
            }
            let database = try openDatabase(at: common.resolvedDataDirectory, logger: logger)
            let account = UserAccount(
                username: username, role: UserRole(rawValue: role)!, wards: Set(wards),
                patients: Set(patients.compactMap(UUID.init(uuidString:))))
            do {
                try await database.addUser(account, passwordHash: try PasswordHasher().hash(password))
            } catch let error as AccountStoreError {
                throw fail(error.description)
            }
            print("Added \(username) (\(role)).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, their roles and scopes.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let logger = common.bootstrapLogging()
            let database = try openExistingDatabase(at: common.resolvedDataDirectory, logger: logger)
            for user in try await database.users() {
                var scope: String
                switch user.role {
                case .wardNurse: scope = "wards " + user.wards.sorted().joined(separator: ",")
                case .homeVisit: scope = "\(user.patients.count) assigned patients"
                case .centralOffice: scope = "all wards"
                case .admin: scope = "no patient records"
                }
                if user.disabled { scope += " (disabled)" }
                print("\(user.username)\t\(user.role)\t\(scope)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user: they can no longer log in, and their tokens stop working at once.")

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The login name.", valueName: "username"))
        var username: String

        func run() async throws {
            try await setDisabled(true, username: username, common: common)
            print("Disabled \(username).")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The login name.", valueName: "username"))
        var username: String

        func run() async throws {
            try await setDisabled(false, username: username, common: common)
            print("Enabled \(username).")
        }
    }
}

private func setDisabled(_ disabled: Bool, username: String, common: CommonOptions) async throws {
    let logger = common.bootstrapLogging()
    let database = try openExistingDatabase(at: common.resolvedDataDirectory, logger: logger)
    do {
        try await database.setDisabled(disabled, username: username)
    } catch let error as AccountStoreError {
        throw fail(error.description)
    }
}

/// `homeward-server ward add|list`.
struct WardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ward", abstract: "Add or list wards.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a ward that ward nurses can be given.")

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The ward id records carry, such as CARD-1.", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("The ward's name for people.", valueName: "name"))
        var name: String

        func run() async throws {
            let logger = common.bootstrapLogging()
            let database = try openDatabase(at: common.resolvedDataDirectory, logger: logger)
            do {
                try await database.addWard(WardEntry(id: id, name: name))
            } catch let error as AccountStoreError {
                throw fail(error.description)
            }
            print("Added ward \(id).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the wards.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let logger = common.bootstrapLogging()
            let database = try openExistingDatabase(at: common.resolvedDataDirectory, logger: logger)
            for ward in try await database.wards() { print("\(ward.id)\t\(ward.name)") }
        }
    }
}

/// Opens a database that must already exist: listing or disabling on a mistyped path
/// must not leave an empty database behind.
func openExistingDatabase(at directory: String, logger: Logger) throws -> ServerDatabase {
    do {
        return try ServerDatabase.open(dataDirectory: directory, mode: .existingOnly)
    } catch {
        throw fail(error.description)
    }
}

/// The password from standard input: asked for without echo at a terminal, else the
/// first line. Never from the arguments, which other users can read in `ps`.
func readPassword() -> String? {
    if isatty(STDIN_FILENO) == 1 {
        guard let pointer = getpass("Password: ") else { return nil }
        return String(cString: pointer)
    }
    return readLine(strippingNewline: true)
}
