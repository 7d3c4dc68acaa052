import Foundation
import Hummingbird
import HummingbirdTesting
import ServerStore
import SyncCore
import Testing
@testable import SyncServer

/// Every failure leaves as a JSON ErrorBody with a fitting status; server faults say
/// nothing about their cause to the client.
@Suite struct ErrorMiddlewareTests {
    struct Echo: Codable, ResponseEncodable {
        var count: Int
    }

    struct SecretBearingFault: Error, CustomStringConvertible {
        var description: String { "record of 张三 could not be written" }
    }

    func makeRouter() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.post("echo") { request, context -> Echo in
            try await request.decode(as: Echo.self, context: context)
        }
        router.get("refused") { _, _ -> String in
            throw RecordStoreError.invalidLimit(0)
        }
        router.get("fault") { _, _ -> String in
            throw SecretBearingFault()
        }
        router.get("teapot") { _, _ -> String in
            throw APIError(.forbidden, code: .forbidden, message: "This ward is not yours.")
        }
        return router
    }

    func errorBody(_ response: TestResponse) throws -> ErrorBody {
        try SyncJSON.decode(ErrorBody.self, from: Data(buffer: response.body))
    }

    @Test func malformedAndMistypedBodiesAreBadRequests() async throws {
        let app = Application(router: makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/echo", method: .post, body: ByteBuffer(string: #"{"count": 3}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"count":3}"#)
            }
            for body in [#"{"count": "three"}"#, #"{"count": 3"#, "", #"{"number": 3}"#] {
                try await client.execute(uri: "/echo", method: .post, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let error = try errorBody(response)
                    #expect(error.code == .badRequest)
                }
            }
        }
    }

    @Test func storeRefusalsAndOurErrorsKeepTheirMeaning() async throws {
        let app = Application(router: makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/refused", method: .get) { response in
                #expect(response.status == .badRequest)
                let error = try errorBody(response)
                #expect(error == RecordStoreError.invalidLimit(0).errorBody)
            }
            try await client.execute(uri: "/teapot", method: .get) { response in
                #expect(response.status == .forbidden)
                let error = try errorBody(response)
                #expect(error == ErrorBody(code: .forbidden, message: "This ward is not yours."))
            }
        }
    }

    @Test func serverFaultsDoNotLeakTheirText() async throws {
        let app = Application(router: makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/fault", method: .get) { response in
                #expect(response.status == .internalServerError)
                let body = try errorBody(response)
                #expect(body.code == .internalError)
                #expect(!body.message.contains("张三"))
            }
        }
    }
}
