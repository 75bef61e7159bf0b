import HoistCore
import Hummingbird
import Testing

@Suite struct SmokeTests {
    @Test func createFlagAndEvaluate() async throws {
        try await TestServer.run { server in
            try await server.ok(.post, "/api/v1/namespaces/default/segments",
                #"{"key":"beta","name":"Beta","matchType":"ANY_MATCH_TYPE"}"#)
            try await server.ok(.post, "/api/v1/namespaces/default/segments/beta/constraints",
                #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"EQ","value":"pro"}"#)
            try await server.ok(.post, "/api/v1/namespaces/default/flags",
                #"{"key":"checkout","name":"Checkout","enabled":true}"#)
            let variant = try await server.ok(.post, "/api/v1/namespaces/default/flags/checkout/variants",
                #"{"key":"blue","attachment":"{ \"color\" : \"blue\" }"}"#)
            #expect(variant["attachment"]?.string == #"{"color":"blue"}"#)
            let rule = try await server.ok(.post, "/api/v1/namespaces/default/flags/checkout/rules",
                #"{"segmentKey":"beta","rank":1}"#)
            let ruleId = try #require(rule["id"]?.string)
            let variantId = try #require(variant["id"]?.string)
            try await server.ok(.post, "/api/v1/namespaces/default/flags/checkout/rules/\(ruleId)/distributions",
                #"{"variantId":"\#(variantId)","rollout":100}"#)

            let hit = try await server.ok(.post, "/evaluate/v1/variant",
                #"{"flagKey":"checkout","entityId":"u1","context":{"plan":"pro"}}"#)
            #expect(hit["match"]?.bool == true)
            #expect(hit["variantKey"]?.string == "blue")
            #expect(hit["reason"]?.string == "MATCH_EVALUATION_REASON")
            #expect(hit["segmentKeys"]?.array?.count == 1)

            let miss = try await server.ok(.post, "/evaluate/v1/variant",
                #"{"flagKey":"checkout","entityId":"u1","context":{"plan":"free"}}"#)
            #expect(miss["match"]?.bool == false)
            #expect(miss["reason"]?.string == "UNKNOWN_EVALUATION_REASON")
        }
    }

    @Test func unknownRouteAndWrongMethod() async throws {
        try await TestServer.run { server in
            let missing = try await server.call(.get, "/api/v1/nothing")
            #expect(missing.status == .notFound)
            #expect(missing.body == #"{"code":5,"message":"Not Found","details":[]}"#)
            let wrongMethod = try await server.call(.patch, "/api/v1/namespaces")
            #expect(wrongMethod.status.code == 501)
            #expect(wrongMethod.body == #"{"code":12,"message":"Method Not Allowed","details":[]}"#)
            let trailing = try await server.call(.get, "/api/v1/namespaces/")
            #expect(trailing.status == .ok)
        }
    }
}
