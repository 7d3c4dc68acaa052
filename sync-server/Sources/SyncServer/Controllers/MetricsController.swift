import Hummingbird

/// `GET /metrics`: request counts and durations by route, push and pull volumes, logins
/// and attachment bytes, in the Prometheus text format. Unauthenticated, like `/health`,
/// for the monitoring system; it holds counts only, never names or ids.
public struct MetricsController<Context: RequestContext>: Sendable {
    let metrics: ServerMetrics

    public init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    public func addRoutes(to router: some RouterMethods<Context>) {
        router.get("metrics", use: render)
    }

    @Sendable func render(_ request: Request, context: Context) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
    }
}
