import HoistCore
import Hummingbird
import Testing

@Suite struct NamespaceAPITests {
    @Test func freshDatabaseHasProtectedDefault() async throws {
        try await TestServer.run { server in
            let list = try await server.ok(.get, "/api/v1/namespaces")
            #expect(list.keys == ["namespaces", "nextPageToken", "totalCount"])
            #expect(list["totalCount"] == .number(1))
            #expect(list["nextPageToken"] == .string(""))
            let ns = try #require(list["namespaces"]?.array?.first)
            #expect(ns["key"] == .string("default"))
            #expect(ns["name"] == .string("Default"))
            #expect(ns["description"] == .string("Default namespace"))
            #expect(ns["protected"] == .bool(true))
            #expect(isRFC3339(ns["createdAt"]))
        }
    }

    @Test func createGetUpdate() async throws {
        try await TestServer.run { server in
            let created = try await server.ok(.post, "/api/v1/namespaces",
                #"{"key":"prod","name":"Production","protected":true}"#)
            #expect(created.keys == ["key", "name", "description", "protected", "createdAt", "updatedAt"])
            #expect(created["description"] == .string(""))
            #expect(created["protected"] == .bool(false), "protected cannot be set via the API")
            #expect(isRFC3339(created["createdAt"]) && isRFC3339(created["updatedAt"]))

            let got = try await server.ok(.get, "/api/v1/namespaces/prod?reference=main")
            #expect(got == created)

            try await Task.sleep(for: .milliseconds(2))
            let updated = try await server.ok(.put, "/api/v1/namespaces/prod", #"{"name":"Prod","key":"other"}"#)
            #expect(updated["key"] == .string("prod"), "the path key wins over the body")
            #expect(updated["name"] == .string("Prod"))
            #expect(updated["description"] == .string(""))
            #expect(updated["createdAt"] == created["createdAt"])
            #expect(updated["updatedAt"] != created["updatedAt"])

            let described = try await server.ok(.put, "/api/v1/namespaces/prod", #"{"name":"Prod","description":"d"}"#)
            #expect(described["description"] == .string("d"))
            let cleared = try await server.ok(.put, "/api/v1/namespaces/prod", #"{"name":"Prod"}"#)
            #expect(cleared["description"] == .string(""), "PUT is a full replacement")
            #expect(try await server.count("/api/v1/namespaces") == 2)
        }
    }

    @Test func createValidation() async throws {
        try await TestServer.run { server in
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"name":"n"}"#),
                "invalid field key: must not be empty")
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"a b","name":"n"}"#),
                "invalid field key: contains invalid characters")
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"a/b","name":"n"}"#),
                "invalid field key: contains invalid characters")
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"ünï","name":"n"}"#),
                "invalid field key: contains invalid characters")
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"k"}"#),
                "invalid field name: must not be empty")
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", ""),
                "invalid field key: must not be empty")
            // key checked before name
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"!"}"#),
                "invalid field key: contains invalid characters")
            let odd = try await server.ok(.post, "/api/v1/namespaces", #"{"key":"a,b-c_D9","name":"n"}"#)
            #expect(odd["key"] == .string("a,b-c_D9"))
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"a,b-c_D9","name":"x"}"#),
                #"namespace "a,b-c_D9" is not unique"#)
            expectInvalid(try await server.call(.post, "/api/v1/namespaces", #"{"key":"default","name":"x"}"#),
                #"namespace "default" is not unique"#)
            expectBadRequest(try await server.call(.post, "/api/v1/namespaces",
                #"{"key":"\#(String(repeating: "k", count: 256))","name":"n"}"#))
            try await server.ok(.post, "/api/v1/namespaces", #"{"key":"\#(String(repeating: "k", count: 255))","name":"n"}"#)
            #expect(try await server.count("/api/v1/namespaces") == 3)
        }
    }

    @Test func getUpdateDeleteMissing() async throws {
        try await TestServer.run { server in
            expectNotFound(try await server.call(.get, "/api/v1/namespaces/nope"), #"namespace "nope" not found"#)
            expectNotFound(try await server.call(.put, "/api/v1/namespaces/nope", #"{"name":"x"}"#),
                #"namespace "nope" not found"#)
            expectInvalid(try await server.call(.put, "/api/v1/namespaces/nope", #"{}"#),
                "invalid field name: must not be empty")
            expectNotFound(try await server.call(.delete, "/api/v1/namespaces/nope"), #"namespace "nope" not found"#)
            expectNotFound(try await server.call(.delete, "/api/v1/namespaces/nope?force=true"),
                #"namespace "nope" not found"#)
        }
    }

    @Test func deleteRules() async throws {
        try await TestServer.run { server in
            expectInvalid(try await server.call(.delete, "/api/v1/namespaces/default"),
                #"namespace "default" is protected"#)
            expectInvalid(try await server.call(.delete, "/api/v1/namespaces/default?force=false"),
                #"namespace "default" is protected"#)
            expectBadRequest(try await server.call(.delete, "/api/v1/namespaces/default?force=maybe"))

            try await server.createNamespace("staging")
            try await server.createSegment("seg", ns: "staging")
            expectEmptyOK(try await server.call(.delete, "/api/v1/namespaces/staging"))  // segments don't block
            expectNotFound(try await server.call(.get, "/api/v1/namespaces/staging"), #"namespace "staging" not found"#)

            try await server.createNamespace("qa")
            try await server.createFlag("f", ns: "qa")
            expectInvalid(try await server.call(.delete, "/api/v1/namespaces/qa"),
                #"namespace "qa" cannot be deleted; flags must be deleted first"#)
            #expect(try await server.count("/api/v1/namespaces/qa/flags") == 1)
            expectEmptyOK(try await server.call(.delete, "/api/v1/namespaces/qa?force=true"))
            // Children cascade: a recreated namespace is empty.
            try await server.createNamespace("qa")
            #expect(try await server.count("/api/v1/namespaces/qa/flags") == 0)
            expectNotFound(try await server.call(.get, "/api/v1/namespaces/qa/flags/f"), #"flag "qa/f" not found"#)

            // Even the protected default namespace can be force-deleted (flipt import --drop).
            try await server.createFlag("g")
            expectEmptyOK(try await server.call(.delete, "/api/v1/namespaces/default?force=1"))
            expectNotFound(try await server.call(.get, "/api/v1/namespaces/default"), #"namespace "default" not found"#)
            let recreated = try await server.ok(.post, "/api/v1/namespaces",
                #"{"key":"default","name":"Default","description":"Default namespace"}"#)
            #expect(recreated["protected"] == .bool(false))
            #expect(try await server.count("/api/v1/namespaces/default/flags") == 0)
        }
    }

    @Test func flagsInMissingNamespace() async throws {
        try await TestServer.run { server in
            expectNotFound(try await server.call(.post, "/api/v1/namespaces/ghost/flags", #"{"key":"f","name":"F"}"#),
                #"namespace "ghost" not found"#)
            expectNotFound(try await server.call(.post, "/api/v1/namespaces/ghost/segments", #"{"key":"s","name":"S"}"#),
                #"namespace "ghost" not found"#)
            // Listing children of a missing namespace is an empty list.
            let flags = try await server.ok(.get, "/api/v1/namespaces/ghost/flags")
            #expect(flags.compactText == #"{"flags":[],"nextPageToken":"","totalCount":0}"#)
            let segments = try await server.ok(.get, "/api/v1/namespaces/ghost/segments")
            #expect(segments.compactText == #"{"segments":[],"nextPageToken":"","totalCount":0}"#)
        }
    }
}
