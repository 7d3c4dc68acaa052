import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerStore
import SyncCore
import Testing
@testable import SyncServer

@Suite struct LoginTests {
    func loginBody(_ username: String, _ password: String, replica: String = "ws-1") throws -> [UInt8] {
        Array(try SyncJSON.encode(LoginRequest(username: username, password: password, replica: ReplicaID(replica))))
    }

    @Test func answersATokenTheScopeAndTheServerReplica() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let (status, data) = try await client.send(
                .post, "/v1/login", as: nil, bytes: try loginBody("nurse.a", APIHarness.password))
            #expect(status == .ok)
            let answer = try SyncJSON.decode(LoginResponse.self, from: data)
            #expect(answer.token.hasPrefix("hw1."))
            #expect(answer.token.count > 40)
            #expect(answer.scope == AccessScope(wards: ["W-A"]))
            #expect(answer.serverReplica == harness.database.serverReplica)
            #expect(answer.expiresAt == harness.clock.now.addingTimeInterval(ServerServices.defaultSessionLifetime))
            // Only the token's digest is stored.
            let stored = try await harness.database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT token_digest FROM session_token")
            }
            #expect(stored == [AuthenticationMiddleware.digest(of: answer.token)])
        }
        let office = try #require(try await harness.database.credentials(username: "office"))
        #expect(office.passwordHash.hasPrefix("pbkdf2-sha256$10$"))
        #expect(!office.passwordHash.contains(APIHarness.password))
    }

    @Test func wrongPasswordsUnknownUsersAndDisabledAccountsGetTheSameAnswer() async throws {
        let harness = try await APIHarness()
        try await harness.database.setDisabled(true, username: "nurse.b")
        try await harness.app().test(.router) { client in
            var messages = Set<String>()
            for (user, password) in [("nurse.a", "wrong"), ("nobody", APIHarness.password), ("nurse.b", APIHarness.password)] {
                let (status, data) = try await client.send(.post, "/v1/login", as: nil, bytes: try loginBody(user, password))
                #expect(status == .unauthorized)
                let body = try errorBody(data)
                #expect(body.code == .unauthenticated)
                messages.insert(body.message)
            }
            #expect(messages.count == 1)
        }
    }

    @Test func failedLoginsAreThrottledPerUserName() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            for _ in 0..<5 {
                let (status, _) = try await client.send(.post, "/v1/login", as: nil, bytes: try loginBody("nurse.a", "guess"))
                #expect(status == .unauthorized)
            }
            // Even the right password waits now: the throttle answers before any check.
            let (status, data) = try await client.send(
                .post, "/v1/login", as: nil, bytes: try loginBody("nurse.a", APIHarness.password))
            #expect(status == .tooManyRequests)
            #expect(try errorBody(data).code == .unauthenticated)
            // Another user is not affected.
            _ = try await client.login("nurse.b")
        }
    }

    @Test func requestsNeedAValidUnexpiredTokenOfAnEnabledAccount() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            for header in ["", "Bearer", "Bearer hw1.forged", "Basic bnVyc2U6cGFzcw==", "Bearer " + String(repeating: "x", count: 600)] {
                let (status, data) = try await client.send(
                    .post, "/v1/pull", as: nil, bytes: Array("{}".utf8), headers: [.authorization: header])
                #expect(status == .unauthorized, "\(header)")
                #expect(try errorBody(data).code == .unauthenticated)
            }
            var (status, _) = try await client.send(.post, "/v1/pull", as: nurse, json: PullRequest())
            #expect(status == .ok)

            harness.advance(by: ServerServices.defaultSessionLifetime + 1)
            (status, _) = try await client.send(.post, "/v1/pull", as: nurse, json: PullRequest())
            #expect(status == .unauthorized)

            let fresh = try await client.login("nurse.a")
            try await harness.database.setDisabled(true, username: "nurse.a")
            (status, _) = try await client.send(.post, "/v1/pull", as: fresh, json: PullRequest())
            #expect(status == .unauthorized)
        }
    }

    @Test func anotherProtocolVersionIsAnsweredUpgradeRequired() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let (status, data) = try await client.send(
                .post, "/v1/login", as: nil, bytes: try loginBody("nurse.a", APIHarness.password),
                headers: [HTTPField.Name("Homeward-Protocol")!: "2"])
            #expect(status == .upgradeRequired)
            #expect(try errorBody(data).code == .unsupportedVersion)
        }
    }

    @Test func badLoginBodiesAreBadRequests() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            for body in [
                "", "{", #"{"username": 3, "password": "x", "replica": "r"}"#, #"{"username": "a"}"#,
                #"{"username": "", "password": "x", "replica": "r"}"#,
                #"{"username": "a", "password": "x", "replica": "with space"}"#,
            ] {
                let (status, data) = try await client.send(.post, "/v1/login", as: nil, bytes: Array(body.utf8))
                #expect(status == .badRequest, "\(body)")
                #expect(try errorBody(data).code == .badRequest)
            }
        }
    }
}

@Suite struct PasswordHasherTests {
    @Test func verifiesOnlyTheRightPassword() throws {
        let hasher = PasswordHasher(rounds: 50)
        let stored = try hasher.hash("s3cret-password")
        #expect(PasswordHasher.verify("s3cret-password", against: stored))
        #expect(!PasswordHasher.verify("s3cret-passwore", against: stored))
        #expect(!PasswordHasher.verify("", against: stored))
        // Salted: the same password hashes differently each time.
        #expect(try hasher.hash("s3cret-password") != stored)
        #expect(!PasswordHasher.verify("x", against: "plain"))
        #expect(!PasswordHasher.verify("x", against: PasswordHasher.decoy))
    }

    @Test func defaultIsSlow() {
        #expect(PasswordHasher().rounds >= 600_000)
    }
}
