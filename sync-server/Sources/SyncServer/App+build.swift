import Hummingbird
import Logging
import ServerStore

/// Builds the server application: the router with every controller and middleware, bound
/// to the configured address. `homeward-server serve` runs it; tests build the same
/// application and drive it in-process or over a socket.
///
/// ```swift
/// let database = try ServerDatabase.open(dataDirectory: dir)
/// let app = buildApplication(configuration: configuration, store: database,
///                            schemaVersion: database.schemaVersion, logger: logger)
/// try await app.runService()   // returns after SIGTERM or SIGINT, once requests finish
/// ```
public func buildApplication(
    configuration: ServerConfiguration,
    store: any RecordStore,
    schemaVersion: Int,
    logger: Logger = Logger(label: "homeward-server")
) -> some ApplicationProtocol {
    let router = buildRouter(store: store, schemaVersion: schemaVersion)
    return Application(
        router: router,
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
                ])
        },
        logger: logger)
}

/// The router of ``buildApplication(configuration:store:schemaVersion:logger:)``.
public func buildRouter(store: any RecordStore, schemaVersion: Int) -> Router<ServerRequestContext> {
    let router = Router(context: ServerRequestContext.self)
    // Logging sits outside error translation so it records the status the client gets.
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: JSONErrorMiddleware())
    HealthController(store: store, schemaVersion: schemaVersion).addRoutes(to: router)
    return router
}
