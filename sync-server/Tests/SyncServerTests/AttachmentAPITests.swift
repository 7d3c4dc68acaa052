import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServerStore
import SyncCore
import Testing
@testable import SyncServer

@Suite struct AttachmentAPITests {
    static let content: [UInt8] = (0..<(2_500_000)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
    static let digest = Crypto.SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
    static let chunk = SyncLimits.maximumChunkBytes

    func put(
        _ client: some TestClientProtocol, _ caller: Caller, offset: Int, bytes: ArraySlice<UInt8>,
        digest: String = digest, size: Int = content.count
    ) async throws -> (HTTPResponse.Status, Data) {
        try await client.send(
            .put, "/v1/attachments/\(digest)?offset=\(offset)&size=\(size)", as: caller, bytes: Array(bytes),
            headers: [.contentType: "application/octet-stream"])
    }

    func status(_ data: Data) throws -> AttachmentStatus {
        try SyncJSON.decode(AttachmentStatus.self, from: data)
    }

    @Test func uploadsInChunksResumesAndDownloadsWithRanges() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            var (code, data) = try await client.send(.get, "/v1/attachments/\(Self.digest)/status", as: nurse)
            #expect(code == .notFound)

            // First chunk, then a retry of it (its answer was "lost"), then a gap.
            (code, data) = try await put(client, nurse, offset: 0, bytes: Self.content[0..<Self.chunk])
            #expect(code == .ok)
            #expect(try status(data) == AttachmentStatus(sha256: Self.digest, size: Int64(Self.content.count), receivedBytes: Int64(Self.chunk), complete: false))
            (code, data) = try await put(client, nurse, offset: 0, bytes: Self.content[0..<Self.chunk])
            #expect(code == .ok)
            #expect(try status(data).receivedBytes == Int64(Self.chunk))
            (code, data) = try await put(client, nurse, offset: 2 * Self.chunk, bytes: Self.content[(2 * Self.chunk)...])
            #expect(code == .conflict)
            #expect(try errorBody(data).code == .chunkOutOfOrder)
            #expect(try errorBody(data).message.contains("\(Self.chunk)"))

            // HEAD tells the same as the status.
            try await client.execute(uri: "/v1/attachments/\(Self.digest)", method: .head, headers: nurse.headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("Homeward-Received-Bytes")!] == "\(Self.chunk)")
                #expect(response.headers[HTTPField.Name("Homeward-Complete")!] == "false")
            }
            // Not downloadable until complete and referred to.
            (code, _) = try await client.send(.get, "/v1/attachments/\(Self.digest)", as: nurse)
            #expect(code == .forbidden)

            (code, _) = try await put(client, nurse, offset: Self.chunk, bytes: Self.content[Self.chunk..<(2 * Self.chunk)])
            #expect(code == .ok)
            (code, data) = try await put(client, nurse, offset: 2 * Self.chunk, bytes: Self.content[(2 * Self.chunk)...])
            #expect(code == .ok)
            #expect(try status(data).complete)

            // A record in ward A refers to it: ward A may download, ward B may not.
            var replica = TestReplica(nurse.replica)
            let recording = try replica.create(
                .callRecording, ward: "W-A", patient: UUID(),
                ["sha256": .set(.string(Self.digest)), "size": .set(.number(Double(Self.content.count))), "mediaType": .set("audio/ogg")])
            _ = try await client.push(replica.batch([recording]), as: nurse)

            (code, data) = try await client.send(.get, "/v1/attachments/\(Self.digest)", as: nurse)
            #expect(code == .ok)
            #expect(Array(data) == Self.content)
            let (rangeCode, rangeData) = try await client.execute(
                uri: "/v1/attachments/\(Self.digest)", method: .get,
                headers: nurse.headers + [HTTPField(name: .range, value: "bytes=2000000-")]
            ) { response in
                #expect(response.headers[.contentRange] == "bytes 2000000-\(Self.content.count - 1)/\(Self.content.count)")
                return (response.status, Data(buffer: response.body))
            }
            #expect(rangeCode == .partialContent)
            #expect(Array(rangeData) == Array(Self.content[2_000_000...]))
            (code, _) = try await client.send(
                .get, "/v1/attachments/\(Self.digest)", as: nurse, headers: [.range: "bytes=9999999-"])
            #expect(code == .rangeNotSatisfiable)

            let nurseB = try await client.login("nurse.b")
            (code, data) = try await client.send(.get, "/v1/attachments/\(Self.digest)", as: nurseB)
            #expect(code == .forbidden)
            let office = try await client.login("office")
            (code, _) = try await client.send(.get, "/v1/attachments/\(Self.digest)", as: office)
            #expect(code == .ok)
        }
    }

    @Test func contentThatDoesNotHashToItsNameIsDiscarded() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            let name = String(repeating: "ab", count: 32)
            var (code, data) = try await put(client, nurse, offset: 0, bytes: [1, 2, 3], digest: name, size: 3)
            #expect(code == .unprocessableContent)
            #expect(try errorBody(data).code == .hashMismatch)
            (code, data) = try await client.send(.get, "/v1/attachments/\(name)/status", as: nurse)
            #expect(code == .notFound)
        }
    }

    @Test func namesAndChunksOutsideTheRulesAreRefused() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            for name in ["..%2F..%2Fetc%2Fpasswd", "ABCDEF", String(repeating: "A", count: 64), String(repeating: "a", count: 63) + "%00", "%2E%2E"] {
                let (code, data) = try await client.send(.put, "/v1/attachments/\(name)?offset=0&size=1", as: nurse, bytes: [0])
                #expect((400..<500).contains(code.code), "\(name)")
                #expect((try? errorBody(data)) != nil)
            }
            var (code, data) = try await put(client, nurse, offset: 0, bytes: ArraySlice(repeating: 0, count: Self.chunk + 1))
            #expect(code == .contentTooLarge)
            #expect(try errorBody(data).code == .payloadTooLarge)
            (code, _) = try await client.send(.put, "/v1/attachments/\(Self.digest)", as: nurse, bytes: [0])
            #expect(code == .badRequest)
            (code, _) = try await put(client, nurse, offset: 0, bytes: [1, 2], size: 1)
            #expect(code == .badRequest)
            let admin = try await client.login("admin")
            (code, _) = try await put(client, admin, offset: 0, bytes: [1])
            #expect(code == .forbidden)
            // Nothing was written outside the attachment directory, nor inside it.
            let files = try FileManager.default.subpathsOfDirectory(atPath: harness.attachments.path)
            #expect(files.sorted() == ["complete", "partial"])
        }
    }
}

@Suite struct AuditTests {
    @Test func readsAndWritesAreLoggedAndTheOfficeCanQueryThem() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            var replica = TestReplica(nurse.replica)
            let patient = UUID()
            let record = try replica.create(ward: "W-A", patient: patient, id: patient, ["phone": .set("1")])
            let stray = try replica.create(ward: "W-B", ["phone": .set("2")])
            _ = try await client.push(replica.batch([record, stray]), as: nurse)
            let colleague = try await client.login("nurse.a", replica: "ward-a-ws2")
            _ = try await client.pullAll(as: colleague)

            let office = try await client.login("office")
            let (code, data) = try await client.send(.get, "/v1/audit?patient=\(patient.uuidString)", as: office)
            #expect(code == .ok)
            let page = try SyncJSON.decode(AuditPage.self, from: data)
            #expect(page.events.map(\.action) == [.write, .read])
            #expect(page.events.map(\.username) == ["nurse.a", "nurse.a"])
            #expect(page.events.map(\.replica) == [nurse.replica, colleague.replica])
            #expect(page.events.allSatisfy { $0.recordID == record.id && $0.ward == "W-A" })
            #expect(page.nextPage == nil)

            let (userCode, userData) = try await client.send(.get, "/v1/audit?user=nurse.a&limit=2", as: office)
            #expect(userCode == .ok)
            let userPage = try SyncJSON.decode(AuditPage.self, from: userData)
            #expect(userPage.events.count == 2)
            #expect(userPage.events.first?.action == .login)
            #expect(userPage.nextPage != nil)
            let refused = try await harness.database.auditEvents(AuditQuery(recordID: stray.id))
            #expect(refused.events.map(\.action) == [.refusedWrite])

            let (nurseCode, nurseData) = try await client.send(.get, "/v1/audit", as: nurse)
            #expect(nurseCode == .forbidden)
            #expect(try errorBody(nurseData).code == .forbidden)
        }
    }

    @Test func theLogIsAppendOnly() async throws {
        let database = try ServerDatabase.inMemory()
        try await database.append([AuditEvent(at: Date(), username: "u", replica: "r", action: .login)])
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "UPDATE audit_event SET username = 'x'") }
        }
        #expect(throws: (any Error).self) {
            try database.writer.write { db in try db.execute(sql: "DELETE FROM audit_event") }
        }
        #expect(try await database.auditEvents(AuditQuery()).events.map(\.username) == ["u"])
    }
}

@Suite struct MetricsAndLiveTests {
    @Test func metricsAreInThePrometheusFormat() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.router) { client in
            let nurse = try await client.login("nurse.a")
            _ = try await client.pull(as: nurse)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE homeward_http_requests_total counter"))
                #expect(text.contains(#"homeward_http_requests_total{route="/v1/pull",method="POST",status="200"} 1"#))
                #expect(text.contains(#"homeward_logins_total{outcome="ok"} 1"#))
                #expect(!text.contains("nurse.a"))
            }
        }
    }

    @Test func aSyncRoundWorksOverARealSocket() async throws {
        let harness = try await APIHarness()
        try await harness.app().test(.live) { client in
            let nurse = try await client.login("nurse.a")
            var replica = TestReplica(nurse.replica)
            let records = try (0..<30).map { index in try replica.create(ward: "W-A", ["phone": .set(.string("13\(index)"))]) }
            let result = try await client.push(replica.batch(records), as: nurse)
            #expect(result.outcomes.allSatisfy { $0.status == .accepted })
            let colleague = try await client.login("nurse.a", replica: "ward-a-ws2")
            #expect(try await client.pullAll(as: colleague) == records)
        }
        // The request log names routes, never record contents or tokens.
        #expect(harness.log.text.contains("route=/v1/push status=200"))
        #expect(!harness.log.text.contains("1329"))
        #expect(!harness.log.text.contains("hw1."))
        #expect(!harness.log.text.contains(APIHarness.password))
    }
}
