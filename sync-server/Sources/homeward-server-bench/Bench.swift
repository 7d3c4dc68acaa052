import ArgumentParser
import CareModel
import CareRecords
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import ServerStore
import SyncCore
import SyncServer

/// `homeward-server-bench`: the sync server's throughput over loopback HTTP beside raw
/// SQLite, and what a pull of a few changes costs as the store grows.
///
/// 1. Push: `--records` patient records (the demo hospital's, written by one client
///    replica) in batches of 500 through `POST /v1/push` over a real socket, against the
///    same rows inserted with prepared statements into a bare table of the same shape,
///    500 per transaction, both on files with WAL and `synchronous=FULL`.
/// 2. Pull: every record back through `POST /v1/pull`, 1000 per page.
/// 3. Pull cost: 10 changes pulled by a ward nurse from a store of 1k records and one of
///    `--large` records; the ratio of the medians.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-server-bench",
        abstract: "Measure push/pull throughput against raw SQLite, and pull cost by store size.")

    @Option(help: "Records pushed and pulled in the throughput runs.")
    var records: Int = 20_000

    @Option(help: "Records in the large store of the pull-cost run.")
    var large: Int = 1_000_000

    @Option(help: "Timed pulls per store in the pull-cost run.")
    var repetitions: Int = 200

    mutating func validate() throws {
        guard records >= 500, large >= 2_000, repetitions >= 10 else {
            throw ValidationError("--records needs at least 500, --large at least 2000, --repetitions at least 10.")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("homeward-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        print("homeward-server-bench: \(records) records, pull cost at 1000 vs \(large) records")
        let corpus = try Corpus(count: records)
        print(String(format: "  corpus: %d patient records, %.0f bytes each on average", records, corpus.averageBytes))

        let raw = try rawInsert(corpus, directory: (scratch as NSString).appendingPathComponent("raw"))
        let (push, pull) = try await throughput(corpus, directory: (scratch as NSString).appendingPathComponent("server"))
        let codec = try jsonCodec(corpus)
        print(String(format: "  raw SQLite insert:  %9.0f records/s", raw))
        print(String(format: "  JSON decode+encode: %9.0f records/s  (SyncJSON alone, the floor of any push)", codec))
        print(String(format: "  push over HTTP:     %9.0f records/s  = %.0f %% of raw (target >= 40 %%)", push, push / raw * 100))
        print(String(format: "  pull over HTTP:     %9.0f records/s  = %.0f %% of raw", pull, pull / raw * 100))

        let small = try await pullCost(storeSize: 1_000, directory: (scratch as NSString).appendingPathComponent("small"))
        let big = try await pullCost(storeSize: large, directory: (scratch as NSString).appendingPathComponent("large"))
        print(String(format: "  pull of 10 changes: %.3f ms at 1000 records, %.3f ms at %d records: ratio %.2f (target <= 1.5)",
                     small * 1000, big * 1000, large, big / small))
    }

    // MARK: - Throughput

    /// Records/s of the same rows inserted straight into SQLite.
    func rawInsert(_ corpus: Corpus, directory: String) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: (directory as NSString).appendingPathComponent("raw.sqlite"), configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE sync_record (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, ward TEXT NOT NULL,
                    patient TEXT, change_seq INTEGER NOT NULL UNIQUE, has_conflicts INTEGER NOT NULL, body BLOB NOT NULL);
                CREATE INDEX sync_record_by_ward ON sync_record (ward, change_seq);
                CREATE INDEX sync_record_by_patient ON sync_record (patient, change_seq) WHERE patient IS NOT NULL;
                """)
        }
        let start = ContinuousClock.now
        var sequence: Int64 = 0
        for batch in corpus.batches {
            try pool.write { db in
                let statement = try db.makeStatement(sql: "INSERT INTO sync_record VALUES (?, ?, ?, ?, ?, ?, ?)")
                for (record, body) in batch {
                    sequence += 1
                    try statement.execute(arguments: [
                        record.id.uuidString, record.kind.rawValue, record.scope.ward, record.scope.patient?.uuidString,
                        sequence, false, body,
                    ])
                }
            }
        }
        return Double(corpus.count) / (ContinuousClock.now - start).seconds
    }

    /// Records/s of decoding the corpus's push batches and encoding each record again with
    /// ``SyncJSON``: the work a push cannot avoid before touching SQLite.
    func jsonCodec(_ corpus: Corpus) throws -> Double {
        let bodies = try corpus.batches.map { try SyncJSON.encode(PushBatch(replica: corpus.replica, records: $0.map(\.0))) }
        var decoding = Duration.zero, encoding = Duration.zero
        for body in bodies {
            let start = ContinuousClock.now
            let records = try SyncJSON.decode(PushBatch.self, from: body).records
            let decoded = ContinuousClock.now
            for record in records { _ = try SyncJSON.encode(record) }
            decoding += decoded - start
            encoding += ContinuousClock.now - decoded
        }
        print(String(format: "  (SyncJSON: decoding %.0f records/s, encoding %.0f records/s)",
                     Double(corpus.count) / decoding.seconds, Double(corpus.count) / encoding.seconds))
        return Double(corpus.count) / (decoding + encoding).seconds
    }

    /// Records/s pushed, then pulled, over loopback HTTP.
    func throughput(_ corpus: Corpus, directory: String) async throws -> (push: Double, pull: Double) {
        let server = try await BenchServer(directory: directory)
        return try await server.app().test(.live) { client in
            let office = try await client.login(as: "office", replica: corpus.replica)
            // Encoded before the clock starts: the client's encoding is not the server's cost.
            let bodies = try corpus.batches.map { try SyncJSON.encode(PushBatch(replica: corpus.replica, records: $0.map(\.0))) }
            let start = ContinuousClock.now
            for body in bodies {
                try await client.expectOK(.post, "/v1/push", body: body, token: office)
            }
            let push = Double(corpus.count) / (ContinuousClock.now - start).seconds

            let pullStart = ContinuousClock.now
            var cursor = ChangeCursor.beginning
            var pulled = 0
            while true {
                let data = try await client.expectOK(
                    .post, "/v1/pull", body: try SyncJSON.encode(PullRequest(cursor: cursor, limit: 1000)), token: office)
                // Only the paging keys: decoding every record would time the client.
                let page = try SyncJSON.decode(PageSummary.self, from: data)
                pulled += page.records.count
                cursor = page.nextCursor
                if !page.hasMore { break }
            }
            return (push, Double(pulled) / (ContinuousClock.now - pullStart).seconds)
        }
    }

    // MARK: - Pull cost

    /// The median seconds of a ward nurse's pull of 10 fresh changes from a store of
    /// `storeSize` records spread over 20 wards.
    func pullCost(storeSize: Int, directory: String) async throws -> Double {
        let server = try await BenchServer(directory: directory)
        try server.fill(records: storeSize, wards: 20)
        let samples = try await server.app().test(.live) { client in
            let nurse = try await client.login(as: "nurse", replica: "bench-nurse")
            let before = try await server.database.latestCursor()
            var replica = ReplicaID("bench-nurse")
            var changes: [SyncRecord] = []
            for index in 0..<10 {
                var record = SyncRecord(kind: .followUpTask, scope: RecordScope(ward: "BW-0"))
                try record.apply(
                    ["due": .set(.string("2026-12-0\(index)"))], dot: Dot(replica: replica, counter: UInt64(index + 1)),
                    at: HybridTimestamp(wallMilliseconds: 1_795_420_800_000, logical: 0, replica: replica))
                changes.append(record)
            }
            replica = "bench-nurse"
            try await client.expectOK(
                .post, "/v1/push", body: try SyncJSON.encode(PushBatch(replica: replica, records: changes)), token: nurse)
            let body = try SyncJSON.encode(PullRequest(cursor: before, limit: 200))
            for _ in 0..<10 { try await client.expectOK(.post, "/v1/pull", body: body, token: nurse) }
            var samples: [Double] = []
            for _ in 0..<repetitions {
                let start = ContinuousClock.now
                let data = try await client.expectOK(.post, "/v1/pull", body: body, token: nurse)
                samples.append((ContinuousClock.now - start).seconds)
                let page = try SyncJSON.decode(PullPage.self, from: data)
                precondition(page.records.count == 10 && !page.hasMore, "the pull must see exactly the 10 changes")
            }
            return samples
        }
        return samples.sorted()[samples.count / 2]
    }
}

// MARK: - Fixtures

/// A pull page read for its paging only.
struct PageSummary: Decodable {
    struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    let records: [Skipped]
    let nextCursor: ChangeCursor
    let hasMore: Bool
}

/// The records pushed: demo patients written by one client replica, pre-encoded once for
/// the raw insert.
struct Corpus {
    let replica: ReplicaID = "bench-ws"
    let batches: [[(SyncRecord, Data)]]
    let count: Int
    let averageBytes: Double

    init(count: Int) throws {
        let hospital = DemoHospital(seed: 42, referenceDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        var all: [(SyncRecord, Data)] = []
        var bytes = 0
        for patient in hospital.patients(count: count) {
            let record = try PatientRecordMapping.record(for: patient, writtenBy: "bench-ws", wallMilliseconds: 1_795_420_800_000)
            let body = try SyncJSON.encode(record)
            bytes += body.count
            all.append((record, body))
        }
        batches = stride(from: 0, to: all.count, by: SyncLimits.maximumBatchRecords).map {
            Array(all[$0..<min(all.count, $0 + SyncLimits.maximumBatchRecords)])
        }
        self.count = count
        averageBytes = Double(bytes) / Double(count)
    }
}

/// A server on a file database in `directory` with an `office` and a `nurse` (ward BW-0).
struct BenchServer {
    static let password = "bench-password"
    let database: ServerDatabase
    let services: ServerServices

    init(directory: String) async throws {
        database = try ServerDatabase.open(dataDirectory: directory)
        services = try await ServerServices.open(
            database: database, attachmentDirectory: ServerServices.attachmentDirectory(inDataDirectory: directory))
        let hasher = PasswordHasher(rounds: 1_000)
        try await database.addWard(WardEntry(id: "BW-0", name: "Bench ward"))
        try await database.addUser(UserAccount(username: "office", role: .centralOffice), passwordHash: try hasher.hash(Self.password))
        try await database.addUser(
            UserAccount(username: "nurse", role: .wardNurse, wards: ["BW-0"]), passwordHash: try hasher.hash(Self.password))
    }

    func app() throws -> some ApplicationProtocol {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        return try buildApplication(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: "/nonexistent"),
            services: services, logger: logger)
    }

    /// Stores `records` small follow-up tasks spread over `wards` wards directly in SQL:
    /// only the size of the store matters here, not how it got there.
    func fill(records: Int, wards: Int) throws {
        let replica = ReplicaID("bench-filler")
        var template = SyncRecord(kind: .followUpTask, scope: RecordScope(ward: "BW-0"))
        try template.apply(
            ["due": .set("2026-12-01")], dot: Dot(replica: replica, counter: 1),
            at: HybridTimestamp(wallMilliseconds: 1_795_420_800_000, logical: 0, replica: replica))
        let body = try SyncJSON.encode(template)
        try database.writer.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO sync_record (id, kind, ward, patient, change_seq, has_conflicts, body)
                VALUES (?, 'follow-up-task', ?, NULL, ?, 0, ?)
                """)
            for index in 0..<records {
                try statement.execute(arguments: [UUID().uuidString, "BW-\(index % wards)", Int64(index + 1), body])
            }
            try db.execute(sql: "UPDATE server_identity SET last_change = ?", arguments: [Int64(records)])
        }
    }
}

extension TestClientProtocol {
    func login(as username: String, replica: ReplicaID) async throws -> String {
        let body = try SyncJSON.encode(LoginRequest(username: username, password: BenchServer.password, replica: replica))
        let data = try await expectOK(.post, "/v1/login", body: body, token: nil)
        return try SyncJSON.decode(LoginResponse.self, from: data).token
    }

    @discardableResult
    func expectOK(_ method: HTTPRequest.Method, _ uri: String, body: Data, token: String?) async throws -> Data {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: body)) { response in
            guard response.status == .ok else {
                throw BenchFailure(message: "\(uri) answered \(response.status.code): \(String(buffer: response.body))")
            }
            return Data(response.body.readableBytesView)
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
