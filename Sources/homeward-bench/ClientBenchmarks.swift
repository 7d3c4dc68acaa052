import ArgumentParser
import CareModel
import ClientStore
import ClientSync
import Foundation
import SyncCore

/// Client-side sync benchmarks against a running homeward-server (scripts/bench.sh starts
/// one). Each figure is printed next to its target and, where the target is a ratio, next
/// to a baseline measured in the same run.
@main
struct HomewardBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-bench",
        abstract: "Client sync benchmarks: offline endurance, first sync, recording upload.",
        subcommands: [OfflineEndurance.self, FirstSync.self, RecordingUpload.self])
}

struct ServerOptions: ParsableArguments {
    @Option(help: "The sync server.") var server: String
    @Option(help: "A central-office user on it.") var username: String
    @Option(name: .customLong("password-file"), help: "A file holding the password.") var passwordFile: String

    func endpoint() throws -> ServerEndpoint { try ServerEndpoint(server) }
    func password() throws -> String {
        try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh profile signed in to the server.
    func freshClient(_ name: String) throws -> (ClientDatabase, SyncEngine, String) {
        let directory = NSTemporaryDirectory() + "homeward-bench-\(name)-" + UUID().uuidString
        let database = try ClientDatabase.open(dataDirectory: directory)
        let engine = SyncEngine(database: database)
        _ = try engine.login(server: try endpoint(), username: username, password: try password())
        return (database, engine, directory)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    return (value, seconds(ContinuousClock.now - start))
}

struct OfflineEndurance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offline-endurance",
        abstract: "A laptop offline 14 days with 5,000 edits, 500 concurrent with a colleague's, reconciles.")

    @OptionGroup var server: ServerOptions
    @Option var edits = 5000
    @Option var concurrent = 500
    @Option var days = 14

    func run() throws {
        let (laptop, laptopEngine, laptopDir) = try server.freshClient("laptop")
        let (office, officeEngine, officeDir) = try server.freshClient("office")
        defer { try? FileManager.default.removeItem(atPath: laptopDir); try? FileManager.default.removeItem(atPath: officeDir) }
        try laptopEngine.syncNow()
        try officeEngine.syncNow()
        let ids = try laptop.patients.search("")
        guard ids.count >= concurrent else { throw ValidationError("the server needs at least \(concurrent) patients") }

        // 14 days offline: the laptop's clock walks through two weeks while it edits.
        let start = Int64(Date().timeIntervalSince1970 * 1000) - Int64(days) * 86_400_000
        let step = Int64(days) * 86_400_000 / Int64(max(edits, 1))
        let tick = Tick()
        let archive = laptop.archive(wallClock: { start + tick.next() * step })
        var expected: [(UUID, String)] = []  // (patient, address) the laptop wrote last
        for index in 0..<edits {
            let id = ids[index % ids.count]
            guard var patient = try laptop.patients.patient(id: id) else { continue }
            patient.address = "随访地址 \(index)"
            try archive.save(patient)
            expected.append((id, patient.address!))
        }
        // The office edits the same field of the first `concurrent` patients meanwhile.
        for id in ids.prefix(concurrent) {
            guard var patient = try office.patients.patient(id: id) else { continue }
            patient.address = "门诊更正 \(id.uuidString.prefix(4))"
            try office.archive.save(patient)
        }
        try officeEngine.syncNow()

        let (report, elapsed) = try timed { try laptopEngine.syncNow() }
        try officeEngine.syncNow()

        // Nothing lost: the laptop's last value of every edited patient is the value, or
        // one of the conflicting values, on both replicas; so is the office's.
        var lastByPatient: [UUID: String] = [:]
        for (id, address) in expected { lastByPatient[id] = address }
        var lost = 0
        for database in [laptop, office] {
            for (id, address) in lastByPatient {
                let record = try database.writer.read { db in try database.syncRecords.record(id, in: db) }
                let values = record?.fields["address"]?.conflictingValues ?? []
                if !values.contains(.string(address)) { lost += 1 }
            }
        }
        let conflicts = try laptop.writer.read { db in try laptop.syncRecords.conflicts(in: db) }
        let officeConflicts = try office.writer.read { db in try office.syncRecords.conflicts(in: db) }
        let converged = try laptop.writer.read { db in try laptop.syncRecords.stateHash(in: db) }
            == office.writer.read { db in try office.syncRecords.stateHash(in: db) }
        print(String(format: "offline endurance: %d edits over %d days, %d concurrent: reconciled in %.2f s (target < 30 s)",
                     edits, days, concurrent, elapsed))
        print("  pushed \(report.pushedRecords), pulled \(report.pulledRecords), conflicts listed: laptop \(conflicts.count), office \(officeConflicts.count); lost \(lost); converged \(converged ? "yes" : "NO")")
        if lost > 0 || !converged { throw ExitCode(1) }
    }
}

/// A counter the wall clock closure can share across threads.
final class Tick: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0
    func next() -> Int64 { lock.withLock { value += 1; return value } }
}

struct FirstSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "first-sync", abstract: "An empty client's first sync of everything in its scope.")
    @OptionGroup var server: ServerOptions

    func run() throws {
        let (database, engine, directory) = try server.freshClient("first")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (report, elapsed) = try timed { try engine.syncNow() }
        let patients = try database.patients.count()
        print(String(format: "first sync: %d records (%d patients, %.1f MB) onto an empty client in %.2f s (target ≤ 5 s for 20k)",
                     report.pulledRecords, patients, Double(report.bytesReceived) / 1e6, elapsed))
    }
}

struct RecordingUpload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recording-upload", abstract: "A call recording's upload against raw loopback throughput.")
    @OptionGroup var server: ServerOptions
    @Option(help: "Recording size in MB.") var megabytes = 50

    func run() throws {
        let (database, engine, directory) = try server.freshClient("upload")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try engine.syncNow()
        guard let patientID = try database.patients.search("").first,
              let patient = try database.patients.patient(id: patientID) else { throw ValidationError("no patients on the server") }
        let path = directory + "/call.wav"
        try writeWAV(to: path, bytes: megabytes << 20)
        _ = try database.callRecordings.attach(file: path, patientID: patientID, ward: patient.wardID.rawValue)
        let size = Int64(megabytes << 20)

        let (report, elapsed) = try timed { try engine.syncNow() }
        let uploadRate = Double(size) / elapsed
        let rawRate = try rawLoopbackRate(bytes: megabytes << 20)
        print(String(format: "recording upload: %d MB in %.2f s = %.1f MB/s; raw loopback %.1f MB/s; ratio %.0f %% (target ≥ 50 %%)",
                     megabytes, elapsed, uploadRate / 1e6, rawRate / 1e6, 100 * uploadRate / rawRate))
        _ = report
    }

    /// Bytes per second through a loopback TCP connection with nothing else on the path.
    func rawLoopbackRate(bytes: Int) throws -> Double {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        let reader = Thread {
            let connection = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while read(connection, &buffer, buffer.count) > 0 {}
            close(connection)
        }
        reader.start()
        let sender = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sender, $0, length) }
        }
        let chunk = [UInt8](repeating: 7, count: 1 << 20)
        let start = ContinuousClock.now
        var sent = 0
        while sent < bytes {
            let written = chunk.withUnsafeBytes { write(sender, $0.baseAddress, min(chunk.count, bytes - sent)) }
            guard written > 0 else { break }
            sent += written
        }
        close(sender)
        return Double(sent) / seconds(ContinuousClock.now - start)
    }

    func writeWAV(to path: String, bytes: Int) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? output.close() }
        var header = Data("RIFF".utf8)
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        append(UInt32(bytes - 8)); header.append(contentsOf: Array("WAVEfmt ".utf8)); append(16); append16(1); append16(1)
        append(8000); append(16000); append16(2); append16(16); header.append(contentsOf: Array("data".utf8)); append(UInt32(bytes - 44))
        output.write(header)
        var generator = SystemRandomNumberGenerator()
        var remaining = bytes - header.count
        while remaining > 0 {
            let count = min(remaining, 1 << 20)
            output.write(Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }))
            remaining -= count
        }
    }
}
