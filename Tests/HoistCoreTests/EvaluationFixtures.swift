@testable import HoistCore

/// Small builders for namespaces used by the evaluation tests.
enum Fixture {
    static let ns = "default"
    static let epoch = Timestamp(microseconds: 1_767_225_600_000_000) // 2026-01-01T00:00:00Z

    static func variant(_ flagKey: String, _ key: String, attachment: String = "") -> Variant {
        Variant(id: "\(flagKey)-\(key)-id", namespaceKey: ns, flagKey: flagKey, key: key, attachment: attachment,
                createdAt: epoch, updatedAt: epoch)
    }

    static func constraint(_ type: ComparisonType, _ property: String, _ op: String, _ value: String = "",
                           id: String = "") -> Constraint {
        Constraint(id: id, namespaceKey: ns, segmentKey: "", type: type, property: property, operator: op,
                   value: value, createdAt: epoch, updatedAt: epoch)
    }

    static func segment(_ key: String, _ matchType: MatchType = .all, _ constraints: [Constraint] = [],
                        name: String = "") -> Segment {
        Segment(namespaceKey: ns, key: key, name: name, matchType: matchType, constraints: constraints,
                createdAt: epoch, updatedAt: epoch)
    }

    /// A segment matching `in_segment == key`, as in Flipt's readonly integration data.
    static func inSegment(_ key: String) -> Segment {
        segment(key, .all, [constraint(.string, "in_segment", "eq", key)])
    }

    static func distribution(_ flagKey: String, _ variantKey: String, _ rollout: Float) -> Distribution {
        Distribution(id: "d-\(variantKey)", ruleId: "", variantId: "\(flagKey)-\(variantKey)-id", rollout: rollout,
                     createdAt: epoch, updatedAt: epoch)
    }

    static func rule(_ flagKey: String, _ segments: [String], _ op: SegmentOperator = .or, rank: Int32,
                     _ distributions: [(String, Float)] = []) -> Rule {
        Rule(id: "\(flagKey)-rule-\(rank)", namespaceKey: ns, flagKey: flagKey, segmentKeys: segments,
             segmentOperator: op, rank: rank,
             distributions: distributions.map { distribution(flagKey, $0.0, $0.1) },
             createdAt: epoch, updatedAt: epoch)
    }

    static func threshold(_ flagKey: String, rank: Int32, _ percentage: Float, _ value: Bool) -> Rollout {
        Rollout(id: "\(flagKey)-rollout-\(rank)", namespaceKey: ns, flagKey: flagKey, rank: rank,
                rule: .threshold(RolloutThreshold(percentage: percentage, value: value)),
                createdAt: epoch, updatedAt: epoch)
    }

    static func segmentRollout(_ flagKey: String, rank: Int32, _ segments: [String], _ op: SegmentOperator = .or,
                               value: Bool) -> Rollout {
        Rollout(id: "\(flagKey)-rollout-\(rank)", namespaceKey: ns, flagKey: flagKey, rank: rank,
                rule: .segment(RolloutSegment(segmentKeys: segments, segmentOperator: op, value: value)),
                createdAt: epoch, updatedAt: epoch)
    }

    static func variantFlag(_ key: String, enabled: Bool = true, variants: [String] = [],
                            defaultVariant: String? = nil, attachments: [String: String] = [:]) -> Flag {
        let all = variants.map { variant(key, $0, attachment: attachments[$0] ?? "") }
        return Flag(namespaceKey: ns, key: key, name: key.uppercased(), enabled: enabled, type: .variant,
                    createdAt: epoch, updatedAt: epoch, variants: all,
                    defaultVariant: defaultVariant.flatMap { name in all.first { $0.key == name } })
    }

    static func booleanFlag(_ key: String, enabled: Bool) -> Flag {
        Flag(namespaceKey: ns, key: key, name: key.uppercased(), enabled: enabled, type: .boolean,
             createdAt: epoch, updatedAt: epoch)
    }

    static func state(flags: [Flag], rules: [Rule] = [], rollouts: [Rollout] = [], segments: [Segment] = [],
                      namespace: String = ns) -> NamespaceState {
        NamespaceState(namespaceKey: namespace, version: "v1", flags: flags,
                       rules: Dictionary(grouping: rules, by: \.flagKey),
                       rollouts: Dictionary(grouping: rollouts, by: \.flagKey),
                       segments: Dictionary(uniqueKeysWithValues: segments.map { ($0.key, $0) }))
    }

    /// A variant flag `foo` whose single rule (segment without constraints) has the given distributions.
    static func bucketing(flagKey: String = "foo", _ distributions: [(String, Float)],
                          defaultVariant: String? = nil) -> EvaluationSnapshot {
        let keys = distributions.map(\.0) + (defaultVariant.map { [$0] } ?? [])
        return EvaluationSnapshot(state: state(
            flags: [variantFlag(flagKey, variants: keys, defaultVariant: defaultVariant)],
            rules: [rule(flagKey, ["everyone"], rank: 1, distributions)],
            segments: [segment("everyone")]))
    }

    /// Evaluates a single constraint through a one-segment boolean flag (true when the segment matches).
    static func constraintMatches(_ type: ComparisonType, _ op: String, _ value: String,
                                  contextValue: String?, entityId: String = "entity") throws -> Bool {
        let snapshot = EvaluationSnapshot(state: state(
            flags: [booleanFlag("probe", enabled: false)],
            rollouts: [segmentRollout("probe", rank: 1, ["s"], value: true)],
            segments: [segment("s", .all, [constraint(type, "p", op, value)])]))
        let context = contextValue.map { ["p": $0] } ?? [:]
        return try snapshot.boolean(flagKey: "probe", entityId: entityId, context: context).enabled
    }
}
