extension EvaluationSnapshot {
    /// Evaluates a variant flag (spec §3.1).
    ///
    /// - Throws: `.notFound("flag \"<ns>/<key>\" not found")`, `.invalid("flag type BOOLEAN_FLAG_TYPE invalid")`,
    ///   `.invalid("unknown constraint type")`, or `.invalid("rule rank: N detected out of order")`.
    public func variant(flagKey: String, entityId: String,
                        context: [String: String]) throws(HoistError) -> VariantEvaluation {
        guard let flag = compiledFlag(forKey: flagKey) else { throw notFound(flagKey) }
        guard flag.type == .variant else { throw .invalid("flag type \(flag.type.wireName) invalid") }
        var result = VariantEvaluation(
            flagKey: flagKey, match: false, reason: flag.defaultVariantKey == nil ? .unknown : .default,
            variantKey: flag.defaultVariantKey ?? "", variantAttachment: flag.defaultVariantAttachment,
            segmentKeys: [])
        guard flag.enabled else {
            result.reason = .flagDisabled
            return result
        }
        guard !flag.rules.isEmpty else { return result }
        return try ContextReader.with(flag: flag, entityId: entityId, context: context) { reader throws(HoistError) in
            for rule in flag.rules {
                if rule.rankOutOfOrder { throw .invalid("rule rank: \(rule.rank) detected out of order") }
                guard let matched = try reader.evaluate(rule.group) else { continue }
                result.segmentKeys = matched.keys(in: rule.group, of: flag)
                guard rule.distributions.count > 0 else {
                    result.match = true
                    result.reason = .match
                    return result
                }
                let bucket = Int(CRC32.checksum(flagKey, entityId) % 1000)
                for index in rule.distributions.range where bucket < flag.distributions[index].upperBound {
                    let variant = Int(flag.distributions[index].variantIndex)
                    result.match = true
                    result.reason = .match
                    result.split = rule.distributions.count > 1 || flag.distributions[index].upperBound < 1000
                    result.variantKey = flag.variantKeys[variant]
                    result.variantAttachment = flag.variantAttachments[variant]
                    return result
                }
                // The bucket lies beyond the last boundary: no match, and later rules are not tried.
                return result
            }
            return result
        }
    }

    /// Evaluates a boolean flag (spec §3.2). `enabled` is only the fallback value.
    ///
    /// - Throws: `.notFound("flag \"<ns>/<key>\" not found")`, `.invalid("flag type VARIANT_FLAG_TYPE invalid")`,
    ///   `.invalid("unknown constraint type")`, or `.internal("rollout rank: N detected out of order")`.
    public func boolean(flagKey: String, entityId: String,
                        context: [String: String]) throws(HoistError) -> BooleanEvaluation {
        guard let flag = compiledFlag(forKey: flagKey) else { throw notFound(flagKey) }
        guard flag.type == .boolean else { throw .invalid("flag type \(flag.type.wireName) invalid") }
        let fallback = BooleanEvaluation(flagKey: flagKey, enabled: flag.enabled, reason: .default, segmentKeys: [])
        guard !flag.rollouts.isEmpty else { return fallback }
        return try ContextReader.with(flag: flag, entityId: entityId, context: context) { reader throws(HoistError) in
            var thresholdValue: Float?
            for rollout in flag.rollouts {
                if rollout.rankOutOfOrder { throw .internal("rollout rank: \(rollout.rank) detected out of order") }
                if rollout.isThreshold {
                    let hashed = thresholdValue ?? Float(CRC32.checksum(entityId, flagKey) % 100)
                    thresholdValue = hashed
                    if hashed < rollout.percentage {
                        return BooleanEvaluation(
                            flagKey: flagKey, enabled: rollout.value, reason: .match, segmentKeys: [],
                            split: rollout.percentage < 100)
                    }
                } else if let matched = try reader.evaluate(rollout.group) {
                    return BooleanEvaluation(flagKey: flagKey, enabled: rollout.value, reason: .match,
                                             segmentKeys: matched.keys(in: rollout.group, of: flag))
                }
            }
            return fallback
        }
    }
}

/// Reads context values for one evaluation: each property is looked up at most once, keys are compared
/// byte-wise (Go map semantics), and values stay in a stack-allocated cache that constraints read in place.
struct ContextReader: ~Copyable {
    let program: FlagProgram
    let context: [String: String]
    /// One slot per `FlagProgram.slotNames`; slot 0 holds the entity ID.
    let cache: UnsafeMutableBufferPointer<String?>

    static func with<Result>(flag: FlagProgram, entityId: String, context: [String: String],
                             _ body: (borrowing ContextReader) throws(HoistError) -> Result) throws(HoistError) -> Result {
        let outcome: Swift.Result<Result, HoistError> = withUnsafeTemporaryAllocation(
            of: String?.self, capacity: flag.slotNames.count
        ) { cache in
            cache.initialize(repeating: nil)
            defer { cache.deinitialize() }
            cache[0] = entityId
            let reader = ContextReader(program: flag, context: context, cache: cache)
            do throws(HoistError) {
                return .success(try body(reader))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Fills a property slot on first use; a missing key reads as `""`.
    @inline(never)
    func load(slot: Int) {
        let name = program.slotNames[slot]
        var found = ""
        if let position = context.index(forKey: name) {
            let entry = context[position]
            if GoStrings.bytesEqual(entry.key, name) { found = entry.value }
        }
        cache[slot] = found
    }

    @inline(__always)
    func matches(_ constraint: ConstraintProgram) -> Bool {
        let slot = Int(constraint.slot)
        if cache[slot] == nil { load(slot: slot) }
        return cache[slot]!.withUTF8 { constraint.matches($0, in: program) }
    }

    /// ALL: every constraint matches; ANY: at least one does. A segment without constraints matches.
    /// Constraint tests are pure, so stopping early is unobservable (unknown types fail at group level).
    func matches(_ segment: SegmentProgram) -> Bool {
        let range = segment.constraints.range
        if range.isEmpty { return true }
        if segment.requiresEveryConstraint {
            for index in range where !matches(program.constraints[index]) { return false }
            return true
        }
        for index in range where matches(program.constraints[index]) { return true }
        return false
    }

    /// Evaluates every segment of a group and applies OR/AND; `nil` when the group does not apply.
    func evaluate(_ group: SegmentGroupProgram) throws(HoistError) -> MatchedSegments? {
        if group.failsWithUnknownConstraintType { throw .invalid("unknown constraint type") }
        var matched = MatchedSegments()
        var matchCount = 0
        let range = group.segments.range
        for index in range where matches(program.segments[index]) {
            matched.insert(index - range.lowerBound)
            matchCount += 1
        }
        let applies = group.requiresEverySegment ? matchCount == range.count : matchCount > 0
        return applies ? matched : nil
    }
}

/// Positions of the matched segments within a group, without allocating for groups of up to 64 segments.
struct MatchedSegments {
    var lowBits: UInt64 = 0
    var highPositions: [Int] = []

    mutating func insert(_ position: Int) {
        if position < 64 { lowBits |= 1 << UInt64(position) } else { highPositions.append(position) }
    }

    func contains(_ position: Int) -> Bool {
        position < 64 ? lowBits & (1 << UInt64(position)) != 0 : highPositions.contains(position)
    }

    /// The matched segment keys in the group's segment order.
    func keys(in group: SegmentGroupProgram, of program: FlagProgram) -> [String] {
        if lowBits.nonzeroBitCount + highPositions.count == Int(group.segments.count), group.allKeys >= 0 {
            return program.groupKeys[Int(group.allKeys)]
        }
        var keys: [String] = []
        keys.reserveCapacity(lowBits.nonzeroBitCount + highPositions.count)
        for (position, index) in group.segments.range.enumerated() where contains(position) {
            keys.append(program.segmentKeys[Int(program.segments[index].keyIndex)])
        }
        return keys
    }
}
