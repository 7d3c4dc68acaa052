import Foundation
import SyncCore

/// What a user account may do. Stored as its raw value.
public enum UserRole: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Reads and writes the records of their own wards.
    case wardNurse = "ward-nurse"
    /// Reads and writes the records of the patients assigned to them for home visits.
    case homeVisit = "home-visit"
    /// Reads and writes every ward; reads the audit log.
    case centralOffice = "central-office"
    /// Manages accounts and reads the audit log; sees no patient records.
    case admin

    public var description: String { rawValue }

    /// Whether the role reads the audit log.
    public var readsAudit: Bool { self == .centralOffice || self == .admin }

    /// Whether the role syncs records and attachments at all. An administrator looks
    /// after accounts, not patients, and holds no clinical scope.
    public var syncsRecords: Bool { self != .admin }
}

/// A ward as the server knows it: accounts of ward nurses name wards from this list.
public struct WardEntry: Hashable, Sendable, Codable {
    /// The ward id records carry in `scope.ward`, such as `CARD-1`.
    public var id: String
    /// The ward's name for people.
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A user account, without its password hash.
public struct UserAccount: Hashable, Sendable, Codable {
    public var username: String
    public var role: UserRole
    /// The wards of a ward nurse.
    public var wards: Set<String>
    /// The patients assigned to home-visit staff.
    public var patients: Set<UUID>
    /// A disabled account cannot log in, and its tokens stop working at once.
    public var disabled: Bool

    public init(username: String, role: UserRole, wards: Set<String> = [], patients: Set<UUID> = [], disabled: Bool = false) {
        self.username = username
        self.role = role
        self.wards = wards
        self.patients = patients
        self.disabled = disabled
    }

    /// The records this account may see and write.
    public var scope: AccessScope {
        switch role {
        case .wardNurse: AccessScope(wards: wards)
        case .homeVisit: AccessScope(patients: patients)
        case .centralOffice: AccessScope(allWards: true)
        case .admin: AccessScope()
        }
    }
}

/// A logged-in caller, as a valid bearer token identifies them.
public struct AuthenticatedSession: Hashable, Sendable {
    public var account: UserAccount
    /// The replica the token was issued to.
    public var replica: ReplicaID
    public var expiresAt: Date

    public init(account: UserAccount, replica: ReplicaID, expiresAt: Date) {
        self.account = account
        self.replica = replica
        self.expiresAt = expiresAt
    }
}

/// Why an account change was refused.
public enum AccountStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case userExists(String)
    case wardExists(String)
    case unknownWard(String)
    case unknownUser(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .userExists(let name): "There is already a user called \(name)."
        case .wardExists(let id): "There is already a ward \(id)."
        case .unknownWard(let id): "There is no ward \(id); add it first with `homeward-server ward add`."
        case .unknownUser(let name): "There is no user called \(name)."
        case .invalid(let reason): reason
        }
    }
}

/// Accounts, wards and login sessions, as the routes and the command line see them.
/// Like ``RecordStore``, a protocol so that another database can take the place of the
/// embedded one.
public protocol AccountStore: Sendable {
    func addWard(_ ward: WardEntry) async throws
    func wards() async throws -> [WardEntry]
    /// Adds an account whose password is already hashed (``PasswordHasher``).
    func addUser(_ account: UserAccount, passwordHash: String) async throws
    func users() async throws -> [UserAccount]
    /// The account and its password hash, for a login.
    func credentials(username: String) async throws -> (account: UserAccount, passwordHash: String)?
    /// Disables or enables an account; disabling also ends its sessions.
    func setDisabled(_ disabled: Bool, username: String) async throws
    /// Stores a session under the digest of its token.
    func createSession(tokenDigest: String, username: String, replica: ReplicaID, expiresAt: Date) async throws
    /// The session of a token digest, if it exists, has not expired at `now`, and its
    /// account is enabled.
    func session(tokenDigest: String, now: Date) async throws -> AuthenticatedSession?
}
