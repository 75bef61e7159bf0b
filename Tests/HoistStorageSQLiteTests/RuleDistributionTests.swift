import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct RuleDistributionTests {
    @Test func ruleCrud() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            for key in ["a", "b", "c"] { try await store.makeSegment(key) }
            let single = try await store.makeRule(flag: "f", segments: ["a"], rank: 1, op: .and)
            #expect(single.segmentKeys == ["a"])
            #expect(single.segmentOperator == .or)  // forced for one segment
            let multi = try await store.createRule(RuleRequest(
                namespaceKey: "default", flagKey: "f", segmentKeys: ["c", "b", "c"], segmentOperator: .and, rank: 2))
            #expect(multi.segmentKeys == ["c", "b"])
            #expect(multi.segmentOperator == .and)
            #expect(multi.distributions.isEmpty)
            #expect(try await store.getRule(namespaceKey: "default", id: multi.id) == multi)

            let updated = try await store.updateRule(RuleRequest(
                id: multi.id, namespaceKey: "default", flagKey: "f", segmentKeys: ["a", "a"], segmentOperator: .and))
            #expect(updated.segmentKeys == ["a"])
            #expect(updated.segmentOperator == .or)
            #expect(updated.rank == 2)
            #expect(updated.createdAt == multi.createdAt && updated.updatedAt > multi.updatedAt)
            // The old references are gone: b and c can be deleted.
            try await store.deleteSegment(namespaceKey: "default", key: "b")
            try await store.deleteSegment(namespaceKey: "default", key: "c")

            let list = try await store.listRules(namespaceKey: "default", flagKey: "f", page: PageRequest())
            #expect(list.items.map(\.id) == [single.id, multi.id])
            #expect(list.totalCount == 2)
        }
    }

    @Test func ruleErrors() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            try await store.makeSegment("s")
            await expectError(.notFound, #"flag "default/nope" or segment "default/s" not found"#) {
                try await store.makeRule(flag: "nope", segments: ["s"], rank: 1)
            }
            await expectError(.notFound, #"flag "default/f" or segment "default/x" not found"#) {
                try await store.makeRule(flag: "f", segments: ["x"], rank: 1)
            }
            await expectError(.notFound, #"flag "default/f" or segment "default/" not found"#) {
                try await store.makeRule(flag: "f", segments: ["s", "x"], rank: 1)
            }
            await expectError(.notFound, #"rule "default/r-1" not found"#) {
                _ = try await store.getRule(namespaceKey: "default", id: "r-1")
            }
            await expectError(.notFound, #"rule "default/r-1" not found"#) {
                _ = try await store.updateRule(RuleRequest(id: "r-1", namespaceKey: "default", flagKey: "f", segmentKey: "s"))
            }
            let rule = try await store.makeRule(flag: "f", segments: ["s"], rank: 1)
            await expectError(.notFound, "rule \"default/\(rule.id)\" not found") {
                _ = try await store.updateRule(RuleRequest(id: rule.id, namespaceKey: "default", flagKey: "f", segmentKey: "x"))
            }
            // Nothing half-written: the rule still references s.
            #expect(try await store.getRule(namespaceKey: "default", id: rule.id).segmentKeys == ["s"])
            // Deleting a missing rule is a no-op.
            try await store.deleteRule(namespaceKey: "default", flagKey: "f", id: "missing")
        }
    }

    @Test func deleteRerankAndOrder() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            try await store.makeFlag("g")
            try await store.makeSegment("s")
            var ids: [String] = []
            for rank in 1...4 { ids.append(try await store.makeRule(flag: "f", segments: ["s"], rank: Int32(rank)).id) }
            let foreign = try await store.makeRule(flag: "g", segments: ["s"], rank: 1)

            try await store.deleteRule(namespaceKey: "default", flagKey: "f", id: ids[1])
            var rules = try await store.listRules(namespaceKey: "default", flagKey: "f", page: PageRequest()).items
            #expect(rules.map(\.id) == [ids[0], ids[2], ids[3]])
            #expect(rules.map(\.rank) == [1, 2, 3])

            try await store.orderRules(OrderRequest(namespaceKey: "default", flagKey: "f",
                                                    ids: [ids[3], foreign.id, ids[0]]))
            rules = try await store.listRules(namespaceKey: "default", flagKey: "f", page: PageRequest()).items
            // ids[3] → 1, foreign ignored (its slot's rank 2 unused), ids[0] → 3, ids[2] keeps rank 2.
            #expect(rules.map(\.rank) == [1, 2, 3])
            #expect(rules.map(\.id) == [ids[3], ids[2], ids[0]])
            #expect(rules[0].updatedAt == rules[2].updatedAt)
            #expect(try await store.getRule(namespaceKey: "default", id: foreign.id).rank == 1)
        }
    }

    @Test func distributions() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let a = try await store.makeVariant("a", flag: "f")
            let b = try await store.makeVariant("b", flag: "f")
            try await store.makeSegment("s")
            let rule = try await store.makeRule(flag: "f", segments: ["s"], rank: 1)
            let d1 = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: a.id, rollout: 33.33))
            #expect(d1.rollout == 33.33 && d1.ruleId == rule.id && d1.variantId == a.id)
            let d2 = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: b.id, rollout: 0.1))
            var reread = try await store.getRule(namespaceKey: "default", id: rule.id)
            #expect(reread.distributions == [d1, d2])  // exact Float round-trip

            let updated = try await store.updateDistribution(DistributionRequest(
                id: d1.id, namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: b.id, rollout: 66.67))
            #expect(updated.variantId == b.id && updated.rollout == 66.67 && updated.createdAt == d1.createdAt)

            // Delete needs id, rule and variant to match.
            try await store.deleteDistribution(namespaceKey: "default", flagKey: "f", ruleId: rule.id, id: d1.id,
                                               variantId: a.id)
            #expect(try await store.getRule(namespaceKey: "default", id: rule.id).distributions.count == 2)
            try await store.deleteDistribution(namespaceKey: "default", flagKey: "f", ruleId: rule.id, id: d1.id,
                                               variantId: b.id)
            reread = try await store.getRule(namespaceKey: "default", id: rule.id)
            #expect(reread.distributions.map(\.id) == [d2.id])

            // Deleting the rule cascades its distributions.
            try await store.deleteRule(namespaceKey: "default", flagKey: "f", id: rule.id)
            await expectError(.notFound, "distribution \"\(d2.id)\" not found") {
                _ = try await store.updateDistribution(DistributionRequest(
                    id: d2.id, namespaceKey: "default", flagKey: "f",
                    ruleId: try await store.makeRule(flag: "f", segments: ["s"], rank: 1).id, variantId: b.id, rollout: 1))
            }
        }
    }

    @Test func distributionErrors() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            let v = try await store.makeVariant("a", flag: "f")
            try await store.makeSegment("s")
            let rule = try await store.makeRule(flag: "f", segments: ["s"], rank: 1)
            await expectError(.notFound, "variant \"nope\", rule \"\(rule.id)\", flag \"f\" in namespace \"default\" not found") {
                _ = try await store.createDistribution(DistributionRequest(
                    namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: "nope", rollout: 1))
            }
            await expectError(.notFound, "variant \"\(v.id)\", rule \"r\", flag \"f\" in namespace \"default\" not found") {
                _ = try await store.updateDistribution(DistributionRequest(
                    id: "d", namespaceKey: "default", flagKey: "f", ruleId: "r", variantId: v.id, rollout: 1))
            }
            await expectError(.notFound, "variant \"\(v.id)\", rule \"\(rule.id)\", flag \"x\" in namespace \"default\" not found") {
                _ = try await store.createDistribution(DistributionRequest(
                    namespaceKey: "default", flagKey: "x", ruleId: rule.id, variantId: v.id, rollout: 1))
            }
            await expectError(.notFound, #"distribution "d" not found"#) {
                _ = try await store.updateDistribution(DistributionRequest(
                    id: "d", namespaceKey: "default", flagKey: "f", ruleId: rule.id, variantId: v.id, rollout: 1))
            }
        }
    }
}
