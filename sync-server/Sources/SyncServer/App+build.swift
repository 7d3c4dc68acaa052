import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServerStore

/// Builds the server application: the router with every controller and middleware, bound
/// to the configured address, over TLS when the configuration names a certificate.
/// `homeward-server serve` runs it; tests build the same application and drive it
/// in-process or over a socket.
///
/// ```swift
/// let database = try ServerDatabase.open(dataDirectory: dir)
/// let services = try await ServerServices.open(database: database, attachmentDirectory: attachments)
/// let app = try buildApplication(configuration: configuration, services: services, logger: logger)
/// try await app.runService()   // returns after SIGTERM or SIGINT, once requests finish
/// ```
///
/// - Throws: ``ServerConfigurationError`` when the certificate or key cannot be read.
public func buildApplication(
    configuration: ServerConfiguration,
    services: ServerServices,
    logger: Logger = Logger(label: "homeward-server")
) throws -> some ApplicationProtocol {
    let router = buildRouter(services: services)
    let server: HTTPServerBuilder
    if let tls = configuration.tls {
        server = try .tls(.http1(), tlsConfiguration: tls.makeServerConfiguration())
    } else {
        server = .http1()
    }
    return Application(
        router: router,
        server: server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "homeward-server/\(ServerVersion.current)"),
        onServerRunning: { channel in
            // The bound port matters when the configuration asked for port 0.
            logger.notice(
                "listening",
                metadata: [
                    "address": "\(channel.localAddress?.ipAddress ?? configuration.host)",
                    "port": "\(channel.localAddress?.port ?? configuration.port)",
                    "tls": "\(configuration.tls != nil)",
                ])
        },
        logger: logger)
}

/// The router of ``buildApplication(configuration:services:logger:)``.
public func buildRouter(services: ServerServices) -> Router<ServerRequestContext> {
    let router = Router(context: ServerRequestContext.self)
    // Logging and metrics sit outside error translation so they see the status the
    // client gets.
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: services.metrics))
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: ProtocolVersionMiddleware())
    HealthController(store: services.records, schemaVersion: services.schemaVersion).addRoutes(to: router)
    MetricsController(metrics: services.metrics).addRoutes(to: router)

    let v1 = router.group("v1")
    LoginController(services: services).addRoutes(to: v1)
    let authenticated = v1.group().add(middleware: AuthenticationMiddleware(accounts: services.accounts, clock: services.clock))
    SyncController(services: services).addRoutes(to: authenticated)
    AttachmentController(services: services).addRoutes(to: authenticated)
    AuditController(audit: services.audit).addRoutes(to: authenticated)
    return router
}
