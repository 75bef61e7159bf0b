import HoistAPI
import HoistCore
import HoistEngine
import HoistObservability
import HTTPTypes
import Hummingbird
import Logging
import Testing

/// Decision logs (spec observability §7.5) through the API: every evaluation API leaves one record
/// per evaluated flag in the buffer, with the request's id, client and snapshot revision; the
/// status snapshot is served at `GET /api/v1/status`.
@Suite struct DecisionLogAPITests {
    let ns = "/api/v1/namespaces/default"

    func seed(_ server: TestServer) async throws {
        try await server.createSegment("all")
        try await server.createFlag("v")
        let blue = try await server.createVariant("v", "blue")
        let rule = try await server.createRule("v", segment: "all", rank: 1)
        try await server.ok(.post, ns + "/flags/v/rules/\(rule)/distributions", #"{"variantId":"\#(blue)","rollout":100}"#)
        try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE", enabled: true)
    }

    @Test func everyEvaluationAPIRecordsOneDecisionPerFlag() async throws {
        let buffer = DecisionLogBuffer(limit: 100)
        try await TestServer.run(configure: { api, _ in api.decisionLog = buffer }) { server in
            try await seed(server)
            let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7, 10.0.0.1"]
            _ = try await server.call(
                .post, "/evaluate/v1/variant",
                #"{"flagKey":"v","entityId":"u1","context":{"email":"a@b.c"},"requestId":"r-variant"}"#, headers: headers)
            _ = try await server.call(
                .post, "/evaluate/v1/boolean", #"{"flagKey":"b","entityId":"u2","requestId":"r-bool"}"#, headers: headers)
            _ = try await server.call(
                .post, "/evaluate/v1/batch",
                #"{"requestId":"r-batch","requests":[{"flagKey":"v","entityId":"u3"},{"flagKey":"b","entityId":"u3"},{"flagKey":"missing","entityId":"u3"}]}"#,
                headers: headers)
            _ = try await server.call(.post, "/api/v1/evaluate", #"{"flagKey":"v","entityId":"u4","requestId":"r-legacy"}"#)
            _ = try await server.call(
                .post, "/ofrep/v1/evaluate/flags/b", #"{"context":{"targetingKey":"u6"}}"#, headers: headers)
            // An unknown flag is an error, not a decision.
            _ = try await server.call(.post, "/evaluate/v1/variant", #"{"flagKey":"nope","entityId":"u5"}"#)

            let records = buffer.take(upTo: 100)
            #expect(records.prefix(5).map(\.decisionID) == ["r-variant", "r-bool", "r-batch", "r-batch", "r-legacy"])
            #expect(records.map(\.flagKey) == ["v", "b", "v", "b", "v", "b"])
            #expect(records.map(\.entityID) == ["u1", "u2", "u3", "u3", "u4", "u6"])
            #expect(records.map(\.requestedBy) == ["203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.7", "", "203.0.113.7"])
            // OFREP requests carry no request id: each decision gets a fresh one.
            #expect(records[5].decisionID.count == 36)
            #expect(records[0].outcome == .variant(match: true, reason: .match, variantKey: "blue", segmentKeys: ["all"]))
            #expect(records[1].outcome == .boolean(enabled: true, reason: .default, segmentKeys: []))
            #expect(records[0].context == ["email": "a@b.c"])
            let version = try #require(server.engine.snapshot(for: "default")?.version)
            #expect(!version.isEmpty && records.allSatisfy { $0.snapshotVersion == version && $0.namespace == "default" })
            #expect(records.allSatisfy { $0.traceID == nil })
            #expect(buffer.counts.recorded == 6)
        }
    }

    @Test func statusEndpointServesTheSnapshot() async throws {
        let health = HealthRegistry()
        health.register("storage") { .ok }
        health.register("audit.webhook", requiredForReadiness: false) { ComponentStatus(.warn, "backlog") }
        try await TestServer.run(
            health: health,
            configure: { api, engine in
                api.status = StatusReporter(
                    options: .init(serviceURL: nil, partition: "", console: false, interval: .seconds(60), watchInterval: .seconds(1)),
                    sources: .init(
                        health: health,
                        namespaces: {
                            engine.allSnapshots.values.map {
                                SnapshotStatus(namespace: $0.namespaceKey, revision: $0.etag, builtAtSeconds: 1, flagCount: $0.flagCount)
                            }
                        },
                        decisionLogs: nil, registry: nil, labels: { [("id", "instance-1"), ("version", "0.1.0"), ("region", "eu")] }),
                    poster: nil, logger: Logger(label: "test"), clock: { Timestamp(microseconds: 0) })
            }
        ) { server in
            try await seed(server)
            let reply = try await server.ok(.get, "/api/v1/status")
            let result = try #require(reply["result"])
            #expect(result["labels"]?.keys == ["id", "version", "region"])
            #expect(result["labels"]?["region"]?.string == "eu")
            #expect(result["plugins"]?["storage"]?["state"]?.string == "OK")
            #expect(result["plugins"]?["audit.webhook"]?["message"]?.string == "backlog")
            let etag = try #require(server.engine.snapshot(for: "default")?.etag)
            #expect(result["namespaces"]?["default"]?["active_revision"]?.string == etag)
            #expect(result["namespaces"]?["default"]?["flags"]?.double == 2)
            #expect(result["trigger"]?.string == "pull")
            #expect(result["decision_logs"] == nil)
        }
        try await TestServer.run { server in
            let reply = try await server.call(.get, "/api/v1/status")
            #expect(reply.status == .notFound)
        }
    }
}
