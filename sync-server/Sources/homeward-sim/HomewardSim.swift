import ArgumentParser
import Foundation

/// `homeward-sim`: the deterministic simulation of issue 3.
///
/// ```
/// homeward-sim --seed 42 --replicas 8 --ops 5000
/// homeward-sim --seeds 1...200 --faults drop,duplicate,crash
/// homeward-sim --seed 7 --sabotage last-writer-wins   # watch a check fail
/// ```
@main
struct HomewardSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-sim",
        abstract: "Runs client replicas and the sync server on a simulated network and checks that no write is lost.",
        discussion: """
            Faults: \(Fault.allCases.map(\.rawValue).joined(separator: ", ")); all means \(Fault.standard.sorted().map(\.rawValue).joined(separator: ",")); none.
            Exits 1 naming the first violated invariant, the seed and a minimal trace; the
            last line states the outcome of the (last) seed.
            """)

    @Option(help: "The seed of a single run.")
    var seed: UInt64?

    @Option(help: "A range of seeds, e.g. 1...200 (or 1..<201).")
    var seeds: String?

    @Option(help: "Client replicas (at least 2).")
    var replicas: Int = 5

    @Option(help: "Local operations per run.")
    var ops: Int = 250

    @Option(help: "Faults to inject: a comma-separated list, all, or none.")
    var faults: String = "all"

    @Option(help: "Break the code under test on purpose: \(Sabotage.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sabotage: String?

    @Option(help: "Seeds run at the same time.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print every event of the run.")
    var verbose = false

    @Flag(help: "Run every seed with and without skewed clocks and require the same merged records.")
    var skewInvariance = false

    func validate() throws {
        guard replicas >= 2 else { throw ValidationError("--replicas must be at least 2") }
        guard ops >= 1 else { throw ValidationError("--ops must be at least 1") }
        guard (seed == nil) != (seeds == nil) else { throw ValidationError("give exactly one of --seed and --seeds") }
        do { _ = try Fault.parse(faults) } catch { throw ValidationError("\(error)") }
        if let sabotage, Sabotage(rawValue: sabotage) == nil {
            throw ValidationError("unknown sabotage \(sabotage)")
        }
        _ = try seedList()
    }

    private func seedList() throws -> [UInt64] {
        if let seed { return [seed] }
        let text = seeds ?? ""
        for separator in ["...", "..<"] {
            let parts = text.components(separatedBy: separator)
            if parts.count == 2, let low = UInt64(parts[0]), let high = UInt64(parts[1]) {
                let upper = separator == "..." ? high : high &- 1
                guard low <= upper else { break }
                return Array(low...upper)
            }
        }
        throw ValidationError("--seeds takes a range such as 1...200")
    }

    func run() async throws {
        let faultSet = try Fault.parse(faults)
        let template = SimulationOptions(
            seed: 0, replicas: replicas, ops: ops, faults: faultSet, sabotage: sabotage.flatMap(Sabotage.init(rawValue:)),
            verbose: verbose)
        let seeds = try seedList()
        let started = Date()
        print("homeward-sim: \(seeds.count) seed(s), replicas=\(replicas) ops=\(ops) faults=\(faultSet.isEmpty ? "none" : faultSet.sorted().map(\.rawValue).joined(separator: ","))\(template.sabotage.map { " sabotage=\($0.rawValue)" } ?? "")\(skewInvariance ? " (each seed with and without skewed clocks)" : "")")

        var next = 0
        var lastLine = ""
        try await withThrowingTaskGroup(of: (Int, SeedOutcome).self) { group in
            var pending: [Int: SeedOutcome] = [:]
            var launched = 0
            func launch() {
                guard launched < seeds.count else { return }
                var options = template
                options.seed = seeds[launched]
                let position = launched
                let compareSkew = skewInvariance
                group.addTask { (position, await SeedOutcome.run(options, comparingSkew: compareSkew)) }
                launched += 1
            }
            for _ in 0..<max(1, jobs) { launch() }
            while let (position, outcome) = try await group.next() {
                pending[position] = outcome
                // Report in seed order, so output is the same whatever finished first.
                while let ready = pending.removeValue(forKey: next) {
                    if !ready.passed {
                        group.cancelAll()
                        for line in ready.report { print(line) }
                        print(ready.outcomeLine)
                        throw ExitCode(1)
                    }
                    if seeds.count > 1 { print(ready.outcomeLine) }
                    lastLine = ready.outcomeLine
                    next += 1
                }
                launch()
            }
        }
        let seconds = Date().timeIntervalSince(started)
        if seeds.count > 1 {
            print(String(format: "all %d seeds passed in %.1f s (%@ … %@)", seeds.count, seconds, "\(seeds.first!)", "\(seeds.last!)"))
        }
        print(lastLine)
    }
}

/// What one seed's run came to, in lines ready to print.
struct SeedOutcome: Sendable {
    let passed: Bool
    let report: [String]
    let outcomeLine: String

    /// Runs the seed; with `comparingSkew`, runs it once with skewed clocks and once
    /// without, and requires both to pass with the same merged records.
    static func run(_ options: SimulationOptions, comparingSkew: Bool) async -> SeedOutcome {
        guard comparingSkew else { return await run(options).outcome }
        var skewed = options, exact = options
        skewed.faults.insert(.skew)
        exact.faults.remove(.skew)
        let (first, firstDigest) = await run(skewed)
        guard first.passed else { return first }
        let (second, secondDigest) = await run(exact)
        guard second.passed else { return second }
        guard let firstDigest, firstDigest == secondDigest else {
            return SeedOutcome(
                passed: false,
                report: [
                    "FAILED seed=\(options.seed): skewed clocks changed what merge kept (server records \(firstDigest ?? "?") with skew, \(secondDigest ?? "?") without)",
                    "replay: homeward-sim --seed \(options.seed) --replicas \(options.replicas) --ops \(options.ops) --skew-invariance",
                ],
                outcomeLine: first.outcomeLine + " FAILED=skew-changed-outcome")
        }
        return first
    }

    private static func run(_ options: SimulationOptions) async -> (outcome: SeedOutcome, digest: String?) {
        let header = "seed=\(options.seed) replicas=\(options.replicas) ops=\(options.ops)"
        let replay = "replay: homeward-sim --seed \(options.seed) --replicas \(options.replicas) --ops \(options.ops) --faults \(options.faults.isEmpty ? "none" : options.faults.sorted().map(\.rawValue).joined(separator: ","))\(options.sabotage.map { " --sabotage \($0.rawValue)" } ?? "") --verbose"
        let simulation: Simulation
        do {
            simulation = try Simulation(options: options)
        } catch {
            return (SeedOutcome(passed: false, report: ["could not set up seed \(options.seed): \(error)"], outcomeLine: "\(header) error=setup"), nil)
        }
        let violations: [Violation]
        do {
            violations = try await simulation.run()
        } catch let failure as SimulationFailure {
            return (SeedOutcome(
                passed: false,
                report: ["FAILED seed=\(options.seed): \(failure.description)", "minimal trace:"]
                    + simulation.minimalTrace(for: failure.record) + [replay],
                outcomeLine: "\(header) error=operation-failed"), nil)
        } catch {
            return (SeedOutcome(
                passed: false, report: ["FAILED seed=\(options.seed): \(error)", "minimal trace:"] + simulation.minimalTrace(for: nil) + [replay],
                outcomeLine: "\(header) error=\(type(of: error))"), nil)
        }
        let stats = simulation.statistics
        let line = "\(header) converged=\(stats.converged ? "yes" : "no") lost=\(stats.lost) silent_overwrites=\(stats.silentOverwrites) conflicts=\(stats.openConflicts + stats.resolutions) resolved=\(stats.resolutions) quarantined=\(stats.quarantined) crashes=\(stats.crashes + stats.commitCrashes) messages=\(stats.messages) dropped=\(stats.dropped) duplicated=\(stats.duplicated)"
        guard let first = violations.first else {
            return (SeedOutcome(passed: true, report: [], outcomeLine: line), try? await simulation.timelessDigest())
        }
        var report = ["FAILED invariant \(first.invariant.rawValue) (\(first.invariant.name)) seed=\(options.seed)", "  \(first.message)"]
        let others = violations.dropFirst()
        if !others.isEmpty {
            report.append("  and \(others.count) more violation(s):")
            report += others.prefix(8).map { "    invariant \($0.invariant.rawValue) (\($0.invariant.name)): \($0.message)" }
        }
        report.append(first.record.map { "minimal trace (every event touching record \($0)):" } ?? "minimal trace (last events):")
        report += simulation.minimalTrace(for: first.record)
        report.append(replay)
        return (SeedOutcome(passed: false, report: report, outcomeLine: line + " FAILED=invariant-\(first.invariant.rawValue)"), nil)
    }
}
