import Foundation
import HoistCore
import Hummingbird
import Testing

/// Spec §3.5 (pagination) and §3.6 (ordering).
@Suite struct PaginationAPITests {
    let ns = "/api/v1/namespaces/default"

    func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

    /// Follows `nextPageToken` and returns the keys (or ids) in order.
    func walk(_ server: TestServer, _ uri: String, array: String, field: String, limit: Int) async throws -> [String] {
        var out: [String] = []
        var token = ""
        for _ in 0..<20 {
            let page = try await server.ok(.get, "\(uri)?limit=\(limit)" + (token.isEmpty ? "" : "&pageToken=\(escape(token))"))
            let items = try #require(page[array]?.array)
            #expect(items.count <= limit)
            out += items.compactMap { $0[field]?.string }
            token = try #require(page["nextPageToken"]?.string)
            if token.isEmpty { return out }
        }
        Issue.record("paging did not terminate")
        return out
    }

    @Test func flagsPageInCreationOrder() async throws {
        try await TestServer.run { server in
            let keys = ["e", "a", "d", "b", "c"]
            for key in keys { try await server.createFlag(key) }
            let page = try await server.ok(.get, ns + "/flags?limit=2")
            #expect(page["flags"]?.array?.map { $0["key"] } == [.string("e"), .string("a")])
            #expect(page["totalCount"] == .number(5))
            let token = try #require(page["nextPageToken"]?.string)
            let decoded = try #require(Data(base64Encoded: token))
            #expect(String(decoding: decoded, as: UTF8.self) == #"{"key":"d","offset":2}"#)

            #expect(try await walk(server, ns + "/flags", array: "flags", field: "key", limit: 2) == keys)
            #expect(try await walk(server, ns + "/flags", array: "flags", field: "key", limit: 5) == keys)
            #expect(try await walk(server, ns + "/flags", array: "flags", field: "key", limit: 7) == keys)
            let last = try await server.ok(.get, ns + "/flags?limit=5")
            #expect(last["nextPageToken"] == .string(""))

            // offset (deprecated) without pageToken; snake_case page_token.
            let offset = try await server.ok(.get, ns + "/flags?limit=2&offset=3")
            #expect(offset["flags"]?.array?.map { $0["key"] } == [.string("b"), .string("c")])
            #expect(offset["totalCount"] == .number(5))
            let snake = try await server.ok(.get, ns + "/flags?limit=1&page_token=\(token)")
            #expect(snake["flags"]?.array?.map { $0["key"] } == [.string("d")])
            let beyond = try await server.ok(.get, ns + "/flags?limit=2&offset=10")
            #expect(beyond["flags"] == .array([]) && beyond["totalCount"] == .number(5))
        }
    }

    @Test func zeroAndEmptyMeanNoLimit() async throws {
        try await TestServer.run { server in
            for i in 0..<30 { try await server.createFlag("f\(i)") }
            for query in ["", "?limit=0", "?limit=0&offset=0&pageToken=&reference=", "?reference=main"] {
                let all = try await server.ok(.get, ns + "/flags" + query)
                #expect(all["flags"]?.array?.count == 30, "\(query)")
                #expect(all["nextPageToken"] == .string(""), "\(query)")
                #expect(all["totalCount"] == .number(30), "\(query)")
            }
        }
    }

    @Test func limitRuleForFlagsSegmentsRules() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE")
            let message = "limit must be set when offset or pageToken is set"
            let token = Data(#"{"offset":1}"#.utf8).base64EncodedString()
            for uri in [ns + "/flags", ns + "/segments", ns + "/flags/f/rules", "/api/v1/flags", "/api/v1/segments"] {
                expectInvalid(try await server.call(.get, uri + "?offset=1"), message)
                expectInvalid(try await server.call(.get, uri + "?pageToken=\(token)"), message)
                expectInvalid(try await server.call(.get, uri + "?limit=0&pageToken=\(token)"), message)
                #expect(try await server.call(.get, uri + "?limit=1&pageToken=\(token)").status == .ok)
            }
            // Namespaces and rollouts have no such check.
            #expect(try await server.call(.get, "/api/v1/namespaces?offset=1").status == .ok)
            #expect(try await server.call(.get, "/api/v1/namespaces?pageToken=\(token)").status == .ok)
            #expect(try await server.call(.get, ns + "/flags/b/rollouts?pageToken=\(token)").status == .ok)
        }
    }

    @Test func badQueryValues() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            for query in ["limit=", "limit=abc", "limit=1.5", "offset=", "offset=x", "limit=99999999999"] {
                for uri in [ns + "/flags", "/api/v1/namespaces", ns + "/segments", ns + "/flags/f/rules", ns + "/flags/f/rollouts"]
                where !(uri.hasSuffix("rollouts") && query.hasPrefix("offset")) {
                    let reply = try await server.call(.get, "\(uri)?\(query)")
                    #expect(reply.status == .badRequest, "\(uri)?\(query)")
                    expectBadRequest(reply)
                }
            }
            // ListRolloutRequest has no offset: the parameter is ignored.
            #expect(try await server.call(.get, ns + "/flags/f/rollouts?offset=x").status == .ok)
            for token in ["garbage", "e30", "bm90IGpzb24=", Data(#"{"offset":"x"}"#.utf8).base64EncodedString()] {
                expectInvalid(try await server.call(.get, ns + "/flags?limit=1&pageToken=\(token)"),
                    #"pageToken is not valid: "\#(token)""#)
                expectInvalid(try await server.call(.get, "/api/v1/namespaces?limit=1&pageToken=\(token)"),
                    #"pageToken is not valid: "\#(token)""#)
            }
        }
    }

    @Test func namespacesSegmentsRulesRolloutsPage() async throws {
        try await TestServer.run { server in
            for key in ["n1", "n2", "n3"] { try await server.createNamespace(key) }
            #expect(try await walk(server, "/api/v1/namespaces", array: "namespaces", field: "key", limit: 2)
                == ["default", "n1", "n2", "n3"])
            #expect(try await server.ok(.get, "/api/v1/namespaces?limit=1")["totalCount"] == .number(4))

            for key in ["z", "y", "x"] { try await server.createSegment(key) }
            #expect(try await walk(server, ns + "/segments", array: "segments", field: "key", limit: 2) == ["z", "y", "x"])

            try await server.createFlag("f")
            let r3 = try await server.createRule("f", segment: "z", rank: 3)
            let r1 = try await server.createRule("f", segment: "y", rank: 1)
            let r2 = try await server.createRule("f", segment: "x", rank: 2)
            #expect(try await walk(server, ns + "/flags/f/rules", array: "rules", field: "id", limit: 2) == [r1, r2, r3],
                "rules are ordered by rank")
            let rules = try await server.ok(.get, ns + "/flags/f/rules?limit=1&offset=1")
            #expect(rules["rules"]?.array?.first?["id"] == .string(r2))
            #expect(rules["totalCount"] == .number(3))

            try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE")
            let t2 = try await server.createThreshold("b", rank: 2)
            let t1 = try await server.createThreshold("b", rank: 1)
            #expect(try await walk(server, ns + "/flags/b/rollouts", array: "rules", field: "id", limit: 1) == [t1, t2])
            // Children of a missing flag: empty list.
            let none = try await server.ok(.get, ns + "/flags/ghost/rules")
            #expect(none.compactText == #"{"rules":[],"nextPageToken":"","totalCount":0}"#)
            let noRollouts = try await server.ok(.get, ns + "/flags/ghost/rollouts")
            #expect(noRollouts.compactText == #"{"rules":[],"nextPageToken":"","totalCount":0}"#)
        }
    }
}
