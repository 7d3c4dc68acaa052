import CareModel
import Foundation
import ServerStore

/// The accounts `serve --demo-patients` creates so that `make run` can log in at once:
/// the demo hospital's wards, a ward nurse for its first two wards, a home-visit nurse
/// with five assigned patients, and a central-office user, all with one published
/// password. Only ever created in demo mode; existing accounts and wards are left alone.
public struct DemoAccounts: Sendable {
    /// The password of every demo account. It is printed on the console in demo mode,
    /// which is why demo accounts must never exist on a real server.
    public static let password = "homeward-demo"

    public let hospital: DemoHospital

    public init(hospital: DemoHospital) {
        self.hospital = hospital
    }

    /// The demo accounts, by user name.
    public var accounts: [UserAccount] {
        let wards = hospital.wards.prefix(2).map(\.id.rawValue)
        return [
            UserAccount(username: "nurse", role: .wardNurse, wards: Set(wards)),
            UserAccount(username: "visit", role: .homeVisit, patients: Set(hospital.patients(count: 5).map(\.id))),
            UserAccount(username: "office", role: .centralOffice),
        ]
    }

    /// Creates the wards and accounts that are missing; answers the user names created.
    @discardableResult
    public func ensure(in store: any AccountStore, hasher: PasswordHasher = PasswordHasher()) async throws -> [String] {
        let known = Set(try await store.wards().map(\.id))
        for ward in hospital.wards where !known.contains(ward.id.rawValue) {
            try await store.addWard(WardEntry(id: ward.id.rawValue, name: ward.name))
        }
        let existing = Set(try await store.users().map(\.username))
        var created: [String] = []
        for account in accounts where !existing.contains(account.username) {
            try await store.addUser(account, passwordHash: try hasher.hash(Self.password))
            created.append(account.username)
        }
        return created
    }
}
