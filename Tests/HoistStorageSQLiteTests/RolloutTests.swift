import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct RolloutTests {
    @Test func rolloutCrud() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("b", type: .boolean)
            try await store.makeSegment("x")
            try await store.makeSegment("y")
            let seg = try await store.makeSegmentRollout(flag: "b", segments: ["y", "x", "y"], rank: 1, op: .and)
            #expect(seg.type == .segment)
            #expect(seg.rule == .segment(RolloutSegment(segmentKeys: ["y", "x"], segmentOperator: .and, value: true)))
            #expect(seg.description == "s1")
            let single = try await store.createRollout(RolloutRequest(
                namespaceKey: "default", flagKey: "b", rank: 2,
                member: .segment(segmentKey: "x", segmentKeys: [], segmentOperator: .and, value: false)))
            #expect(single.rule == .segment(RolloutSegment(segmentKeys: ["x"], segmentOperator: .or, value: false)))
            let threshold = try await store.makeThreshold(flag: "b", rank: 3, percentage: 12.34, value: true)
            #expect(threshold.rule == .threshold(RolloutThreshold(percentage: 12.34, value: true)))

            #expect(try await store.getRollout(namespaceKey: "default", id: seg.id) == seg)
            #expect(try await store.getRollout(namespaceKey: "default", id: threshold.id) == threshold)
            let list = try await store.listRollouts(namespaceKey: "default", flagKey: "b", page: PageRequest())
            #expect(list.items == [seg, single, threshold])
            #expect(list.totalCount == 3)

            let updatedSeg = try await store.updateRollout(RolloutRequest(
                id: seg.id, namespaceKey: "default", flagKey: "b", description: "new",
                member: .segment(segmentKey: "", segmentKeys: ["x"], segmentOperator: .and, value: false)))
            #expect(updatedSeg.rule == .segment(RolloutSegment(segmentKeys: ["x"], segmentOperator: .or, value: false)))
            #expect(updatedSeg.description == "new" && updatedSeg.rank == 1)
            #expect(updatedSeg.updatedAt > seg.updatedAt && updatedSeg.createdAt == seg.createdAt)
            try await store.deleteSegment(namespaceKey: "default", key: "y")  // no longer referenced

            let updatedThreshold = try await store.updateRollout(RolloutRequest(
                id: threshold.id, namespaceKey: "default", flagKey: "b",
                member: .threshold(percentage: 99.99, value: false)))
            #expect(updatedThreshold.rule == .threshold(RolloutThreshold(percentage: 99.99, value: false)))
            #expect(updatedThreshold.description == "")
        }
    }

    @Test func rolloutErrors() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("b", type: .boolean)
            try await store.makeSegment("s")
            let t = try await store.makeThreshold(flag: "b", rank: 1)
            let s = try await store.makeSegmentRollout(flag: "b", segments: ["s"], rank: 2)
            await expectError(.invalid, "rank number: 1 already exists") {
                try await store.makeThreshold(flag: "b", rank: 1)
            }
            await expectError(.invalid, "rollout rule is missing") {
                _ = try await store.createRollout(RolloutRequest(namespaceKey: "default", flagKey: "b", rank: 3, member: nil))
            }
            await expectError(.notFound, #"flag "default/nope" not found"#) {
                try await store.makeThreshold(flag: "nope", rank: 1)
            }
            await expectError(.notFound, #"flag "default/b or segment zz" not found"#) {
                _ = try await store.createRollout(RolloutRequest(
                    namespaceKey: "default", flagKey: "b", rank: 3,
                    member: .segment(segmentKey: "zz", segmentKeys: [], segmentOperator: .or, value: true)))
            }
            await expectError(.notFound, #"flag "default/b or segment " not found"#) {
                try await store.makeSegmentRollout(flag: "b", segments: ["s", "zz"], rank: 3)
            }
            await expectError(.notFound, #"rollout "default/r-1" not found"#) {
                _ = try await store.getRollout(namespaceKey: "default", id: "r-1")
            }
            await expectError(.notFound, #"rollout "default/r-1" not found"#) {
                _ = try await store.updateRollout(RolloutRequest(
                    id: "r-1", namespaceKey: "default", flagKey: "b", member: .threshold(percentage: 1, value: true)))
            }
            await expectError(.invalid, "invalid field rule: invalid rollout rule type") {
                _ = try await store.updateRollout(RolloutRequest(id: t.id, namespaceKey: "default", flagKey: "b", member: nil))
            }
            await expectError(.invalid,
                              #"cannot change type of rollout: have "THRESHOLD_ROLLOUT_TYPE" attempted "SEGMENT_ROLLOUT_TYPE""#) {
                _ = try await store.updateRollout(RolloutRequest(
                    id: t.id, namespaceKey: "default", flagKey: "b",
                    member: .segment(segmentKey: "s", segmentKeys: [], segmentOperator: .or, value: true)))
            }
            await expectError(.invalid,
                              #"cannot change type of rollout: have "SEGMENT_ROLLOUT_TYPE" attempted "THRESHOLD_ROLLOUT_TYPE""#) {
                _ = try await store.updateRollout(RolloutRequest(
                    id: s.id, namespaceKey: "default", flagKey: "b", member: .threshold(percentage: 1, value: true)))
            }
            await expectError(.notFound, #"segment "default/zz" not found"#) {
                _ = try await store.updateRollout(RolloutRequest(
                    id: s.id, namespaceKey: "default", flagKey: "b", description: "changed",
                    member: .segment(segmentKey: "zz", segmentKeys: [], segmentOperator: .or, value: true)))
            }
            // Nothing half-written by the failed updates.
            #expect(try await store.getRollout(namespaceKey: "default", id: s.id) == s)
            #expect(try await store.getRollout(namespaceKey: "default", id: t.id) == t)
            try await store.deleteRollout(namespaceKey: "default", flagKey: "b", id: "missing")
        }
    }

    @Test func deleteRerankAndOrder() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("b", type: .boolean)
            var ids: [String] = []
            for rank in 1...4 { ids.append(try await store.makeThreshold(flag: "b", rank: Int32(rank)).id) }
            try await store.deleteRollout(namespaceKey: "default", flagKey: "b", id: ids[0])
            var list = try await store.listRollouts(namespaceKey: "default", flagKey: "b", page: PageRequest()).items
            #expect(list.map(\.id) == [ids[1], ids[2], ids[3]])
            #expect(list.map(\.rank) == [1, 2, 3])
            #expect(list.allSatisfy { $0.updatedAt == list[0].updatedAt })

            try await store.orderRollouts(OrderRequest(namespaceKey: "default", flagKey: "b", ids: [ids[3], ids[2], ids[1]]))
            list = try await store.listRollouts(namespaceKey: "default", flagKey: "b", page: PageRequest()).items
            #expect(list.map(\.id) == [ids[3], ids[2], ids[1]])
            #expect(list.map(\.rank) == [1, 2, 3])
            // Rank 4 is free again after the re-rank.
            try await store.makeThreshold(flag: "b", rank: 4)
        }
    }
}
