/// An immutable, compiled view of one namespace, ready for evaluation.
///
/// Everything that does not depend on the request is done once here: flags are indexed by key, each
/// rule's segments are resolved and inlined, every constraint value is parsed (numbers, datetimes,
/// `isoneof` lists, booleans), distributions with rollout > 0 are filtered and their float32 bucket
/// boundaries precomputed, and the default variant is stored. An invalid constraint value compiles to
/// "never matches"; an unknown constraint type still fails the evaluation that reaches it.
public final class EvaluationSnapshot: Sendable {
    /// What OFREP bulk evaluation and listings need to know about a flag.
    public struct FlagSummary: Sendable, Hashable {
        /// The flag key as stored.
        public let key: String
        /// Variant or boolean.
        public let type: FlagType
        /// For variant flags, whether rules are evaluated; for boolean flags, the fallback value.
        public let enabled: Bool

        /// Creates a summary.
        public init(key: String, type: FlagType, enabled: Bool) {
            self.key = key
            self.type = type
            self.enabled = enabled
        }
    }

    /// The namespace this snapshot was built from.
    public let namespaceKey: String
    /// The store's opaque version of the namespace at build time.
    public let version: String
    /// Every flag of the namespace in creation order.
    public let flags: [FlagSummary]
    /// Per-flag slots for observers (indexed like ``flags``, see ``flagPosition(forKey:)``).
    public let attachments: FlagAttachments

    let compiledFlags: [FlagProgram]
    let flagIndexByKey: [String: Int]
    /// True when some flag key is not ASCII, so a Swift dictionary hit must be re-checked byte-wise.
    let hasNonASCIIFlagKeys: Bool

    /// Compiles a namespace. Rules and rollouts are expected sorted by rank and flags in creation order.
    public init(state: NamespaceState) {
        namespaceKey = state.namespaceKey
        version = state.version
        let segmentTests = FlagProgramBuilder.compileSegments(state.segments)
        let compiled = state.flags.map { flag in
            FlagProgramBuilder.program(flag: flag, rules: state.rules[flag.key] ?? [],
                                       rollouts: state.rollouts[flag.key] ?? [], segmentTests: segmentTests)
        }
        compiledFlags = compiled
        flags = compiled.map { FlagSummary(key: $0.key, type: $0.type, enabled: $0.enabled) }
        var index: [String: Int] = [:]
        index.reserveCapacity(compiled.count)
        for (position, flag) in compiled.enumerated() where index[flag.key] == nil {
            index[flag.key] = position
        }
        flagIndexByKey = index
        attachments = FlagAttachments(count: compiled.count)
        hasNonASCIIFlagKeys = compiled.contains { !$0.key.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// Number of flags in the namespace.
    public var flagCount: Int { compiledFlags.count }

    /// The type of the flag with exactly this key, or `nil` when there is none.
    public func flagType(forKey key: String) -> FlagType? {
        compiledFlag(forKey: key)?.type
    }

    /// The position in ``flags`` (and ``attachments``) of the flag with exactly this key, or nil.
    public func flagPosition(forKey key: String) -> Int? {
        if let position = flagIndexByKey[key], GoStrings.bytesEqual(compiledFlags[position].key, key) { return position }
        guard hasNonASCIIFlagKeys else { return nil }
        return compiledFlags.firstIndex { GoStrings.bytesEqual($0.key, key) }
    }

    /// Exact (byte-wise) key lookup, as Flipt's store does it.
    func compiledFlag(forKey key: String) -> FlagProgram? {
        if let position = flagIndexByKey[key] {
            let flag = compiledFlags[position]
            if GoStrings.bytesEqual(flag.key, key) { return flag }
        }
        guard hasNonASCIIFlagKeys else { return nil }
        // Swift's canonical-equivalence hashing may have hidden a byte-identical key.
        return compiledFlags.first { GoStrings.bytesEqual($0.key, key) }
    }

    func notFound(_ flagKey: String) -> HoistError {
        .notFound("flag \"\(namespaceKey)/\(flagKey)\" not found")
    }
}
