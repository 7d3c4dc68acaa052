import CCurl
import Foundation

/// An HTTP request as the sync client makes it.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", head = "HEAD" }

    /// Bodies are at most one attachment chunk (1 MiB) or one push batch, so they are held
    /// in memory; recordings move chunk by chunk and never whole.
    public enum Body: Sendable {
        case none
        case data(Data)
    }

    public var method: Method
    public var url: String
    public var headers: [String]
    public var body: Body

    public init(_ method: Method, _ url: String, headers: [String] = [], body: Body = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data
}

/// Transfer progress: bytes sent and received so far in this request.
public typealias TransferProgress = @Sendable (_ sent: Int64, _ received: Int64) -> Void

/// HTTP over one libcurl easy handle, reused across requests so connections stay open
/// (keep-alive, HTTP/2 when the server offers it over TLS).
///
/// Owns the handle and frees it in `deinit`. Not `Sendable`: requests are blocking and
/// each transport is used by one thread at a time (the sync engine's worker).
///
/// ```swift
/// let transport = try HTTPTransport()
/// let response = try transport.perform(HTTPRequest(.get, "https://sync.example/health"))
/// ```
public final class HTTPTransport {
    private let handle: UnsafeMutableRawPointer
    public var options: TransportOptions

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init(options: TransportOptions = TransportOptions()) throws(TransportError) {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else {
            throw .network(url: "", reason: "libcurl could not create a request")
        }
        self.handle = handle
        self.options = options
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Performs `request` and returns the response, whatever its status.
    public func perform(
        _ request: HTTPRequest, responseLimit: Int = 64 << 20,
        progress: TransferProgress? = nil, cancellation: CancellationFlag? = nil
    ) throws(TransportError) -> HTTPResponse {
        let shown = TransportError.redactedURL(request.url)
        curl_easy_reset(handle)
        let context = TransferContext(responseLimit: responseLimit, progress: progress, cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in ["Accept: application/json", "Homeward-Protocol: 1", "Expect:"] + request.headers {
            headerList = curl_slist_append(headerList, header)
        }

        let contextPointer = Unmanaged.passUnretained(context).toOpaque()
        try configure(request, headers: headerList, context: contextPointer, shown: shown)

        let code = curl_easy_perform(handle)
        if let failure = context.failure { throw .data(url: shown, reason: failure) }
        switch code {
        case CURLE_OK: break
        case CURLE_ABORTED_BY_CALLBACK where cancellation?.isCancelled == true: throw .cancelled(url: shown)
        default: throw .network(url: shown, reason: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = hw_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: context.headers, body: context.body)
    }

    private func configure(
        _ request: HTTPRequest, headers: UnsafeMutablePointer<curl_slist>?, context: UnsafeMutableRawPointer, shown: String
    ) throws(TransportError) {
        func check(_ code: CURLcode) throws(TransportError) {
            guard code == CURLE_OK else {
                throw .network(url: shown, reason: "libcurl option refused: \(String(cString: curl_easy_strerror(code)))")
            }
        }
        try check(hw_curl_setopt_string(handle, CURLOPT_URL, request.url))
        try check(hw_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(hw_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        try check(hw_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout.milliseconds)))
        try check(hw_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(options.totalTimeout.milliseconds)))
        try check(hw_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1))
        try check(hw_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, Int(options.stallTimeout.components.seconds)))
        // TLS verification is always on; a private CA is given as a file, never switched off.
        try check(hw_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        try check(hw_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        try check(hw_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)))
        if let caFile = options.caFile { try check(hw_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
        // Proxies: libcurl reads http_proxy / https_proxy / no_proxy from the environment.
        try check(hw_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers))

        try check(hw_curl_setopt_data_function(handle, CURLOPT_WRITEFUNCTION, writeCallback))
        try check(hw_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(hw_curl_setopt_data_function(handle, CURLOPT_HEADERFUNCTION, headerCallback))
        try check(hw_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        try check(hw_curl_setopt_progress_function(handle, progressCallback))
        try check(hw_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context))
        try check(hw_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))

        let contextObject = Unmanaged<TransferContext>.fromOpaque(context).takeUnretainedValue()
        switch request.method {
        case .get: try check(hw_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case .head: try check(hw_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        case .post, .put:
            if request.method == .put { try check(hw_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)) }
            else { try check(hw_curl_setopt_long(handle, CURLOPT_POST, 1)) }
            if case .data(let data) = request.body { contextObject.upload = data }
            try check(hw_curl_setopt_data_function(handle, CURLOPT_READFUNCTION, readCallback))
            try check(hw_curl_setopt_pointer(handle, CURLOPT_READDATA, context))
            try check(hw_curl_setopt_offset(
                handle, request.method == .put ? CURLOPT_INFILESIZE_LARGE : CURLOPT_POSTFIELDSIZE_LARGE,
                curl_off_t(contextObject.upload.count)))
        }
    }
}

/// State of one transfer, reached from libcurl's callbacks through an unretained pointer
/// (the transfer is synchronous, so the context outlives every callback).
private final class TransferContext {
    let responseLimit: Int
    let progress: TransferProgress?
    let cancellation: CancellationFlag?
    /// The request body and how much of it libcurl has taken.
    var upload = Data()
    var uploadOffset = 0
    var body = Data()
    var headers: [String: String] = [:]
    var failure: String?

    init(responseLimit: Int, progress: TransferProgress?, cancellation: CancellationFlag?) {
        self.responseLimit = responseLimit
        self.progress = progress
        self.cancellation = cancellation
    }
}

private let writeCallback: hw_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data, length > 0 else { return length }
    guard transfer.body.count + length <= transfer.responseLimit else {
        transfer.failure = "the answer is larger than \(transfer.responseLimit) bytes"
        return 0  // aborts the transfer
    }
    transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private let headerCallback: hw_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    if line.hasPrefix("HTTP/") { transfer.headers = [:] }  // a new response (after 100 Continue)
    if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        transfer.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return length
}

private let readCallback: hw_curl_data_callback = { buffer, size, count, context in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    let capacity = size * count
    let length = min(capacity, transfer.upload.count - transfer.uploadOffset)
    guard let buffer, length > 0 else { return 0 }
    transfer.upload.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.uploadOffset, byteCount: length)
    }
    transfer.uploadOffset += length
    return length
}

private let progressCallback: hw_curl_progress_callback = { context, _, received, _, sent in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    if transfer.cancellation?.isCancelled == true { return 1 }  // non-zero aborts
    transfer.progress?(Int64(sent), Int64(received))
    return 0
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
