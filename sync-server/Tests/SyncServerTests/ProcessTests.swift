import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import SyncServer

/// The built `homeward-server` binary, run as an operator would run it.
@Suite(.serialized) struct ProcessTests {
    /// The executable sits next to the test bundle in the build directory.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("homeward-server")
    }

    struct Finished {
        var status: Int32
        var standardError: String
        var standardOutput: String
    }

    func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "HOMEWARD_DATA_DIR")
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output, error)
    }

    func run(_ arguments: [String]) throws -> Finished {
        let (process, output, error) = try launch(arguments)
        let outText = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Finished(
            status: process.terminationStatus,
            standardError: String(decoding: errorText, as: UTF8.self),
            standardOutput: String(decoding: outText, as: UTF8.self))
    }

    func health(port: Int) async -> HealthReport? {
        let url = URL(string: "http://127.0.0.1:\(port)/health")!
        guard let (data, _) = try? await URLSession.shared.data(from: url) else { return nil }
        return try? JSONDecoder().decode(HealthReport.self, from: data)
    }

    @Test func servesDemoDataAndStopsCleanlyOnSIGTERM() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path))
        let directory = try TemporaryDirectory()
        let port = Int.random(in: 20_000...59_000)
        let (process, _, _) = try launch([
            "serve", "--data", directory.path, "--port", "\(port)", "--demo-patients", "25", "--demo-seed", "3",
            "--log-level", "error",
        ])
        var report: HealthReport?
        for _ in 0..<100 where report == nil {
            try await Task.sleep(for: .milliseconds(100))
            report = await health(port: port)
        }
        let served = try #require(report)
        #expect(served.status == .ok)
        #expect(served.recordCount == 25)

        process.terminate()  // SIGTERM
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)

        // The same seed again adds nothing.
        let again = try run(["demo-data", "--data", directory.path, "--patients", "25", "--seed", "3"])
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("0 patients added, 25 already present"))
    }

    @Test func refusesADatabaseItCannotReadWithAMessage() throws {
        let directory = try TemporaryDirectory()
        let path = (directory.path as NSString).appendingPathComponent("homeward-server.sqlite")
        try Data("these are not the pages of an SQLite database".utf8).write(to: URL(fileURLWithPath: path))
        let result = try run(["serve", "--data", directory.path, "--port", "18499"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot be read"))
        #expect(result.standardError.contains(path))
        #expect(!result.standardError.contains("Fatal error"))
    }

    @Test func refusesABadPortBeforeTouchingAnything() throws {
        let directory = try TemporaryDirectory()
        let data = (directory.path as NSString).appendingPathComponent("never-created")
        let result = try run(["serve", "--data", data, "--port", "70000"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--port must be a TCP port from 1 to 65535"))
        #expect(!FileManager.default.fileExists(atPath: data))
    }
}
