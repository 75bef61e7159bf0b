import Foundation
import HoistCore
import HoistDocuments
import HoistStorage
import HoistStorageLocal
import Testing

@Suite struct LocalFlagStoreReloadTests {
    @Test func versionChangesOnlyForTheEditedNamespace() async throws {
        let directory = try FlagDirectory()
        try directory.write("features.yml", Documents.checkout())
        try directory.write("billing.features.yml", Documents.billing)
        let store = try directory.store()
        let before = try await store.namespaceVersions()

        #expect(store.reload() == .reloaded(changedNamespaces: []), "nothing changed on disk")
        #expect(try await store.namespaceVersions() == before)

        try directory.write("features.yml", Documents.checkout(enabled: false))
        #expect(store.reload() == .reloaded(changedNamespaces: ["shop"]))
        let after = try await store.namespaceVersions()
        #expect(after["shop"] != before["shop"])
        #expect(after["billing"] == before["billing"])
        #expect(after["default"] == before["default"])
        #expect(try await store.getFlag(namespaceKey: "shop", key: "checkout").enabled == false)
        #expect(try await store.namespaceState(key: "shop").version == after["shop"])

        try FileManager.default.removeItem(atPath: directory.path + "/billing.features.yml")
        #expect(store.reload() == .reloaded(changedNamespaces: ["billing"]))
        await #expect(throws: HoistError.notFound("namespace \"billing\" not found")) {
            try await store.namespaceState(key: "billing")
        }
    }

    @Test func invalidEditKeepsTheLastGoodFlagsUntilFixed() async throws {
        let directory = try FlagDirectory()
        try directory.write("features.yml", Documents.checkout())
        let store = try directory.store()
        let version = try await store.namespaceVersions()["shop"]

        try directory.write("features.yml", Documents.checkout(enabled: false, value: "sometimes"))
        guard case .failed(let diagnostics) = store.reload() else {
            Issue.record("an invalid value must fail the reload")
            return
        }
        let first = try #require(diagnostics.first)
        #expect(first.file == "features.yml")
        #expect(first.location?.line == 13, "the line of the bad rollout value")
        #expect(store.lastReloadError?.contains("features.yml:13") == true)
        #expect(try await store.getFlag(namespaceKey: "shop", key: "checkout").enabled, "old flags still served")
        #expect(try await store.namespaceVersions()["shop"] == version)

        try directory.write("features.yml", Documents.checkout(enabled: false))
        #expect(store.reload() == .reloaded(changedNamespaces: ["shop"]))
        #expect(store.lastReloadError == nil)
        #expect(try await store.getFlag(namespaceKey: "shop", key: "checkout").enabled == false)
    }

    @Test func filesOfOneNamespaceAreCheckedTogether() async throws {
        let directory = try FlagDirectory()
        try directory.write("segments.features.yml", "namespace: shop\nsegments:\n  - key: staff\n    name: Staff\n")
        try directory.write(
            "flags.features.yml",
            "namespace: shop\nflags:\n  - key: a\n    name: A\n    variants: [{key: on}]\n    rules:\n      - segment: staff\n")
        let store = try directory.store()
        #expect(try await store.listRules(namespaceKey: "shop", flagKey: "a", page: PageRequest()).items.count == 1)

        try directory.write("more.features.yml", "namespace: shop\nflags:\n  - key: a\n    name: Again\n")
        guard case .failed(let duplicate) = store.reload() else {
            Issue.record("a flag declared in two files must fail")
            return
        }
        #expect(duplicate.first?.description.contains("flag already declared in flags.features.yml") == true)
        #expect(duplicate.first?.location?.line == 3)

        try directory.write("more.features.yml", "namespace: shop\nflags:\n  - key: b\n    name: B\n    rules:\n      - segment: ghost\n")
        guard case .failed(let missing) = store.reload() else {
            Issue.record("a rule naming an undeclared segment must fail")
            return
        }
        #expect(missing.first?.description.contains("segment \"ghost\" is not declared") == true)
    }

    @Test func startFailsOnAMissingDirectoryOrInvalidFiles() throws {
        #expect(throws: DocumentErrors.self) {
            try LocalFlagStore(path: "/nonexistent/hoist-\(UUID().uuidString)", clock: { Timestamp(microseconds: 0) })
        }
        let directory = try FlagDirectory()
        try directory.write("features.yml", "flags:\n  - key: [oops\n")
        #expect(throws: DocumentErrors.self) { try directory.store() }
    }

    @Test func watcherReloadsSoonAfterAnEdit() async throws {
        let directory = try FlagDirectory()
        try directory.write("features.yml", Documents.checkout())
        let store = try directory.store()
        let outcomes = AsyncStream.makeStream(of: LocalFlagStore.ReloadOutcome.self)
        let watcher = DeclarativeWatcher(store: store, pollInterval: .milliseconds(20), debounce: .milliseconds(20)) {
            outcomes.continuation.yield($0)
        }
        let task = Task { await watcher.run() }
        defer { task.cancel() }
        try await Task.sleep(for: .milliseconds(50))
        try directory.write("features.yml", Documents.checkout(enabled: false))
        let outcome = await withTaskGroup(of: LocalFlagStore.ReloadOutcome?.self) { group in
            group.addTask { await outcomes.stream.first { _ in true } }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(outcome == .reloaded(changedNamespaces: ["shop"]))
    }
}
