import Foundation
import Hummingbird
import SyncCore

/// The request context of every route.
///
/// Bodies are read and written with the sync protocol's JSON coding (``SyncJSON``:
/// sorted keys, ISO 8601 dates), so a response is byte-for-byte what a client or a test
/// computes for the same value. Authentication will add the caller's identity here.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    public var requestDecoder: JSONDecoder { SyncJSON.decoder() }
    public var responseEncoder: JSONEncoder { SyncJSON.encoder() }
}
