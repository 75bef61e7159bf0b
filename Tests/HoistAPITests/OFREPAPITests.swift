import HoistAPI
import HoistCore
import HTTPTypes
import Hummingbird
import Testing

/// OFREP (evaluation spec §7): configuration, single and bulk evaluation, errors, ETag/304.
@Suite struct OFREPAPITests {
    static let namespaceHeader = HTTPField.Name("X-Flipt-Namespace")!
    let single = "/ofrep/v1/evaluate/flags/"
    let bulk = "/ofrep/v1/evaluate/flags"

    /// `color`: pro users → `blue` (with an attachment), else the default variant `red`;
    /// `split`: 50/50 `a`/`b` for everyone; `dark`: boolean, true for pro users, fallback false;
    /// `legacy`: disabled variant flag; `beta`: disabled boolean flag.
    func seed(_ server: TestServer) async throws {
        try await server.createSegment("pro")
        try await server.ok(.post, "/api/v1/namespaces/default/segments/pro/constraints",
            #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"eq","value":"pro"}"#)
        try await server.createSegment("everyone")
        try await server.createFlag("color")
        let blue = try await server.createVariant("color", "blue", attachment: #"{"hex":"00f"}"#)
        let red = try await server.createVariant("color", "red")
        let rule = try await server.createRule("color", segment: "pro", rank: 1)
        try await server.ok(.post, "/api/v1/namespaces/default/flags/color/rules/\(rule)/distributions",
            #"{"variantId":"\#(blue)","rollout":100}"#)
        try await server.ok(.put, "/api/v1/namespaces/default/flags/color",
            #"{"name":"color","enabled":true,"defaultVariantId":"\#(red)"}"#)
        try await server.createFlag("split")
        let a = try await server.createVariant("split", "a")
        let b = try await server.createVariant("split", "b")
        let splitRule = try await server.createRule("split", segment: "everyone", rank: 1)
        for variant in [a, b] {
            try await server.ok(.post, "/api/v1/namespaces/default/flags/split/rules/\(splitRule)/distributions",
                #"{"variantId":"\#(variant)","rollout":50}"#)
        }
        try await server.createFlag("dark", type: "BOOLEAN_FLAG_TYPE", enabled: false)
        try await server.ok(.post, "/api/v1/namespaces/default/flags/dark/rollouts",
            #"{"rank":1,"segment":{"segmentKey":"pro","value":true}}"#)
        try await server.createFlag("legacy", enabled: false)
        try await server.createFlag("beta", type: "BOOLEAN_FLAG_TYPE", enabled: false)
    }

    @Test func configuration() async throws {
        let expected = #"{"name":"flipt","capabilities":{"cacheInvalidation":{"polling":{"enabled":false,"minPollingIntervalMs":"0"}},"flagEvaluation":{"supportedTypes":["string","boolean"]}}}"#
        try await TestServer.run { server in
            let reply = try await server.call(.get, "/ofrep/v1/configuration")
            #expect(reply.status == .ok && reply.body == expected)
        }
        try await TestServer.run(configure: { api, _ in api.ofrep = OFREPSettings(pollingEnabled: true, minPollingIntervalMilliseconds: 1500) }) { server in
            let reply = try await server.call(.get, "/ofrep/v1/configuration")
            #expect(reply.body.contains(#""polling":{"enabled":true,"minPollingIntervalMs":"1500"}"#))
        }
        // Flipt reports 0 whenever the cache is off, whatever the TTL.
        #expect(OFREPSettings(pollingEnabled: false, minPollingIntervalMilliseconds: 60_000).minPollingIntervalMilliseconds == 0)
    }

    @Test func singleFlagBodies() async throws {
        try await TestServer.run { server in
            try await seed(server)
            func body(_ key: String, _ context: String) async throws -> String {
                let reply = try await server.call(.post, single + key, #"{"context":\#(context)}"#)
                #expect(reply.status == .ok, "\(key): \(reply.body)")
                #expect(reply.headers[.contentType] == "application/json")
                return reply.body
            }
            #expect(try await body("color", #"{"targetingKey":"u1","plan":"pro"}"#)
                == #"{"key":"color","reason":"TARGETING_MATCH","variant":"blue","metadata":{"attachment":"{\"hex\":\"00f\"}","segments":"pro"},"value":"blue"}"#)
            #expect(try await body("color", #"{"targetingKey":"u1","plan":"free"}"#)
                == #"{"key":"color","reason":"DEFAULT","variant":"red","metadata":{},"value":"red"}"#)
            #expect(try await body("legacy", "{}")
                == #"{"key":"legacy","reason":"DISABLED","variant":"","metadata":{},"value":""}"#)
            #expect(try await body("dark", #"{"plan":"pro"}"#)
                == #"{"key":"dark","reason":"TARGETING_MATCH","variant":"true","metadata":{},"value":true}"#)
            #expect(try await body("dark", #"{"plan":"free"}"#)
                == #"{"key":"dark","reason":"DEFAULT","variant":"false","metadata":{},"value":false}"#)
            // A body without a context, an empty body and `null` values are accepted.
            #expect(try await server.call(.post, single + "dark", "").status == .ok)
            #expect(try await server.call(.post, single + "dark", #"{"context":null,"other":[1]}"#).status == .ok)
            #expect(try await body("dark", #"{"plan":null}"#).contains(#""value":false"#))
        }
    }

    @Test func entityIsTheTargetingKeyOrEmpty() async throws {
        try await TestServer.run { server in
            try await seed(server)
            // The same bucket as the v1 API with the same entity id, every time.
            for entity in ["", "user-7", "user-8", "user-12"] {
                let v1 = try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"split","entityId":"\#(entity)"}"#)
                let context = entity.isEmpty ? "{}" : #"{"targetingKey":"\#(entity)"}"#
                for _ in 0..<3 {
                    let reply = try await server.call(.post, single + "split", #"{"context":\#(context)}"#)
                    #expect(reply.json["variant"] == v1["variantKey"], "entity \(entity)")
                }
            }
        }
    }

    @Test func namespaceComesFromTheHeader() async throws {
        try await TestServer.run { server in
            try await server.createNamespace("team")
            try await server.createFlag("only-here", ns: "team", type: "BOOLEAN_FLAG_TYPE")
            let found = try await server.call(.post, single + "only-here", "{}", headers: [Self.namespaceHeader: "team"])
            #expect(found.status == .ok && found.json["value"] == .bool(true))
            let missing = try await server.call(.post, single + "only-here", "{}")
            #expect(missing.status == .notFound)
            let ghost = try await server.call(.post, single + "only-here", "{}", headers: [Self.namespaceHeader: "ghost"])
            #expect(ghost.status == .notFound)
        }
    }

    @Test func errors() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let missing = try await server.call(.post, single + "flag1", #"{"context":{}}"#)
            #expect(missing.status == .notFound)
            #expect(missing.body == #"{"key":"flag1","errorCode":"FLAG_NOT_FOUND","errorDetails":"flag was not found flag1"}"#)
            let emptyKey = try await server.call(.post, single, "{}")
            #expect(emptyKey.status == .badRequest)
            #expect(emptyKey.body == #"{"errorCode":"INVALID_CONTEXT","errorDetails":"flag key was not provided"}"#)
            for bad in [#"{"context":{"age":42}}"#, #"{"context":{"a":true}}"#, #"{"context":"x"}"#, "{", "[1]", #"{"context":{}} x"#] {
                for path in [single + "color", bulk] {
                    let reply = try await server.call(.post, path, bad)
                    #expect(reply.status == .badRequest, "\(path) \(bad)")
                    #expect(reply.json["errorCode"] == .string("INVALID_CONTEXT"), "\(path) \(bad)")
                    #expect(reply.json["key"] == nil && reply.json["errorDetails"]?.string?.isEmpty == false)
                }
            }
            let tooLarge = String(repeating: " ", count: 4 * 1024 * 1024 + 1)
            let large = try await server.call(.post, single + "color", tooLarge)
            #expect(large.status == .badRequest && large.json["errorCode"] == .string("INVALID_CONTEXT"))
            #expect(try await server.call(.get, single + "color").status.code == 501)
        }
    }

    @Test func bulkEvaluation() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let all = try await server.call(.post, bulk, #"{"context":{"targetingKey":"u1","plan":"pro"}}"#)
            #expect(all.status == .ok)
            let flags = try #require(all.json["flags"]?.array)
            // Enabled variant flags and every boolean flag, in creation order.
            #expect(flags.map { $0["key"]?.string } == ["color", "split", "dark", "beta"])
            #expect(flags[0].compactText
                == #"{"key":"color","reason":"TARGETING_MATCH","variant":"blue","metadata":{"attachment":"{\"hex\":\"00f\"}","segments":"pro"},"value":"blue"}"#)
            #expect(flags[3].compactText == #"{"key":"beta","reason":"DEFAULT","variant":"false","metadata":{},"value":false}"#)

            let listed = try await server.call(.post, bulk, #"{"context":{"flags":" legacy ,dark","plan":"pro"}}"#)
            #expect(listed.json["flags"]?.array?.map { $0["key"] } == [.string("legacy"), .string("dark")])
            #expect(listed.json["flags"]?.array?.first?["reason"] == .string("DISABLED"))

            let unknown = try await server.call(.post, bulk, #"{"context":{"flags":"dark,nope"}}"#)
            #expect(unknown.status == .notFound)
            #expect(unknown.body == #"{"key":"nope","errorCode":"FLAG_NOT_FOUND","errorDetails":"flag was not found nope"}"#)

            let otherNamespace = try await server.call(.post, bulk, "{}", headers: [Self.namespaceHeader: "ghost"])
            #expect(otherNamespace.status == .ok && otherNamespace.body == #"{"flags":[]}"#)
            #expect(otherNamespace.headers[.eTag] == nil)
        }
    }

    @Test func bulkETagAnswers304UntilRevisionOrContextChanges() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let request = #"{"context":{"targetingKey":"u1","plan":"pro"}}"#
            let first = try await server.call(.post, bulk, request)
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))

            let same = try await server.call(.post, bulk, request, headers: [.ifNoneMatch: etag])
            #expect(same.status == .notModified && same.bytes.isEmpty && same.headers[.eTag] == etag)
            // Member order does not matter; weak comparison and lists are understood.
            let reordered = #"{"context":{"plan":"pro","targetingKey":"u1"}}"#
            #expect(try await server.call(.post, bulk, reordered, headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await server.call(.post, bulk, request, headers: [.ifNoneMatch: "\"x\", W/\(etag)"]).status == .notModified)

            // Another context, another namespace: 200 with another tag.
            let other = try await server.call(.post, bulk, #"{"context":{"targetingKey":"u2","plan":"pro"}}"#, headers: [.ifNoneMatch: etag])
            #expect(other.status == .ok && other.headers[.eTag] != etag)

            // A write in the namespace changes the tag.
            try await server.createFlag("fresh", type: "BOOLEAN_FLAG_TYPE")
            let changed = try await server.call(.post, bulk, request, headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok && changed.headers[.eTag] != etag)
            #expect(changed.json["flags"]?.array?.last?["key"] == .string("fresh"))
        }
    }

    @Test func evaluationsAreCountedAndRoutedAsFliptsOFREPService() async throws {
        try await TestServer.run { server in
            try await seed(server)
            try await server.ok(.post, single + "color", #"{"context":{"targetingKey":"u1"}}"#)
            try await server.ok(.post, bulk, #"{"context":{"flags":"color,dark"}}"#)
            _ = try await server.call(.post, single + "nope", "{}")
            let lines = Set(try await server.call(.get, "/metrics").body.split(separator: "\n").map(String.init))
            for line in [
                #"flipt_evaluations_requests_total{flag="color",namespace="default"} 2"#,
                #"flipt_evaluations_requests_total{flag="dark",namespace="default"} 1"#,
                #"grpc_server_handled_total{grpc_code="OK",grpc_method="EvaluateFlag",grpc_service="flipt.ofrep.OFREPService",grpc_type="unary"} 1"#,
                #"grpc_server_handled_total{grpc_code="NotFound",grpc_method="EvaluateFlag",grpc_service="flipt.ofrep.OFREPService",grpc_type="unary"} 1"#,
                #"grpc_server_handled_total{grpc_code="OK",grpc_method="EvaluateBulk",grpc_service="flipt.ofrep.OFREPService",grpc_type="unary"} 1"#,
            ] {
                #expect(lines.contains(line), "\(line)")
            }
        }
    }
}
