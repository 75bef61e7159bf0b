import Foundation
import HoistAPI
import HoistCore
import HoistEngine
import HoistObservability
import HoistStorageSQLite
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A clock the test moves by hand (Unix seconds).
final class TestSeconds: Sendable {
    let value: Atomic<Int64>
    init(_ start: Int64) { value = Atomic(start) }
    func set(_ seconds: Int64) { value.store(seconds, ordering: .relaxed) }
    @Sendable func now() -> Int64 { value.load(ordering: .relaxed) }
}

/// A server with the built-in analytics on, over the SQLite file at `path`, with the test's clock.
struct AnalyticsServer {
    let server: TestServer
    let flusher: EvaluationCountFlusher

    static func run(
        path: String, clock: TestSeconds, counting: Bool = true,
        _ test: @escaping @Sendable (AnalyticsServer) async throws -> Void
    ) async throws {
        var logger = Logger(label: "hoist-test")
        logger.logLevel = .warning
        let store = try SQLiteFlagStore(path: path, logger: logger)
        let metrics = HoistMetrics()
        let engine = SnapshotEngine(
            store: store, logger: logger, clock: { Timestamp(microseconds: 0) }, observer: .recording(into: metrics))
        try await engine.loadAll()
        let counter = EvaluationCounter(clock: clock.now)
        var api = HoistAPI(store: store, engine: engine, logger: logger, metrics: metrics)
        if counting { api.evaluationCounter = counter }
        api.analyticsSource = StoredEvaluationCounts(store: store, counter: counter)
        let flusher = EvaluationCountFlusher(
            counter: counter, store: store, flushPeriod: .seconds(3600), retention: .zero, logger: logger)
        let app = Application(responder: api.responder(), logger: logger)
        try await app.test(.router) { client in
            let server = TestServer(client: client, engine: engine, databasePath: path, metrics: metrics)
            try await test(AnalyticsServer(server: server, flusher: flusher))
        }
    }
}

@Suite struct AnalyticsAPITests {
    /// 2024-01-01T12:00:00Z.
    static let noon: Int64 = 1_704_110_400
    static let window = "/internal/v1/analytics/namespaces/default/flags/checkout?from=2024-01-01T11:58:00Z&to=2024-01-01T12:03:00Z"
    static let minutes = ["11:58", "11:59", "12:00", "12:01", "12:02", "12:03"].map { "2024-01-01T\($0):00Z" }

    func temporaryDatabase() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hoist-analytics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("hoist.db").path)
    }

    func counts(_ server: TestServer, _ uri: String = window) async throws -> (timestamps: [String], values: [Double]) {
        let json = try await server.ok(.get, uri)
        #expect(json.keys == ["timestamps", "values"])
        return (json["timestamps"]?.array?.compactMap(\.string) ?? [], json["values"]?.array?.compactMap(\.double) ?? [])
    }

    @Test func evaluationsAcrossTwoMinutesLandInTheirBucketsAndSurviveARestart() async throws {
        let (directory, path) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestSeconds(Self.noon + 10)
        try await AnalyticsServer.run(path: path, clock: clock) { a in
            let s = a.server
            try await s.createFlag("checkout")
            _ = try await s.createVariant("checkout", "blue")
            try await s.createFlag("dark", type: "BOOLEAN_FLAG_TYPE")
            let variant = #"{"flagKey":"checkout","entityId":"u1"}"#
            for _ in 0..<3 { try await s.ok(.post, "/evaluate/v1/variant", variant) }
            try await s.ok(.post, "/evaluate/v1/boolean", #"{"flagKey":"dark","entityId":"u1"}"#)
            clock.set(Self.noon + 70)
            for _ in 0..<2 { try await s.ok(.post, "/evaluate/v1/variant", variant) }
            try await s.ok(.post, "/evaluate/v1/batch", #"{"requests":[\#(variant),{"flagKey":"dark","entityId":"u2"}]}"#)
            try await s.ok(.post, "/api/v1/evaluate", variant)
            // Not counted: a missing flag, and a flag of the other type (as Flipt's metrics).
            #expect(try await s.call(.post, "/evaluate/v1/variant", #"{"flagKey":"nope","entityId":"u1"}"#).status == .notFound)
            #expect(try await s.call(.post, "/evaluate/v1/boolean", variant).status == .badRequest)

            // Before any flush the answer comes from memory.
            let live = try await counts(s)
            #expect(live.timestamps == Self.minutes)
            #expect(live.values == [0, 0, 3, 4, 0, 0])
            #expect(await a.flusher.flush())
            #expect(try await counts(s).values == [0, 0, 3, 4, 0, 0])
            let dark = try await counts(s, Self.window.replacingOccurrences(of: "/checkout?", with: "/dark?"))
            #expect(dark.values == [0, 0, 1, 1, 0, 0])
        }
        // A new process on the same database: nothing in memory, the counts are read back.
        try await AnalyticsServer.run(path: path, clock: TestSeconds(Self.noon + 3600)) { a in
            let after = try await counts(a.server)
            #expect(after.timestamps == Self.minutes)
            #expect(after.values == [0, 0, 3, 4, 0, 0])
            // 24 h or more: 30-minute buckets, the one holding `from` to the one holding `to`.
            let day = try await counts(
                a.server,
                "/internal/v1/analytics/namespaces/default/flags/checkout?from=2024-01-01%2000:10:00&to=2024-01-02T00:10:00Z")
            #expect(day.timestamps.count == 49)
            #expect(day.timestamps.first == "2024-01-01T00:00:00Z")
            #expect(day.timestamps[24] == "2024-01-01T12:00:00Z")
            #expect(day.values[24] == 7)
            #expect(day.values.reduce(0, +) == 7)
        }
    }

    @Test func countsAreAddedToWhatTheDatabaseHolds() async throws {
        let (directory, path) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestSeconds(Self.noon + 1)
        for round in 1...2 {
            try await AnalyticsServer.run(path: path, clock: clock) { a in
                if round == 1 {
                    try await a.server.createFlag("checkout")
                }
                try await a.server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"checkout","entityId":"u"}"#)
                #expect(await a.flusher.flush())
                #expect(try await counts(a.server).values == [0, 0, Double(round), 0, 0, 0])
            }
        }
    }

    @Test func badRangesAre400AndNoSourceIs404() async throws {
        let (directory, path) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await AnalyticsServer.run(path: path, clock: TestSeconds(Self.noon)) { a in
            let base = "/internal/v1/analytics/namespaces/default/flags/checkout"
            expectInvalid(
                try await a.server.call(.get, base + "?to=2024-01-01T00:00:00Z"),
                "from is required (RFC 3339 or YYYY-MM-DD HH:MM:SS)")
            expectInvalid(
                try await a.server.call(.get, base + "?from=2024-01-01T00:00:00Z&to=tomorrow"),
                "to is not a valid time (RFC 3339 or YYYY-MM-DD HH:MM:SS): tomorrow")
            expectInvalid(
                try await a.server.call(.get, base + "?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z"),
                "to must not be before from")
        }
        try await TestServer.run { s in
            expectNotFound(
                try await s.call(.get, "/internal/v1/analytics/namespaces/default/flags/f?from=2024-01-01T00:00:00Z&to=2024-01-01T00:00:00Z"),
                "analytics is not enabled")
        }
    }
}
