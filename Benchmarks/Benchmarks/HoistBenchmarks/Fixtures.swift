import HoistCore

/// Builds `NamespaceState` values in code, shaped like the ones the SQLite store returns
/// (flags in creation order, rules/rollouts sorted by rank, segments by key).
struct FixtureBuilder {
    static let namespace = "default"
    static let time = Timestamp(microseconds: 1_700_000_000_000_000)

    var flags: [Flag] = []
    var rules: [String: [Rule]] = [:]
    var rollouts: [String: [Rollout]] = [:]
    var segments: [String: Segment] = [:]
    private var nextId = 0

    mutating func id(_ prefix: String) -> String {
        nextId += 1
        return "\(prefix)-\(nextId)"
    }

    /// A constraint specification: type, property, operator, value.
    struct C {
        var type: ComparisonType
        var property: String
        var op: String
        var value: String
        init(_ type: ComparisonType, _ property: String, _ op: String, _ value: String) {
            self.type = type
            self.property = property
            self.op = op
            self.value = value
        }
    }

    mutating func segment(_ key: String, match: MatchType = .all, _ constraints: [C]) {
        var built: [Constraint] = []
        for c in constraints {
            built.append(Constraint(
                id: id("c"), namespaceKey: Self.namespace, segmentKey: key, type: c.type, property: c.property,
                operator: c.op, value: c.value, createdAt: Self.time, updatedAt: Self.time))
        }
        segments[key] = Segment(namespaceKey: Self.namespace, key: key, name: key, matchType: match,
                                constraints: built, createdAt: Self.time, updatedAt: Self.time)
    }

    /// A variant flag with `variantCount` variants (`v0`, `v1`, …, each with a small JSON attachment);
    /// the first variant is the default.
    @discardableResult
    mutating func variantFlag(_ key: String, variantCount: Int = 2, enabled: Bool = true) -> [Variant] {
        var variants: [Variant] = []
        for i in 0..<variantCount {
            variants.append(Variant(
                id: id("v"), namespaceKey: Self.namespace, flagKey: key, key: "v\(i)", name: "Variant \(i)",
                attachment: "{\"color\":\"c\(i)\",\"weight\":\(i)}", createdAt: Self.time, updatedAt: Self.time))
        }
        flags.append(Flag(namespaceKey: Self.namespace, key: key, name: key, enabled: enabled, type: .variant,
                          createdAt: Self.time, updatedAt: Self.time, variants: variants,
                          defaultVariant: variants.first))
        return variants
    }

    /// Appends a rule with an even split over `variants` (rollouts as Flipt's UI writes them: 50/50, 33.33…).
    mutating func rule(_ flagKey: String, segments keys: [String], op: SegmentOperator = .or, variants: [Variant]) {
        let ruleId = id("r")
        let share = Float(100) / Float(max(variants.count, 1))
        let distributions = variants.map {
            Distribution(id: id("d"), ruleId: ruleId, variantId: $0.id, rollout: share, createdAt: Self.time,
                         updatedAt: Self.time)
        }
        let rank = Int32((rules[flagKey]?.count ?? 0) + 1)
        rules[flagKey, default: []].append(Rule(
            id: ruleId, namespaceKey: Self.namespace, flagKey: flagKey, segmentKeys: keys, segmentOperator: op,
            rank: rank, distributions: distributions, createdAt: Self.time, updatedAt: Self.time))
    }

    mutating func booleanFlag(_ key: String, enabled: Bool = false) {
        flags.append(Flag(namespaceKey: Self.namespace, key: key, name: key, enabled: enabled, type: .boolean,
                          createdAt: Self.time, updatedAt: Self.time))
    }

    mutating func threshold(_ flagKey: String, percentage: Float, value: Bool = true) {
        appendRollout(flagKey, .threshold(RolloutThreshold(percentage: percentage, value: value)))
    }

    mutating func segmentRollout(_ flagKey: String, segments keys: [String], op: SegmentOperator = .or,
                                 value: Bool = true) {
        appendRollout(flagKey, .segment(RolloutSegment(segmentKeys: keys, segmentOperator: op, value: value)))
    }

    private mutating func appendRollout(_ flagKey: String, _ rule: Rollout.Rule) {
        let rank = Int32((rollouts[flagKey]?.count ?? 0) + 1)
        rollouts[flagKey, default: []].append(Rollout(
            id: id("ro"), namespaceKey: Self.namespace, flagKey: flagKey, rank: rank, rule: rule,
            createdAt: Self.time, updatedAt: Self.time))
    }

    func state() -> NamespaceState {
        NamespaceState(namespaceKey: Self.namespace, version: "1", flags: flags, rules: rules, rollouts: rollouts,
                       segments: segments)
    }
}

/// The fixtures every benchmark evaluates against. One namespace holds all of them, as in production.
enum Fixtures {
    /// A realistic request context: five string properties, as SDKs send them.
    static let context: [String: String] = [
        "plan": "enterprise",
        "country": "DE",
        "seats": "250",
        "beta": "true",
        "signup": "2024-03-01T10:00:00Z",
    ]
    static let entityId = "user-4f1c9a2e"

    /// The 20 flag keys of the batch benchmark (10 variant, 10 boolean).
    static let batchFlagKeys: [String] = (0..<20).map { $0 % 2 == 0 ? "batch-variant-\($0)" : "batch-boolean-\($0)" }

    /// One flag per constraint type/operator for the per-type matching benchmarks: (flag key, constraint).
    static let constraintCases: [(name: String, constraint: FixtureBuilder.C)] = [
        ("string-eq", .init(.string, "plan", "eq", "enterprise")),
        ("string-prefix", .init(.string, "plan", "prefix", "enter")),
        ("string-contains", .init(.string, "plan", "contains", "erpri")),
        ("string-isoneof-10", .init(.string, "country", "isoneof",
                                    #"["US","GB","FR","DE","NL","SE","NO","DK","FI","PL"]"#)),
        ("number-gte", .init(.number, "seats", "gte", "100")),
        ("number-isoneof-5", .init(.number, "seats", "isoneof", "[10, 50, 100, 250, 500]")),
        ("boolean-true", .init(.boolean, "beta", "true", "")),
        ("datetime-gt", .init(.datetime, "signup", "gt", "2023-01-01T00:00:00Z")),
        ("entityid-eq", .init(.entityId, "entityId", "eq", "user-4f1c9a2e")),
    ]

    static func evaluationState() -> NamespaceState {
        var b = FixtureBuilder()

        // Variant, no rules: default variant.
        b.variantFlag("variant-no-rules")

        // Variant, 1 rule / 1 segment / 1 constraint, matching.
        b.segment("seg-enterprise", [.init(.string, "plan", "eq", "enterprise")])
        let v1 = b.variantFlag("variant-1x1x1")
        b.rule("variant-1x1x1", segments: ["seg-enterprise"], variants: v1)

        // Variant, 5 rules × 2 segments × 3 constraints of mixed types. Rules 1–4 fail on the third
        // constraint of each segment (OR: both segments are evaluated, 6 constraints per rule); rule 5
        // (AND) matches with all 6. Worst case for this shape: all 30 constraints are evaluated.
        var ruleSegments: [[String]] = []
        for r in 1...5 {
            let matches = r == 5
            let a = "seg-mixed-\(r)a"
            let c = "seg-mixed-\(r)b"
            b.segment(a, [
                .init(.string, "country", "isoneof", #"["DE","FR","NL"]"#),
                .init(.number, "seats", "gte", "100"),
                .init(.string, "plan", "eq", matches ? "enterprise" : "plan-\(r)"),
            ])
            b.segment(c, [
                .init(.boolean, "beta", "true", ""),
                .init(.datetime, "signup", "gt", "2023-01-01T00:00:00Z"),
                .init(.entityId, "entityId", "isoneof", matches ? #"["user-4f1c9a2e","user-00000001"]"# : #"["svc-\#(r)"]"#),
            ])
            ruleSegments.append([a, c])
        }
        let v5 = b.variantFlag("variant-5x2x3", variantCount: 3)
        for (i, keys) in ruleSegments.enumerated() {
            b.rule("variant-5x2x3", segments: keys, op: i == 4 ? .and : .or, variants: v5)
        }

        // Variant, 50 rules of one segment each (one string constraint); only the 50th matches.
        for r in 1...50 {
            b.segment("seg-plan-\(r)", [.init(.string, "plan", "eq", r == 50 ? "enterprise" : "plan-\(r)")])
        }
        let v50 = b.variantFlag("variant-50-rules", variantCount: 2)
        for r in 1...50 { b.rule("variant-50-rules", segments: ["seg-plan-\(r)"], variants: v50) }

        // Boolean, one 50% threshold rollout.
        b.booleanFlag("boolean-threshold")
        b.threshold("boolean-threshold", percentage: 50)

        // Boolean, segment rollouts: two non-matching segment rollouts, a matching one, then a threshold.
        b.segment("seg-country-us", [.init(.string, "country", "eq", "US"), .init(.number, "seats", "lt", "10")])
        b.segment("seg-free", [.init(.string, "plan", "eq", "free")])
        b.segment("seg-beta-de", [.init(.boolean, "beta", "true", ""), .init(.string, "country", "eq", "DE")])
        b.booleanFlag("boolean-segments")
        b.segmentRollout("boolean-segments", segments: ["seg-country-us"])
        b.segmentRollout("boolean-segments", segments: ["seg-free"])
        b.segmentRollout("boolean-segments", segments: ["seg-beta-de"], value: true)
        b.threshold("boolean-segments", percentage: 25)

        // Batch: 10 variant flags with one or two rules, 10 boolean flags with a segment rollout + threshold.
        for key in batchFlagKeys {
            if key.hasPrefix("batch-variant") {
                let vs = b.variantFlag(key, variantCount: 2)
                b.rule(key, segments: ["seg-free"], variants: vs)
                b.rule(key, segments: ["seg-enterprise"], variants: vs)
            } else {
                b.booleanFlag(key)
                b.segmentRollout(key, segments: ["seg-beta-de"])
                b.threshold(key, percentage: 30)
            }
        }

        // Constraint matching per type: one rule, one segment, one constraint.
        for (name, constraint) in constraintCases {
            b.segment("seg-type-\(name)", [constraint])
            let vs = b.variantFlag("type-\(name)", variantCount: 2)
            b.rule("type-\(name)", segments: ["seg-type-\(name)"], variants: vs)
        }
        return b.state()
    }

    /// A namespace of `flagCount` flags with realistic targeting, as used for snapshot compilation:
    /// 50 shared segments of 1–3 constraints (string, number, isoneof, boolean, datetime); half the flags
    /// are variant flags (2–3 variants, 1–2 rules with even splits), half boolean flags (a segment
    /// rollout then a threshold).
    static func scaleState(flagCount: Int) -> NamespaceState {
        var b = FixtureBuilder()
        let segmentCount = 50
        for s in 0..<segmentCount {
            var constraints: [FixtureBuilder.C] = [.init(.string, "plan", "eq", "plan-\(s % 7)")]
            if s % 2 == 0 { constraints.append(.init(.number, "seats", "gte", "\(s * 10)")) }
            if s % 3 == 0 { constraints.append(.init(.string, "country", "isoneof", #"["DE","FR","NL","US"]"#)) }
            if s % 5 == 0 { constraints.append(.init(.boolean, "beta", "true", "")) }
            if s % 7 == 0 { constraints.append(.init(.datetime, "signup", "gte", "2024-01-01T00:00:00Z")) }
            b.segment("segment-\(s)", match: s % 4 == 0 ? .any : .all, Array(constraints.prefix(3)))
        }
        for f in 0..<flagCount {
            let key = "flag-\(f)"
            if f % 2 == 0 {
                let vs = b.variantFlag(key, variantCount: 2 + f % 2 + (f / 2) % 2)
                b.rule(key, segments: ["segment-\(f % segmentCount)"], variants: vs)
                if f % 4 == 0 {
                    b.rule(key, segments: ["segment-\((f + 1) % segmentCount)", "segment-\((f + 2) % segmentCount)"],
                           op: .and, variants: vs)
                }
            } else {
                b.booleanFlag(key)
                b.segmentRollout(key, segments: ["segment-\(f % segmentCount)"])
                b.threshold(key, percentage: Float(f % 100))
            }
        }
        return b.state()
    }

    /// A typical `/evaluate/v1/variant` request body.
    static let requestBody: [UInt8] = Array(#"""
    {"requestId":"","namespaceKey":"default","flagKey":"variant-5x2x3","entityId":"user-4f1c9a2e","context":{"plan":"enterprise","country":"DE","seats":"250","beta":"true","signup":"2024-03-01T10:00:00Z"}}
    """#.utf8)

    /// A `/evaluate/v1/batch` body of the 20 batch flags.
    static let batchRequestBody: [UInt8] = {
        let contextJSON = #"{"plan":"enterprise","country":"DE","seats":"250","beta":"true","signup":"2024-03-01T10:00:00Z"}"#
        let items = batchFlagKeys.map {
            #"{"namespaceKey":"default","flagKey":"\#($0)","entityId":"user-4f1c9a2e","context":\#(contextJSON)}"#
        }
        return Array(#"{"requests":["#.utf8) + Array(items.joined(separator: ",").utf8) + Array("]}".utf8)
    }()
}
