import HoistCore
import Hummingbird
import Testing

/// Deprecated `/api/v1/evaluate` and `/api/v1/batch-evaluate` (evaluation spec §2.5).
@Suite struct LegacyEvaluationAPITests {
    func seed(_ server: TestServer, ns: String = "default") async throws {
        let base = "/api/v1/namespaces/\(ns)"
        try await server.createSegment("pro", ns: ns)
        try await server.ok(.post, base + "/segments/pro/constraints",
            #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"eq","value":"pro"}"#)
        try await server.createFlag("v", ns: ns)
        let blue = try await server.createVariant("v", "blue", ns: ns, attachment: "[1]")
        let rule = try await server.createRule("v", segment: "pro", rank: 1, ns: ns)
        try await server.ok(.post, base + "/flags/v/rules/\(rule)/distributions", #"{"variantId":"\#(blue)","rollout":100}"#)
        try await server.createFlag("b", ns: ns, type: "BOOLEAN_FLAG_TYPE")
    }

    @Test func evaluateShape() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let r = try await server.ok(.post, "/api/v1/evaluate",
                #"{"flagKey":"v","entityId":"u1","context":{"plan":"pro","b":"x"},"requestId":"r"}"#)
            #expect(r.keys == [
                "requestId", "entityId", "requestContext", "match", "flagKey", "segmentKey", "timestamp", "value",
                "requestDurationMillis", "attachment", "reason", "namespaceKey", "segmentKeys",
            ])
            #expect(r["requestId"] == .string("r"))
            #expect(r["entityId"] == .string("u1"))
            #expect(r["requestContext"]?.compactText == #"{"b":"x","plan":"pro"}"#)
            #expect(r["match"] == .bool(true))
            #expect(r["segmentKey"] == .string("pro"))
            #expect(r["segmentKeys"] == .array([.string("pro")]))
            #expect(r["value"] == .string("blue"))
            #expect(r["attachment"] == .string("[1]"))
            #expect(r["reason"] == .string("MATCH_EVALUATION_REASON"))
            #expect(r["namespaceKey"] == .string(""), "echoes the request")
            #expect(isRFC3339(r["timestamp"]))

            let miss = try await server.ok(.post, "/api/v1/evaluate", #"{"flagKey":"v","entityId":"u1"}"#)
            #expect(miss["reason"] == .string("UNKNOWN_EVALUATION_REASON"))
            #expect(miss["requestContext"]?.compactText == "{}")
            #expect(miss["segmentKey"] == .string("") && miss["value"] == .string(""))
            #expect(isUUID(miss["requestId"]))
        }
    }

    @Test func evaluateErrorsAndNamespaces() async throws {
        try await TestServer.run { server in
            try await seed(server)
            try await server.createNamespace("prod")
            try await seed(server, ns: "prod")
            expectInvalid(try await server.call(.post, "/api/v1/evaluate", #"{"entityId":"u"}"#),
                "invalid field flagKey: must not be empty")
            expectInvalid(try await server.call(.post, "/api/v1/evaluate", #"{"flagKey":"v"}"#),
                "invalid field entityId: must not be empty")
            expectInvalid(try await server.call(.post, "/api/v1/evaluate", ""), "invalid field flagKey: must not be empty")
            expectInvalid(try await server.call(.post, "/api/v1/evaluate", #"{"flagKey":"b","entityId":"u"}"#),
                "flag type BOOLEAN_FLAG_TYPE invalid")
            expectNotFound(try await server.call(.post, "/api/v1/evaluate", #"{"flagKey":"nope","entityId":"u"}"#),
                #"flag "default/nope" not found"#)
            expectNotFound(try await server.call(.post, "/api/v1/evaluate",
                #"{"flagKey":"v","entityId":"u","namespaceKey":"ghost"}"#), #"flag "ghost/v" not found"#)

            let body = try await server.ok(.post, "/api/v1/evaluate",
                #"{"flagKey":"v","entityId":"u","namespaceKey":"prod","context":{"plan":"pro"}}"#)
            #expect(body["namespaceKey"] == .string("prod") && body["match"] == .bool(true))
            // The path namespace overrides the body's.
            let path = try await server.ok(.post, "/api/v1/namespaces/prod/evaluate",
                #"{"flagKey":"v","entityId":"u","namespaceKey":"default","context":{"plan":"pro"}}"#)
            #expect(path["namespaceKey"] == .string("prod"))
            expectNotFound(try await server.call(.post, "/api/v1/namespaces/ghost/evaluate", #"{"flagKey":"v","entityId":"u"}"#),
                #"flag "ghost/v" not found"#)
        }
    }

    @Test func batchEvaluate() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let body = #"""
                {"requestId":"batch","requests":[
                  {"flagKey":"v","entityId":"u","context":{"plan":"pro"},"requestId":"inner"},
                  {"flagKey":"v","entityId":"","namespaceKey":"default"}
                ]}
                """#
            let r = try await server.ok(.post, "/api/v1/batch-evaluate", body)
            #expect(r.keys == ["requestId", "responses", "requestDurationMillis"])
            #expect(r["requestId"] == .string("batch"))
            let responses = try #require(r["responses"]?.array)
            #expect(responses.count == 2)
            #expect(responses.allSatisfy { $0["requestId"] == .string("") }, "inner request ids are forced to \"\"")
            #expect(responses.allSatisfy { $0["requestDurationMillis"] == .number(0) })
            #expect(responses[0]["timestamp"] == responses[1]["timestamp"])
            #expect(responses[0]["value"] == .string("blue"))
            #expect(responses[0]["namespaceKey"] == .string("default"), "inherits the batch namespace")
            #expect(responses[1]["entityId"] == .string(""), "inner requests are not validated")

            let withMissing = #"{"requests":[{"flagKey":"nope","entityId":"u"},{"flagKey":"v","entityId":"u"}]"#
            expectNotFound(try await server.call(.post, "/api/v1/batch-evaluate", withMissing + "}"),
                #"flag "default/nope" not found"#)
            let excluded = try await server.ok(.post, "/api/v1/batch-evaluate", withMissing + #","excludeNotFound":true}"#)
            #expect(excluded["responses"]?.array?.map { $0["flagKey"] } == [.string("v")])
            let snake = try await server.ok(.post, "/api/v1/batch-evaluate", withMissing + #","exclude_not_found":true}"#)
            #expect(snake["responses"]?.array?.count == 1)
            #expect(isUUID(excluded["requestId"]))

            expectInvalid(try await server.call(.post, "/api/v1/batch-evaluate",
                #"{"requests":[{"flagKey":"v","entityId":"u","namespaceKey":"other"}]}"#),
                "invalid field namespace_key: must be the same for all requests if specified")
            expectInvalid(try await server.call(.post, "/api/v1/batch-evaluate",
                #"{"namespaceKey":"prod","requests":[{"flagKey":"v","entityId":"u","namespaceKey":"default"}]}"#),
                "invalid field namespace_key: must be the same for all requests if specified")
            expectInvalid(try await server.call(.post, "/api/v1/batch-evaluate",
                #"{"requests":[{"flagKey":"b","entityId":"u"}]}"#), "flag type BOOLEAN_FLAG_TYPE invalid")
            let empty = try await server.ok(.post, "/api/v1/batch-evaluate", "")
            #expect(empty["responses"] == .array([]))
        }
    }

    @Test func namespacedBatchEvaluate() async throws {
        try await TestServer.run { server in
            try await server.createNamespace("prod")
            try await seed(server, ns: "prod")
            let r = try await server.ok(.post, "/api/v1/namespaces/prod/batch-evaluate",
                #"{"namespaceKey":"default","requests":[{"flagKey":"v","entityId":"u","context":{"plan":"pro"}}]}"#)
            #expect(r["responses"]?.array?.first?["namespaceKey"] == .string("prod"))
            #expect(r["responses"]?.array?.first?["match"] == .bool(true))
            let body = try await server.ok(.post, "/api/v1/batch-evaluate",
                #"{"namespaceKey":"prod","requests":[{"flagKey":"v","entityId":"u","namespaceKey":"prod"}]}"#)
            #expect(body["responses"]?.array?.count == 1)
        }
    }
}
