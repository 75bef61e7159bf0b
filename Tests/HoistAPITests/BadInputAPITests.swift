import Foundation
import HoistCore
import Hummingbird
import Testing

/// Hostile or broken input: always a 4xx with Flipt's error body, never a 500 or a crash, never a partial write.
@Suite struct BadInputAPITests {
    let ns = "/api/v1/namespaces/default"

    /// Counts of everything in the default namespace.
    func inventory(_ server: TestServer) async throws -> [Int] {
        let flag = try await server.ok(.get, ns + "/flags/f")
        let segment = try await server.ok(.get, ns + "/segments/s")
        let rule = try await server.ok(.get, ns + "/flags/f/rules")
        return [
            try await server.count("/api/v1/namespaces"), try await server.count(ns + "/flags"),
            try await server.count(ns + "/segments"), try await server.count(ns + "/flags/f/rules"),
            try await server.count(ns + "/flags/b/rollouts"), flag["variants"]?.array?.count ?? -1,
            segment["constraints"]?.array?.count ?? -1,
            rule["rules"]?.array?.first?["distributions"]?.array?.count ?? -1,
        ]
    }

    func seed(_ server: TestServer) async throws -> (rule: String, variant: String) {
        try await server.createFlag("f")
        try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE")
        try await server.createSegment("s")
        let variant = try await server.createVariant("f", "v")
        let rule = try await server.createRule("f", segment: "s", rank: 1)
        try await server.ok(.post, ns + "/flags/f/rules/\(rule)/distributions", #"{"variantId":"\#(variant)","rollout":50}"#)
        try await server.ok(.post, ns + "/segments/s/constraints",
            #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq","value":"v"}"#)
        try await server.createThreshold("b", rank: 1)
        return (rule, variant)
    }

    @Test func brokenBodiesOnEveryCreateEndpoint() async throws {
        try await TestServer.run { server in
            let (rule, _) = try await seed(server)
            let before = try await inventory(server)
            let long = String(repeating: "k", count: 256)
            let cases: [(String, [String])] = [
                ("/api/v1/namespaces", [#"{"key":"\#(long)","name":"n"}"#, #"{"key":"n","name":1}"#]),
                (ns + "/flags", [
                    #"{"key":"\#(long)","name":"n"}"#, #"{"key":"g","name":"G","type":"NOPE"}"#,
                    #"{"key":"g","name":"G","enabled":"true!"}"#, #"{"key":"g"}"#,
                ]),
                (ns + "/segments", [
                    #"{"key":"\#(long)","name":"n"}"#, #"{"key":"t","name":"T","matchType":"SOME_MATCH_TYPE"}"#,
                    #"{"key":"t","name":"T","matchType":2.5}"#,
                ]),
                (ns + "/flags/f/variants", [
                    #"{"key":"\#(long)"}"#, #"{"key":"w","attachment":"{"}"#, #"{"key":"w","attachment":{"a":1}}"#,
                    #"{"key":"w","attachment":"{\"a\":1,}"}"#, "{}",
                ]),
                (ns + "/segments/s/constraints", [
                    #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq","value":7}"#,
                    #"{"type":"STRING","property":"p","operator":"eq","value":"v"}"#,
                    #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"like","value":"v"}"#,
                ]),
                (ns + "/flags/f/rules", [
                    #"{"segmentKey":"s","rank":"first"}"#, #"{"segmentKeys":"s","rank":1}"#,
                    #"{"segmentKeys":["s",1],"rank":1}"#, #"{"segmentKey":"s","rank":1,"segmentOperator":"XOR"}"#,
                    #"{"segmentKey":"s","rank":2147483648}"#, #"{"segmentKey":"s","rank":1.5}"#,
                ]),
                (ns + "/flags/f/rules/\(rule)/distributions", [
                    #"{"variantId":"x","rollout":"lots"}"#, #"{"variantId":"x","rollout":true}"#,
                    #"{"variantId":"x","rollout":1e999}"#,
                ]),
                (ns + "/flags/b/rollouts", [
                    #"{"rank":2,"threshold":{"percentage":"half"}}"#, #"{"rank":2,"threshold":[]}"#,
                    #"{"rank":2,"segment":{"segmentKey":"s","value":"yes"}}"#, #"{"rank":2,"segment":"s"}"#,
                ]),
            ]
            let malformed = ["{", #"{"key":"#, #"{"key":"a",}"#, "{'key':'a'}", "nul", "\u{1}"]
            for (uri, bodies) in cases {
                for body in bodies + malformed {
                    let reply = try await server.call(.post, uri, body)
                    #expect(reply.status == .badRequest, "POST \(uri) \(body) → \(reply.status.code) \(reply.body)")
                    #expect(reply["code"] == .number(3), "POST \(uri) \(body)")
                    #expect(reply["details"] == .array([]), "POST \(uri) \(body)")
                }
            }
            #expect(try await inventory(server) == before, "nothing was written")
        }
    }

    @Test func brokenBodiesOnUpdates() async throws {
        try await TestServer.run { server in
            let (rule, variant) = try await seed(server)
            let before = try await inventory(server)
            let flagBefore = try await server.ok(.get, ns + "/flags/f")
            let cases: [(String, String)] = [
                (ns + "/flags/f", #"{"name":"X","enabled":"no"}"#),
                (ns + "/flags/f", #"{"name":"X","metadata":"m"}"#),
                (ns + "/flags/f", #"{"name":"X","defaultVariantId":"missing"}"#),
                (ns + "/flags/f/variants/\(variant)", #"{"key":"v","attachment":"nope"}"#),
                (ns + "/flags/f/rules/\(rule)", #"{"segmentKey":"ghost"}"#),
                (ns + "/flags/f/rules/order", #"{"ruleIds":"a,b"}"#),
                (ns + "/flags/f/rules/order", #"{"ruleIds":[1,2]}"#),
                (ns + "/segments/s", #"{"name":"S","matchType":"NONE"}"#),
                ("/api/v1/namespaces/default", #"{"name":["x"]}"#),
            ]
            for (uri, body) in cases {
                let reply = try await server.call(.put, uri, body)
                #expect([400, 404].contains(reply.status.code), "PUT \(uri) \(body) → \(reply.status.code) \(reply.body)")
                #expect(reply["details"] == .array([]))
            }
            #expect(try await inventory(server) == before)
            #expect(try await server.ok(.get, ns + "/flags/f") == flagBefore, "flag unchanged")
        }
    }

    @Test func deeplyNestedJSON() async throws {
        try await TestServer.run { server in
            let bodies = [
                String(repeating: "[", count: 10_000),
                String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
                #"{"key":"f","name":"F","metadata":"# + String(repeating: #"{"a":"#, count: 10_000) + "1"
                    + String(repeating: "}", count: 10_001),
            ]
            for body in bodies {
                for uri in [ns + "/flags", "/evaluate/v1/variant", "/evaluate/v1/batch", "/api/v1/evaluate"] {
                    let reply = try await server.call(.post, uri, body)
                    #expect(reply.status == .badRequest, "\(uri) → \(reply.status.code)")
                    #expect(reply["code"] == .number(3))
                }
            }
            // The server still works afterwards, and nothing was written.
            #expect(try await server.count(ns + "/flags") == 0)
            try await server.createFlag("f")
        }
    }

    @Test func oversizeAndOddValues() async throws {
        try await TestServer.run { server in
            _ = try await seed(server)
            let before = try await inventory(server)
            // A body beyond the server's limit is refused, not a 500.
            let huge = #"{"key":"w","attachment":"\"# + String(repeating: "a", count: 5 * 1024 * 1024) + #"\""}"#
            let reply = try await server.call(.post, ns + "/flags/f/variants", huge)
            #expect((400..<500).contains(Int(reply.status.code)), "\(reply.status.code)")
            // Odd but valid strings round-trip.
            let odd = "quote\" backslash\\ tab\t emoji😀 <html>& \u{2028}"
            let escaped = odd.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\t", with: "\\t")
            let flag = try await server.ok(.put, ns + "/flags/f", #"{"name":"\#(escaped)"}"#)
            #expect(flag["name"] == .string(odd))
            #expect(try await server.ok(.get, ns + "/flags/f")["name"] == .string(odd))
            #expect(try await server.ok(.get, ns + "/flags/f?pretty")["name"] == .string(odd))
            // Percent-encoded and unusual path keys don't crash.
            for path in [ns + "/flags/%ZZ", ns + "/flags/a%2Fb", ns + "/flags/%00", ns + "/flags/" + String(repeating: "x", count: 5000)] {
                let r = try await server.call(.get, path)
                #expect(r.status == .notFound, "\(path) → \(r.status.code)")
            }
            #expect(try await inventory(server) == before)
        }
    }

    /// SQLite binds text up to the first NUL, so a stored U+0000 would silently truncate: it is refused.
    @Test func nulCharactersAreRejected() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            let reply = try await server.call(.put, ns + "/flags/f", #"{"name":"a\u0000b"}"#)
            #expect(reply.status == .badRequest)
            #expect(reply.body == #"{"code":3,"message":"invalid field name: must not contain NUL characters","details":[]}"#)
            #expect(try await server.ok(.get, ns + "/flags/f")["name"] == .string("f"))
            let segmentKeys = try await server.call(
                .post, ns + "/flags/f/rules", #"{"segmentKeys":["a\u0000"],"rank":1}"#)
            #expect(segmentKeys.status == .badRequest)
            #expect(try await server.call(.get, ns + "/flags/f%00x").status == .notFound)
        }
    }
}
