import Foundation
import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct PaginationTests {
    static func decode(_ token: String) -> String {
        String(decoding: Data(base64Encoded: token) ?? Data(), as: UTF8.self)
    }

    static func encode(_ json: String) -> String { Data(json.utf8).base64EncodedString() }

    @Test func flagsPagedByToken() async throws {
        try await withStore { store, _ in
            for i in 1...7 { try await store.makeFlag("flag\(i)") }
            var page = try await store.listFlags(namespaceKey: "default", page: PageRequest(limit: 2))
            #expect(page.items.map(\.key) == ["flag1", "flag2"])
            #expect(page.totalCount == 7)
            #expect(page.nextPageToken == "eyJrZXkiOiJmbGFnMyIsIm9mZnNldCI6Mn0=")  // {"key":"flag3","offset":2}
            var seen = page.items.map(\.key)
            while !page.nextPageToken.isEmpty {
                page = try await store.listFlags(
                    namespaceKey: "default", page: PageRequest(limit: 2, pageToken: page.nextPageToken))
                #expect(page.totalCount == 7)
                seen += page.items.map(\.key)
            }
            #expect(seen == (1...7).map { "flag\($0)" })
            #expect(page.items.map(\.key) == ["flag7"])

            // Exactly filling the last page gives no token.
            let last = try await store.listFlags(namespaceKey: "default", page: PageRequest(limit: 3, offset: 4))
            #expect(last.items.map(\.key) == ["flag5", "flag6", "flag7"])
            #expect(last.nextPageToken == "")
        }
    }

    @Test func offsetsAndTokenPrecedence() async throws {
        try await withStore { store, _ in
            for i in 1...5 { try await store.makeSegment("s\(i)") }
            var page = try await store.listSegments(namespaceKey: "default", page: PageRequest(limit: 2, offset: 1))
            #expect(page.items.map(\.key) == ["s2", "s3"])
            #expect(Self.decode(page.nextPageToken) == #"{"key":"s4","offset":3}"#)
            // The token wins over offset; only its offset is read.
            let token = Self.encode(#"{"key":"whatever","offset":4}"#)
            page = try await store.listSegments(
                namespaceKey: "default", page: PageRequest(limit: 2, offset: 1, pageToken: token))
            #expect(page.items.map(\.key) == ["s5"])
            #expect(page.nextPageToken == "")
            // No limit returns everything from the offset; beyond the end is empty.
            page = try await store.listSegments(namespaceKey: "default", page: PageRequest(offset: 3))
            #expect(page.items.map(\.key) == ["s4", "s5"])
            page = try await store.listSegments(namespaceKey: "default", page: PageRequest(limit: 10, offset: 50))
            #expect(page.items.isEmpty && page.totalCount == 5)
            // Case-insensitive field names and a key-less token, as Go decodes them.
            page = try await store.listSegments(
                namespaceKey: "default", page: PageRequest(limit: 1, pageToken: Self.encode(#"{"OFFSET":2}"#)))
            #expect(page.items.map(\.key) == ["s3"])
        }
    }

    @Test func invalidTokens() async throws {
        try await withStore { store, _ in
            for token in ["not-base64!", "eyJr", Self.encode("[]"), Self.encode(#"{"offset":-1}"#),
                          Self.encode(#"{"offset":1.5}"#), Self.encode(#"{"key":1}"#), Self.encode("{")]
            {
                await expectError(.invalid, "pageToken is not valid: \"\(token)\"") {
                    _ = try await store.listFlags(namespaceKey: "default", page: PageRequest(limit: 1, pageToken: token))
                }
            }
            // null and {} decode to offset 0.
            try await store.makeFlag("f")
            for token in [Self.encode("null"), Self.encode("{}")] {
                let page = try await store.listFlags(namespaceKey: "default", page: PageRequest(limit: 1, pageToken: token))
                #expect(page.items.map(\.key) == ["f"])
            }
        }
    }

    @Test func namespacesRulesRolloutsPage() async throws {
        try await withStore { store, _ in
            for key in ["b", "a", "c"] { try await store.makeNamespace(key) }
            let namespaces = try await store.listNamespaces(page: PageRequest(limit: 2))
            #expect(namespaces.items.map(\.key) == ["default", "b"])
            #expect(namespaces.totalCount == 4)
            #expect(Self.decode(namespaces.nextPageToken) == #"{"key":"a","offset":2}"#)

            try await store.makeFlag("f")
            try await store.makeSegment("s")
            var rules: [Rule] = []
            for rank in 1...3 { rules.append(try await store.makeRule(flag: "f", segments: ["s"], rank: Int32(rank))) }
            let rulePage = try await store.listRules(namespaceKey: "default", flagKey: "f", page: PageRequest(limit: 1))
            #expect(rulePage.items.map(\.id) == [rules[0].id])
            #expect(rulePage.items[0].segmentKeys == ["s"])
            #expect(Self.decode(rulePage.nextPageToken) == "{\"key\":\"\(rules[1].id)\",\"offset\":1}")
            let second = try await store.listRules(
                namespaceKey: "default", flagKey: "f", page: PageRequest(limit: 5, pageToken: rulePage.nextPageToken))
            #expect(second.items.map(\.id) == [rules[1].id, rules[2].id])
            #expect(second.totalCount == 3)

            var rollouts: [Rollout] = []
            for rank in 1...3 { rollouts.append(try await store.makeThreshold(flag: "f", rank: Int32(rank))) }
            let rolloutPage = try await store.listRollouts(
                namespaceKey: "default", flagKey: "f", page: PageRequest(limit: 2))
            #expect(rolloutPage.items.map(\.id) == [rollouts[0].id, rollouts[1].id])
            #expect(Self.decode(rolloutPage.nextPageToken) == "{\"key\":\"\(rollouts[2].id)\",\"offset\":2}")
            #expect(try await store.listRollouts(namespaceKey: "default", flagKey: "zz", page: PageRequest()).totalCount == 0)
        }
    }

    @Test func pagedFlagsCarryTheirOwnVariants() async throws {
        try await withStore { store, _ in
            for i in 1...4 {
                try await store.makeFlag("f\(i)")
                try await store.makeVariant("v\(i)a", flag: "f\(i)")
                try await store.makeVariant("v\(i)b", flag: "f\(i)")
            }
            let page = try await store.listFlags(namespaceKey: "default", page: PageRequest(limit: 2, offset: 1))
            #expect(page.items.map(\.key) == ["f2", "f3"])
            #expect(page.items.map { $0.variants.map(\.key) } == [["v2a", "v2b"], ["v3a", "v3b"]])
        }
    }
}
