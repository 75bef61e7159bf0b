import Testing
@testable import HoistCore

/// Replays of Flipt's readonly integration cases (spec §5.3 end-to-end list, V8–V11, B5–B6).
@Suite("End-to-end (readonly-style namespace)")
struct EndToEndTests {
    static func key(_ number: Int) -> String {
        "segment_" + String(repeating: "0", count: 3 - String(number).count) + String(number)
    }

    static let fiftyFifty: [(String, Float)] = [("variant_001", 50), ("variant_002", 50)]

    static let snapshot: EvaluationSnapshot = {
        var flags = [Fixture.variantFlag("flag_001", variants: ["variant_001", "variant_002"]),
                     Fixture.variantFlag("flag_002", variants: ["variant_001", "variant_002"]),
                     Fixture.variantFlag("flag_no_distributions", variants: ["variant_001"]),
                     Fixture.variantFlag("flag_disabled", enabled: false, variants: ["variant_001"]),
                     Fixture.variantFlag("flag_variant_and_segments", variants: ["variant_001", "variant_002"]),
                     Fixture.variantFlag("flag_using_entity_id", variants: ["variant_001"])]
        flags.append(Fixture.booleanFlag("flag_boolean", enabled: false))
        flags.append(Fixture.booleanFlag("flag_boolean_no_constraints", enabled: false))
        var rules: [Rule] = []
        for number in 1...50 {
            rules.append(Fixture.rule("flag_001", [key(number)], rank: Int32(number), fiftyFifty))
            rules.append(Fixture.rule("flag_002", [key(number)], rank: Int32(number), fiftyFifty))
        }
        rules.append(Fixture.rule("flag_no_distributions", [key(1)], rank: 1))
        rules.append(Fixture.rule("flag_disabled", [key(1)], rank: 1, [("variant_001", 100)]))
        rules.append(Fixture.rule("flag_variant_and_segments", [key(1), "segment_anding"], .and, rank: 1, fiftyFifty))
        rules.append(Fixture.rule("flag_using_entity_id", ["segment_entity_id"], rank: 1, [("variant_001", 100)]))
        let rollouts = (1...4).map { Fixture.segmentRollout("flag_boolean", rank: Int32($0), [key($0)], value: true) }
            + [Fixture.threshold("flag_boolean", rank: 5, 50, true),
               Fixture.segmentRollout("flag_boolean_no_constraints", rank: 1, ["segment_no_constraints"], value: true)]
        let segments = (1...50).map { Fixture.inSegment(key($0)) } + [
            Fixture.segment("segment_anding", .all, [Fixture.constraint(.string, "anding", "eq", "segment")]),
            Fixture.segment("segment_entity_id", .all, [Fixture.constraint(.entityId, "entityId", "eq", "user@flipt.io")]),
            Fixture.segment("segment_no_constraints", .any),
        ]
        return EvaluationSnapshot(state: Fixture.state(flags: flags, rules: rules, rollouts: rollouts, segments: segments))
    }()

    @Test func v8Flag001Segment005() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_001", entityId: "some-fixed-entity-id",
                                               context: ["in_segment": "segment_005"])
        #expect(result == VariantEvaluation(flagKey: "flag_001", match: true, reason: .match, variantKey: "variant_002",
                                            variantAttachment: "", segmentKeys: ["segment_005"], split: true))
    }

    @Test func v9Flag002() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_002", entityId: "some-fixed-entity-id",
                                               context: ["in_segment": "segment_001"])
        #expect(result.variantKey == "variant_001" && result.match)
    }

    @Test func v10SegmentAnding() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_variant_and_segments", entityId: "some-fixed-entity-id",
                                               context: ["in_segment": "segment_001", "anding": "segment"])
        #expect(result.match && result.variantKey == "variant_002")
        #expect(Set(result.segmentKeys) == ["segment_001", "segment_anding"])
        let partial = try Self.snapshot.variant(flagKey: "flag_variant_and_segments", entityId: "some-fixed-entity-id",
                                                context: ["in_segment": "segment_001"])
        #expect(!partial.match && partial.segmentKeys.isEmpty && partial.reason == .unknown)
    }

    @Test func v11EntityIdMatching() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_using_entity_id", entityId: "user@flipt.io", context: [:])
        #expect(result.match && result.variantKey == "variant_001" && result.segmentKeys == ["segment_entity_id"])
        #expect(!result.split)  // one 100 % distribution: a targeting match, not a split
        #expect(try !Self.snapshot.variant(flagKey: "flag_using_entity_id", entityId: "other@flipt.io", context: [:]).match)
    }

    @Test func flagNoDistributions() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_no_distributions", entityId: "e",
                                               context: ["in_segment": "segment_001"])
        #expect(result.match && result.reason == .match && result.variantKey == "" && !result.split)
        #expect(Set(result.segmentKeys).isSuperset(of: ["segment_001"]))
    }

    @Test func flagDisabled() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_disabled", entityId: "e", context: ["in_segment": "segment_001"])
        #expect(!result.match && result.reason == .flagDisabled && result.variantKey == "")
    }

    @Test func flag001UnknownSegment() throws {
        let result = try Self.snapshot.variant(flagKey: "flag_001", entityId: "e", context: ["in_segment": "unknown"])
        #expect(result == VariantEvaluation(flagKey: "flag_001", match: false, reason: .unknown, variantKey: "",
                                            variantAttachment: "", segmentKeys: []))
    }

    @Test func booleanDefaultAndPercentage() throws {
        let fallback = try Self.snapshot.boolean(flagKey: "flag_boolean", entityId: "hello", context: [:])
        #expect(fallback == BooleanEvaluation(flagKey: "flag_boolean", enabled: false, reason: .default, segmentKeys: []))
        let percentage = try Self.snapshot.boolean(flagKey: "flag_boolean", entityId: "fixed", context: [:])
        #expect(percentage == BooleanEvaluation(flagKey: "flag_boolean", enabled: true, reason: .match, segmentKeys: [],
                                                split: true))
        let segment = try Self.snapshot.boolean(flagKey: "flag_boolean", entityId: "hello", context: ["in_segment": "segment_003"])
        #expect(segment.enabled && segment.segmentKeys == ["segment_003"] && !segment.split)
        #expect(!fallback.split)
    }

    @Test func booleanNoConstraints() throws {
        let result = try Self.snapshot.boolean(flagKey: "flag_boolean_no_constraints", entityId: "", context: [:])
        #expect(result == BooleanEvaluation(flagKey: "flag_boolean_no_constraints", enabled: true, reason: .match,
                                            segmentKeys: ["segment_no_constraints"]))
    }
}
