import Foundation
import ServerStore
import SyncCore
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import SyncServer

/// The built binary as an operator runs it: accounts from the command line, a kill -9
/// after acknowledged pushes, TLS.
@Suite(.serialized) struct OperatorTests {
    let process = ProcessTests()

    /// Runs the binary with `input` on standard input.
    func run(_ arguments: [String], input: String = "") throws -> ProcessTests.Finished {
        let child = Process()
        child.executableURL = ProcessTests.executable
        child.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        child.standardInput = stdin
        child.standardOutput = stdout
        child.standardError = stderr
        try child.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return ProcessTests.Finished(
            status: child.terminationStatus, standardError: String(decoding: err, as: UTF8.self),
            standardOutput: String(decoding: out, as: UTF8.self))
    }

    /// Starts `serve` and waits until `/health` answers.
    func serve(_ directory: String, extra: [String] = []) async throws -> (Process, Int) {
        let port = Int.random(in: 20_000...59_000)
        let (server, _, _) = try process.launch(
            ["serve", "--data", directory, "--port", "\(port)", "--log-level", "error"] + extra)
        for _ in 0..<100 {
            if await process.health(port: port) != nil { return (server, port) }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.terminate()
        throw CancellationError()
    }

    func call(_ port: Int, _ path: String, body: some Encodable, token: String? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = try SyncJSON.encode(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("1", forHTTPHeaderField: "Homeward-Protocol")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    func login(_ port: Int, _ username: String, _ password: String, replica: ReplicaID) async throws -> (Int, LoginResponse?) {
        let (status, data) = try await call(port, "/v1/login", body: LoginRequest(username: username, password: password, replica: replica))
        return (status, try? SyncJSON.decode(LoginResponse.self, from: data))
    }

    @Test func accountsAreManagedFromTheCommandLineWithPasswordsOnStandardInput() async throws {
        let directory = try TemporaryDirectory()
        #expect(try run(["ward", "add", "W-X", "--name", "Ward X", "--data", directory.path]).status == 0)
        #expect(try run(["ward", "list", "--data", directory.path]).standardOutput == "W-X\tWard X\n")
        let added = try run(
            ["user", "add", "amy", "--role", "ward-nurse", "--ward", "W-X", "--data", directory.path],
            input: "amy-password-1\n")
        #expect(added.status == 0, "\(added.standardError)")
        // No password, an unknown ward, a duplicate, a role without its scope: refused.
        #expect(try run(["user", "add", "bob", "--role", "central-office", "--data", directory.path]).status != 0)
        #expect(try run(["user", "add", "bob", "--role", "ward-nurse", "--ward", "W-Q", "--data", directory.path], input: "long-enough-1\n").standardError.contains("no ward W-Q"))
        #expect(try run(["user", "add", "amy", "--role", "admin", "--data", directory.path], input: "long-enough-1\n").status != 0)
        #expect(try run(["user", "add", "cy", "--role", "home-visit", "--data", directory.path], input: "long-enough-1\n").status != 0)
        let list = try run(["user", "list", "--data", directory.path])
        #expect(list.standardOutput == "amy\tward-nurse\twards W-X\n")

        let (server, port) = try await serve(directory.path)
        defer { server.terminate() }
        let (status, answer) = try await login(port, "amy", "amy-password-1", replica: "amy-ws")
        #expect(status == 200)
        #expect(answer?.scope == AccessScope(wards: ["W-X"]))
        #expect(try run(["user", "disable", "amy", "--data", directory.path]).status == 0)
        #expect(try await login(port, "amy", "amy-password-1", replica: "amy-ws").0 == 401)
        #expect(try run(["user", "list", "--data", directory.path]).standardOutput.contains("(disabled)"))
        // Listing never creates a database where none is.
        let elsewhere = (directory.path as NSString).appendingPathComponent("typo")
        #expect(try run(["user", "list", "--data", elsewhere]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: elsewhere))
    }

    @Test func demoModeCreatesDemoAccountsAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let port = Int.random(in: 20_000...59_000)
        let (server, output, _) = try process.launch(
            ["serve", "--data", directory.path, "--port", "\(port)", "--demo-patients", "10", "--log-level", "error"])
        var ready = false
        for _ in 0..<100 where !ready {
            try await Task.sleep(for: .milliseconds(100))
            ready = await process.health(port: port) != nil
        }
        let (status, answer) = try await login(port, "nurse", DemoAccounts.password, replica: "demo-ws")
        #expect(status == 200)
        #expect(answer?.scope.wards.count == 2)
        #expect(try await login(port, "office", DemoAccounts.password, replica: "demo-office").1?.scope.allWards == true)
        server.terminate()
        server.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("Demo accounts (password \"\(DemoAccounts.password)\")"))
    }

    @Test func aKillMinus9LosesNothingThatWasAcknowledged() async throws {
        let directory = try TemporaryDirectory()
        #expect(try run(["ward", "add", "W-K", "--name", "K", "--data", directory.path]).status == 0)
        #expect(try run(["user", "add", "kim", "--role", "ward-nurse", "--ward", "W-K", "--data", directory.path], input: "kim-password-1\n").status == 0)
        var (server, port) = try await serve(directory.path)
        let token = try #require(try await login(port, "kim", "kim-password-1", replica: "kim-ws").1?.token)
        var replica = ReplicaID("kim-ws")
        var acknowledged: [UUID] = []
        for batchNumber in 0..<5 {
            var records: [SyncRecord] = []
            for index in 0..<20 {
                var record = SyncRecord(kind: .followUpTask, scope: RecordScope(ward: "W-K"))
                let counter = UInt64(batchNumber * 20 + index + 1)
                try record.apply(
                    ["due": .set("2026-12-01")], dot: Dot(replica: replica, counter: counter),
                    at: HybridTimestamp(wallMilliseconds: 1, logical: 0, replica: replica))
                records.append(record)
            }
            let (status, _) = try await call(port, "/v1/push", body: PushBatch(replica: replica, records: records), token: token)
            #expect(status == 200)
            acknowledged += records.map(\.id)
        }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        #expect(server.terminationReason == .uncaughtSignal)

        (server, port) = try await serve(directory.path)
        defer { server.terminate() }
        replica = "kim-ws2"
        let second = try #require(try await login(port, "kim", "kim-password-1", replica: replica).1?.token)
        let (status, data) = try await call(port, "/v1/pull", body: PullRequest(cursor: .beginning, limit: 1000), token: second)
        #expect(status == 200)
        let page = try SyncJSON.decode(PullPage.self, from: data)
        #expect(Set(page.records.map(\.id)) == Set(acknowledged))
        let database = try ServerDatabase.open(dataDirectory: directory.path, mode: .existingOnly)
        #expect(try database.integrityCheck() == ["ok"])
    }

    @Test func sigtermDuringAPushCommitsItWholeOrNotAtAll() async throws {
        let directory = try TemporaryDirectory()
        #expect(try run(["ward", "add", "W-T", "--name", "T", "--data", directory.path]).status == 0)
        #expect(try run(["user", "add", "tam", "--role", "ward-nurse", "--ward", "W-T", "--data", directory.path], input: "tam-password-1\n").status == 0)
        var (server, port) = try await serve(directory.path)
        let token = try #require(try await login(port, "tam", "tam-password-1", replica: "tam-ws").1?.token)
        let replica = ReplicaID("tam-ws")
        let records = try (1...SyncLimits.maximumBatchRecords).map { index in
            var record = SyncRecord(kind: .followUpTask, scope: RecordScope(ward: "W-T"))
            try record.apply(
                ["due": .set("2026-12-01"), "note": .set(.string(String(repeating: "n", count: 2_000)))],
                dot: Dot(replica: replica, counter: UInt64(index)),
                at: HybridTimestamp(wallMilliseconds: 1, logical: 0, replica: replica))
            return record
        }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/push")!)
        request.httpMethod = "POST"
        request.httpBody = try SyncJSON.encode(PushBatch(replica: replica, records: records))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let sent = request
        let push = Task { () -> Int? in
            guard let (_, response) = try? await URLSession.shared.data(for: sent) else { return nil }
            return (response as? HTTPURLResponse)?.statusCode
        }
        try await Task.sleep(for: .milliseconds(150))
        server.terminate()
        let answer = await push.value
        server.waitUntilExit()
        #expect(server.terminationReason == .exit)
        #expect(server.terminationStatus == 0)

        (server, port) = try await serve(directory.path)
        defer { server.terminate() }
        let database = try ServerDatabase.open(dataDirectory: directory.path, mode: .existingOnly)
        let stored = try await database.recordCount()
        // A request in flight finishes; one that had not begun is refused; never half a batch.
        #expect(stored == 0 || stored == records.count)
        if answer == 200 { #expect(stored == records.count) }
    }

    @Test func servesHTTPSWithACertificateAndKey() async throws {
        let directory = try TemporaryDirectory()
        let cert = (directory.path as NSString).appendingPathComponent("cert.pem")
        let key = (directory.path as NSString).appendingPathComponent("key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardError = Pipe()
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        let port = Int.random(in: 20_000...59_000)
        let (server, _, _) = try process.launch([
            "serve", "--data", directory.path, "--port", "\(port)", "--tls-cert", cert, "--tls-key", key, "--log-level", "error",
        ])
        defer { server.terminate() }
        var body = ""
        for _ in 0..<100 where !body.contains("\"ok\"") {
            try await Task.sleep(for: .milliseconds(100))
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-s", "--cacert", cert, "https://127.0.0.1:\(port)/health"]
            let output = Pipe()
            curl.standardOutput = output
            try curl.run()
            curl.waitUntilExit()
            body = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        #expect(body.contains("\"status\":\"ok\""))

        let missing = try run(["serve", "--data", directory.path, "--port", "18498", "--tls-cert", cert + ".nope", "--tls-key", key])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("cannot be read as PEM"))
        let half = try run(["serve", "--data", directory.path, "--tls-cert", cert])
        #expect(half.standardError.contains("--tls-cert and --tls-key go together"))
    }
}
