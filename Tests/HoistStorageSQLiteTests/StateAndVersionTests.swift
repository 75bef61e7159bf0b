import Foundation
import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct StateAndVersionTests {
    @Test func everyWriteBumpsTheVersion() async throws {
        try await withStore { store, _ in
            var last = try await store.version()
            func bumped(_ label: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let now = try await store.version()
                #expect(now != last, "\(label) did not bump the version", sourceLocation: sourceLocation)
                #expect(Int64(now)! > Int64(last)!, sourceLocation: sourceLocation)
                last = now
            }
            try await store.makeFlag("f"); try await bumped("createFlag")
            _ = try await store.updateFlag(UpdateFlagRequest(namespaceKey: "default", key: "f", name: "F"))
            try await bumped("updateFlag")
            let v = try await store.makeVariant("a", flag: "f"); try await bumped("createVariant")
            _ = try await store.updateVariant(UpdateVariantRequest(id: v.id, namespaceKey: "default", flagKey: "f", key: "b"))
            try await bumped("updateVariant")
            try await store.makeSegment("s"); try await bumped("createSegment")
            _ = try await store.updateSegment(UpdateSegmentRequest(namespaceKey: "default", key: "s", name: "S"))
            try await bumped("updateSegment")
            let c = try await store.createConstraint(ConstraintRequest(
                namespaceKey: "default", segmentKey: "s", type: .string, property: "p", operator: "eq", value: "v"))
            try await bumped("createConstraint")
            _ = try await store.updateConstraint(ConstraintRequest(
                id: c.id, namespaceKey: "default", segmentKey: "s", type: .string, property: "p", operator: "neq", value: "v"))
            try await bumped("updateConstraint")
            try await store.deleteConstraint(namespaceKey: "default", segmentKey: "s", id: c.id)
            try await bumped("deleteConstraint")
            let r1 = try await store.makeRule(flag: "f", segments: ["s"], rank: 1); try await bumped("createRule")
            let r2 = try await store.makeRule(flag: "f", segments: ["s"], rank: 2); try await bumped("createRule")
            _ = try await store.updateRule(RuleRequest(id: r1.id, namespaceKey: "default", flagKey: "f", segmentKey: "s"))
            try await bumped("updateRule")
            try await store.orderRules(OrderRequest(namespaceKey: "default", flagKey: "f", ids: [r2.id, r1.id]))
            try await bumped("orderRules")
            let d = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "f", ruleId: r1.id, variantId: v.id, rollout: 5))
            try await bumped("createDistribution")
            _ = try await store.updateDistribution(DistributionRequest(
                id: d.id, namespaceKey: "default", flagKey: "f", ruleId: r1.id, variantId: v.id, rollout: 6))
            try await bumped("updateDistribution")
            try await store.deleteDistribution(namespaceKey: "default", flagKey: "f", ruleId: r1.id, id: d.id, variantId: v.id)
            try await bumped("deleteDistribution")
            try await store.deleteRule(namespaceKey: "default", flagKey: "f", id: r2.id); try await bumped("deleteRule")
            let o1 = try await store.makeThreshold(flag: "f", rank: 1); try await bumped("createRollout")
            let o2 = try await store.makeThreshold(flag: "f", rank: 2); try await bumped("createRollout")
            _ = try await store.updateRollout(RolloutRequest(
                id: o1.id, namespaceKey: "default", flagKey: "f", member: .threshold(percentage: 3, value: false)))
            try await bumped("updateRollout")
            try await store.orderRollouts(OrderRequest(namespaceKey: "default", flagKey: "f", ids: [o2.id, o1.id]))
            try await bumped("orderRollouts")
            try await store.deleteRollout(namespaceKey: "default", flagKey: "f", id: o1.id); try await bumped("deleteRollout")
            try await store.deleteVariant(namespaceKey: "default", flagKey: "f", id: v.id); try await bumped("deleteVariant")
            try await store.deleteFlag(namespaceKey: "default", key: "f"); try await bumped("deleteFlag")
            try await store.deleteSegment(namespaceKey: "default", key: "s"); try await bumped("deleteSegment")
            _ = try await store.updateNamespace(UpdateNamespaceRequest(key: "default", name: "D"))
            try await bumped("updateNamespace")

            // A failed write changes nothing; other namespaces are independent.
            try await store.makeSegment("s")
            last = try await store.version()
            await expectError(.invalid, #"segment "default/s" is not unique"#) { try await store.makeSegment("s") }
            #expect(try await store.version() == last)
            try await store.makeNamespace("other")
            #expect(try await store.version() == last)
            #expect(try await store.namespaceVersions().keys.sorted() == ["default", "other"])
        }
    }

    @Test func namespaceStateContents() async throws {
        try await withStore { store, _ in
            try await store.makeNamespace("prod")
            try await store.makeFlag("v")
            let blue = try await store.makeVariant("blue", flag: "v", attachment: "{ \"x\": 1 }")
            let red = try await store.makeVariant("red", flag: "v")
            _ = try await store.updateFlag(UpdateFlagRequest(
                namespaceKey: "default", key: "v", name: "V", enabled: true, defaultVariantId: red.id))
            try await store.makeFlag("b", type: .boolean)
            try await store.makeFlag("elsewhere", ns: "prod")
            try await store.makeSegment("s1", matchType: .any)
            try await store.makeSegment("s2")
            _ = try await store.createConstraint(ConstraintRequest(
                namespaceKey: "default", segmentKey: "s1", type: .string, property: "p", operator: "eq", value: "v"))
            let r2 = try await store.makeRule(flag: "v", segments: ["s1", "s2"], rank: 2, op: .and)
            let r1 = try await store.makeRule(flag: "v", segments: ["s1"], rank: 1)
            let d1 = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "v", ruleId: r1.id, variantId: blue.id, rollout: 70))
            let d2 = try await store.createDistribution(DistributionRequest(
                namespaceKey: "default", flagKey: "v", ruleId: r1.id, variantId: red.id, rollout: 30))
            let t = try await store.makeThreshold(flag: "b", rank: 2, percentage: 25)
            let s = try await store.makeSegmentRollout(flag: "b", segments: ["s2", "s1"], rank: 1)

            let state = try await store.namespaceState(key: "default")
            #expect(state.namespaceKey == "default")
            #expect(state.version == (try await store.version()))
            #expect(state.flags.map(\.key) == ["v", "b"])
            #expect(state.flags[0].variants.map(\.id) == [blue.id, red.id])
            #expect(state.flags[0].variants[0].attachment == #"{"x":1}"#)  // compacted, as Flipt's evaluation reads
            #expect(state.flags[0].defaultVariant?.id == red.id)
            #expect(state.flags[0].enabled && state.flags[1].type == .boolean)
            #expect(state.rules["v"]?.map(\.id) == [r1.id, r2.id])
            #expect(state.rules["v"]?[0].distributions == [d1, d2])
            #expect(state.rules["v"]?[1].segmentKeys == ["s1", "s2"])
            #expect(state.rules["v"]?[1].segmentOperator == .and)
            #expect(state.rules["b"] == nil)
            #expect(state.rollouts["b"] == [s, t])
            #expect(state.segments.keys.sorted() == ["s1", "s2"])
            #expect(state.segments["s1"]?.matchType == .any)
            #expect(state.segments["s1"]?.constraints.map(\.property) == ["p"])

            let prod = try await store.namespaceState(key: "prod")
            #expect(prod.flags.map(\.key) == ["elsewhere"] && prod.segments.isEmpty && prod.rules.isEmpty)
            await expectError(.notFound, #"namespace "nope" not found"#) { _ = try await store.namespaceState(key: "nope") }
        }
    }

    @Test func reopeningKeepsDataAndMigrationsAreIdempotent() async throws {
        let database = TestDatabase()
        defer { database.remove() }
        var store: SQLiteFlagStore? = try database.open()
        try await store!.makeFlag("kept")
        let version = try await store!.version()
        store = nil

        let reopened = try database.open()
        #expect(try await reopened.getFlag(namespaceKey: "default", key: "kept").name == "KEPT")
        #expect(try await reopened.listNamespaces(page: PageRequest()).items.map(\.key) == ["default"])
        #expect(try await reopened.version() == version)
        try await reopened.makeFlag("next")
        #expect(Int64(try await reopened.version())! > Int64(version)!)
        // A second handle on the same file runs the migrator again without effect.
        let second = try database.open()
        #expect(try await second.listFlags(namespaceKey: "default", page: PageRequest()).totalCount == 2)
        try await second.ping()
        try await reopened.ping()
    }

    @Test func concurrentWritesAllLand() async throws {
        try await withStore { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 { group.addTask { try await store.makeFlag("c\(i)") } }
                try await group.waitForAll()
            }
            let page = try await store.listFlags(namespaceKey: "default", page: PageRequest())
            #expect(page.totalCount == 20)
            #expect(Set(page.items.map(\.createdAt)).count == 20)  // strictly increasing clock
        }
    }
}
