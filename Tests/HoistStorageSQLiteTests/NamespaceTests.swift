import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct NamespaceTests {
    @Test func defaultNamespaceExistsAfterMigration() async throws {
        try await withStore { store, _ in
            let ns = try await store.getNamespace(key: "default")
            #expect(ns.name == "Default")
            #expect(ns.description == "Default namespace")
            #expect(ns.protected)
            #expect(ns.createdAt == ns.updatedAt)
            let page = try await store.listNamespaces(page: PageRequest())
            #expect(page.items.map(\.key) == ["default"])
            #expect(page.totalCount == 1)
            #expect(page.nextPageToken == "")
        }
    }

    @Test func createGetUpdate() async throws {
        try await withStore { store, _ in
            let created = try await store.createNamespace(
                CreateNamespaceRequest(key: "prod", name: "Production", description: "live"))
            #expect(created.key == "prod")
            #expect(!created.protected)
            #expect(created.createdAt == created.updatedAt)
            #expect(try await store.getNamespace(key: "prod") == created)

            let updated = try await store.updateNamespace(UpdateNamespaceRequest(key: "prod", name: "Prod"))
            #expect(updated.name == "Prod")
            #expect(updated.description == "")
            #expect(updated.createdAt == created.createdAt)
            #expect(updated.updatedAt > created.updatedAt)
        }
    }

    @Test func errors() async throws {
        try await withStore { store, _ in
            try await store.makeNamespace("prod")
            await expectError(.invalid, #"namespace "prod" is not unique"#) {
                try await store.makeNamespace("prod")
            }
            await expectError(.notFound, #"namespace "nope" not found"#) {
                _ = try await store.getNamespace(key: "nope")
            }
            await expectError(.notFound, #"namespace "nope" not found"#) {
                _ = try await store.updateNamespace(UpdateNamespaceRequest(key: "nope", name: "x"))
            }
            await expectError(.notFound, #"namespace "nope" not found"#) {
                try await store.deleteNamespace(key: "nope", force: false)
            }
            await expectError(.notFound, #"namespace "a\"b" not found"#) {
                _ = try await store.getNamespace(key: #"a"b"#)
            }
        }
    }

    @Test func deleteRules() async throws {
        try await withStore { store, _ in
            await expectError(.invalid, #"namespace "default" is protected"#) {
                try await store.deleteNamespace(key: "default", force: false)
            }
            try await store.makeNamespace("prod")
            try await store.makeSegment("seg", ns: "prod")
            try await store.makeFlag("f", ns: "prod")
            await expectError(.invalid, #"namespace "prod" cannot be deleted; flags must be deleted first"#) {
                try await store.deleteNamespace(key: "prod", force: false)
            }
            try await store.deleteFlag(namespaceKey: "prod", key: "f")
            // Segments alone do not block.
            try await store.deleteNamespace(key: "prod", force: false)
            await expectError(.notFound, #"namespace "prod" not found"#) {
                _ = try await store.getNamespace(key: "prod")
            }
            #expect(try await store.namespaceVersions()["prod"] == nil)
        }
    }

    @Test func forceDeleteCascadesEverythingEvenDefault() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let v = try await store.makeVariant("a", flag: "f")
            try await store.makeSegment("s")
            let rule = try await store.makeRule(flag: "f", segments: ["s"], rank: 1)
            _ = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: v.id, rollout: 100))
            try await store.makeFlag("b", type: .boolean)
            try await store.makeSegmentRollout(flag: "b", segments: ["s"], rank: 1)

            try await store.deleteNamespace(key: "default", force: true)
            await expectError(.notFound, #"namespace "default" not found"#) {
                _ = try await store.namespaceState(key: "default")
            }
            #expect(try await store.listFlags(namespaceKey: "default", page: PageRequest()).items.isEmpty)
            #expect(try await store.listSegments(namespaceKey: "default", page: PageRequest()).items.isEmpty)
            #expect(try await store.listRules(namespaceKey: "default", flagKey: "f", page: PageRequest()).totalCount == 0)

            // Re-created as the importer's --drop does: not protected any more.
            let again = try await store.createNamespace(
                CreateNamespaceRequest(key: "default", name: "Default", description: "Default namespace"))
            #expect(!again.protected)
        }
    }

    @Test func createInMissingNamespaceIsNotFound() async throws {
        try await withStore { store, _ in
            await expectError(.notFound, #"namespace "nope" not found"#) {
                try await store.makeFlag("f", ns: "nope")
            }
            await expectError(.notFound, #"namespace "nope" not found"#) {
                try await store.makeSegment("s", ns: "nope")
            }
            let flags = try await store.listFlags(namespaceKey: "nope", page: PageRequest())
            #expect(flags.items.isEmpty)
        }
    }
}
