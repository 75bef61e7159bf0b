import HoistCore
import Hummingbird
import Testing

/// `/evaluate/v1/variant`, `/boolean` and `/batch` (evaluation spec §2.1–§2.4, §3.5).
@Suite struct EvaluationAPITests {
    let ns = "/api/v1/namespaces/default"

    /// A variant flag `v` (rule on segment `pro` → 100% `blue`, default variant `red`), a boolean flag `b`
    /// (segment rollout on `pro` → true) and a disabled variant flag `off`.
    func seed(_ server: TestServer) async throws {
        try await server.createSegment("pro")
        try await server.ok(.post, ns + "/segments/pro/constraints",
            #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"eq","value":"pro"}"#)
        try await server.createFlag("v")
        let blue = try await server.createVariant("v", "blue", attachment: #"{"c":"b"}"#)
        let red = try await server.createVariant("v", "red")
        let rule = try await server.createRule("v", segment: "pro", rank: 1)
        try await server.ok(.post, ns + "/flags/v/rules/\(rule)/distributions", #"{"variantId":"\#(blue)","rollout":100}"#)
        try await server.ok(.put, ns + "/flags/v", #"{"name":"v","enabled":true,"defaultVariantId":"\#(red)"}"#)
        try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE", enabled: false)
        try await server.ok(.post, ns + "/flags/b/rollouts", #"{"rank":1,"segment":{"segmentKey":"pro","value":true}}"#)
        try await server.createFlag("off", enabled: false)
    }

    @Test func variantShapesAndOutcomes() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let hit = try await server.ok(.post, "/evaluate/v1/variant",
                #"{"flagKey":"v","entityId":"u1","context":{"plan":"pro"},"requestId":"r-1"}"#)
            #expect(hit.keys == [
                "match", "segmentKeys", "reason", "variantKey", "variantAttachment", "requestId",
                "requestDurationMillis", "timestamp", "flagKey",
            ])
            #expect(hit["match"] == .bool(true))
            #expect(hit["segmentKeys"] == .array([.string("pro")]))
            #expect(hit["reason"] == .string("MATCH_EVALUATION_REASON"))
            #expect(hit["variantKey"] == .string("blue"))
            #expect(hit["variantAttachment"] == .string(#"{"c":"b"}"#))
            #expect(hit["requestId"] == .string("r-1"))
            #expect(hit["flagKey"] == .string("v"))
            #expect(isRFC3339(hit["timestamp"]))
            #expect((hit["requestDurationMillis"]?.double ?? -1) >= 0)

            let miss = try await server.ok(.post, "/evaluate/v1/variant", #"{"flag_key":"v","entity_id":"u1"}"#)
            #expect(miss["match"] == .bool(false))
            #expect(miss["reason"] == .string("DEFAULT_EVALUATION_REASON"))
            #expect(miss["variantKey"] == .string("red"))
            #expect(miss["segmentKeys"] == .array([]))
            #expect(isUUID(miss["requestId"]), "a request id is generated when empty")

            let off = try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"off","entityId":"u1"}"#)
            #expect(off["reason"] == .string("FLAG_DISABLED_EVALUATION_REASON"))
            #expect(off["match"] == .bool(false) && off["variantKey"] == .string(""))

            // Attachments are evaluated compacted, whatever whitespace was stored.
            try await server.createFlag("w")
            let spaced = try await server.createVariant("w", "s", attachment: #"{ "a" : [1, 2] }"#)
            try await server.ok(.put, ns + "/flags/w", #"{"name":"w","enabled":true,"defaultVariantId":"\#(spaced)"}"#)
            let compacted = try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"w","entityId":"u1"}"#)
            #expect(compacted["variantAttachment"] == .string(#"{"a":[1,2]}"#))

            // Empty entityId is allowed; null context values read as "".
            let empty = try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"v","context":{"plan":null}}"#)
            #expect(empty["reason"] == .string("DEFAULT_EVALUATION_REASON"))
        }
    }

    @Test func booleanShapesAndOutcomes() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let hit = try await server.ok(.post, "/evaluate/v1/boolean",
                #"{"flagKey":"b","entityId":"u1","context":{"plan":"pro"}}"#)
            #expect(hit.keys == ["enabled", "reason", "requestId", "requestDurationMillis", "timestamp", "flagKey", "segmentKeys"])
            #expect(hit["enabled"] == .bool(true))
            #expect(hit["reason"] == .string("MATCH_EVALUATION_REASON"))
            #expect(hit["segmentKeys"] == .array([.string("pro")]))
            let fallback = try await server.ok(.post, "/evaluate/v1/boolean", #"{"flagKey":"b","entityId":"u1"}"#)
            #expect(fallback["enabled"] == .bool(false), "falls back to flag.enabled")
            #expect(fallback["reason"] == .string("DEFAULT_EVALUATION_REASON"))
            #expect(fallback["segmentKeys"] == .array([]))
        }
    }

    @Test func errors() async throws {
        try await TestServer.run { server in
            try await seed(server)
            expectInvalid(try await server.call(.post, "/evaluate/v1/variant", #"{"flagKey":"b","entityId":"u"}"#),
                "flag type BOOLEAN_FLAG_TYPE invalid")
            expectInvalid(try await server.call(.post, "/evaluate/v1/boolean", #"{"flagKey":"v","entityId":"u"}"#),
                "flag type VARIANT_FLAG_TYPE invalid")
            for path in ["/evaluate/v1/variant", "/evaluate/v1/boolean"] {
                expectNotFound(try await server.call(.post, path, #"{"flagKey":"nope","entityId":"u"}"#),
                    #"flag "default/nope" not found"#)
                expectNotFound(try await server.call(.post, path, #"{"flagKey":"v","namespaceKey":"ghost"}"#),
                    #"flag "ghost/v" not found"#)
                expectNotFound(try await server.call(.post, path, ""), #"flag "default/" not found"#)
                expectInvalid(try await server.call(.post, path, #"{"flagKey":"v","context":{"n":1}}"#),
                    "invalid values for key(s) in json body")
                expectInvalid(try await server.call(.post, path, #"{"flagKey":"v","context":{"n":{"x":"y"}}}"#),
                    "invalid values for key(s) in json body")
                expectInvalid(try await server.call(.post, path, #"{"flagKey":"v","context":"plan=pro"}"#),
                    "invalid values for key(s) in json body")
                expectInvalid(try await server.call(.post, path, #"{"flagKey":7}"#), "invalid values for key(s) in json body")
                expectBadRequest(try await server.call(.post, path, #"{"flagKey":"v""#))
                expectBadRequest(try await server.call(.post, path, #"["v"]"#))
            }
            // The JSON name wins over the proto name, whatever the order.
            let both = try await server.ok(.post, "/evaluate/v1/variant",
                #"{"flag_key":"nope","flagKey":"v","entity_id":"x","entityId":"u"}"#)
            #expect(both["flagKey"] == .string("v"))
            let reversed = try await server.ok(.post, "/evaluate/v1/variant",
                #"{"flagKey":"v","flag_key":"nope","entityId":"u","namespaceKey":null}"#)
            #expect(reversed["flagKey"] == .string("v"))
            let nulled = try await server.ok(.post, "/evaluate/v1/variant",
                #"{"namespace_key":"ghost","namespaceKey":null,"flagKey":"v","entityId":"u"}"#)
            #expect(nulled["flagKey"] == .string("v"), "a null JSON name unsets the field")
            let legacy = try await server.ok(.post, "/api/v1/batch-evaluate",
                #"{"exclude_not_found":true,"excludeNotFound":null,"requests":[{"flagKey":"v","entityId":"u"}]}"#)
            #expect(legacy["responses"]?.array?.count == 1)
        }
    }

    @Test func batch() async throws {
        try await TestServer.run { server in
            try await seed(server)
            try await server.createNamespace("other")
            try await server.createFlag("x", ns: "other", type: "BOOLEAN_FLAG_TYPE")
            let body = #"""
                {"requests":[
                  {"flagKey":"b","entityId":"u","context":{"plan":"pro"},"requestId":"inner-1"},
                  {"flagKey":"nope","entityId":"u"},
                  {"flagKey":"v","entityId":"u","context":{"plan":"pro"}},
                  {"flagKey":"x","entityId":"u","namespaceKey":"other"},
                  {"flagKey":"v","entityId":"u","namespaceKey":"ghost"}
                ]}
                """#
            let reply = try await server.ok(.post, "/evaluate/v1/batch", body)
            #expect(reply.keys == ["requestId", "responses", "requestDurationMillis"])
            #expect(isUUID(reply["requestId"]))
            let responses = try #require(reply["responses"]?.array)
            #expect(responses.count == 5)
            #expect(responses.map { $0["type"]?.string ?? "" } == [
                "BOOLEAN_EVALUATION_RESPONSE_TYPE", "ERROR_EVALUATION_RESPONSE_TYPE", "VARIANT_EVALUATION_RESPONSE_TYPE",
                "BOOLEAN_EVALUATION_RESPONSE_TYPE", "ERROR_EVALUATION_RESPONSE_TYPE",
            ])
            #expect(responses.map(\.keys) == [
                ["type", "booleanResponse"], ["type", "errorResponse"], ["type", "variantResponse"],
                ["type", "booleanResponse"], ["type", "errorResponse"],
            ])
            #expect(responses[1]["errorResponse"]?.compactText
                == #"{"flagKey":"nope","namespaceKey":"","reason":"NOT_FOUND_ERROR_EVALUATION_REASON"}"#)
            #expect(responses[4]["errorResponse"]?.compactText
                == #"{"flagKey":"v","namespaceKey":"ghost","reason":"NOT_FOUND_ERROR_EVALUATION_REASON"}"#)
            let boolean = try #require(responses[0]["booleanResponse"])
            let variant = try #require(responses[2]["variantResponse"])
            #expect(boolean["requestId"] == .string("inner-1"))
            #expect(variant["requestId"] == .string(""), "no id is generated for inner responses")
            #expect(variant["variantKey"] == .string("blue"))
            #expect(boolean["timestamp"] == variant["timestamp"], "one shared end timestamp")
            #expect(isRFC3339(boolean["timestamp"]))
            #expect(boolean["requestDurationMillis"] == reply["requestDurationMillis"])
            #expect(variant["requestDurationMillis"] == reply["requestDurationMillis"])
            #expect(responses[3]["booleanResponse"]?["enabled"] == .bool(true), "x is enabled, no rollouts")
            #expect(responses[3]["booleanResponse"]?["reason"] == .string("DEFAULT_EVALUATION_REASON"))

            let given = try await server.ok(.post, "/evaluate/v1/batch", #"{"request_id":"top","requests":[]}"#)
            #expect(given["requestId"] == .string("top"))
            #expect(given["responses"] == .array([]))
            let empty = try await server.ok(.post, "/evaluate/v1/batch", "")
            #expect(empty["responses"] == .array([]))
            expectInvalid(try await server.call(.post, "/evaluate/v1/batch", #"{"requests":{}}"#),
                "invalid values for key(s) in json body")
            expectInvalid(try await server.call(.post, "/evaluate/v1/batch", #"{"requests":["v"]}"#),
                "invalid values for key(s) in json body")
            expectInvalid(try await server.call(.post, "/evaluate/v1/batch",
                #"{"requests":[{"flagKey":"v","context":{"a":true}}]}"#), "invalid values for key(s) in json body")
        }
    }

    @Test func evaluationReflectsWritesImmediately() async throws {
        try await TestServer.run { server in
            let variant = #"{"flagKey":"f","entityId":"u","context":{"plan":"pro"}}"#
            expectNotFound(try await server.call(.post, "/evaluate/v1/variant", variant), #"flag "default/f" not found"#)
            try await server.createFlag("f", enabled: false)
            #expect(try await server.ok(.post, "/evaluate/v1/variant", variant)["reason"]
                == .string("FLAG_DISABLED_EVALUATION_REASON"))
            try await server.ok(.put, ns + "/flags/f", #"{"name":"f","enabled":true}"#)
            #expect(try await server.ok(.post, "/evaluate/v1/variant", variant)["reason"] == .string("UNKNOWN_EVALUATION_REASON"))
            try await server.createSegment("s")
            let constraint = try await server.ok(.post, ns + "/segments/s/constraints",
                #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"eq","value":"free"}"#)
            let vid = try await server.createVariant("f", "on")
            let rule = try await server.createRule("f", segment: "s", rank: 1)
            try await server.ok(.post, ns + "/flags/f/rules/\(rule)/distributions", #"{"variantId":"\#(vid)","rollout":100}"#)
            #expect(try await server.ok(.post, "/evaluate/v1/variant", variant)["match"] == .bool(false))
            try await server.ok(.put, ns + "/segments/s/constraints/\(try #require(constraint["id"]?.string))",
                #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"eq","value":"pro"}"#)
            let now = try await server.ok(.post, "/evaluate/v1/variant", variant)
            #expect(now["match"] == .bool(true) && now["variantKey"] == .string("on"))
            try await server.ok(.put, ns + "/flags/f/variants/\(vid)", #"{"key":"renamed"}"#)
            #expect(try await server.ok(.post, "/evaluate/v1/variant", variant)["variantKey"] == .string("renamed"))
            try await server.call(.delete, ns + "/flags/f/rules/\(rule)")
            #expect(try await server.ok(.post, "/evaluate/v1/variant", variant)["match"] == .bool(false))
            try await server.call(.delete, ns + "/flags/f")
            expectNotFound(try await server.call(.post, "/evaluate/v1/variant", variant), #"flag "default/f" not found"#)

            // Namespaces: a new one is evaluable at once, a deleted one is gone.
            try await server.createNamespace("late")
            try await server.createFlag("g", ns: "late", type: "BOOLEAN_FLAG_TYPE", enabled: true)
            let boolean = #"{"flagKey":"g","entityId":"u","namespaceKey":"late"}"#
            #expect(try await server.ok(.post, "/evaluate/v1/boolean", boolean)["enabled"] == .bool(true))
            try await server.createThreshold("g", rank: 1, percentage: 100, value: false, ns: "late")
            #expect(try await server.ok(.post, "/evaluate/v1/boolean", boolean)["enabled"] == .bool(false))
            try await server.call(.delete, "/api/v1/namespaces/late?force=true")
            expectNotFound(try await server.call(.post, "/evaluate/v1/boolean", boolean), #"flag "late/g" not found"#)
        }
    }
}
