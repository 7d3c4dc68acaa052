import Crypto
import CryptoExtras
import Foundation

/// Slow salted password hashes (PBKDF2-HMAC-SHA256) in a self-describing text form:
/// `pbkdf2-sha256$<rounds>$<salt base64>$<hash base64>`.
///
/// The round count travels with each hash, so raising ``defaultRounds`` later makes new
/// hashes slower without invalidating stored ones.
///
/// ```swift
/// let stored = try PasswordHasher().hash("correct horse")
/// PasswordHasher.verify("correct horse", against: stored)   // true
/// ```
public struct PasswordHasher: Sendable {
    /// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
    public static let defaultRounds = 600_000

    public let rounds: Int

    /// - Parameter rounds: below ``defaultRounds`` only in tests, where hundreds of
    ///   logins would otherwise take minutes.
    public init(rounds: Int = PasswordHasher.defaultRounds) {
        self.rounds = rounds
    }

    /// A new hash of `password` with a random 16-byte salt.
    public func hash(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let derived = try Self.derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `password` matches `stored`, compared in constant time. A malformed stored
    /// hash matches nothing.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= 1,
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              let derived = try? derive(password, salt: salt, rounds: rounds)
        else { return false }
        return constantTimeEqual(derived, expected)
    }

    /// A stored hash no password matches, verified against for unknown user names so that
    /// a login takes as long whether the name exists or not.
    public static let decoy: String = "pbkdf2-sha256$\(defaultRounds)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

    private static func derive(_ password: String, salt: some DataProtocol, rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32,
            unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }

    /// Compares every byte whatever the first difference, so timing tells nothing.
    public static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
