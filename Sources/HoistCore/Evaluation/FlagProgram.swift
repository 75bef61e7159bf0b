/// A segment inside a flag program: a run of constraints.
struct SegmentProgram: Sendable {
    var constraints: PoolSpan
    /// ALL (every constraint) rather than ANY (at least one). Zero constraints always match.
    var requiresEveryConstraint: Bool
    var hasUnknownConstraintType: Bool
    /// Index into `FlagProgram.segmentKeys`.
    var keyIndex: Int32
}

/// The segments of a rule or segment rollout with their OR/AND operator.
struct SegmentGroupProgram: Sendable {
    var segments: PoolSpan
    /// AND rather than OR.
    var requiresEverySegment: Bool
    /// Flipt evaluates every constraint of every segment of a rule, so reaching this group always fails.
    var failsWithUnknownConstraintType: Bool
    /// Index into `FlagProgram.groupKeys`: the keys of all the group's segments, returned without
    /// allocating when every segment matched (always the case for one-segment and AND groups).
    var allKeys: Int32 = -1
}

struct DistributionProgram: Sendable {
    /// Cumulative float32 boundary: selected when `bucket < upperBound`.
    var upperBound: Int
    /// Index into `FlagProgram.variantKeys` / `variantAttachments`.
    var variantIndex: Int32
}

struct RuleProgram: Sendable {
    var rank: Int32
    /// Flipt rejects a rank lower than the previous rule's when it reaches the rule.
    var rankOutOfOrder: Bool
    var group: SegmentGroupProgram
    /// Only distributions with rollout > 0, in stored order.
    var distributions: PoolSpan
}

struct RolloutProgram: Sendable {
    var rank: Int32
    var rankOutOfOrder: Bool
    /// A threshold rollout when true, otherwise a segment rollout.
    var isThreshold: Bool
    var percentage: Float
    var value: Bool
    var group: SegmentGroupProgram
}

/// One flag compiled into flat, reference-free tables so the evaluation loop does no reference counting.
/// Immutable after `init`; it owns its buffers and frees them in `deinit` (hence `@unchecked Sendable`).
final class FlagProgram: @unchecked Sendable {
    let key: String
    let type: FlagType
    let enabled: Bool
    let defaultVariantKey: String?
    let defaultVariantAttachment: String
    /// Property names by context slot; slot 0 is the entity ID (its name is unused).
    let slotNames: [String]
    let segmentKeys: [String]
    /// Per segment group, the keys of all its segments in order (see `SegmentGroupProgram.allKeys`).
    let groupKeys: [[String]]
    let variantKeys: [String]
    let variantAttachments: [String]

    let bytePool: UnsafeBufferPointer<UInt8>
    let stringSpanPool: UnsafeBufferPointer<PoolSpan>
    let numberPool: UnsafeBufferPointer<Double>
    let constraints: UnsafeBufferPointer<ConstraintProgram>
    let segments: UnsafeBufferPointer<SegmentProgram>
    let distributions: UnsafeBufferPointer<DistributionProgram>
    let rules: UnsafeBufferPointer<RuleProgram>
    let rollouts: UnsafeBufferPointer<RolloutProgram>

    init(flag: Flag, builder: FlagProgramBuilder) {
        key = flag.key
        type = flag.type
        enabled = flag.enabled
        let defaultVariant = flag.type == .variant ? flag.defaultVariant : nil
        defaultVariantKey = defaultVariant?.key
        defaultVariantAttachment = defaultVariant?.attachment ?? ""
        slotNames = builder.slotNames
        segmentKeys = builder.segmentKeys
        groupKeys = builder.groupKeys
        variantKeys = flag.variants.map(\.key)
        variantAttachments = flag.variants.map(\.attachment)
        bytePool = Self.copy(builder.pools.bytes)
        stringSpanPool = Self.copy(builder.pools.stringSpans)
        numberPool = Self.copy(builder.pools.numbers)
        constraints = Self.copy(builder.constraints)
        segments = Self.copy(builder.segments)
        distributions = Self.copy(builder.distributions)
        rules = Self.copy(builder.rules)
        rollouts = Self.copy(builder.rollouts)
    }

    deinit {
        bytePool.deallocate()
        stringSpanPool.deallocate()
        numberPool.deallocate()
        constraints.deallocate()
        segments.deallocate()
        distributions.deallocate()
        rules.deallocate()
        rollouts.deallocate()
    }

    static func copy<Element>(_ array: [Element]) -> UnsafeBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return UnsafeBufferPointer(buffer)
    }
}

/// Builds one `FlagProgram`: resolves segments, assigns context slots and precomputes boundaries.
struct FlagProgramBuilder {
    /// Constraint tests per segment key, compiled once for the whole namespace.
    typealias SegmentTests = [String: (segment: Segment, tests: [ConstraintTest])]

    let segmentTests: SegmentTests
    var pools = ProgramPools()
    var slotNames = [""]
    var slotByName: [[UInt8]: Int32] = [:]
    var segmentKeys: [String] = []
    var groupKeys: [[String]] = []
    var constraints: [ConstraintProgram] = []
    var segments: [SegmentProgram] = []
    var distributions: [DistributionProgram] = []
    var rules: [RuleProgram] = []
    var rollouts: [RolloutProgram] = []

    static func compileSegments(_ segments: [String: Segment]) -> SegmentTests {
        segments.mapValues { segment in
            (segment, segment.constraints.map { ConstraintTest(type: $0.type, operator: $0.operator, value: $0.value) })
        }
    }

    static func program(flag: Flag, rules: [Rule], rollouts: [Rollout], segmentTests: SegmentTests) -> FlagProgram {
        var builder = FlagProgramBuilder(segmentTests: segmentTests)
        var lastRank: Int32 = 0
        if flag.type == .variant {
            for rule in rules {
                let group = builder.group(rule.segmentKeys, rule.segmentOperator)
                let run = builder.appendDistributions(rule.distributions, variants: flag.variants)
                builder.rules.append(RuleProgram(rank: rule.rank, rankOutOfOrder: rule.rank < lastRank, group: group,
                                                 distributions: run))
                lastRank = rule.rank
            }
        } else {
            for rollout in rollouts {
                var program = RolloutProgram(rank: rollout.rank, rankOutOfOrder: rollout.rank < lastRank,
                                             isThreshold: false, percentage: 0, value: false,
                                             group: SegmentGroupProgram(segments: .empty, requiresEverySegment: false,
                                                                        failsWithUnknownConstraintType: false))
                switch rollout.rule {
                case .threshold(let threshold):
                    program.isThreshold = true
                    program.percentage = threshold.percentage
                    program.value = threshold.value
                case .segment(let segment):
                    program.value = segment.value
                    program.group = builder.group(segment.segmentKeys, segment.segmentOperator)
                }
                builder.rollouts.append(program)
                lastRank = rollout.rank
            }
        }
        return FlagProgram(flag: flag, builder: builder)
    }

    /// Segments missing from the namespace are left out, as a store join would.
    mutating func group(_ keys: [String], _ segmentOperator: SegmentOperator) -> SegmentGroupProgram {
        let start = segments.count
        var failsWithUnknownType = false
        for key in keys {
            guard let (segment, tests) = segmentTests[key] else { continue }
            let constraintStart = constraints.count
            var hasUnknownType = false
            for (constraint, test) in zip(segment.constraints, tests) {
                if case .unknownType = test { hasUnknownType = true }
                let slot: Int32 = constraint.type == .entityId ? 0 : slot(of: constraint.property)
                constraints.append(ConstraintProgram(test, slot: slot, pools: &pools))
            }
            failsWithUnknownType = failsWithUnknownType || hasUnknownType
            segments.append(SegmentProgram(
                constraints: PoolSpan(start: Int32(constraintStart), count: Int32(constraints.count - constraintStart)),
                requiresEveryConstraint: segment.matchType == .all, hasUnknownConstraintType: hasUnknownType,
                keyIndex: Int32(segmentKeys.count)))
            segmentKeys.append(segment.key)
        }
        groupKeys.append(Array(segmentKeys[start..<segments.count]))
        return SegmentGroupProgram(segments: PoolSpan(start: Int32(start), count: Int32(segments.count - start)),
                                   requiresEverySegment: segmentOperator == .and,
                                   failsWithUnknownConstraintType: failsWithUnknownType,
                                   allKeys: Int32(groupKeys.count - 1))
    }

    /// Context slots are keyed by the property's bytes, so distinct byte strings never share a slot.
    mutating func slot(of property: String) -> Int32 {
        let bytes = Array(property.utf8)
        if let existing = slotByName[bytes] { return existing }
        let slot = Int32(slotNames.count)
        slotByName[bytes] = slot
        slotNames.append(property)
        return slot
    }

    /// Keeps rollouts > 0 and accumulates float32 widths `Int(rollout * 10)` (spec §4.2).
    mutating func appendDistributions(_ list: [Distribution], variants: [Variant]) -> PoolSpan {
        let start = distributions.count
        var boundary = 0
        for distribution in list where distribution.rollout > 0 {
            guard let variantIndex = variants.firstIndex(where: { $0.id == distribution.variantId }) else { continue }
            let width: Float = distribution.rollout * Float(10)
            // Rollouts are validated to 0…100; clamp so corrupt data cannot trap.
            boundary += width < 1e9 ? Int(width) : 1_000_000_000
            distributions.append(DistributionProgram(upperBound: boundary, variantIndex: Int32(variantIndex)))
        }
        return PoolSpan(start: Int32(start), count: Int32(distributions.count - start))
    }
}
