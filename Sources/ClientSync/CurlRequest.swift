import CCurl
import Foundation

/// Where a request failed, in terms a person can act on. The URL never carries a token:
/// credentials travel in headers, and ``redactedURL`` drops any query string.
public enum TransportError: Error, Equatable, CustomStringConvertible {
    /// The server could not be reached or the connection broke (retry later).
    case network(url: String, reason: String)
    /// The server answered with an error status.
    case server(url: String, status: Int, message: String)
    /// The answer arrived but could not be understood.
    case data(url: String, reason: String)

    public var description: String {
        switch self {
        case .network(let url, let reason): "network: \(url): \(reason)"
        case .server(let url, let status, let message): "server: \(url) answered \(status): \(message)"
        case .data(let url, let reason): "data: \(url): \(reason)"
        }
    }

    /// A URL safe to log or show: scheme, host, port and path only.
    public static func redactedURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(invalid URL)" }
        components.query = nil
        components.user = nil
        components.password = nil
        components.fragment = nil
        return components.string ?? "(invalid URL)"
    }
}

/// Options every request carries.
public struct TransportOptions: Sendable {
    public var connectTimeout: Duration = .seconds(5)
    public var totalTimeout: Duration = .seconds(30)
    /// A CA bundle to verify the server against, instead of the system store.
    public var caFile: String?
    public init() {}
}

/// One libcurl easy handle. Owns it and frees it in `deinit`; not `Sendable`: use it on
/// one thread at a time (requests are blocking and run off the main thread).
final class CurlRequest {
    private let handle: OpaquePointer
    private var headers: UnsafeMutablePointer<curl_slist>?

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init() throws(TransportError) {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else {
            throw .network(url: "", reason: "libcurl could not create a request")
        }
        self.handle = OpaquePointer(handle)
    }

    deinit {
        curl_slist_free_all(headers)
        curl_easy_cleanup(UnsafeMutableRawPointer(handle))
    }

    /// A blocking GET; returns the status and body.
    func get(_ url: String, options: TransportOptions, headers extra: [String] = []) throws(TransportError) -> (status: Int, body: Data) {
        let shown = TransportError.redactedURL(url)
        let easy = UnsafeMutableRawPointer(handle)
        try check(hw_curl_setopt_string(easy, CURLOPT_URL, url), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout.milliseconds)), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(options.totalTimeout.milliseconds)), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), shown)
        try check(hw_curl_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)), shown)
        if let caFile = options.caFile { try check(hw_curl_setopt_string(easy, CURLOPT_CAINFO, caFile), shown) }
        for header in ["Accept: application/json"] + extra { headers = curl_slist_append(headers, header) }
        try check(hw_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headers), shown)

        let sink = ResponseSink()
        let sinkPointer = Unmanaged.passRetained(sink).toOpaque()
        defer { Unmanaged<ResponseSink>.fromOpaque(sinkPointer).release() }
        try check(hw_curl_setopt_write_function(easy, { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        }), shown)
        try check(hw_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, sinkPointer), shown)

        let code = curl_easy_perform(easy)
        guard code == CURLE_OK else {
            throw .network(url: shown, reason: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = hw_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return (status, sink.body)
    }

    private func check(_ code: CURLcode, _ url: String) throws(TransportError) {
        guard code == CURLE_OK else {
            throw .network(url: url, reason: "libcurl option refused: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}

private final class ResponseSink {
    var body = Data()
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
