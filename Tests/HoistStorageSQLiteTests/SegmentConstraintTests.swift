import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

@Suite struct SegmentConstraintTests {
    @Test func segmentCrud() async throws {
        try await withStore { store, _ in
            let created = try await store.makeSegment("beta", matchType: .any)
            #expect(created.matchType == .any)
            #expect(created.constraints.isEmpty)
            #expect(try await store.getSegment(namespaceKey: "default", key: "beta") == created)

            let updated = try await store.updateSegment(UpdateSegmentRequest(
                namespaceKey: "default", key: "beta", name: "Beta", description: "d"))
            #expect(updated.name == "Beta" && updated.description == "d")
            #expect(updated.matchType == .all)
            #expect(updated.createdAt == created.createdAt && updated.updatedAt > created.updatedAt)

            try await store.deleteSegment(namespaceKey: "default", key: "beta")
            try await store.deleteSegment(namespaceKey: "default", key: "beta")  // idempotent
            #expect(try await store.listSegments(namespaceKey: "default", page: PageRequest()).totalCount == 0)
        }
    }

    @Test func segmentErrors() async throws {
        try await withStore { store, _ in
            try await store.makeSegment("s")
            await expectError(.invalid, #"segment "default/s" is not unique"#) { try await store.makeSegment("s") }
            await expectError(.notFound, #"segment "default/x" not found"#) {
                _ = try await store.getSegment(namespaceKey: "default", key: "x")
            }
            await expectError(.notFound, #"segment "default/x" not found"#) {
                _ = try await store.updateSegment(UpdateSegmentRequest(namespaceKey: "default", key: "x", name: "X"))
            }
        }
    }

    @Test func segmentInUseByRuleOrRollout() async throws {
        try await withStore { store, _ in
            try await store.makeFlag("f")
            try await store.makeSegment("r")
            try await store.makeSegment("o")
            let rule = try await store.makeRule(flag: "f", segments: ["r"], rank: 1)
            let rollout = try await store.makeSegmentRollout(flag: "f", segments: ["o"], rank: 1)
            await expectError(.invalid, #"segment "default/r" is in use"#) {
                try await store.deleteSegment(namespaceKey: "default", key: "r")
            }
            await expectError(.invalid, #"segment "default/o" is in use"#) {
                try await store.deleteSegment(namespaceKey: "default", key: "o")
            }
            try await store.deleteRule(namespaceKey: "default", flagKey: "f", id: rule.id)
            try await store.deleteRollout(namespaceKey: "default", flagKey: "f", id: rollout.id)
            try await store.deleteSegment(namespaceKey: "default", key: "r")
            try await store.deleteSegment(namespaceKey: "default", key: "o")
        }
    }

    @Test func constraintCrudAndNormalisation() async throws {
        try await withStore { store, _ in
            try await store.makeSegment("s")
            let c1 = try await store.createConstraint(ConstraintRequest(
                namespaceKey: "default", segmentKey: "s", type: .string, property: "plan", operator: "EQ",
                value: "gold", description: "d"))
            #expect(c1.operator == "eq" && c1.value == "gold" && c1.description == "d")
            let c2 = try await store.createConstraint(ConstraintRequest(
                namespaceKey: "default", segmentKey: "s", type: .boolean, property: "beta", operator: "TRUE",
                value: "ignored"))
            #expect(c2.operator == "true" && c2.value == "")
            let c3 = try await store.createConstraint(ConstraintRequest(
                namespaceKey: "default", segmentKey: "s", type: .datetime, property: "at", operator: "gt",
                value: "2021-01-01T10:00:00.123+02:00"))
            #expect(c3.value == "2021-01-01T08:00:00Z")
            let c4 = try await store.createConstraint(ConstraintRequest(
                namespaceKey: "default", segmentKey: "s", type: .datetime, property: "day", operator: "lt",
                value: "2024-02-29"))
            #expect(c4.value == "2024-02-29")

            var segment = try await store.getSegment(namespaceKey: "default", key: "s")
            #expect(segment.constraints.map(\.id) == [c1.id, c2.id, c3.id, c4.id])
            #expect(segment.constraints[0] == c1)

            let updated = try await store.updateConstraint(ConstraintRequest(
                id: c1.id, namespaceKey: "default", segmentKey: "s", type: .number, property: "age", operator: "NotPresent",
                value: "3"))
            #expect(updated.type == .number && updated.property == "age" && updated.operator == "notpresent")
            #expect(updated.value == "" && updated.description == "")
            #expect(updated.createdAt == c1.createdAt && updated.updatedAt > c1.updatedAt)

            try await store.deleteConstraint(namespaceKey: "default", segmentKey: "s", id: c2.id)
            try await store.deleteConstraint(namespaceKey: "default", segmentKey: "s", id: c2.id)  // idempotent
            segment = try await store.getSegment(namespaceKey: "default", key: "s")
            #expect(segment.constraints.map(\.id) == [c1.id, c3.id, c4.id])

            // Deleting the segment cascades its constraints.
            try await store.deleteSegment(namespaceKey: "default", key: "s")
            try await store.makeSegment("s")
            #expect(try await store.getSegment(namespaceKey: "default", key: "s").constraints.isEmpty)
        }
    }

    @Test func constraintErrors() async throws {
        try await withStore { store, _ in
            await expectError(.notFound, #"segment "default/nope" not found"#) {
                _ = try await store.createConstraint(ConstraintRequest(
                    namespaceKey: "default", segmentKey: "nope", type: .string, property: "p", operator: "eq", value: "v"))
            }
            try await store.makeSegment("s")
            await expectError(.notFound, #"constraint "c-1" not found"#) {
                _ = try await store.updateConstraint(ConstraintRequest(
                    id: "c-1", namespaceKey: "default", segmentKey: "s", type: .string, property: "p", operator: "eq",
                    value: "v"))
            }
        }
    }
}
