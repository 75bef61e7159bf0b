import HoistCore
import Hummingbird
import Testing

@Suite struct RuleAPITests {
    let flag = "/api/v1/namespaces/default/flags/f"

    func setUp(_ server: TestServer) async throws {
        try await server.createFlag("f")
        for key in ["a", "b", "c"] { try await server.createSegment(key) }
    }

    @Test func createShapes() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let single = try await server.ok(.post, flag + "/rules",
                #"{"segmentKey":"a","rank":1,"segmentOperator":"AND_SEGMENT_OPERATOR"}"#)
            #expect(single.keys == [
                "id", "flagKey", "segmentKey", "distributions", "rank", "createdAt", "updatedAt", "namespaceKey",
                "segmentKeys", "segmentOperator",
            ])
            #expect(isUUID(single["id"]))
            #expect(single["segmentKey"] == .string("a"))
            #expect(single["segmentKeys"] == .array([]))
            #expect(single["segmentOperator"] == .string("OR_SEGMENT_OPERATOR"), "forced OR for one segment")
            #expect(single["distributions"] == .array([]))
            #expect(single["rank"] == .number(1))

            let multi = try await server.ok(.post, flag + "/rules",
                #"{"segmentKeys":["b","a","b"],"rank":2,"segmentOperator":"AND_SEGMENT_OPERATOR"}"#)
            #expect(multi["segmentKey"] == .string(""))
            #expect(Set(multi["segmentKeys"]?.array ?? []) == [.string("a"), .string("b")], "de-duplicated")
            #expect(multi["segmentKeys"]?.array?.count == 2)
            #expect(multi["segmentOperator"] == .string("AND_SEGMENT_OPERATOR"))

            let oneOfList = try await server.ok(.post, flag + "/rules", #"{"segmentKeys":["c"],"rank":2}"#)
            #expect(oneOfList["segmentKey"] == .string("c"))
            #expect(oneOfList["segmentKeys"] == .array([]))
            #expect(oneOfList["rank"] == .number(2), "duplicate ranks are not rejected")

            let id = try #require(multi["id"]?.string)
            #expect(try await server.ok(.get, flag + "/rules/\(id)") == multi)
            // The path's flagKey is not verified on get.
            #expect(try await server.ok(.get, "/api/v1/namespaces/default/flags/zzz/rules/\(id)")["id"] == .string(id))
            expectNotFound(try await server.call(.get, flag + "/rules/nope"), #"rule "default/nope" not found"#)
        }
    }

    @Test func createValidation() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            expectInvalid(try await server.call(.post, flag + "/rules", #"{"rank":1}"#),
                "invalid field segmentKey or segmentKeys: must not be empty")
            expectInvalid(try await server.call(.post, flag + "/rules", #"{"segmentKey":"a","segmentKeys":["b"],"rank":1}"#),
                "invalid field segmentKey or segmentKeys: only one can be present")
            expectInvalid(try await server.call(.post, flag + "/rules", #"{"segmentKey":"a"}"#),
                "invalid field rank: must be greater than 0")
            expectInvalid(try await server.call(.post, flag + "/rules", #"{"segmentKey":"a","rank":-1}"#),
                "invalid field rank: must be greater than 0")
            expectNotFound(try await server.call(.post, "/api/v1/namespaces/default/flags/nope/rules",
                #"{"segmentKey":"a","rank":1}"#), #"flag "default/nope" or segment "default/a" not found"#)
            expectNotFound(try await server.call(.post, flag + "/rules", #"{"segmentKey":"zz","rank":1}"#),
                #"flag "default/f" or segment "default/zz" not found"#)
            expectNotFound(try await server.call(.post, flag + "/rules", #"{"segmentKeys":["a","zz"],"rank":1}"#),
                #"flag "default/f" or segment "default/" not found"#)
            #expect(try await server.count(flag + "/rules") == 0)
        }
    }

    @Test func updateKeepsRankAndReplacesSegments() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let rule = try await server.ok(.post, flag + "/rules", #"{"segmentKey":"a","rank":1}"#)
            let id = try #require(rule["id"]?.string)
            try await Task.sleep(for: .milliseconds(2))
            let updated = try await server.ok(.put, flag + "/rules/\(id)",
                #"{"segmentKeys":["b","c"],"segmentOperator":"AND_SEGMENT_OPERATOR","rank":7}"#)
            #expect(updated["rank"] == .number(1), "rank cannot be changed by update")
            #expect(updated["segmentKey"] == .string(""))
            #expect(Set(updated["segmentKeys"]?.array ?? []) == [.string("b"), .string("c")])
            #expect(updated["segmentOperator"] == .string("AND_SEGMENT_OPERATOR"))
            #expect(updated["createdAt"] == rule["createdAt"])
            #expect(updated["updatedAt"] != rule["updatedAt"])

            expectInvalid(try await server.call(.put, flag + "/rules/\(id)", #"{}"#),
                "invalid field segmentKey or segmentKeys: must not be empty")
            expectNotFound(try await server.call(.put, flag + "/rules/nope", #"{"segmentKey":"a"}"#),
                #"rule "default/nope" not found"#)
        }
    }

    @Test func orderAndDeleteRerank() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let r1 = try await server.createRule("f", segment: "a", rank: 1)
            let r2 = try await server.createRule("f", segment: "b", rank: 2)
            let r3 = try await server.createRule("f", segment: "c", rank: 3)
            func ids() async throws -> [String] {
                let list = try await server.ok(.get, flag + "/rules")
                let rules = try #require(list["rules"]?.array)
                #expect(rules.enumerated().allSatisfy { $0.element["rank"]?.double == Double($0.offset + 1) })
                return rules.compactMap { $0["id"]?.string }
            }
            #expect(try await ids() == [r1, r2, r3])
            expectEmptyOK(try await server.call(.put, flag + "/rules/order", #"{"ruleIds":["\#(r3)","\#(r1)","\#(r2)"]}"#))
            #expect(try await ids() == [r3, r1, r2])
            expectInvalid(try await server.call(.put, flag + "/rules/order", #"{"ruleIds":["\#(r1)"]}"#),
                "invalid field ruleIds: must contain atleast 2 elements")
            expectInvalid(try await server.call(.put, flag + "/rules/order", #"{}"#),
                "invalid field ruleIds: must contain atleast 2 elements")
            // snake_case input and unknown ids are accepted.
            expectEmptyOK(try await server.call(.put, flag + "/rules/order", #"{"rule_ids":["\#(r1)","nope"]}"#))
            #expect(try await server.ok(.get, flag + "/rules/\(r1)")["rank"] == .number(1))

            expectEmptyOK(try await server.call(.delete, flag + "/rules/\(r3)"))
            expectEmptyOK(try await server.call(.delete, flag + "/rules/\(r3)"))
            #expect(try await ids() == [r1, r2])
            // PUT …/rules/order wins over PUT …/rules/{id}; GET …/rules/order is a rule id lookup.
            expectNotFound(try await server.call(.get, flag + "/rules/order"), #"rule "default/order" not found"#)
        }
    }

    @Test func distributions() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let v1 = try await server.createVariant("f", "v1")
            let v2 = try await server.createVariant("f", "v2")
            let rule = try await server.createRule("f", segment: "a", rank: 1)
            let base = flag + "/rules/\(rule)/distributions"
            let d = try await server.ok(.post, base, #"{"variantId":"\#(v1)","rollout":33.33}"#)
            #expect(d.keys == ["id", "ruleId", "variantId", "rollout", "createdAt", "updatedAt"])
            #expect(isUUID(d["id"]))
            #expect(d["ruleId"] == .string(rule))
            #expect(d.compactText.contains(#""rollout":33.33,"#), "float32 shortest form")
            let did = try #require(d["id"]?.string)
            // Sums over 100 are accepted.
            let d2 = try await server.ok(.post, base, #"{"variant_id":"\#(v2)","rollout":"80"}"#)
            #expect(d2.compactText.contains(#""rollout":80,"#))

            let got = try await server.ok(.get, flag + "/rules/\(rule)")
            #expect(got["distributions"]?.array?.map { $0["variantId"] } == [.string(v1), .string(v2)])

            let updated = try await server.ok(.put, base + "/\(did)", #"{"variantId":"\#(v2)","rollout":50}"#)
            #expect(updated["rollout"] == .number(50))
            #expect(updated["variantId"] == .string(v2))
            #expect(updated["createdAt"] == d["createdAt"])

            expectNotFound(try await server.call(.put, base + "/nope", #"{"variantId":"\#(v2)","rollout":5}"#),
                #"distribution "nope" not found"#)
            expectNotFound(try await server.call(.post, base, #"{"variantId":"ghost","rollout":5}"#),
                #"variant "ghost", rule "\#(rule)", flag "f" in namespace "default" not found"#)
            expectNotFound(try await server.call(.post, flag + "/rules/nope/distributions", #"{"variantId":"\#(v1)","rollout":5}"#),
                #"variant "\#(v1)", rule "nope", flag "f" in namespace "default" not found"#)

            // Validation.
            expectInvalid(try await server.call(.post, base, #"{"rollout":5}"#), "invalid field variantId: must not be empty")
            expectInvalid(try await server.call(.post, base, #"{"variantId":"\#(v1)","rollout":-1}"#),
                "invalid field rollout: must be greater than or equal to '0'")
            expectInvalid(try await server.call(.post, base, #"{"variantId":"\#(v1)","rollout":100.5}"#),
                "invalid field rollout: must be less than or equal to '100'")
            expectInvalid(try await server.call(.put, base + "/\(did)", #"{"variantId":"\#(v1)","rollout":101}"#),
                "invalid field rollout: must be less than or equal to '100'")
            #expect(try await server.ok(.get, flag + "/rules/\(rule)")["distributions"]?.array?.count == 2)

            // Delete needs the matching variantId.
            expectInvalid(try await server.call(.delete, base + "/\(did)"), "invalid field variantId: must not be empty")
            expectEmptyOK(try await server.call(.delete, base + "/\(did)?variantId=\(v1)"))
            #expect(try await server.ok(.get, flag + "/rules/\(rule)")["distributions"]?.array?.count == 2, "wrong variant")
            expectEmptyOK(try await server.call(.delete, base + "/\(did)?variantId=\(v2)"))
            #expect(try await server.ok(.get, flag + "/rules/\(rule)")["distributions"]?.array?.count == 1)

            // Quirk (§4.4/§7.5): the variant need not belong to the rule's flag.
            try await server.createFlag("g")
            let foreign = try await server.createVariant("g", "x")
            let cross = try await server.ok(.post, base, #"{"variantId":"\#(foreign)","rollout":1}"#)
            try await server.ok(.delete, base + "/\(try #require(cross["id"]?.string))?variantId=\(foreign)")

            // Deleting a variant cascades its distributions.
            try await server.call(.delete, flag + "/variants/\(v2)")
            #expect(try await server.ok(.get, flag + "/rules/\(rule)")["distributions"] == .array([]))
        }
    }
}
