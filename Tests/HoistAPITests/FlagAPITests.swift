import HoistCore
import Hummingbird
import Testing

@Suite struct FlagAPITests {
    let flags = "/api/v1/namespaces/default/flags"

    @Test func createEmitsDefaultsAndOmitsOptionals() async throws {
        try await TestServer.run { server in
            let created = try await server.ok(.post, flags, #"{"key":"f","name":"F"}"#)
            #expect(created.keys == [
                "key", "name", "description", "enabled", "createdAt", "updatedAt", "variants", "namespaceKey", "type",
            ])
            #expect(created["description"] == .string(""))
            #expect(created["enabled"] == .bool(false))
            #expect(created["variants"] == .array([]))
            #expect(created["namespaceKey"] == .string("default"))
            #expect(created["type"] == .string("VARIANT_FLAG_TYPE"))
            #expect(isRFC3339(created["createdAt"]))

            let boolean = try await server.ok(.post, flags,
                #"{"key":"b","name":"B","type":"BOOLEAN_FLAG_TYPE","enabled":true,"description":"d"}"#)
            #expect(boolean["type"] == .string("BOOLEAN_FLAG_TYPE"))
            #expect(boolean["enabled"] == .bool(true))

            let got = try await server.ok(.get, flags + "/f")
            #expect(got == created)
            #expect(got["defaultVariant"] == nil && got["metadata"] == nil)
        }
    }

    @Test func metadataQuirk() async throws {
        try await TestServer.run { server in
            let plain = try await server.ok(.post, flags, #"{"key":"plain","name":"P"}"#)
            #expect(plain["metadata"] == nil, "create echoes metadata only when sent")
            let withMeta = try await server.ok(.post, flags,
                #"{"key":"meta","name":"M","metadata":{"team":"core","n":1,"nested":{"a":[true,null]}}}"#)
            #expect(withMeta["metadata"]?.compactText == #"{"team":"core","n":1,"nested":{"a":[true,null]}}"#)

            #expect(try await server.ok(.get, flags + "/plain")["metadata"] == nil)
            #expect(try await server.ok(.get, flags + "/meta")["metadata"]?["team"] == .string("core"))
            let list = try await server.ok(.get, flags)
            let items = try #require(list["flags"]?.array)
            #expect(items[0]["metadata"]?.compactText == "{}", "list returns {} for flags without metadata")
            #expect(items[1]["metadata"]?["n"] == .number(1))

            // Update: omitted → unchanged; {} → cleared.
            try await server.ok(.put, flags + "/meta", #"{"name":"M"}"#)
            #expect(try await server.ok(.get, flags + "/meta")["metadata"]?["team"] == .string("core"))
            try await server.ok(.put, flags + "/meta", #"{"name":"M","metadata":{}}"#)
            #expect(try await server.ok(.get, flags + "/meta")["metadata"] == nil)

            let wrong = try await server.call(.post, flags, #"{"key":"x","name":"X","metadata":"nope"}"#)
            expectInvalid(wrong, "invalid values for key(s) in json body")
            #expect(try await server.count(flags) == 2)
        }
    }

    @Test func updateSemantics() async throws {
        try await TestServer.run { server in
            let created = try await server.ok(.post, flags, #"{"key":"f","name":"F","enabled":true,"description":"d"}"#)
            let blue = try await server.createVariant("f", "blue", attachment: #"{ "c": 1 }"#)
            try await server.createFlag("other")
            let foreign = try await server.createVariant("other", "red")

            try await Task.sleep(for: .milliseconds(2))
            let updated = try await server.ok(.put, flags + "/f",
                #"{"name":"F2","defaultVariantId":"\#(blue)","type":"BOOLEAN_FLAG_TYPE","key":"zzz"}"#)
            #expect(updated["key"] == .string("f"))
            #expect(updated["name"] == .string("F2"))
            #expect(updated["description"] == .string(""), "omitted description is cleared")
            #expect(updated["enabled"] == .bool(false), "omitted enabled is false")
            #expect(updated["type"] == .string("VARIANT_FLAG_TYPE"), "type is immutable")
            #expect(updated["createdAt"] == created["createdAt"])
            #expect(updated["updatedAt"] != created["updatedAt"])
            let def = try #require(updated["defaultVariant"])
            #expect(def["id"] == .string(blue))
            #expect(def["key"] == .string("blue"))
            #expect(def["attachment"] == .string(#"{"c":1}"#))
            #expect(def == updated["variants"]?.array?.first, "defaultVariant is the full variant")
            #expect(try await server.ok(.get, flags + "/f")["defaultVariant"]?["id"] == .string(blue))

            // A variant of another flag, or an unknown id, is rejected.
            expectInvalid(try await server.call(.put, flags + "/f", #"{"name":"F","defaultVariantId":"\#(foreign)"}"#),
                #"variant "\#(foreign)" not found for flag "default/f""#)
            expectInvalid(try await server.call(.put, flags + "/f", #"{"name":"F","defaultVariantId":"nope"}"#),
                #"variant "nope" not found for flag "default/f""#)
            #expect(try await server.ok(.get, flags + "/f")["name"] == .string("F2"), "failed update wrote nothing")

            // Omitted defaultVariantId clears the default.
            let cleared = try await server.ok(.put, flags + "/f", #"{"name":"F","enabled":true}"#)
            #expect(cleared["defaultVariant"] == nil)
            #expect(cleared["enabled"] == .bool(true))

            expectInvalid(try await server.call(.put, flags + "/f", #"{"enabled":true}"#),
                "invalid field name: must not be empty")
            expectNotFound(try await server.call(.put, flags + "/nope", #"{"name":"x"}"#), #"flag "default/nope" not found"#)
        }
    }

    @Test func createValidationAndUniqueness() async throws {
        try await TestServer.run { server in
            expectInvalid(try await server.call(.post, flags, #"{"name":"F"}"#), "invalid field key: must not be empty")
            expectInvalid(try await server.call(.post, flags, #"{"key":"a.b","name":"F"}"#),
                "invalid field key: contains invalid characters")
            expectInvalid(try await server.call(.post, flags, #"{"key":"f"}"#), "invalid field name: must not be empty")
            expectBadRequest(try await server.call(.post, flags,
                #"{"key":"\#(String(repeating: "x", count: 300))","name":"F"}"#))
            try await server.ok(.post, flags, #"{"key":"f","name":"F"}"#)
            expectInvalid(try await server.call(.post, flags, #"{"key":"f","name":"F"}"#), #"flag "default/f" is not unique"#)
            // The same key in another namespace is fine.
            try await server.createNamespace("other")
            try await server.createFlag("f", ns: "other")
            #expect(try await server.count(flags) == 1)
        }
    }

    @Test func getAndDelete() async throws {
        try await TestServer.run { server in
            expectNotFound(try await server.call(.get, flags + "/nope"), #"flag "default/nope" not found"#)
            expectEmptyOK(try await server.call(.delete, flags + "/nope"))
            try await server.createFlag("f")
            try await server.createVariant("f", "v")
            expectEmptyOK(try await server.call(.delete, flags + "/f"))
            expectNotFound(try await server.call(.get, flags + "/f"), #"flag "default/f" not found"#)
            // Variants cascaded: the key can be reused on a recreated flag.
            try await server.createFlag("f")
            try await server.createVariant("f", "v")
            #expect(try await server.ok(.get, flags + "/f")["variants"]?.array?.count == 1)
        }
    }

    @Test func variantLifecycle() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            let v = try await server.ok(.post, flags + "/f/variants",
                #"{"key":"blue","name":"Blue","attachment":"{ \"color\" :  \"blue\" }"}"#)
            #expect(v.keys == [
                "id", "flagKey", "key", "name", "description", "createdAt", "updatedAt", "attachment", "namespaceKey",
            ])
            let id = try #require(v["id"]?.string)
            #expect(isUUID(.string(id)))
            #expect(v["attachment"] == .string(#"{"color":"blue"}"#))
            #expect(v["description"] == .string(""))
            let red = try await server.createVariant("f", "red")

            // Get compacts, list returns the attachment as stored.
            let flag = try await server.ok(.get, flags + "/f")
            #expect(flag["variants"]?.array?.map { $0["key"] } == [.string("blue"), .string("red")])
            #expect(flag["variants"]?.array?.first?["attachment"] == .string(#"{"color":"blue"}"#))
            let listed = try await server.ok(.get, flags)
            #expect(listed["flags"]?.array?.first?["variants"]?.array?.first?["attachment"]
                == .string(#"{ "color" :  "blue" }"#))

            // Update: full replacement, compacted response.
            let updated = try await server.ok(.put, flags + "/f/variants/\(id)", #"{"key":"navy","attachment":"[1, 2]"}"#)
            #expect(updated["key"] == .string("navy"))
            #expect(updated["name"] == .string(""))
            #expect(updated["attachment"] == .string("[1,2]"))
            #expect(updated["createdAt"] == v["createdAt"])
            let noAttachment = try await server.ok(.put, flags + "/f/variants/\(id)", #"{"key":"navy"}"#)
            #expect(noAttachment["attachment"] == .string(""))

            expectInvalid(try await server.call(.put, flags + "/f/variants/\(id)", #"{"key":"red"}"#),
                #"variant "red" is not unique for flag "default/f""#)
            expectNotFound(try await server.call(.put, flags + "/f/variants/nope", #"{"key":"k"}"#), #"variant "k" not found"#)
            expectNotFound(try await server.call(.put, flags + "/g/variants/\(id)", #"{"key":"k"}"#), #"variant "k" not found"#)
            expectInvalid(try await server.call(.put, flags + "/f/variants/\(id)", #"{"name":"x"}"#),
                "invalid field key: must not be empty")

            // Delete: idempotent, clears the default variant.
            try await server.ok(.put, flags + "/f", #"{"name":"F","defaultVariantId":"\#(red)"}"#)
            expectEmptyOK(try await server.call(.delete, flags + "/f/variants/\(red)"))
            expectEmptyOK(try await server.call(.delete, flags + "/f/variants/\(red)"))
            let after = try await server.ok(.get, flags + "/f")
            #expect(after["defaultVariant"] == nil)
            #expect(after["variants"]?.array?.count == 1)
        }
    }

    @Test func variantValidation() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f")
            let variants = flags + "/f/variants"
            expectInvalid(try await server.call(.post, variants, #"{"name":"n"}"#), "invalid field key: must not be empty")
            expectInvalid(try await server.call(.post, variants, #"{"key":"k","attachment":"{not json"}"#),
                "invalid field attachment: must be a json string")
            expectInvalid(try await server.call(.post, variants, #"{"key":"k","attachment":"plain text"}"#),
                "invalid field attachment: must be a json string")
            let huge = String(repeating: "a", count: 1000 * 1024)
            expectInvalid(try await server.call(.post, variants, #"{"key":"k","attachment":"\"\#(huge)\""}"#),
                "invalid field attachment: must be less than 1000 KB")
            expectBadRequest(try await server.call(.post, variants,
                #"{"key":"\#(String(repeating: "k", count: 256))"}"#))
            expectNotFound(try await server.call(.post, flags + "/nope/variants", #"{"key":"k"}"#),
                #"flag "default/nope" not found"#)
            #expect(try await server.ok(.get, flags + "/f")["variants"] == .array([]), "nothing was written")

            // Any JSON text is a valid attachment; variant keys have no character rule.
            for attachment in [#"\"str\""#, "42", "true", "null", "[]"] {
                try await server.ok(.post, variants, #"{"key":"k \#(attachment)","attachment":"\#(attachment)"}"#)
            }
            try await server.ok(.post, variants, #"{"key":"blue"}"#)
            expectInvalid(try await server.call(.post, variants, #"{"key":"blue"}"#),
                #"variant "blue" is not unique for flag "default/f""#)
            #expect(try await server.ok(.get, flags + "/f")["variants"]?.array?.count == 6)
        }
    }
}
