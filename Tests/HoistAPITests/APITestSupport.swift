import Foundation
import HoistAPI
import HoistCore
import HoistEngine
import HoistObservability
import HoistStorageSQLite
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A Hoist application on a fresh SQLite file in a temporary directory, driven through HummingbirdTesting.
struct TestServer {
    let client: any TestClientProtocol
    let engine: SnapshotEngine
    let databasePath: String
    /// The metrics the server records into (its own registry; no global bootstrap).
    let metrics: HoistMetrics

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        let bytes: [UInt8]
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
        subscript(key: String) -> JSONValue? { json[key] }
    }

    static func run(
        health: HealthRegistry = HealthRegistry(), metrics: HoistMetrics = HoistMetrics(),
        configure: (inout HoistAPI, SnapshotEngine) -> Void = { _, _ in }, live: Bool = false,
        _ test: @escaping @Sendable (TestServer) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hoist-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hoist.db").path
        var logger = Logger(label: "hoist-test")
        logger.logLevel = .warning
        let store = try SQLiteFlagStore(path: path, logger: logger)
        let engine = SnapshotEngine(
            store: store, logger: logger, clock: { Timestamp(microseconds: 0) }, observer: .recording(into: metrics))
        try await engine.loadAll()
        var api = HoistAPI(store: store, engine: engine, logger: logger, health: health, metrics: metrics)
        configure(&api, engine)
        let app = Application(responder: api.responder(), logger: logger)
        try await app.test(live ? .live : .router) { client in
            try await test(TestServer(client: client, engine: engine, databasePath: path, metrics: metrics))
        }
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> Reply {
        try await client.execute(
            uri: uri, method: method, headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Reply(
                status: response.status, headers: response.headers, body: String(buffer: response.body),
                bytes: Array(response.body.readableBytesView))
        }
    }

    /// Calls and requires a 200, returning the JSON body.
    @discardableResult
    func ok(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> JSONValue {
        let reply = try await call(method, uri, body)
        guard reply.status == .ok else {
            throw TestFailure("\(method) \(uri) → \(reply.status.code) \(reply.body)")
        }
        return reply.json
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    var string: String? { stringValue }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var double: Double? { if case .number(let d, _) = self { d } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var keys: [String] { objectMembers?.map(\.0) ?? [] }
}
