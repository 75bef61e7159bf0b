import CompressNIO
import HoistCore
import Hummingbird
import NIOCore
import Testing

/// Spec §1 wire conventions shared by every endpoint.
@Suite struct WireFormatAPITests {
    let flags = "/api/v1/namespaces/default/flags"

    @Test func successIsAlways200JSON() async throws {
        try await TestServer.run { server in
            let created = try await server.call(.post, flags, #"{"key":"f","name":"F"}"#)
            #expect(created.status == .ok)
            #expect(created.headers[.contentType] == "application/json")
            let deleted = try await server.call(.delete, flags + "/f")
            expectEmptyOK(deleted)
            #expect(deleted.headers[.contentType] == "application/json")
            let error = try await server.call(.get, flags + "/f")
            #expect(error.headers[.contentType] == "application/json")
            let health = try await server.call(.get, "/health")
            #expect(health.status == .ok)
            #expect(health.body == #"{"status":"SERVING"}"#)
        }
    }

    @Test func unknownPathsAndWrongMethods() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            for path in ["/api/v1/nothing", "/api/v2/namespaces", "/api/v1/namespaces/default/flags/f/nope", "/"] {
                let r = try await server.call(.get, path)
                #expect(r.status == .notFound, "\(path)")
                #expect(r.body == errorBody(5, "Not Found"), "\(path)")
            }
            let wrong: [(HTTPRequest.Method, String)] = [
                (.delete, "/api/v1/namespaces"), (.patch, flags + "/f"), (.get, "/evaluate/v1/variant"),
                (.get, flags + "/f/variants"), (.get, flags + "/f/variants/x"), (.post, flags + "/f"),
                (.post, "/health"), (.post, flags + "/f/rules/order"), (.put, flags),
            ]
            for (method, path) in wrong {
                let r = try await server.call(method, path, "{}")
                #expect(r.status.code == 501, "\(method) \(path)")
                #expect(r.body == errorBody(12, "Method Not Allowed"), "\(method) \(path)")
            }
            #expect(try await server.count("/api/v1/namespaces/default/flags") == 1)
        }
    }

    @Test func trailingSlashIsStripped() async throws {
        try await TestServer.run { server in
            try await server.ok(.post, flags + "/", #"{"key":"f","name":"F"}"#)
            #expect(try await server.ok(.get, flags + "/f/")["key"] == .string("f"))
            #expect(try await server.ok(.get, "/health/")["status"] == .string("SERVING"))
        }
    }

    @Test func snakeCaseInputAndJSONNameWins() async throws {
        try await TestServer.run { server in
            let a = try await server.ok(.post, "/api/v1/namespaces/default/segments",
                #"{"key":"a","name":"A","match_type":"ANY_MATCH_TYPE"}"#)
            #expect(a["matchType"] == .string("ANY_MATCH_TYPE"))
            let b = try await server.ok(.post, "/api/v1/namespaces/default/segments",
                #"{"key":"b","name":"B","matchType":"ANY_MATCH_TYPE","match_type":"ALL_MATCH_TYPE"}"#)
            #expect(b["matchType"] == .string("ANY_MATCH_TYPE"))
            let c = try await server.ok(.post, "/api/v1/namespaces/default/segments",
                #"{"key":"c","name":"C","match_type":"ALL_MATCH_TYPE","matchType":"ANY_MATCH_TYPE"}"#)
            #expect(c["matchType"] == .string("ANY_MATCH_TYPE"))

            try await server.createFlag("f")
            let v1 = try await server.createVariant("f", "v1")
            let v2 = try await server.createVariant("f", "v2")
            let flag = try await server.ok(.put, flags + "/f",
                #"{"name":"F","default_variant_id":"\#(v1)","defaultVariantId":"\#(v2)"}"#)
            #expect(flag["defaultVariant"]?["id"] == .string(v2))
            let snake = try await server.ok(.put, flags + "/f", #"{"name":"F","default_variant_id":"\#(v1)"}"#)
            #expect(snake["defaultVariant"]?["id"] == .string(v1))
            // A JSON name that is null still wins: the field is unset.
            let nulled = try await server.ok(.put, flags + "/f",
                #"{"name":"F","default_variant_id":"\#(v1)","defaultVariantId":null}"#)
            #expect(nulled["defaultVariant"] == nil)
            let d = try await server.ok(.post, "/api/v1/namespaces/default/segments",
                #"{"key":"d","name":"D","match_type":"ANY_MATCH_TYPE","matchType":null}"#)
            #expect(d["matchType"] == .string("ALL_MATCH_TYPE"))
        }
    }

    @Test func enumsQuotedNumbersNullsAndEmptyBodies() async throws {
        try await TestServer.run { server in
            let byNumber = try await server.ok(.post, flags, #"{"key":"b","name":"B","type":1}"#)
            #expect(byNumber["type"] == .string("BOOLEAN_FLAG_TYPE"))
            expectBadRequest(try await server.call(.post, flags, #"{"key":"x","name":"X","type":"BOOLEAN"}"#))
            expectBadRequest(try await server.call(.post, flags, #"{"key":"x","name":"X","type":"boolean_flag_type"}"#))

            let nulls = try await server.ok(.post, flags,
                #"{"key":"n","name":"N","description":null,"enabled":null,"type":null,"metadata":null}"#)
            #expect(nulls["description"] == .string("") && nulls["enabled"] == .bool(false))
            #expect(nulls["type"] == .string("VARIANT_FLAG_TYPE") && nulls["metadata"] == nil)
            let ignored = try await server.ok(.post, flags, #"{"key":"u","name":"U","unknownField":{"x":[1]}}"#)
            #expect(ignored["key"] == .string("u"))

            try await server.createSegment("s")
            let rule = try await server.ok(.post, flags + "/n/rules", #"{"segmentKey":"s","rank":"3"}"#)
            #expect(rule["rank"] == .number(3))
            let op = try await server.ok(.post, flags + "/n/rules", #"{"segmentKey":"s","rank":1,"segmentOperator":1}"#)
            #expect(op["segmentOperator"] == .string("OR_SEGMENT_OPERATOR"))
            let vid = try await server.createVariant("n", "v")
            let d = try await server.ok(.post, flags + "/n/rules/\(try #require(rule["id"]?.string))/distributions",
                #"{"variantId":"\#(vid)","rollout":"12.5"}"#)
            #expect(d["rollout"] == .number(12.5))

            // An empty body is {}: validation runs on the defaults.
            expectInvalid(try await server.call(.post, flags, ""), "invalid field key: must not be empty")
            expectInvalid(try await server.call(.post, flags), "invalid field key: must not be empty")
            expectInvalid(try await server.call(.put, flags + "/n/rules/order", ""),
                "invalid field ruleIds: must contain atleast 2 elements")
            // Content-Type is not checked.
            let typed = try await server.call(.post, flags, #"{"key":"t","name":"T"}"#, headers: [.contentType: "text/plain"])
            #expect(typed.status == .ok)
        }
    }

    @Test func wrongTypesAreRejected() async throws {
        try await TestServer.run { server in
            let wrong = [
                #"{"key":"f","name":"F","enabled":"yes"}"#, #"{"key":"f","name":5}"#, #"{"key":["f"],"name":"F"}"#,
                #"{"key":"f","name":"F","enabled":1}"#, #"{"key":"f","name":"F","description":{}}"#,
                #"{"key":"f","name":"F","type":true}"#, #"{"key":"f","name":"F","metadata":[1]}"#,
            ]
            for body in wrong {
                expectInvalid(try await server.call(.post, flags, body), "invalid values for key(s) in json body")
            }
            for body in [#"[{"key":"f","name":"F"}]"#, #""f""#, "42", "true"] {
                expectBadRequest(try await server.call(.post, flags, body))
            }
            #expect(try await server.count(flags) == 0)
        }
    }

    @Test func prettyOmitsDefaults() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f", enabled: false)
            let r = try await server.call(.get, flags + "/f?pretty")
            #expect(r.status == .ok)
            let lines = r.body.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "{")
            #expect(lines.last == "}")
            #expect(lines[1] == #"  "key": "f","#)
            #expect(lines[2] == #"  "name": "f","#)
            #expect(!r.body.contains("description") && !r.body.contains("enabled") && !r.body.contains("variants"))
            #expect(r.body.contains(#"  "type": "VARIANT_FLAG_TYPE""#))
            #expect(r.json["key"] == .string("f"))

            let empty = try await server.call(.get, flags + "/f?pretty=false&x=1")
            #expect(empty.body.hasPrefix("{\n  \"key\""), "any value switches pretty on")
            let list = try await server.call(.get, "/api/v1/namespaces?pretty")
            #expect(list.body.contains("\n  \"namespaces\": [\n    {\n      \"key\": \"default\","))
        }
    }

    @Test func gzipWhenAccepted() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            let plain = try await server.call(.get, flags + "/f")
            #expect(plain.headers[.contentEncoding] == nil)
            let zipped = try await server.call(.get, flags + "/f", headers: [.acceptEncoding: "gzip, deflate"])
            #expect(zipped.status == .ok)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(Array(zipped.bytes.prefix(2)) == [0x1f, 0x8b])
            var buffer = ByteBuffer(bytes: zipped.bytes)
            let inflated = try buffer.decompress(with: .gzip())
            #expect(String(buffer: inflated) == plain.body)

            let error = try await server.call(.get, flags + "/nope", headers: [.acceptEncoding: "gzip"])
            #expect(error.status == .notFound)
            var errorBuffer = ByteBuffer(bytes: error.bytes)
            if error.headers[.contentEncoding] == "gzip" {
                #expect(String(buffer: try errorBuffer.decompress(with: .gzip())) == errorBody(5, #"flag "default/nope" not found"#))
            } else {
                #expect(error.body == errorBody(5, #"flag "default/nope" not found"#))
            }
        }
    }

    @Test func timestampsAndIdentifiers() async throws {
        try await TestServer.run { server in
            let flag = try await server.createFlag("f")
            let stamp = try #require(flag["createdAt"]?.string)
            #expect(isRFC3339(flag["createdAt"]) && isRFC3339(flag["updatedAt"]))
            #expect(flag["createdAt"] == flag["updatedAt"])
            // Microsecond precision at most.
            if let dot = stamp.firstIndex(of: ".") {
                #expect(stamp[dot...].count - 2 <= 6)
            }
            let a = try await server.createVariant("f", "a")
            let b = try await server.createVariant("f", "b")
            #expect(a != b)
        }
    }
}
