import HoistCore
import Hummingbird
import Testing

/// The non-namespaced `/api/v1/flags…` and `/api/v1/segments…` paths (spec §3.2).
@Suite struct LegacyPathAPITests {
    @Test func flagsDefaultToDefaultNamespace() async throws {
        try await TestServer.run { server in
            let created = try await server.ok(.post, "/api/v1/flags", #"{"key":"f","name":"F"}"#)
            #expect(created["namespaceKey"] == .string("default"))
            #expect(try await server.ok(.get, "/api/v1/namespaces/default/flags/f") == created)
            #expect(try await server.ok(.get, "/api/v1/flags/f") == created)
            #expect(try await server.count("/api/v1/flags") == 1)
            let updated = try await server.ok(.put, "/api/v1/flags/f", #"{"name":"F2","enabled":true}"#)
            #expect(updated["name"] == .string("F2"))
            expectEmptyOK(try await server.call(.delete, "/api/v1/flags/f"))
            expectNotFound(try await server.call(.get, "/api/v1/flags/f"), #"flag "default/f" not found"#)
        }
    }

    @Test func namespaceFromBodyOrQuery() async throws {
        try await TestServer.run { server in
            try await server.createNamespace("prod")
            let created = try await server.ok(.post, "/api/v1/flags", #"{"key":"f","name":"F","namespaceKey":"prod"}"#)
            #expect(created["namespaceKey"] == .string("prod"))
            let snake = try await server.ok(.post, "/api/v1/flags", #"{"key":"g","name":"G","namespace_key":"prod"}"#)
            #expect(snake["namespaceKey"] == .string("prod"))
            expectNotFound(try await server.call(.post, "/api/v1/flags", #"{"key":"h","name":"H","namespaceKey":"ghost"}"#),
                #"namespace "ghost" not found"#)

            #expect(try await server.count("/api/v1/flags?namespaceKey=prod") == 2)
            #expect(try await server.count("/api/v1/flags?namespace_key=prod") == 2)
            #expect(try await server.count("/api/v1/flags") == 0)
            #expect(try await server.ok(.get, "/api/v1/flags/f?namespaceKey=prod")["key"] == .string("f"))
            expectNotFound(try await server.call(.get, "/api/v1/flags/f"), #"flag "default/f" not found"#)

            let updated = try await server.ok(.put, "/api/v1/flags/f", #"{"name":"F2","namespaceKey":"prod"}"#)
            #expect(updated["namespaceKey"] == .string("prod"))
            #expect(updated["name"] == .string("F2"))
            expectNotFound(try await server.call(.put, "/api/v1/flags/f", #"{"name":"F2"}"#), #"flag "default/f" not found"#)

            expectEmptyOK(try await server.call(.delete, "/api/v1/flags/f"))
            #expect(try await server.count("/api/v1/flags?namespaceKey=prod") == 2, "default-namespace delete is a no-op")
            expectEmptyOK(try await server.call(.delete, "/api/v1/flags/f?namespaceKey=prod"))
            #expect(try await server.count("/api/v1/flags?namespaceKey=prod") == 1)
        }
    }

    @Test func variantsRulesDistributions() async throws {
        try await TestServer.run { server in
            try await server.createNamespace("prod")
            try await server.createFlag("f", ns: "prod")
            try await server.createSegment("s", ns: "prod")
            let v = try await server.ok(.post, "/api/v1/flags/f/variants", #"{"key":"v","namespaceKey":"prod"}"#)
            #expect(v["namespaceKey"] == .string("prod"))
            let vid = try #require(v["id"]?.string)
            let v2 = try await server.ok(.put, "/api/v1/flags/f/variants/\(vid)", #"{"key":"v2","namespaceKey":"prod"}"#)
            #expect(v2["key"] == .string("v2"))

            let r1 = try await server.ok(.post, "/api/v1/flags/f/rules", #"{"segmentKey":"s","rank":1,"namespaceKey":"prod"}"#)
            let r2 = try await server.ok(.post, "/api/v1/flags/f/rules", #"{"segmentKey":"s","rank":2,"namespaceKey":"prod"}"#)
            let id1 = try #require(r1["id"]?.string), id2 = try #require(r2["id"]?.string)
            #expect(r1["namespaceKey"] == .string("prod"))
            #expect(try await server.count("/api/v1/flags/f/rules?namespaceKey=prod") == 2)
            #expect(try await server.ok(.get, "/api/v1/flags/f/rules/\(id1)?namespaceKey=prod")["id"] == .string(id1))
            let ru = try await server.ok(.put, "/api/v1/flags/f/rules/\(id1)",
                #"{"segmentKeys":["s"],"namespaceKey":"prod"}"#)
            #expect(ru["segmentKey"] == .string("s"))
            expectEmptyOK(try await server.call(.put, "/api/v1/flags/f/rules/order",
                #"{"ruleIds":["\#(id2)","\#(id1)"],"namespaceKey":"prod"}"#))
            #expect(try await server.ok(.get, "/api/v1/namespaces/prod/flags/f/rules/\(id2)")["rank"] == .number(1))

            let dist = "/api/v1/flags/f/rules/\(id1)/distributions"
            let d = try await server.ok(.post, dist, #"{"variantId":"\#(vid)","rollout":100,"namespaceKey":"prod"}"#)
            let did = try #require(d["id"]?.string)
            try await server.ok(.put, dist + "/\(did)", #"{"variantId":"\#(vid)","rollout":50,"namespaceKey":"prod"}"#)
            expectEmptyOK(try await server.call(.delete, dist + "/\(did)?variantId=\(vid)&namespaceKey=prod"))
            #expect(try await server.ok(.get, "/api/v1/namespaces/prod/flags/f/rules/\(id1)")["distributions"] == .array([]))

            expectEmptyOK(try await server.call(.delete, "/api/v1/flags/f/rules/\(id1)?namespaceKey=prod"))
            expectEmptyOK(try await server.call(.delete, "/api/v1/flags/f/variants/\(vid)?namespaceKey=prod"))
            #expect(try await server.count("/api/v1/namespaces/prod/flags/f/rules") == 1)
            #expect(try await server.ok(.get, "/api/v1/namespaces/prod/flags/f")["variants"] == .array([]))
        }
    }

    @Test func segmentsAndConstraints() async throws {
        try await TestServer.run { server in
            try await server.createNamespace("prod")
            let s = try await server.ok(.post, "/api/v1/segments", #"{"key":"s","name":"S","namespaceKey":"prod"}"#)
            #expect(s["namespaceKey"] == .string("prod"))
            try await server.ok(.post, "/api/v1/segments", #"{"key":"d","name":"D"}"#)
            #expect(try await server.count("/api/v1/segments?namespaceKey=prod") == 1)
            #expect(try await server.count("/api/v1/segments") == 1)
            #expect(try await server.ok(.get, "/api/v1/segments/s?namespaceKey=prod")["key"] == .string("s"))
            try await server.ok(.put, "/api/v1/segments/s", #"{"name":"S2","namespaceKey":"prod"}"#)

            let c = try await server.ok(.post, "/api/v1/segments/s/constraints",
                #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq","value":"v","namespaceKey":"prod"}"#)
            let cid = try #require(c["id"]?.string)
            #expect(c["namespaceKey"] == .string("prod"))
            let cu = try await server.ok(.put, "/api/v1/segments/s/constraints/\(cid)",
                #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"neq","value":"w","namespaceKey":"prod"}"#)
            #expect(cu["operator"] == .string("neq"))
            expectEmptyOK(try await server.call(.delete, "/api/v1/segments/s/constraints/\(cid)?namespaceKey=prod"))
            #expect(try await server.ok(.get, "/api/v1/namespaces/prod/segments/s")["constraints"] == .array([]))
            expectEmptyOK(try await server.call(.delete, "/api/v1/segments/s?namespaceKey=prod"))
            #expect(try await server.count("/api/v1/namespaces/prod/segments") == 0)
        }
    }

    @Test func noLegacyRolloutOrNamespacePaths() async throws {
        try await TestServer.run { server in
            try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE")
            let rollouts = try await server.call(.get, "/api/v1/flags/b/rollouts")
            #expect(rollouts.status == .notFound)
            #expect(rollouts.body == errorBody(5, "Not Found"))
            #expect(try await server.call(.post, "/api/v1/flags/b/rollouts", "{}").status == .notFound)
            #expect(try await server.call(.put, "/api/v1/flags/b/rollouts/order", "{}").status == .notFound)
        }
    }
}
