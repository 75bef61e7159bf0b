import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct FlagVariantTests {
    @Test func createGetAndMetadataQuirks() async throws {
        try await withStore { store, _ in
            let meta: JSONValue = .object([("team", .string("core")), ("n", .number(2))])
            let created = try await store.makeFlag("with", metadata: meta)
            #expect(created.metadata == meta)
            #expect(created.variants.isEmpty)
            #expect(created.createdAt == created.updatedAt)
            #expect(created.type == .variant)
            #expect(created.enabled)

            let plain = try await store.makeFlag("plain", type: .boolean)
            #expect(plain.metadata == nil)
            let emptyMeta = try await store.makeFlag("empty", metadata: .object([]))
            #expect(emptyMeta.metadata == .object([]))  // echoed as sent

            #expect(try await store.getFlag(namespaceKey: "default", key: "with").metadata == meta)
            #expect(try await store.getFlag(namespaceKey: "default", key: "plain").metadata == nil)
            #expect(try await store.getFlag(namespaceKey: "default", key: "empty").metadata == nil)
            #expect(try await store.getFlag(namespaceKey: "default", key: "plain").type == .boolean)

            let listed = try await store.listFlags(namespaceKey: "default", page: PageRequest()).items
            #expect(listed.map(\.key) == ["with", "plain", "empty"])
            #expect(listed.map(\.metadata) == [meta, .object([]), .object([])])
        }
    }

    @Test func flagErrors() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            await expectError(.invalid, #"flag "default/f" is not unique"#) { try await store.makeFlag("f") }
            await expectError(.notFound, #"flag "default/x" not found"#) {
                _ = try await store.getFlag(namespaceKey: "default", key: "x")
            }
            await expectError(.notFound, #"flag "default/x" not found"#) {
                _ = try await store.updateFlag(UpdateFlagRequest(namespaceKey: "default", key: "x", name: "X"))
            }
            await expectError(.invalid, #"variant "nope" not found for flag "default/f""#) {
                _ = try await store.updateFlag(UpdateFlagRequest(
                    namespaceKey: "default", key: "f", name: "F", defaultVariantId: "nope"))
            }
            // A variant of another flag is not acceptable as default.
            try await store.makeFlag("g")
            let other = try await store.makeVariant("a", flag: "g")
            await expectError(.invalid, "variant \"\(other.id)\" not found for flag \"default/f\"") {
                _ = try await store.updateFlag(UpdateFlagRequest(
                    namespaceKey: "default", key: "f", name: "F", defaultVariantId: other.id))
            }
            try await store.deleteFlag(namespaceKey: "default", key: "missing")  // idempotent
        }
    }

    @Test func updateSemantics() async throws {
        try await withStore { store, _ in
            let meta: JSONValue = .object([("a", .bool(true))])
            let created = try await store.makeFlag("f", metadata: meta)
            let v = try await store.makeVariant("blue", flag: "f", attachment: "{ \"c\" : [1, 2] }")

            var updated = try await store.updateFlag(UpdateFlagRequest(
                namespaceKey: "default", key: "f", name: "New", description: "", enabled: false, defaultVariantId: v.id))
            #expect(updated.name == "New")
            #expect(!updated.enabled)
            #expect(updated.metadata == meta)  // nil → unchanged
            #expect(updated.defaultVariant?.id == v.id)
            #expect(updated.defaultVariant?.attachment == #"{"c":[1,2]}"#)
            #expect(updated.variants.map(\.attachment) == [#"{"c":[1,2]}"#])
            #expect(updated.createdAt == created.createdAt)
            #expect(updated.updatedAt > created.updatedAt)
            #expect(updated.type == .variant)

            updated = try await store.updateFlag(UpdateFlagRequest(
                namespaceKey: "default", key: "f", name: "New", metadata: .object([])))
            #expect(updated.metadata == nil)  // {} → cleared
            #expect(updated.defaultVariant == nil)  // empty id → cleared

            let meta2: JSONValue = .object([("b", .string("x"))])
            updated = try await store.updateFlag(UpdateFlagRequest(
                namespaceKey: "default", key: "f", name: "New", metadata: meta2))
            #expect(updated.metadata == meta2)
        }
    }

    @Test func variantsCrud() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let raw = "{\n  \"k\": \"v w\"\n}"
            let a = try await store.makeVariant("a", flag: "f", attachment: raw)
            #expect(a.attachment == #"{"k":"v w"}"#)
            #expect(a.id.count == 36 && a.id == a.id.lowercased())
            let b = try await store.makeVariant("b", flag: "f")
            #expect(b.attachment == "")

            // Get compacts, List returns as stored.
            #expect(try await store.getFlag(namespaceKey: "default", key: "f").variants.map(\.key) == ["a", "b"])
            #expect(try await store.getFlag(namespaceKey: "default", key: "f").variants[0].attachment == #"{"k":"v w"}"#)
            #expect(try await store.listFlags(namespaceKey: "default", page: PageRequest()).items[0].variants[0]
                .attachment == raw)

            let updated = try await store.updateVariant(UpdateVariantRequest(
                id: a.id, namespaceKey: "default", flagKey: "f", key: "a2", name: "n", description: "d",
                attachment: "[1, 2]"))
            #expect(updated.key == "a2" && updated.name == "n" && updated.description == "d")
            #expect(updated.attachment == "[1,2]")
            #expect(updated.createdAt == a.createdAt && updated.updatedAt > a.updatedAt)
            let cleared = try await store.updateVariant(UpdateVariantRequest(
                id: a.id, namespaceKey: "default", flagKey: "f", key: "a2"))
            #expect(cleared.attachment == "")
            // Keeping its own key is fine.
            _ = try await store.updateVariant(UpdateVariantRequest(id: b.id, namespaceKey: "default", flagKey: "f", key: "b"))

            try await store.deleteVariant(namespaceKey: "default", flagKey: "f", id: b.id)
            try await store.deleteVariant(namespaceKey: "default", flagKey: "f", id: b.id)  // idempotent
            #expect(try await store.getFlag(namespaceKey: "default", key: "f").variants.map(\.key) == ["a2"])
        }
    }

    @Test func variantErrors() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let a = try await store.makeVariant("a", flag: "f")
            try await store.makeVariant("b", flag: "f")
            await expectError(.invalid, #"variant "a" is not unique for flag "default/f""#) {
                try await store.makeVariant("a", flag: "f")
            }
            await expectError(.invalid, #"variant "b" is not unique for flag "default/f""#) {
                _ = try await store.updateVariant(UpdateVariantRequest(
                    id: a.id, namespaceKey: "default", flagKey: "f", key: "b"))
            }
            await expectError(.notFound, #"variant "zzz" not found"#) {
                _ = try await store.updateVariant(UpdateVariantRequest(
                    id: "missing", namespaceKey: "default", flagKey: "f", key: "zzz"))
            }
            await expectError(.notFound, #"flag "default/nope" not found"#) {
                try await store.makeVariant("a", flag: "nope")
            }
            await expectError(.notFound, #"flag "missing-ns/f" not found"#) {
                try await store.makeVariant("a", flag: "f", ns: "missing-ns")
            }
            // Same key in another flag is fine.
            try await store.makeFlag("g")
            try await store.makeVariant("a", flag: "g")
        }
    }

    @Test func deletingDefaultVariantClearsItAndCascadesDistributions() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let a = try await store.makeVariant("a", flag: "f")
            let b = try await store.makeVariant("b", flag: "f")
            try await store.makeSegment("s")
            _ = try await store.updateFlag(UpdateFlagRequest(
                namespaceKey: "default", key: "f", name: "F", defaultVariantId: a.id))
            let rule = try await store.makeRule(flag: "f", segments: ["s"], rank: 1)
            for v in [a, b] {
                _ = try await store.createDistribution(DistributionRequest(
                    namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: v.id, rollout: 50))
            }
            try await store.deleteVariant(namespaceKey: "default", flagKey: "f", id: a.id)
            let flag = try await store.getFlag(namespaceKey: "default", key: "f")
            #expect(flag.defaultVariant == nil)
            #expect(flag.variants.map(\.id) == [b.id])
            let reread = try await store.getRule(namespaceKey: "default", id: rule.id)
            #expect(reread.distributions.map(\.variantId) == [b.id])
        }
    }

    @Test func flagDeleteCascades() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let v = try await store.makeVariant("a", flag: "f")
            try await store.makeSegment("s")
            let rule = try await store.makeRule(flag: "f", segments: ["s"], rank: 1)
            _ = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: v.id, rollout: 10))
            let rollout = try await store.makeSegmentRollout(flag: "f", segments: ["s"], rank: 1)
            await expectError(.invalid, #"segment "default/s" is in use"#) {
                try await store.deleteSegment(namespaceKey: "default", key: "s")
            }
            try await store.deleteFlag(namespaceKey: "default", key: "f")
            await expectError(.notFound, "rule \"default/\(rule.id)\" not found") {
                _ = try await store.getRule(namespaceKey: "default", id: rule.id)
            }
            await expectError(.notFound, "rollout \"default/\(rollout.id)\" not found") {
                _ = try await store.getRollout(namespaceKey: "default", id: rollout.id)
            }
            // The segment is free again.
            try await store.deleteSegment(namespaceKey: "default", key: "s")
            // Re-creating the flag starts empty.
            let again = try await store.makeFlag("f")
            #expect(again.variants.isEmpty)
        }
    }
}
