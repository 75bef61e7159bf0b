import Foundation
import HoistCore
import HoistDocuments
import HoistStorage
import HoistStorageLocal
import Testing

/// A temporary directory of declarative files, removed when the test ends.
final class FlagDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "hoist-local-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ file: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func store() throws -> LocalFlagStore {
        try LocalFlagStore(path: path, clock: { Timestamp(microseconds: 1_700_000_000_000_000) })
    }
}

enum Documents {
    static func checkout(enabled: Bool = true, value: String = "true") -> String {
        """
        version: "1.4"
        namespace:
          key: shop
          name: Shop
        flags:
          - key: checkout
            name: Checkout
            type: BOOLEAN_FLAG_TYPE
            enabled: \(enabled)
            rollouts:
              - segment:
                  key: staff
                  value: \(value)
              - threshold:
                  percentage: 50
                  value: false
          - key: colour
            name: Colour
            variants:
              - key: red
              - key: blue
            rules:
              - segment: staff
                distributions:
                  - variant: blue
                    rollout: 100
          - key: banner
            name: Banner
        segments:
          - key: staff
            name: Staff
            constraints:
              - type: STRING_COMPARISON_TYPE
                property: email
                operator: suffix
                value: "@shop.example"
          - key: everyone
            name: Everyone
            match_type: ANY_MATCH_TYPE
        """
    }

    static let billing = """
        namespace: billing
        flags:
          - key: invoices
            name: Invoices
            enabled: true
        """
}

@Suite struct LocalFlagStoreTests {
    @Test func readsEveryEntityFromTheFilesFoundRecursively() async throws {
        let directory = try FlagDirectory()
        try directory.write("features.yml", Documents.checkout())
        try directory.write("teams/billing/invoices.features.yaml", Documents.billing)
        try directory.write("teams/notes.yml", "namespace: ignored\nflags: [{key: x, name: X}]\n")
        try directory.write(".git/features.yml", "not: [valid")
        let store = try directory.store()

        let namespaces = try await store.listNamespaces(page: PageRequest())
        #expect(namespaces.items.map(\.key) == ["default", "shop", "billing"])
        #expect(try await store.getNamespace(key: "shop").name == "Shop")
        await #expect(throws: HoistError.notFound("namespace \"ignored\" not found")) {
            try await store.getNamespace(key: "ignored")
        }

        let flags = try await store.listFlags(namespaceKey: "shop", page: PageRequest())
        #expect(flags.items.map(\.key) == ["checkout", "colour", "banner"])
        #expect(flags.items.allSatisfy { $0.metadata != nil }, "listed flags carry {} metadata")
        #expect(try await store.getFlag(namespaceKey: "shop", key: "checkout").type == .boolean)
        await #expect(throws: HoistError.notFound("flag \"shop/nope\" not found")) {
            try await store.getFlag(namespaceKey: "shop", key: "nope")
        }
        #expect(try await store.getFlag(namespaceKey: "billing", key: "invoices").enabled)

        let segments = try await store.listSegments(namespaceKey: "shop", page: PageRequest())
        #expect(segments.items.map(\.key) == ["staff", "everyone"])
        #expect(try await store.getSegment(namespaceKey: "shop", key: "staff").constraints.first?.property == "email")

        let rules = try await store.listRules(namespaceKey: "shop", flagKey: "colour", page: PageRequest())
        #expect(rules.items.count == 1)
        let rule = try #require(rules.items.first)
        #expect(rule.segmentKeys == ["staff"])
        #expect(try await store.getRule(namespaceKey: "shop", id: rule.id).id == rule.id)
        await #expect(throws: HoistError.notFound("rule \"shop/missing\" not found")) {
            try await store.getRule(namespaceKey: "shop", id: "missing")
        }

        let rollouts = try await store.listRollouts(namespaceKey: "shop", flagKey: "checkout", page: PageRequest())
        #expect(rollouts.items.map(\.rank) == [1, 2])
        #expect(try await store.getRollout(namespaceKey: "shop", id: rollouts.items[1].id).rank == 2)

        let state = try await store.namespaceState(key: "shop")
        #expect(state.flags.count == 3)
        #expect(Set(try await store.namespaceVersions().keys) == ["default", "shop", "billing"])
        try await store.ping()
    }

    @Test func pagesLikeTheDatabase() async throws {
        let directory = try FlagDirectory()
        try directory.write("features.yml", Documents.checkout())
        let store = try directory.store()

        let first = try await store.listFlags(namespaceKey: "shop", page: PageRequest(limit: 2))
        #expect(first.items.map(\.key) == ["checkout", "colour"])
        #expect(first.totalCount == 3)
        #expect(!first.nextPageToken.isEmpty)
        let second = try await store.listFlags(
            namespaceKey: "shop", page: PageRequest(limit: 2, pageToken: first.nextPageToken))
        #expect(second.items.map(\.key) == ["banner"])
        #expect(second.nextPageToken == "")
        let byOffset = try await store.listFlags(namespaceKey: "shop", page: PageRequest(limit: 1, offset: 1))
        #expect(byOffset.items.map(\.key) == ["colour"])
        await #expect(throws: HoistError.self) {
            try await store.listFlags(namespaceKey: "shop", page: PageRequest(pageToken: "%%%"))
        }
        let none = try await store.listFlags(namespaceKey: "nowhere", page: PageRequest())
        #expect(none.items.isEmpty && none.totalCount == 0)
    }

    @Test func everyWriteAnswersTheReadOnlyError() async throws {
        let directory = try FlagDirectory()
        try directory.write("features.yml", Documents.checkout())
        let store = try directory.store()
        let readOnly = HoistError.invalid("modification is not allowed in read-only mode")

        await #expect(throws: readOnly) {
            try await store.createFlag(CreateFlagRequest(namespaceKey: "shop", key: "new", name: "New"))
        }
        await #expect(throws: readOnly) { try await store.deleteFlag(namespaceKey: "shop", key: "checkout") }
        await #expect(throws: readOnly) { try await store.deleteNamespace(key: "shop", force: true) }
        await #expect(throws: readOnly) {
            try await store.createNamespace(CreateNamespaceRequest(key: "more", name: "More"))
        }
        await #expect(throws: readOnly) {
            try await store.deleteSegment(namespaceKey: "shop", key: "staff")
        }
        #expect(try await store.getFlag(namespaceKey: "shop", key: "checkout").enabled, "nothing changed")
    }
}
