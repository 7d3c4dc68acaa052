import Foundation
import HummingbirdTLS

/// How the server listens and where it keeps its data, as resolved from the command line
/// and the environment.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind, `127.0.0.1` unless the operator opens it to the network.
    public var host: String
    /// The TCP port; 0 lets the system choose (tests).
    public var port: Int
    /// The directory holding `homeward-server.sqlite`.
    public var dataDirectory: String
    /// Serve HTTPS with this certificate and key; plain HTTP when `nil`.
    public var tls: TLSFiles?

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8420

    public init(host: String = defaultHost, port: Int = defaultPort, dataDirectory: String, tls: TLSFiles? = nil) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.tls = tls
    }
}

/// The PEM files of the server's TLS certificate (chain) and private key.
public struct TLSFiles: Sendable, Equatable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Reads both files.
    ///
    /// - Throws: ``ServerConfigurationError`` naming the file that could not be used.
    func makeServerConfiguration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ServerConfigurationError.unreadableTLSFile(path: certificatePath, what: "certificate")
        }
        guard !chain.isEmpty else {
            throw ServerConfigurationError.unreadableTLSFile(path: certificatePath, what: "certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ServerConfigurationError.unreadableTLSFile(path: keyPath, what: "private key")
        }
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}

/// A setting the server cannot start with.
public enum ServerConfigurationError: Error, Equatable, CustomStringConvertible {
    case unreadableTLSFile(path: String, what: String)

    public var description: String {
        switch self {
        case .unreadableTLSFile(let path, let what):
            "The TLS \(what) \(path) cannot be read as PEM. Check the path and its permissions."
        }
    }
}

/// The server's build version, reported by `/health` and `--version`.
public enum ServerVersion {
    public static let current = "0.1.0"
}

/// Where the server keeps its data when no `--data` is given.
///
/// `--data DIR` wins, then `$HOMEWARD_DATA_DIR`, then the XDG data directory
/// (`$XDG_DATA_HOME/homeward-server`, else `~/.local/share/homeward-server`): the same
/// order as the desktop client's, under a different name so that a workstation running
/// both keeps the two databases apart. The systemd unit sets `HOMEWARD_DATA_DIR` to
/// `/var/lib/homeward-server`.
public enum ServerDataDirectory {
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit, !explicit.isEmpty { return expand(explicit, environment: environment) }
        if let configured = environment["HOMEWARD_DATA_DIR"], !configured.isEmpty {
            return expand(configured, environment: environment)
        }
        // The XDG specification says a relative XDG_DATA_HOME is invalid and must be ignored.
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return (xdg as NSString).appendingPathComponent("homeward-server")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/homeward-server")
    }

    /// Expands a leading `~` against `$HOME` (shells do not expand it inside `--data=~/x`).
    static func expand(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
