import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServerStore
import Synchronization
import SyncCore
import Testing
@testable import SyncServer

/// A server over an in-memory database with a fixed cast of accounts, for driving the
/// API in-process or over a socket.
///
/// Wards `W-A` and `W-B`; `nurse.a` (ward nurse, W-A), `nurse.b` (ward nurse, W-B),
/// `visit` (home visits, patient ``visitedPatient``), `office` (central office) and
/// `admin`. Every password is ``password``. Passwords are hashed with few rounds: the
/// format and the comparison are the production ones, the cost is not.
final class APIHarness: Sendable {
    static let password = "correct horse battery"
    static let visitedPatient = UUID(uuidString: "0E6A4B1C-0000-4000-8000-000000000001")!

    let database: ServerDatabase
    let services: ServerServices
    let attachments: TemporaryDirectory
    let log = CapturedLog()
    let clock = TestClock()

    init(throttle: LoginThrottle.Limits = LoginThrottle.Limits(perUsername: 5, perAddress: 1000)) async throws {
        database = try ServerDatabase.inMemory()
        attachments = try TemporaryDirectory()
        let clock = self.clock
        services = ServerServices(
            records: database, accounts: database, audit: database,
            attachments: try FileAttachmentStore(directory: attachments.path),
            loginThrottle: LoginThrottle(limits: throttle), schemaVersion: 2, clock: { clock.now })
        let hasher = PasswordHasher(rounds: 10)
        try await database.addWard(WardEntry(id: "W-A", name: "Ward A"))
        try await database.addWard(WardEntry(id: "W-B", name: "Ward B"))
        for account in [
            UserAccount(username: "nurse.a", role: .wardNurse, wards: ["W-A"]),
            UserAccount(username: "nurse.b", role: .wardNurse, wards: ["W-B"]),
            UserAccount(username: "visit", role: .homeVisit, patients: [Self.visitedPatient]),
            UserAccount(username: "office", role: .centralOffice),
            UserAccount(username: "admin", role: .admin),
        ] {
            try await database.addUser(account, passwordHash: try hasher.hash(Self.password))
        }
    }

    /// Moves the server's clock.
    func advance(by seconds: TimeInterval) {
        clock.advance(by: seconds)
    }

    func app() throws -> some ApplicationProtocol {
        try buildApplication(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: "/nonexistent"),
            services: services, logger: log.logger())
    }
}

/// A logged-in client of the harness: its token and replica.
struct Caller {
    let token: String
    let replica: ReplicaID

    var headers: HTTPFields {
        [.authorization: "Bearer \(token)", HTTPField.Name("Homeward-Protocol")!: "1"]
    }
}

extension TestClientProtocol {
    /// Logs in and returns the caller; fails the test if the login is refused.
    func login(_ username: String, replica: ReplicaID? = nil) async throws -> Caller {
        let replica = replica ?? ReplicaID("\(username)-ws")
        let body = try SyncJSON.encode(LoginRequest(username: username, password: APIHarness.password, replica: replica))
        return try await execute(uri: "/v1/login", method: .post, body: ByteBuffer(bytes: body)) { response in
            try #require(response.status == .ok, "\(String(buffer: response.body))")
            let answer = try SyncJSON.decode(LoginResponse.self, from: Data(buffer: response.body))
            return Caller(token: answer.token, replica: replica)
        }
    }

    /// Sends `body` as JSON and returns the status and the body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as caller: Caller?, json body: some Encodable
    ) async throws -> (HTTPResponse.Status, Data) {
        try await send(method, uri, as: caller, bytes: Array(try SyncJSON.encode(body)))
    }

    func send(
        _ method: HTTPRequest.Method, _ uri: String, as caller: Caller?, bytes: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, Data) {
        var headers = caller?.headers ?? [:]
        headers.append(contentsOf: extra)
        return try await execute(
            uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }
        ) { response in (response.status, Data(buffer: response.body)) }
    }

    func push(_ batch: PushBatch, as caller: Caller) async throws -> PushResult {
        let (status, data) = try await send(.post, "/v1/push", as: caller, json: batch)
        try #require(status == .ok, "\(String(decoding: data, as: UTF8.self))")
        return try SyncJSON.decode(PushResult.self, from: data)
    }

    func pull(_ request: PullRequest = PullRequest(), as caller: Caller) async throws -> PullPage {
        let (status, data) = try await send(.post, "/v1/pull", as: caller, json: request)
        try #require(status == .ok, "\(String(decoding: data, as: UTF8.self))")
        return try SyncJSON.decode(PullPage.self, from: data)
    }

    /// Every record the caller can pull, following pages.
    func pullAll(as caller: Caller) async throws -> [SyncRecord] {
        var cursor = ChangeCursor.beginning
        var records: [SyncRecord] = []
        while true {
            let page = try await pull(PullRequest(cursor: cursor, limit: 50), as: caller)
            records += page.records
            cursor = page.nextCursor
            if !page.hasMore { return records }
        }
    }
}

/// The error body of a non-2xx answer.
func errorBody(_ data: Data) throws -> ErrorBody {
    try SyncJSON.decode(ErrorBody.self, from: data)
}

/// A client replica that edits its own copies with its own counter, as a client does.
struct TestReplica {
    let id: ReplicaID
    private(set) var counter: UInt64 = 0
    private var clock: HybridClock

    init(_ id: ReplicaID) {
        self.id = id
        clock = HybridClock(replica: id)
    }

    mutating func create(
        _ kind: RecordKind = .patient, ward: String, patient: UUID? = nil, id: UUID = UUID(),
        _ changes: [String: FieldChange]
    ) throws -> SyncRecord {
        var record = SyncRecord(id: id, kind: kind, scope: RecordScope(ward: ward, patient: patient))
        try edit(&record, changes)
        return record
    }

    mutating func edit(_ record: inout SyncRecord, _ changes: [String: FieldChange]) throws {
        counter += 1
        try record.apply(
            changes, dot: Dot(replica: id, counter: counter),
            at: clock.tick(wallMilliseconds: 1_795_420_800_000 + Int64(counter)))
    }

    func batch(_ records: [SyncRecord], id: UUID = UUID()) -> PushBatch {
        PushBatch(batchID: id, replica: self.id, records: records)
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let instant = Mutex(Date(timeIntervalSince1970: 1_795_420_800))

    var now: Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
