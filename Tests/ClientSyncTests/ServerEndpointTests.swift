import ClientSync
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A one-request HTTP server on a loopback port, to exercise the real libcurl transport.
final class OneShotHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let thread: Thread

    init(response: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0
                    && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        socketFD = fd
        port = UInt16(bigEndian: address.sin_port)
        thread = Thread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(client, &buffer, buffer.count)
            let bytes = Array(response.utf8)
            _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, bytes.count) }
            close(client)
        }
        thread.start()
    }

    deinit { close(socketFD) }
}

/// A loopback port nothing listens on.
func closedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    return UInt16(bigEndian: address.sin_port)
}

@Suite("Server endpoint and health over libcurl")
struct ServerEndpointTests {
    @Test(arguments: ["", "127.0.0.1:8420", "ftp://host", "http://", "not a url"])
    func rejectsAddressesThatAreNotServers(_ text: String) {
        #expect(throws: TransportError.self) { try ServerEndpoint(text) }
    }

    @Test func acceptsAndNormalizesAServerAddress() throws {
        let endpoint = try ServerEndpoint(" https://sync.example.org:8420/ ")
        #expect(endpoint.baseURL == "https://sync.example.org:8420")
        #expect(endpoint.displayName == "sync.example.org:8420")
    }

    @Test func redactedURLDropsQueryAndCredentials() {
        #expect(TransportError.redactedURL("https://nurse:secret@host:1/v1/pull?token=abc#x") == "https://host:1/v1/pull")
    }

    @Test func readsHealthFromARealServer() throws {
        let body = #"{"status":"ok","version":"0.1.0","recordCount":12}"#
        let server = try OneShotHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        let health = try ServerEndpoint("http://127.0.0.1:\(server.port)").checkHealth()
        #expect(health == ServerHealth(status: "ok", version: "0.1.0", recordCount: 12))
    }

    @Test func aServerErrorSaysSoAndNamesTheURL() throws {
        let server = try OneShotHTTPServer(response: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy")
        #expect {
            try ServerEndpoint("http://127.0.0.1:\(server.port)").checkHealth()
        } throws: { error in
            error as? TransportError == .server(url: "http://127.0.0.1:\(server.port)/health", status: 503, message: "busy", code: nil)
        }
    }

    @Test func garbageIsADataError() throws {
        let server = try OneShotHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        #expect {
            try ServerEndpoint("http://127.0.0.1:\(server.port)").checkHealth()
        } throws: { error in
            if case .data(let url, _) = error as? TransportError { return url.hasSuffix("/health") }
            return false
        }
    }

    @Test func anUnreachableServerIsANetworkError() throws {
        let port = closedPort()
        var options = TransportOptions()
        options.connectTimeout = .seconds(2)
        #expect {
            try ServerEndpoint("http://127.0.0.1:\(port)").checkHealth(options: options)
        } throws: { error in
            if case .network(let url, let reason) = error as? TransportError {
                return url == "http://127.0.0.1:\(port)/health" && !reason.isEmpty
            }
            return false
        }
    }
}
