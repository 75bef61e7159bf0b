import Testing
@testable import HoistCore

@Suite("Evaluation edge cases")
struct EdgeCaseTests {
    @Test func moreThanSixtyFourSegmentsKeepEveryMatchedKey() throws {
        let keys = (0..<70).map { "s\($0)" }
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.variantFlag("foo", variants: ["a"])],
            rules: [Fixture.rule("foo", keys, rank: 1, [("a", 100)])],
            segments: keys.enumerated().map { index, key in
                index % 2 == 0 ? Fixture.segment(key) : Fixture.segment(key, .all, [Fixture.constraint(.string, "x", "eq", "1")])
            }))
        let result = try snapshot.variant(flagKey: "foo", entityId: "e", context: [:])
        #expect(result.segmentKeys == keys.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        let andSnapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.variantFlag("foo", variants: ["a"])],
            rules: [Fixture.rule("foo", keys, .and, rank: 1, [("a", 100)])],
            segments: keys.map { Fixture.segment($0) }))
        #expect(try andSnapshot.variant(flagKey: "foo", entityId: "e", context: [:]).segmentKeys.count == 70)
    }

    @Test func disabledVariantFlagNeverReachesBrokenRules() throws {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.variantFlag("foo", enabled: false, variants: ["a"])],
            rules: [Fixture.rule("foo", ["broken"], rank: 1, [("a", 100)])],
            segments: [Fixture.segment("broken", .all, [Fixture.constraint(.unknown, "x", "eq", "1")])]))
        #expect(try snapshot.variant(flagKey: "foo", entityId: "e", context: [:]).reason == .flagDisabled)
    }

    @Test func rolloutRanksOutOfOrderAreInternalErrors() {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag("b", enabled: true)],
            rollouts: [Fixture.threshold("b", rank: 3, 0, true), Fixture.threshold("b", rank: 2, 0, true)]))
        #expect(throws: HoistError.internal("rollout rank: 2 detected out of order")) {
            try snapshot.boolean(flagKey: "b", entityId: "e", context: [:])
        }
    }

    @Test func equalRanksAreAllowed() throws {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag("b", enabled: true)],
            rollouts: [Fixture.threshold("b", rank: 1, 0, false), Fixture.threshold("b", rank: 1, 100, false)]))
        #expect(try snapshot.boolean(flagKey: "b", entityId: "e", context: [:]).enabled == false)
    }

    @Test func missingSegmentsAreIgnored() throws {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.variantFlag("foo", variants: ["a"])],
            rules: [Fixture.rule("foo", ["ghost", "everyone"], rank: 1, [("a", 100)])],
            segments: [Fixture.segment("everyone")]))
        #expect(try snapshot.variant(flagKey: "foo", entityId: "e", context: [:]).segmentKeys == ["everyone"])
    }

    @Test func thresholdHashIsEntityThenFlag() throws {
        // crc32("test-entity" + "test-flag") % 100 == 65; the reverse order gives 745 % 100 == 45.
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag("test-flag", enabled: false)],
            rollouts: [Fixture.threshold("test-flag", rank: 1, 65.5, true)]))
        #expect(try snapshot.boolean(flagKey: "test-flag", entityId: "test-entity", context: [:]).enabled)
        let tighter = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag("test-flag", enabled: false)],
            rollouts: [Fixture.threshold("test-flag", rank: 1, 65, true)]))
        #expect(try !tighter.boolean(flagKey: "test-flag", entityId: "test-entity", context: [:]).enabled)
    }

    @Test func propertiesSharedAcrossSegmentsReadTheSameValue() throws {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.variantFlag("foo", variants: ["a", "b"])],
            rules: [Fixture.rule("foo", ["s1"], rank: 1, [("a", 100)]), Fixture.rule("foo", ["s2"], rank: 2, [("b", 100)])],
            segments: [Fixture.segment("s1", .all, [Fixture.constraint(.number, "age", "lt", "18")]),
                       Fixture.segment("s2", .all, [Fixture.constraint(.number, "age", "gte", "18"),
                                                    Fixture.constraint(.string, "age", "prefix", "4")])]))
        #expect(try snapshot.variant(flagKey: "foo", entityId: "e", context: ["age": "12"]).variantKey == "a")
        #expect(try snapshot.variant(flagKey: "foo", entityId: "e", context: ["age": "42"]).variantKey == "b")
        #expect(try !snapshot.variant(flagKey: "foo", entityId: "e", context: ["age": "52"]).match)
    }

    @Test func concurrentEvaluationsAgree() async throws {
        let snapshot = Fixture.bucketing([("a", 50), ("b", 50)])
        let expected = try (0..<200).map { try snapshot.variant(flagKey: "foo", entityId: "u\($0)", context: [:]).variantKey }
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<200 {
                group.addTask { (index, try snapshot.variant(flagKey: "foo", entityId: "u\(index)", context: [:]).variantKey) }
            }
            var collected = Array(repeating: "", count: 200)
            for try await (index, key) in group { collected[index] = key }
            return collected
        }
        #expect(results == expected)
        #expect(Set(expected) == ["a", "b"])
    }
}
