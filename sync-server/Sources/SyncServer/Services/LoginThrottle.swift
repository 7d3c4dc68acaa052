import Foundation

/// Limits failed logins per user name and per client address over a sliding window, so
/// that passwords cannot be guessed at speed even though each check is slow.
///
/// In memory: a restart forgets the counts, which costs an attacker a restart they
/// cannot cause. A successful login clears its user name's failures.
public actor LoginThrottle {
    public struct Limits: Sendable {
        /// Failures per user name within ``window``.
        public var perUsername: Int
        /// Failures per client address within ``window`` (a ward's workstations may share one).
        public var perAddress: Int
        public var window: Duration

        public init(perUsername: Int = 5, perAddress: Int = 30, window: Duration = .seconds(300)) {
            self.perUsername = perUsername
            self.perAddress = perAddress
            self.window = window
        }
    }

    private let limits: Limits
    private var failures: [String: [ContinuousClock.Instant]] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// How long the caller must wait, or `nil` when they may try now.
    func delay(username: String, address: String?) -> Duration? {
        let now = ContinuousClock.now
        var longest: Duration?
        for (key, limit) in keys(username: username, address: address) {
            let recent = (failures[key] ?? []).filter { now - $0 < limits.window }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                let wait = limits.window - (now - oldest)
                longest = max(longest ?? .zero, wait)
            }
        }
        return longest
    }

    func recordFailure(username: String, address: String?) {
        let now = ContinuousClock.now
        if failures.count > 100_000 { prune(now: now) }
        for (key, _) in keys(username: username, address: address) { failures[key, default: []].append(now) }
    }

    func recordSuccess(username: String) {
        failures["user:" + username.lowercased()] = nil
    }

    private func keys(username: String, address: String?) -> [(String, Int)] {
        var keys = [("user:" + username.lowercased(), limits.perUsername)]
        if let address { keys.append(("address:" + address, limits.perAddress)) }
        return keys
    }

    /// Drops expired entries, so a flood of invented user names cannot grow the table.
    private func prune(now: ContinuousClock.Instant) {
        failures = failures.compactMapValues { times in
            let recent = times.filter { now - $0 < limits.window }
            return recent.isEmpty ? nil : recent
        }
    }
}
