import HoistCore
import Hummingbird
import Testing

@Suite struct RolloutAPITests {
    let flag = "/api/v1/namespaces/default/flags/b"

    func setUp(_ server: TestServer) async throws {
        try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE")
        for key in ["s", "t"] { try await server.createSegment(key) }
    }

    @Test func createShapesAndList() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let seg = try await server.ok(.post, flag + "/rollouts",
                #"{"rank":1,"description":"d","segment":{"segmentKey":"s","value":true,"segmentOperator":"AND_SEGMENT_OPERATOR"}}"#)
            #expect(seg.keys == [
                "id", "namespaceKey", "flagKey", "type", "rank", "description", "createdAt", "updatedAt", "segment",
            ])
            #expect(isUUID(seg["id"]))
            #expect(seg["type"] == .string("SEGMENT_ROLLOUT_TYPE"))
            #expect(seg["segment"]?.compactText
                == #"{"segmentKey":"s","value":true,"segmentKeys":[],"segmentOperator":"OR_SEGMENT_OPERATOR"}"#)

            let multi = try await server.ok(.post, flag + "/rollouts",
                #"{"rank":2,"segment":{"segment_keys":["s","t","s"],"segment_operator":1}}"#)
            #expect(multi["segment"]?["segmentKey"] == .string(""))
            #expect(multi["segment"]?["value"] == .bool(false))
            #expect(Set(multi["segment"]?["segmentKeys"]?.array ?? []) == [.string("s"), .string("t")])
            #expect(multi["segment"]?["segmentKeys"]?.array?.count == 2)
            #expect(multi["segment"]?["segmentOperator"] == .string("AND_SEGMENT_OPERATOR"))

            let threshold = try await server.ok(.post, flag + "/rollouts", #"{"rank":3,"threshold":{"percentage":33.33}}"#)
            #expect(threshold["type"] == .string("THRESHOLD_ROLLOUT_TYPE"))
            #expect(threshold["threshold"]?.compactText == #"{"percentage":33.33,"value":false}"#)
            #expect(threshold["segment"] == nil)
            #expect(threshold["description"] == .string(""))

            let list = try await server.ok(.get, flag + "/rollouts")
            #expect(list.keys == ["rules", "nextPageToken", "totalCount"], "RolloutList's array is named rules")
            #expect(list["rules"]?.array?.map { $0["id"] } == [seg["id"], multi["id"], threshold["id"]])
            #expect(list["totalCount"] == .number(3))

            let id = try #require(seg["id"]?.string)
            #expect(try await server.ok(.get, flag + "/rollouts/\(id)") == seg)
            #expect(try await server.ok(.get, "/api/v1/namespaces/default/flags/other/rollouts/\(id)")["id"] == .string(id))
            expectNotFound(try await server.call(.get, flag + "/rollouts/nope"), #"rollout "default/nope" not found"#)
        }
    }

    @Test func createValidation() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let uri = flag + "/rollouts"
            expectInvalid(try await server.call(.post, uri, #"{"rank":1,"threshold":{"percentage":101}}"#),
                "invalid field threshold.percentage: must be within range [0, 100]")
            expectInvalid(try await server.call(.post, uri, #"{"rank":1,"threshold":{"percentage":-0.5}}"#),
                "invalid field threshold.percentage: must be within range [0, 100]")
            expectInvalid(try await server.call(.post, uri, #"{"rank":1,"segment":{"value":true}}"#),
                "invalid field segmentKey or segmentKeys: must not be empty")
            expectInvalid(try await server.call(.post, uri, #"{"rank":1,"segment":{"segmentKey":"s","segmentKeys":["t"]}}"#),
                "invalid field segmentKey or segmentKeys: only one can be present")
            expectInvalid(try await server.call(.post, uri, #"{"rank":1}"#), "rollout rule is missing")
            expectNotFound(try await server.call(.post, "/api/v1/namespaces/default/flags/nope/rollouts",
                #"{"rank":1,"threshold":{"percentage":5}}"#), #"flag "default/nope" not found"#)
            expectNotFound(try await server.call(.post, uri, #"{"rank":1,"segment":{"segmentKey":"zz"}}"#),
                #"flag "default/b or segment zz" not found"#)
            #expect(try await server.count(uri) == 0)

            try await server.createThreshold("b", rank: 1)
            expectInvalid(try await server.call(.post, uri, #"{"rank":1,"threshold":{"percentage":5}}"#),
                "rank number: 1 already exists")
            // rank ≤ 0 is not validated for rollouts.
            try await server.ok(.post, uri, #"{"threshold":{"percentage":5}}"#)
            #expect(try await server.count(uri) == 2)
        }
    }

    @Test func update() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let id = try await server.createThreshold("b", rank: 1, percentage: 10)
            let updated = try await server.ok(.put, flag + "/rollouts/\(id)",
                #"{"description":"new","rank":9,"threshold":{"percentage":"75.5","value":true}}"#)
            #expect(updated["rank"] == .number(1), "rank cannot be changed by update")
            #expect(updated["description"] == .string("new"))
            #expect(updated["threshold"]?.compactText == #"{"percentage":75.5,"value":true}"#)

            expectInvalid(try await server.call(.put, flag + "/rollouts/\(id)", #"{"segment":{"segmentKey":"s"}}"#),
                #"cannot change type of rollout: have "THRESHOLD_ROLLOUT_TYPE" attempted "SEGMENT_ROLLOUT_TYPE""#)
            expectInvalid(try await server.call(.put, flag + "/rollouts/\(id)", #"{"description":"x"}"#),
                "invalid field rule: invalid rollout rule type")
            expectNotFound(try await server.call(.put, flag + "/rollouts/nope", #"{"threshold":{"percentage":5}}"#),
                #"rollout "default/nope" not found"#)

            let seg = try await server.ok(.post, flag + "/rollouts", #"{"rank":2,"segment":{"segmentKey":"s"}}"#)
            let sid = try #require(seg["id"]?.string)
            let moved = try await server.ok(.put, flag + "/rollouts/\(sid)",
                #"{"segment":{"segmentKeys":["s","t"],"segmentOperator":"AND_SEGMENT_OPERATOR","value":true}}"#)
            #expect(moved["segment"]?["segmentKey"] == .string(""))
            #expect(moved["segment"]?["segmentOperator"] == .string("AND_SEGMENT_OPERATOR"))
            #expect(moved["segment"]?["value"] == .bool(true))
            #expect(moved["description"] == .string(""))
            expectInvalid(try await server.call(.put, flag + "/rollouts/\(sid)", #"{"threshold":{"percentage":5}}"#),
                #"cannot change type of rollout: have "SEGMENT_ROLLOUT_TYPE" attempted "THRESHOLD_ROLLOUT_TYPE""#)
            // The segment is now referenced by the rollout.
            expectInvalid(try await server.call(.delete, "/api/v1/namespaces/default/segments/t"),
                #"segment "default/t" is in use"#)
        }
    }

    @Test func orderDeleteAndPaging() async throws {
        try await TestServer.run { server in
            try await setUp(server)
            let a = try await server.createThreshold("b", rank: 1)
            let b = try await server.createThreshold("b", rank: 2)
            let c = try await server.createThreshold("b", rank: 3)
            func order() async throws -> [String] {
                let rules = try #require(try await server.ok(.get, flag + "/rollouts")["rules"]?.array)
                #expect(rules.enumerated().allSatisfy { $0.element["rank"]?.double == Double($0.offset + 1) })
                return rules.compactMap { $0["id"]?.string }
            }
            expectEmptyOK(try await server.call(.put, flag + "/rollouts/order", #"{"rolloutIds":["\#(c)","\#(b)","\#(a)"]}"#))
            #expect(try await order() == [c, b, a])
            expectInvalid(try await server.call(.put, flag + "/rollouts/order", #"{"rolloutIds":["\#(c)"]}"#),
                "invalid field rolloutIds: must contain atleast 2 elements")

            let page1 = try await server.ok(.get, flag + "/rollouts?limit=2")
            #expect(page1["rules"]?.array?.count == 2)
            #expect(page1["totalCount"] == .number(3))
            let token = try #require(page1["nextPageToken"]?.string)
            #expect(!token.isEmpty)
            let page2 = try await server.ok(.get, flag + "/rollouts?limit=2&pageToken=\(token)")
            #expect(page2["rules"]?.array?.map { $0["id"] } == [.string(a)])
            #expect(page2["nextPageToken"] == .string(""))
            // Rollouts have no "limit must be set" check.
            #expect(try await server.call(.get, flag + "/rollouts?pageToken=\(token)").status == .ok)

            expectEmptyOK(try await server.call(.delete, flag + "/rollouts/\(b)"))
            expectEmptyOK(try await server.call(.delete, flag + "/rollouts/\(b)"))
            #expect(try await order() == [c, a])
            // Rank 3 is free again after the re-numbering.
            try await server.createThreshold("b", rank: 3)
        }
    }
}
