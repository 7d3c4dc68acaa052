import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerStore
import SyncCore
import Testing
@testable import SyncServer

@Suite struct PushPullTests {
    @Test func pushedRecordsArePulledBackAndRetriesAreAnsweredTheSame() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            var replica = TestReplica(nurse.replica)
            let first = try replica.create(ward: "W-A", ["phone": .set("138")])
            let second = try replica.create(.followUpTask, ward: "W-A", ["due": .set("2026-12-01")])
            let batch = replica.batch([first, second])
            let answer = try await client.push(batch, as: nurse)
            #expect(answer.outcomes == [.accepted(first.id), .accepted(second.id)])
            #expect(answer.cursor == ChangeCursor(sequence: 2))

            // The same batch again: same answer, nothing new.
            #expect(try await client.push(batch, as: nurse) == answer)
            #expect(try await harness.database.latestCursor() == ChangeCursor(sequence: 2))

            // The same id with other records: batch_mismatch.
            var edited = first
            try replica.edit(&edited, ["phone": .set("139")])
            let (status, data) = try await client.send(
                .post, "/v1/push", as: nurse, json: replica.batch([edited], id: batch.batchID))
            #expect(status == .conflict)
            #expect(try errorBody(data).code == .batchMismatch)

            let colleague = try await client.login("nurse.a", replica: "ward-a-ws2")
            let page = try await client.pull(PullRequest(cursor: .beginning, limit: 1), as: colleague)
            #expect(page.records == [first])
            #expect(page.hasMore)
            let rest = try await client.pull(PullRequest(cursor: page.nextCursor, limit: 10), as: colleague)
            #expect(rest.records == [second])
            #expect(!rest.hasMore)
            #expect(rest.nextCursor == ChangeCursor(sequence: 2))

            // GET form of pull.
            let (getStatus, getData) = try await client.send(.get, "/v1/pull?cursor=1&limit=5", as: colleague)
            #expect(getStatus == .ok)
            #expect(try SyncJSON.decode(PullPage.self, from: getData).records == [second])
        }
    }

    @Test func aCursorAheadOfTheServerIsInvalid() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            let (status, data) = try await client.send(.post, "/v1/pull", as: nurse, json: PullRequest(cursor: ChangeCursor(sequence: 99)))
            #expect(status == .conflict)
            #expect(try errorBody(data).code == .invalidCursor)
            for uri in ["/v1/pull?cursor=-1", "/v1/pull?cursor=abc", "/v1/pull?limit=ten", "/v1/pull?limit=0"] {
                let (status, data) = try await client.send(.get, uri, as: nurse)
                #expect(status == .badRequest, "\(uri)")
                #expect(try errorBody(data).code == .badRequest)
            }
        }
    }

    @Test func conflictsAreListedWithinScope() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurseA = try await client.login("nurse.a")
            let colleague = try await client.login("nurse.a", replica: "ward-a-ws2")
            let office = try await client.login("office")
            let nurseB = try await client.login("nurse.b")
            var one = TestReplica(nurseA.replica), two = TestReplica(colleague.replica)
            let base = try one.create(ward: "W-A", ["phone": .set("1")])
            _ = try await client.push(one.batch([base]), as: nurseA)
            var mine = base, theirs = base
            try one.edit(&mine, ["phone": .set("2")])
            try two.edit(&theirs, ["phone": .set("3")])
            _ = try await client.push(one.batch([mine]), as: nurseA)
            _ = try await client.push(two.batch([theirs]), as: colleague)

            for (caller, expected) in [(nurseA, 1), (office, 1), (nurseB, 0)] {
                let (status, data) = try await client.send(.get, "/v1/conflicts?limit=10", as: caller)
                #expect(status == .ok)
                let listing = try SyncJSON.decode(ConflictListing.self, from: data)
                #expect(listing.conflicts.count == expected)
                #expect(listing.conflicts.allSatisfy { $0.recordID == base.id && $0.field == "phone" })
            }
            let (status, _) = try await client.send(.get, "/v1/conflicts?after=nope", as: office)
            #expect(status == .badRequest)
        }
    }
}

@Suite struct ScopeTests {
    @Test func aWardNurseNeitherReadsNorWritesNorLearnsOfAnotherWard() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurseA = try await client.login("nurse.a")
            let nurseB = try await client.login("nurse.b")
            var a = TestReplica(nurseA.replica), b = TestReplica(nurseB.replica)
            let bRecord = try b.create(ward: "W-B", ["phone": .set("secret")])
            _ = try await client.push(b.batch([bRecord]), as: nurseB)
            let cursor = try await harness.database.latestCursor()

            // Writing into ward B, new or existing, and claiming an existing B record for
            // ward A, all get the same refusal: nothing tells A the record exists.
            let intoB = try a.create(ward: "W-B", ["phone": .set("x")])
            let claimed = try a.create(ward: "W-A", id: bRecord.id, ["phone": .set("y")])
            let unknownClaim = try a.create(ward: "W-B", id: UUID(), ["phone": .set("z")])
            let result = try await client.push(a.batch([intoB, claimed, unknownClaim]), as: nurseA)
            #expect(result.outcomes.map(\.reason) == [.outOfScope, .outOfScope, .outOfScope])
            #expect(Set(result.outcomes.map(\.message)).count == 1)
            #expect(try await harness.database.latestCursor() == cursor)

            #expect(try await client.pullAll(as: nurseA).isEmpty)
            #expect(try await client.pullAll(as: nurseB).map(\.id) == [bRecord.id])
            let stored = try await harness.database.record(id: bRecord.id, scope: AccessScope(allWards: true))
            #expect(stored == bRecord)
        }
    }

    @Test func homeVisitsSeeTheirPatientsTheOfficeSeesAllTheAdminNone() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurseA = try await client.login("nurse.a")
            let nurseB = try await client.login("nurse.b")
            var a = TestReplica(nurseA.replica), b = TestReplica(nurseB.replica)
            let patient = APIHarness.visitedPatient
            let visited = try a.create(ward: "W-A", patient: patient, id: patient, ["phone": .set("1")])
            let task = try a.create(.followUpTask, ward: "W-A", patient: patient, ["due": .set("2026-12-01")])
            let other = try a.create(ward: "W-A", patient: UUID(), ["phone": .set("2")])
            let wardB = try b.create(ward: "W-B", ["phone": .set("3")])
            _ = try await client.push(a.batch([visited, task, other]), as: nurseA)
            _ = try await client.push(b.batch([wardB]), as: nurseB)

            let visit = try await client.login("visit")
            #expect(Set(try await client.pullAll(as: visit).map(\.id)) == [visited.id, task.id])
            let office = try await client.login("office")
            #expect(try await client.pullAll(as: office).count == 4)
            let admin = try await client.login("admin")
            #expect(try await client.pullAll(as: admin).isEmpty)

            // Home-visit staff write about their patients, not about others.
            var v = TestReplica(visit.replica)
            let note = try v.create(.followUpTask, ward: "W-A", patient: patient, ["due": .set("2026-12-08")])
            let stray = try v.create(.followUpTask, ward: "W-A", patient: UUID(), ["due": .set("2026-12-08")])
            let result = try await client.push(v.batch([note, stray]), as: visit)
            #expect(result.outcomes.map(\.status) == [.accepted, .refused])
            #expect(result.outcomes[1].reason == .outOfScope)

            var admins = TestReplica(admin.replica)
            let adminWrite = try admins.create(ward: "W-A", ["phone": .set("4")])
            #expect(try await client.push(admins.batch([adminWrite]), as: admin).outcomes.map(\.status) == [.refused])
        }
    }

    @Test func aBatchMustComeFromTheTokensReplica() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            var impostor = TestReplica("someone-elses-ws")
            let record = try impostor.create(ward: "W-A", ["phone": .set("1")])
            let (status, data) = try await client.send(.post, "/v1/push", as: nurse, json: impostor.batch([record]))
            #expect(status == .forbidden)
            #expect(try errorBody(data).code == .forbidden)
            #expect(try await harness.database.recordCount() == 0)
        }
    }
}

@Suite struct BadInputTests {
    /// Sends `body` and checks a 4xx JSON error that changed nothing.
    func expectRefused(
        _ client: some TestClientProtocol, _ harness: APIHarness, method: HTTPRequest.Method = .post,
        _ uri: String, as caller: Caller, body: [UInt8], status expected: HTTPResponse.Status, code: ErrorCode
    ) async throws {
        let before = try await harness.database.latestCursor()
        let (status, data) = try await client.send(method, uri, as: caller, bytes: body)
        #expect(status == expected, "\(uri) \(String(decoding: body.prefix(80), as: UTF8.self))")
        #expect(try errorBody(data).code == code)
        #expect(try await harness.database.latestCursor() == before)
    }

    @Test func malformedAndMistypedBodiesAreBadRequests() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            let batchID = UUID().uuidString
            for body in [
                "", "[", "null", "42", #"{"batchId": 1}"#,
                #"{"batchId": "\#(batchID)", "replica": "nurse.a-ws", "records": "none"}"#,
                #"{"batchId": "not-a-uuid", "replica": "nurse.a-ws", "records": []}"#,
                #"{"batchId": "\#(batchID)", "replica": "nurse.a-ws", "records": [{"id": "x"}]}"#,
                #"{"batchId": "\#(batchID)", "replica": "nurse.a-ws", "records": [{"id": "\#(UUID().uuidString)", "kind": 7}]}"#,
                String(repeating: "[", count: 100_000),
            ] {
                try await expectRefused(client, harness, "/v1/push", as: nurse, body: Array(body.utf8), status: .badRequest, code: .badRequest)
            }
            for body in ["{", #"{"cursor": 5}"#, #"{"cursor": "0", "limit": "many"}"#, #"{"cursor": "0", "limit": -3}"#] {
                try await expectRefused(client, harness, "/v1/pull", as: nurse, body: Array(body.utf8), status: .badRequest, code: .badRequest)
            }
        }
    }

    @Test func oversizedBatchesAreTooLarge() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            var replica = TestReplica(nurse.replica)
            let many = try (0...SyncLimits.maximumBatchRecords).map { _ in try replica.create(ward: "W-A", ["x": .set(1)]) }
            try await expectRefused(
                client, harness, "/v1/push", as: nurse, body: Array(try SyncJSON.encode(replica.batch(many))),
                status: .contentTooLarge, code: .payloadTooLarge)
            let huge = try replica.create(ward: "W-A", ["note": .set(.string(String(repeating: "a", count: SyncLimits.maximumBatchBytes)))])
            try await expectRefused(
                client, harness, "/v1/push", as: nurse, body: Array(try SyncJSON.encode(replica.batch([huge]))),
                status: .contentTooLarge, code: .payloadTooLarge)
        }
    }

    @Test func unknownKindsForgedVectorsAndMalformedRecordsAreRefusedAndKeptOut() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            var replica = TestReplica(nurse.replica)
            let unknown = try replica.create(RecordKind("horoscope"), ward: "W-A", ["sign": .set("leo")])
            var future = try replica.create(RecordKind("wound-photo"), ward: "W-A", ["x": .set(1)])
            future.schemaVersion = SyncRecord.currentSchemaVersion + 1

            // A vector claiming writes of another replica (here: the server's own) that the
            // server never made.
            var forged = try replica.create(ward: "W-A", ["phone": .set("1")])
            forged.version = VersionVector(forged.version.counters.merging([harness.database.serverReplica: 7]) { $1 })
            var forger = TestReplica("ward-a-ws9")
            var stolenDot = try forger.create(ward: "W-A", ["phone": .set("2")])
            stolenDot = SyncRecord(id: stolenDot.id, kind: .patient, scope: stolenDot.scope)
            try stolenDot.apply(
                ["phone": .set("2")], dot: Dot(replica: "ward-b-ws1", counter: 3),
                at: HybridTimestamp(wallMilliseconds: 0, logical: 0, replica: "ward-b-ws1"))

            // A dot its vector does not cover.
            var malformed = try replica.create(ward: "W-A", ["phone": .set("3")])
            malformed.version = VersionVector()

            let good = try replica.create(ward: "W-A", ["phone": .set("4")])
            let result = try await client.push(replica.batch([unknown, future, forged, stolenDot, malformed, good]), as: nurse)
            #expect(result.outcomes.map(\.reason) == [.invalid, .schemaTooNew, .invalid, .invalid, .invalid, nil])
            #expect(try await harness.database.recordCount() == 1)
            #expect(try await client.pullAll(as: nurse).map(\.id) == [good.id])
        }
    }

    @Test func nothingAClientSendsProducesAServerError() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            let inputs: [(HTTPRequest.Method, String, String)] = [
                (.get, "/v1/push", ""), (.put, "/v1/pull", "{}"), (.post, "/v1/conflicts", "{}"),
                (.get, "/v1/conflicts?limit=-1", ""), (.get, "/v1/conflicts?limit=99999999999999999999", ""),
                (.get, "/v1/audit?after=x", ""), (.get, "/v1/attachments/..%2F..%2Fetc%2Fpasswd", ""),
                (.put, "/v1/attachments/../../etc/passwd?offset=0&size=1", "x"),
                (.get, "/v1/attachments/\(String(repeating: "A", count: 64))", ""),
                (.post, "/v1/login", "\u{0}\u{1}"), (.post, "/v1/push", "{\"records\": [\(String(repeating: "{}, ", count: 10))]}"),
            ]
            for (method, uri, body) in inputs {
                let (status, data) = try await client.send(method, uri, as: nurse, bytes: Array(body.utf8))
                #expect((400..<500).contains(status.code), "\(method) \(uri) → \(status)")
                #expect((try? errorBody(data)) != nil, "\(method) \(uri)")
            }
        }
    }
}

@Suite struct StoredPullPageTests {
    @Test func theSplicedPageIsByteForByteTheEncodedPage() async throws {
        let database = try ServerDatabase.inMemory()
        var replica = TestReplica("ws")
        let records = try [
            replica.create(ward: "W-A", patient: UUID(), ["name": .set("张三"), "allergies": .insert("penicillin")]),
            replica.create(.followUpTask, ward: "W-A", ["due": .set("2026-12-01"), "url": .set("a/b")]),
        ]
        _ = try await database.applyPush(replica.batch(records), scope: AccessScope(allWards: true))
        for request in [PullRequest(cursor: .beginning, limit: 1), PullRequest(), PullRequest(cursor: ChangeCursor(sequence: 2))] {
            let stored = try await database.pullStored(request, scope: AccessScope(wards: ["W-A"]))
            let decoded = try await database.pull(request, scope: AccessScope(wards: ["W-A"]))
            #expect(stored.json == (try SyncJSON.encode(decoded)))
            #expect(try SyncJSON.decode(PullPage.self, from: stored.json) == decoded)
        }
    }
}
