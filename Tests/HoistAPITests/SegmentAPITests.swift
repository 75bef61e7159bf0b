import HoistCore
import Hummingbird
import Testing

@Suite struct SegmentAPITests {
    let segments = "/api/v1/namespaces/default/segments"

    @Test func createGetUpdateList() async throws {
        try await TestServer.run { server in
            let created = try await server.ok(.post, segments, #"{"key":"beta","name":"Beta"}"#)
            #expect(created.keys == [
                "key", "name", "description", "createdAt", "updatedAt", "constraints", "matchType", "namespaceKey",
            ])
            #expect(created["matchType"] == .string("ALL_MATCH_TYPE"))
            #expect(created["constraints"] == .array([]))
            #expect(created["description"] == .string(""))
            #expect(try await server.ok(.get, segments + "/beta") == created)

            let any = try await server.ok(.post, segments, #"{"key":"any","name":"Any","matchType":"ANY_MATCH_TYPE"}"#)
            #expect(any["matchType"] == .string("ANY_MATCH_TYPE"))
            let updated = try await server.ok(.put, segments + "/any", #"{"name":"Any2","description":"x"}"#)
            #expect(updated["matchType"] == .string("ALL_MATCH_TYPE"), "omitted matchType resets to ALL")
            #expect(updated["name"] == .string("Any2"))
            #expect(updated["createdAt"] == any["createdAt"])

            let list = try await server.ok(.get, segments)
            #expect(list["segments"]?.array?.map { $0["key"] } == [.string("beta"), .string("any")])
            #expect(list["totalCount"] == .number(2))

            expectInvalid(try await server.call(.put, segments + "/any", #"{"description":"x"}"#),
                "invalid field name: must not be empty")
            expectNotFound(try await server.call(.put, segments + "/nope", #"{"name":"x"}"#),
                #"segment "default/nope" not found"#)
            expectNotFound(try await server.call(.get, segments + "/nope"), #"segment "default/nope" not found"#)
        }
    }

    @Test func createValidation() async throws {
        try await TestServer.run { server in
            expectInvalid(try await server.call(.post, segments, #"{"name":"S"}"#), "invalid field key: must not be empty")
            expectInvalid(try await server.call(.post, segments, #"{"key":"s!","name":"S"}"#),
                "invalid field key: contains invalid characters")
            expectInvalid(try await server.call(.post, segments, #"{"key":"s"}"#), "invalid field name: must not be empty")
            expectBadRequest(try await server.call(.post, segments,
                #"{"key":"\#(String(repeating: "s", count: 256))","name":"S"}"#))
            try await server.createSegment("s")
            expectInvalid(try await server.call(.post, segments, #"{"key":"s","name":"S"}"#),
                #"segment "default/s" is not unique"#)
            #expect(try await server.count(segments) == 1)
        }
    }

    @Test func deleteInUseAndCascade() async throws {
        try await TestServer.run { server in
            try await server.createSegment("s")
            try await server.createSegment("t")
            try await server.createFlag("f")
            try await server.createFlag("b", type: "BOOLEAN_FLAG_TYPE")
            let rule = try await server.createRule("f", segment: "s", rank: 1)
            try await server.ok(.post, "/api/v1/namespaces/default/flags/b/rollouts",
                #"{"rank":1,"segment":{"segmentKey":"t","value":true}}"#)
            expectInvalid(try await server.call(.delete, segments + "/s"), #"segment "default/s" is in use"#)
            expectInvalid(try await server.call(.delete, segments + "/t"), #"segment "default/t" is in use"#)
            try await server.call(.delete, "/api/v1/namespaces/default/flags/f/rules/\(rule)")
            expectEmptyOK(try await server.call(.delete, segments + "/s"))
            expectEmptyOK(try await server.call(.delete, segments + "/s"))
            expectNotFound(try await server.call(.get, segments + "/s"), #"segment "default/s" not found"#)

            try await server.createSegment("s")
            try await server.ok(.post, segments + "/s/constraints",
                #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq","value":"v"}"#)
            try await server.call(.delete, segments + "/s")
            try await server.createSegment("s")
            #expect(try await server.ok(.get, segments + "/s")["constraints"] == .array([]), "constraints cascaded")
        }
    }

    @Test func constraintLifecycle() async throws {
        try await TestServer.run { server in
            try await server.createSegment("s")
            let c = try await server.ok(.post, segments + "/s/constraints",
                #"{"type":"STRING_COMPARISON_TYPE","property":"plan","operator":"EQ","value":"pro","description":"d"}"#)
            #expect(c.keys == [
                "id", "segmentKey", "type", "property", "operator", "value", "createdAt", "updatedAt", "namespaceKey",
                "description",
            ])
            #expect(isUUID(c["id"]))
            #expect(c["operator"] == .string("eq"), "operators are stored lower-cased")
            #expect(c["segmentKey"] == .string("s"))
            let id = try #require(c["id"]?.string)

            let noValue = try await server.ok(.post, segments + "/s/constraints",
                #"{"type":"BOOLEAN_COMPARISON_TYPE","property":"admin","operator":"TRUE","value":"ignored"}"#)
            #expect(noValue["value"] == .string(""), "value cleared for no-value operators")
            #expect(noValue["operator"] == .string("true"))

            let dt = try await server.ok(.post, segments + "/s/constraints",
                #"{"type":"DATETIME_COMPARISON_TYPE","property":"at","operator":"gt","value":"2021-01-01T10:00:00.5+02:00"}"#)
            #expect(dt["value"] == .string("2021-01-01T08:00:00Z"))
            let day = try await server.ok(.post, segments + "/s/constraints",
                #"{"type":4,"property":"at","operator":"lt","value":"2021-01-01"}"#)
            #expect(day["value"] == .string("2021-01-01"))
            #expect(day["type"] == .string("DATETIME_COMPARISON_TYPE"))
            let loose = try await server.ok(.post, segments + "/s/constraints",
                #"{"type":"NUMBER_COMPARISON_TYPE","property":"n","operator":"eq","value":"abc"}"#)
            #expect(loose["value"] == .string("abc"), "no format check for NUMBER eq")

            let segment = try await server.ok(.get, segments + "/s")
            #expect(segment["constraints"]?.array?.map { $0["property"] }
                == ["plan", "admin", "at", "at", "n"].map { .string($0) })

            let updated = try await server.ok(.put, segments + "/s/constraints/\(id)",
                #"{"type":"ENTITY_ID_COMPARISON_TYPE","property":"entityId","operator":"isoneof","value":"[\"a\",\"b\"]"}"#)
            #expect(updated["id"] == .string(id))
            #expect(updated["type"] == .string("ENTITY_ID_COMPARISON_TYPE"))
            #expect(updated["description"] == .string(""))
            #expect(updated["createdAt"] == c["createdAt"])

            expectNotFound(try await server.call(.put, segments + "/s/constraints/nope",
                #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq","value":"v"}"#),
                #"constraint "nope" not found"#)
            expectNotFound(try await server.call(.post, segments + "/nope/constraints",
                #"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq","value":"v"}"#),
                #"segment "default/nope" not found"#)
            expectEmptyOK(try await server.call(.delete, segments + "/s/constraints/\(id)"))
            expectEmptyOK(try await server.call(.delete, segments + "/s/constraints/\(id)"))
            #expect(try await server.ok(.get, segments + "/s")["constraints"]?.array?.count == 4)
        }
    }

    @Test func constraintValidationMessages() async throws {
        try await TestServer.run { server in
            try await server.createSegment("s")
            let uri = segments + "/s/constraints"
            func check(_ body: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                expectInvalid(try await server.call(.post, uri, body), message, sourceLocation: sourceLocation)
            }
            try await check(#"{"type":"STRING_COMPARISON_TYPE","operator":"eq","value":"v"}"#,
                "invalid field property: must not be empty")
            try await check(#"{"type":"STRING_COMPARISON_TYPE","property":"p","value":"v"}"#,
                "invalid field operator: must not be empty")
            try await check(#"{"property":"p","operator":"eq","value":"v"}"#,
                #"invalid constraint type: "UNKNOWN_COMPARISON_TYPE""#)
            try await check(#"{"type":"UNKNOWN_COMPARISON_TYPE","property":"p","operator":"eq","value":"v"}"#,
                #"invalid constraint type: "UNKNOWN_COMPARISON_TYPE""#)
            try await check(#"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"LT","value":"v"}"#,
                #"constraint operator "LT" is not valid for type string"#)
            try await check(#"{"type":"NUMBER_COMPARISON_TYPE","property":"p","operator":"prefix","value":"1"}"#,
                #"constraint operator "prefix" is not valid for type number"#)
            try await check(#"{"type":"BOOLEAN_COMPARISON_TYPE","property":"p","operator":"eq","value":"1"}"#,
                #"constraint operator "eq" is not valid for type boolean"#)
            try await check(#"{"type":"DATETIME_COMPARISON_TYPE","property":"p","operator":"suffix","value":"1"}"#,
                #"constraint operator "suffix" is not valid for type datetime"#)
            try await check(#"{"type":"ENTITY_ID_COMPARISON_TYPE","property":"entityId","operator":"gt","value":"1"}"#,
                #"constraint operator "gt" is not valid for type entityId"#)
            try await check(#"{"type":"ENTITY_ID_COMPARISON_TYPE","property":"user","operator":"eq","value":"1"}"#,
                #"property is user instead of "entityId""#)
            try await check(#"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"eq"}"#,
                "invalid field value: must not be empty")
            try await check(#"{"type":"DATETIME_COMPARISON_TYPE","property":"p","operator":"eq","value":"yesterday"}"#,
                #"parsing datetime from "yesterday""#)
            try await check(#"{"type":"STRING_COMPARISON_TYPE","property":"p","operator":"isoneof","value":"[1,2]"}"#,
                #"invalid value provided for property "p" of type string"#)
            try await check(#"{"type":"NUMBER_COMPARISON_TYPE","property":"p","operator":"isnotoneof","value":"[\"a\"]"}"#,
                #"invalid value provided for property "p" of type number"#)
            try await check(#"{"type":"ENTITY_ID_COMPARISON_TYPE","property":"entityId","operator":"isoneof","value":"x"}"#,
                #"invalid value provided for property "entityId" of type entityId"#)
            let many = "[" + (0...100).map(String.init).joined(separator: ",") + "]"
            try await check(#"{"type":"NUMBER_COMPARISON_TYPE","property":"p","operator":"isoneof","value":"\#(many)"}"#,
                #"too many values provided for property "p" of type number (maximum 100)"#)
            let bogus = try await server.call(.post, uri, #"{"type":"BOGUS","property":"p","operator":"eq","value":"v"}"#)
            expectBadRequest(bogus)
            #expect(bogus["message"]?.string?.contains("ComparisonType") == true, "the message names the enum")
            #expect(try await server.ok(.get, segments + "/s")["constraints"] == .array([]), "nothing was written")

            let hundred = "[" + (1...100).map(String.init).joined(separator: ",") + "]"
            try await server.ok(.post, uri,
                #"{"type":"NUMBER_COMPARISON_TYPE","property":"p","operator":"isoneof","value":"\#(hundred)"}"#)
        }
    }
}
