import CompressNIO
import HoistCore
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// `GET /internal/v1/evaluation/snapshot/namespace/{key}` (evaluation spec §6.1–§6.3).
@Suite struct SnapshotAPITests {
    let ns = "/api/v1/namespaces/default"
    let snapshot = "/internal/v1/evaluation/snapshot/namespace/default"
    static let acceptVersion = HTTPField.Name("X-Flipt-Accept-Server-Version")!

    func seed(_ server: TestServer) async throws {
        try await server.createSegment("s", matchType: "ANY_MATCH_TYPE")
        try await server.ok(.post, ns + "/segments/s/constraints",
            #"{"type":"ENTITY_ID_COMPARISON_TYPE","property":"entityId","operator":"eq","value":"u1"}"#)
        try await server.createFlag("v")
        let a = try await server.createVariant("v", "a", attachment: #"{"x": 1}"#)
        let b = try await server.createVariant("v", "b")
        let rule = try await server.createRule("v", segment: "s", rank: 1)
        try await server.ok(.post, ns + "/flags/v/rules/\(rule)/distributions", #"{"variantId":"\#(a)","rollout":33.33}"#)
        try await server.ok(.post, ns + "/flags/v/rules/\(rule)/distributions", #"{"variantId":"\#(b)","rollout":66.67}"#)
        try await server.ok(.put, ns + "/flags/v", #"{"name":"v","enabled":true,"defaultVariantId":"\#(a)"}"#)
        try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE", enabled: false)
        try await server.ok(.post, ns + "/flags/b/rollouts", #"{"rank":1,"segment":{"segmentKey":"s","value":true}}"#)
        try await server.createThreshold("b", rank: 2, percentage: 50)
    }

    @Test func documentShape() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let r = try await server.call(.get, snapshot, headers: [Self.acceptVersion: "1.47.0"])
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json")
            let doc = r.json
            #expect(doc.keys == ["namespace", "flags"])
            #expect(doc["namespace"]?.compactText == #"{"key":"default"}"#)
            let flags = try #require(doc["flags"]?.array)
            #expect(flags.map { $0["key"] } == [.string("v"), .string("b")], "creation order, disabled included")

            let v = flags[0]
            #expect(v["type"] == .string("VARIANT_FLAG_TYPE") && v["rollouts"] == .array([]))
            #expect(isRFC3339(v["createdAt"]))
            let rule = try #require(v["rules"]?.array?.first)
            #expect(rule["rank"] == .number(1))
            #expect(rule["segmentOperator"] == .string("OR_SEGMENT_OPERATOR"))
            let segment = try #require(rule["segments"]?.array?.first)
            #expect(segment["key"] == .string("s"))
            #expect(segment["matchType"] == .string("ANY_SEGMENT_MATCH_TYPE"))
            #expect(segment["createdAt"] == nil)
            let constraint = try #require(segment["constraints"]?.array?.first)
            #expect(constraint["type"] == .string("ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"))
            #expect(constraint["operator"] == .string("eq") && constraint["value"] == .string("u1"))
            let distributions = try #require(rule["distributions"]?.array)
            #expect(distributions.map { $0["variantKey"] } == [.string("a"), .string("b")])
            #expect(distributions.allSatisfy { $0["id"] == .string("") && $0["ruleId"] == .string("") })
            #expect(distributions[0]["variantAttachment"] == .string(#"{"x":1}"#))
            #expect(r.body.contains(#""rollout":33.33"#) && r.body.contains(#""rollout":66.67"#))
            #expect(v["defaultVariant"]?["key"] == .string("a"))

            let b = flags[1]
            #expect(b["type"] == .string("BOOLEAN_FLAG_TYPE") && b["rules"] == .array([]))
            #expect(b["enabled"] == .bool(false))
            let rollouts = try #require(b["rollouts"]?.array)
            #expect(rollouts.map { $0["type"] } == [.string("SEGMENT_ROLLOUT_TYPE"), .string("THRESHOLD_ROLLOUT_TYPE")])
            #expect(rollouts[0]["segment"]?["value"] == .bool(true))
            #expect(rollouts[0]["segment"]?["segments"]?.array?.first?["key"] == .string("s"))
            #expect(rollouts[1]["threshold"]?.compactText == #"{"percentage":50,"value":true}"#)
        }
    }

    @Test func serverVersionGating() async throws {
        try await TestServer.run { server in
            try await seed(server)
            func check(_ header: String?, defaultVariant: Bool, entityType: String,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
                var headers: HTTPFields = [:]
                if let header { headers[Self.acceptVersion] = header }
                let doc = try await server.call(.get, snapshot, headers: headers).json
                let v = doc["flags"]?.array?.first
                #expect((v?["defaultVariant"] != nil) == defaultVariant, "\(header ?? "none")", sourceLocation: sourceLocation)
                let type = v?["rules"]?.array?.first?["segments"]?.array?.first?["constraints"]?.array?.first?["type"]
                #expect(type == .string(entityType), "\(header ?? "none")", sourceLocation: sourceLocation)
            }
            try await check(nil, defaultVariant: false, entityType: "UNKNOWN_CONSTRAINT_COMPARISON_TYPE")
            try await check("garbage", defaultVariant: false, entityType: "UNKNOWN_CONSTRAINT_COMPARISON_TYPE")
            try await check("1.37.9", defaultVariant: false, entityType: "UNKNOWN_CONSTRAINT_COMPARISON_TYPE")
            try await check("1.38.0", defaultVariant: false, entityType: "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE")
            try await check("v1.46.3", defaultVariant: false, entityType: "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE")
            try await check("1.47.0", defaultVariant: true, entityType: "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE")
            try await check("v1.47", defaultVariant: true, entityType: "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE")
            try await check("2.0.0", defaultVariant: true, entityType: "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE")
        }
    }

    @Test func etagAndNotModified() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            let first = try await server.call(.get, snapshot)
            let etag = try #require(first.headers[.eTag])
            #expect(matches(.string(etag), "^[0-9a-f]{40}$"), "unquoted lowercase SHA-1 hex")

            let same = try await server.call(.get, snapshot, headers: [.ifNoneMatch: etag])
            #expect(same.status == .notModified)
            #expect(same.body.isEmpty)
            #expect(same.headers[.eTag] == etag)
            let zipped = try await server.call(.get, snapshot, headers: [.ifNoneMatch: etag, .acceptEncoding: "gzip"])
            #expect(zipped.status == .notModified && zipped.bytes.isEmpty)

            for other in ["\"\(etag)\"", "W/\(etag)", "*", etag.uppercased(), ""] {
                let r = try await server.call(.get, snapshot, headers: [.ifNoneMatch: other])
                #expect(r.status == .ok, "If-None-Match: \(other)")
            }

            // Any write in the namespace changes the ETag.
            try await server.ok(.put, ns + "/flags/f", #"{"name":"renamed"}"#)
            let second = try await server.call(.get, snapshot, headers: [.ifNoneMatch: etag])
            #expect(second.status == .ok)
            let etag2 = try #require(second.headers[.eTag])
            #expect(etag2 != etag)
            #expect(second.json["flags"]?.array?.first?["name"] == .string("renamed"))
            try await server.createSegment("s")
            let third = try await server.call(.get, snapshot, headers: [.ifNoneMatch: etag2])
            #expect(third.status == .ok && third.headers[.eTag] != etag2)
            // Writes elsewhere don't.
            let etag3 = try #require(third.headers[.eTag])
            try await server.createNamespace("other")
            try await server.createFlag("g", ns: "other")
            #expect(try await server.call(.get, snapshot, headers: [.ifNoneMatch: etag3]).status == .notModified)
        }
    }

    @Test func gzipKeepsTheETag() async throws {
        try await TestServer.run { server in
            try await seed(server)
            let plain = try await server.call(.get, snapshot)
            let zipped = try await server.call(.get, snapshot, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(zipped.status == .ok && zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.eTag] == plain.headers[.eTag] && zipped.headers[.eTag] != nil)
            #expect(zipped.bytes.count < plain.bytes.count)
            var buffer = ByteBuffer(bytes: zipped.bytes)
            #expect(String(buffer: try buffer.decompress(with: .gzip())) == plain.body)
        }
    }

    @Test func unknownAndEmptyNamespaces() async throws {
        try await TestServer.run { server in
            let ghost = try await server.call(.get, "/internal/v1/evaluation/snapshot/namespace/ghost")
            #expect(ghost.status == .ok)
            #expect(ghost.body == #"{"namespace":{"key":"ghost"},"flags":[]}"#)
            let empty = try await server.call(.get, snapshot + "?reference=main")
            #expect(empty.status == .ok)
            #expect(empty.json.compactText == #"{"namespace":{"key":"default"},"flags":[]}"#)
            #expect(try await server.call(.post, snapshot, "{}").status.code == 501)
            #expect(try await server.call(.get, "/internal/v1/evaluation/snapshot/namespace").status == .notFound)
        }
    }
}
