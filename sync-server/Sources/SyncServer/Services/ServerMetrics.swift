import Foundation
import Metrics
import Prometheus

/// The server's metrics, recorded through swift-metrics into a Prometheus registry of
/// its own and served by `GET /metrics` in the Prometheus text format.
///
/// A registry per application rather than the process-wide `MetricsSystem`, so tests
/// that build many applications each read their own numbers. Labels are routes,
/// methods and statuses only: never a record id, a user name or a query string.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
    }

    /// One answered request.
    func requestCompleted(route: String, method: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "homeward_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "homeward_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The outcomes of one push batch.
    func pushed(accepted: Int, refused: Int) {
        Counter(label: "homeward_push_records_total", dimensions: [("outcome", "accepted")], factory: factory)
            .increment(by: accepted)
        Counter(label: "homeward_push_records_total", dimensions: [("outcome", "refused")], factory: factory)
            .increment(by: refused)
    }

    /// Records sent in a pull page.
    func pulled(records: Int) {
        Counter(label: "homeward_pull_records_total", factory: factory).increment(by: records)
    }

    /// A login, by outcome: `ok`, `refused` or `throttled`.
    func login(outcome: String) {
        Counter(label: "homeward_logins_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// Attachment bytes received or sent.
    func attachmentBytes(direction: String, count: Int) {
        Counter(label: "homeward_attachment_bytes_total", dimensions: [("direction", direction)], factory: factory)
            .increment(by: count)
    }

    /// The registry in the Prometheus text exposition format.
    public func render() -> String { registry.emitToString() }
}
