import Testing
@testable import HoistCore

/// Spec §3.1, §3.2, §3.3 and the outcome tables of §3.5.
@Suite("Variant outcome table")
struct VariantOutcomeTests {
    static func snapshot(enabled: Bool = true, defaultVariant: String? = "fallback", rules: [Rule],
                         segments: [Segment] = [Fixture.inSegment("segment_001"), Fixture.inSegment("segment_002")],
                         attachments: [String: String] = ["fallback": #"{"d":1}"#, "a": #"{"a":true}"#]) -> EvaluationSnapshot {
        EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.variantFlag("foo", enabled: enabled, variants: ["a", "b", "fallback"],
                                        defaultVariant: defaultVariant, attachments: attachments)],
            rules: rules, segments: segments))
    }

    @Test func disabledKeepsDefaultVariant() throws {
        let result = try Self.snapshot(enabled: false, rules: [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 100)])])
            .variant(flagKey: "foo", entityId: "1", context: ["in_segment": "segment_001"])
        #expect(result == VariantEvaluation(flagKey: "foo", match: false, reason: .flagDisabled, variantKey: "fallback",
                                            variantAttachment: #"{"d":1}"#, segmentKeys: []))
    }

    @Test func disabledWithoutDefaultVariant() throws {
        let result = try Self.snapshot(enabled: false, defaultVariant: nil, rules: [])
            .variant(flagKey: "foo", entityId: "1", context: [:])
        #expect(result.reason == .flagDisabled)
        #expect(result.variantKey == "")
        #expect(!result.match)
    }

    @Test func noRuleAppliesWithAndWithoutDefault() throws {
        let rules = [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 100)])]
        let withDefault = try Self.snapshot(rules: rules).variant(flagKey: "foo", entityId: "1", context: ["in_segment": "x"])
        #expect(withDefault == VariantEvaluation(flagKey: "foo", match: false, reason: .default, variantKey: "fallback",
                                                 variantAttachment: #"{"d":1}"#, segmentKeys: []))
        let without = try Self.snapshot(defaultVariant: nil, rules: rules)
            .variant(flagKey: "foo", entityId: "1", context: ["in_segment": "x"])
        #expect(without == VariantEvaluation(flagKey: "foo", match: false, reason: .unknown, variantKey: "",
                                             variantAttachment: "", segmentKeys: []))
        let noRules = try Self.snapshot(rules: []).variant(flagKey: "foo", entityId: "1", context: [:])
        #expect(noRules.reason == .default && !noRules.match && noRules.variantKey == "fallback")
    }

    @Test func ruleWithoutDistributionsMatchesWithDefaultVariant() throws {
        let rules = [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 0)])]
        let result = try Self.snapshot(rules: rules).variant(flagKey: "foo", entityId: "1", context: ["in_segment": "segment_001"])
        #expect(result == VariantEvaluation(flagKey: "foo", match: true, reason: .match, variantKey: "fallback",
                                            variantAttachment: #"{"d":1}"#, segmentKeys: ["segment_001"]))
        let bare = try Self.snapshot(defaultVariant: nil, rules: rules)
            .variant(flagKey: "foo", entityId: "1", context: ["in_segment": "segment_001"])
        #expect(bare.match && bare.reason == .match && bare.variantKey == "" && bare.segmentKeys == ["segment_001"])
    }

    @Test func selectedDistributionCarriesItsAttachment() throws {
        let rules = [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 100)])]
        let result = try Self.snapshot(rules: rules).variant(flagKey: "foo", entityId: "1", context: ["in_segment": "segment_001"])
        #expect(result == VariantEvaluation(flagKey: "foo", match: true, reason: .match, variantKey: "a",
                                            variantAttachment: #"{"a":true}"#, segmentKeys: ["segment_001"]))
    }

    @Test func singlePartialDistributionIsASplit() throws {
        // One 60 % distribution: the entities it picks were chosen pseudorandomly (a split), the rest fall through.
        let rules = [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 60)])]
        let snapshot = Self.snapshot(rules: rules)
        var splits = 0
        for entity in 0..<50 {
            let result = try snapshot.variant(flagKey: "foo", entityId: "\(entity)", context: ["in_segment": "segment_001"])
            #expect(result.split == result.match)
            if result.split { splits += 1 }
        }
        #expect(splits > 10 && splits < 50)
    }

    @Test func bucketBeyondLastBoundaryStopsEvaluation() throws {
        // foo/123 hashes to bucket 253; the first rule covers only 0…99, the second would catch everything.
        let rules = [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 10)]),
                     Fixture.rule("foo", ["segment_001"], rank: 2, [("b", 100)])]
        let result = try Self.snapshot(rules: rules).variant(flagKey: "foo", entityId: "123", context: ["in_segment": "segment_001"])
        #expect(result == VariantEvaluation(flagKey: "foo", match: false, reason: .default, variantKey: "fallback",
                                            variantAttachment: #"{"d":1}"#, segmentKeys: ["segment_001"]))
        let bare = try Self.snapshot(defaultVariant: nil, rules: rules)
            .variant(flagKey: "foo", entityId: "123", context: ["in_segment": "segment_001"])
        #expect(!bare.match && bare.reason == .unknown && bare.variantKey == "" && bare.segmentKeys == ["segment_001"])
    }

    @Test func rulesAreTriedInOrderUntilOneApplies() throws {
        let rules = [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 100)]),
                     Fixture.rule("foo", ["segment_002"], rank: 2, [("b", 100)])]
        let result = try Self.snapshot(rules: rules).variant(flagKey: "foo", entityId: "1", context: ["in_segment": "segment_002"])
        #expect(result.variantKey == "b" && result.segmentKeys == ["segment_002"])
    }

    @Test func orAndSegmentOperators() throws {
        let segments = [Fixture.segment("s1", .all, [Fixture.constraint(.string, "a", "eq", "1")]),
                        Fixture.segment("s2", .all, [Fixture.constraint(.string, "b", "eq", "1")])]
        let orRule = Self.snapshot(rules: [Fixture.rule("foo", ["s1", "s2"], .or, rank: 1, [("a", 100)])], segments: segments)
        let andRule = Self.snapshot(rules: [Fixture.rule("foo", ["s1", "s2"], .and, rank: 1, [("a", 100)])], segments: segments)
        let one = try orRule.variant(flagKey: "foo", entityId: "1", context: ["a": "1"])
        #expect(one.match && Set(one.segmentKeys) == ["s1"])
        let both = try orRule.variant(flagKey: "foo", entityId: "1", context: ["a": "1", "b": "1"])
        #expect(both.match && Set(both.segmentKeys) == ["s1", "s2"])
        #expect(try !andRule.variant(flagKey: "foo", entityId: "1", context: ["a": "1"]).match)
        let all = try andRule.variant(flagKey: "foo", entityId: "1", context: ["a": "1", "b": "1"])
        #expect(all.match && Set(all.segmentKeys) == ["s1", "s2"])
        #expect(try !orRule.variant(flagKey: "foo", entityId: "1", context: [:]).match)
    }

    @Test func allAndAnyMatchTypes() throws {
        let constraints = [Fixture.constraint(.string, "a", "eq", "1"), Fixture.constraint(.string, "b", "eq", "1")]
        func matches(_ matchType: MatchType, _ constraints: [Constraint], _ context: [String: String]) throws -> Bool {
            try Self.snapshot(rules: [Fixture.rule("foo", ["s"], rank: 1, [("a", 100)])],
                              segments: [Fixture.segment("s", matchType, constraints)])
                .variant(flagKey: "foo", entityId: "1", context: context).match
        }
        #expect(try !matches(.all, constraints, ["a": "1"]))
        #expect(try matches(.all, constraints, ["a": "1", "b": "1"]))
        #expect(try matches(.any, constraints, ["b": "1"]))
        #expect(try !matches(.any, constraints, ["c": "1"]))
        #expect(try matches(.all, [], [:]))
        #expect(try matches(.any, [], [:]))
    }

    @Test func unknownConstraintTypeFailsEvenWhenSegmentAlreadyMatched() throws {
        let segments = [Fixture.segment("s", .any, [Fixture.constraint(.string, "a", "eq", "1"),
                                                   Fixture.constraint(.unknown, "a", "eq", "1")]),
                        Fixture.inSegment("segment_001")]
        let snapshot = Self.snapshot(rules: [Fixture.rule("foo", ["segment_001"], rank: 1, [("a", 100)]),
                                             Fixture.rule("foo", ["s"], rank: 2, [("b", 100)])], segments: segments)
        #expect(throws: HoistError.invalid("unknown constraint type")) {
            try snapshot.variant(flagKey: "foo", entityId: "1", context: ["a": "1"])
        }
        // A rule that applies before the broken one is never affected.
        #expect(try snapshot.variant(flagKey: "foo", entityId: "1", context: ["in_segment": "segment_001"]).variantKey == "a")
    }

    @Test func missingContextKeyReadsAsEmpty() throws {
        let segments = [Fixture.segment("s", .all, [Fixture.constraint(.string, "plan", "empty")])]
        let snapshot = Self.snapshot(rules: [Fixture.rule("foo", ["s"], rank: 1, [("a", 100)])], segments: segments)
        #expect(try snapshot.variant(flagKey: "foo", entityId: "1", context: [:]).match)
        #expect(try snapshot.variant(flagKey: "foo", entityId: "1", context: ["plan": ""]).match)
        #expect(try !snapshot.variant(flagKey: "foo", entityId: "1", context: ["plan": "pro"]).match)
    }

    @Test func outOfOrderRanksFail() {
        let snapshot = Self.snapshot(rules: [Fixture.rule("foo", ["segment_001"], rank: 2, [("a", 100)]),
                                             Fixture.rule("foo", ["segment_002"], rank: 1, [("b", 100)])])
        #expect(throws: HoistError.invalid("rule rank: 1 detected out of order")) {
            try snapshot.variant(flagKey: "foo", entityId: "1", context: [:])
        }
    }
}

@Suite("Boolean outcome table and errors")
struct BooleanOutcomeTests {
    static let snapshot = EvaluationSnapshot(state: Fixture.state(
        flags: [Fixture.booleanFlag("flag_boolean", enabled: false), Fixture.booleanFlag("on", enabled: true),
                Fixture.variantFlag("foo", variants: ["a"])],
        rollouts: [Fixture.segmentRollout("flag_boolean", rank: 1, ["segment_001", "segment_002"], value: true),
                   Fixture.segmentRollout("flag_boolean", rank: 2, ["broken"], value: false)],
        segments: [Fixture.inSegment("segment_001"), Fixture.segment("segment_002"),
                   Fixture.segment("broken", .all, [Fixture.constraint(.unknown, "x", "eq", "y")])],
        namespace: "production"))

    @Test func segmentRolloutReportsMatchedKeys() throws {
        let result = try Self.snapshot.boolean(flagKey: "flag_boolean", entityId: "e", context: ["in_segment": "segment_001"])
        #expect(result == BooleanEvaluation(flagKey: "flag_boolean", enabled: true, reason: .match,
                                            segmentKeys: ["segment_001", "segment_002"]))
    }

    @Test func nothingMatchedFallsBackToFlagEnabled() throws {
        let result = try Self.snapshot.boolean(flagKey: "on", entityId: "e", context: [:])
        #expect(result == BooleanEvaluation(flagKey: "on", enabled: true, reason: .default, segmentKeys: []))
    }

    @Test func unknownConstraintTypeReachedFails() {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag("b", enabled: true)],
            rollouts: [Fixture.segmentRollout("b", rank: 1, ["broken"], value: false)],
            segments: [Fixture.segment("broken", .any, [Fixture.constraint(.string, "x", "empty"),
                                                        Fixture.constraint(.unknown, "x", "eq", "y")])]))
        #expect(throws: HoistError.invalid("unknown constraint type")) {
            try snapshot.boolean(flagKey: "b", entityId: "e", context: [:])
        }
    }

    @Test func errorsUseFliptMessages() {
        #expect(throws: HoistError.notFound("flag \"production/nope\" not found")) {
            try Self.snapshot.boolean(flagKey: "nope", entityId: "e", context: [:])
        }
        #expect(throws: HoistError.notFound("flag \"production/nope\" not found")) {
            try Self.snapshot.variant(flagKey: "nope", entityId: "e", context: [:])
        }
        #expect(throws: HoistError.invalid("flag type BOOLEAN_FLAG_TYPE invalid")) {
            try Self.snapshot.variant(flagKey: "on", entityId: "e", context: [:])
        }
        #expect(throws: HoistError.invalid("flag type VARIANT_FLAG_TYPE invalid")) {
            try Self.snapshot.boolean(flagKey: "foo", entityId: "e", context: [:])
        }
    }

    @Test func flagLookupIsByteExact() {
        let snapshot = EvaluationSnapshot(state: Fixture.state(flags: [Fixture.booleanFlag("Key", enabled: true)]))
        #expect(snapshot.flagType(forKey: "Key") == .boolean)
        #expect(snapshot.flagType(forKey: "\u{212A}ey") == nil) // KELVIN SIGN is canonically "K"
        #expect(snapshot.flagType(forKey: "key") == nil)
        #expect(throws: HoistError.self) { try snapshot.boolean(flagKey: "\u{212A}ey", entityId: "", context: [:]) }
    }

    @Test func snapshotProperties() {
        #expect(Self.snapshot.namespaceKey == "production")
        #expect(Self.snapshot.version == "v1")
        #expect(Self.snapshot.flagCount == 3)
        #expect(Self.snapshot.flags.map(\.key) == ["flag_boolean", "on", "foo"])
        #expect(Self.snapshot.flags.map(\.type) == [.boolean, .boolean, .variant])
        #expect(Self.snapshot.flags.map(\.enabled) == [false, true, true])
        #expect(Self.snapshot.flagType(forKey: "foo") == .variant)
    }
}
