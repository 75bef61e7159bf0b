public import HoistCore

/// Everything one import file creates, in Flipt's import order (spec §6.4), ready for a store.
///
/// Built from import documents by `HoistDocuments`; executed by a ``BatchImportingStore`` in one
/// transaction, or request by request over HTTP.
public struct ImportBatch: Sendable {
    public var namespaces: [NamespaceImport]
    /// `--skip-existing`: flags and segments whose key already exists are left alone (with the
    /// flag's variants, rules and rollouts).
    public var skipExisting: Bool

    public init(namespaces: [NamespaceImport], skipExisting: Bool = false) {
        self.namespaces = namespaces
        self.skipExisting = skipExisting
    }

    /// How many entities the batch creates (for progress reporting).
    public var entityCount: Int {
        namespaces.reduce(0) { total, ns in
            total + 1 + ns.segments.reduce(0) { $0 + 1 + $1.constraints.count }
                + ns.flags.reduce(0) { sum, flag in
                    sum + 1 + flag.variants.count + flag.rollouts.count
                        + flag.rules.reduce(0) { $0 + 1 + $1.distributions.count }
                }
        }
    }
}

public struct NamespaceImport: Sendable {
    /// Created when missing (`default` always exists). Name/description apply only on creation.
    public var namespace: CreateNamespaceRequest
    /// 1-based document index in the file, for error messages.
    public var documentIndex: Int
    public var flags: [FlagImport]
    public var segments: [SegmentImport]

    public init(namespace: CreateNamespaceRequest, documentIndex: Int, flags: [FlagImport] = [],
                segments: [SegmentImport] = []) {
        self.namespace = namespace
        self.documentIndex = documentIndex
        self.flags = flags
        self.segments = segments
    }
}

public struct FlagImport: Sendable {
    public var flag: CreateFlagRequest
    public var variants: [CreateVariantRequest]
    /// The variant made the flag's default (`default: true`, last one wins).
    public var defaultVariantKey: String?
    public var rules: [RuleImport]
    /// Ranks are positional (1…n).
    public var rollouts: [RolloutRequest]

    public init(flag: CreateFlagRequest, variants: [CreateVariantRequest] = [], defaultVariantKey: String? = nil,
                rules: [RuleImport] = [], rollouts: [RolloutRequest] = []) {
        self.flag = flag
        self.variants = variants
        self.defaultVariantKey = defaultVariantKey
        self.rules = rules
        self.rollouts = rollouts
    }
}

public struct RuleImport: Sendable {
    public var rule: RuleRequest
    public var distributions: [DistributionImport]

    public init(rule: RuleRequest, distributions: [DistributionImport] = []) {
        self.rule = rule
        self.distributions = distributions
    }
}

/// A distribution names its variant by key; the id is known only once the variant is created.
public struct DistributionImport: Sendable {
    public var variantKey: String
    public var rollout: Float

    public init(variantKey: String, rollout: Float) {
        self.variantKey = variantKey
        self.rollout = rollout
    }
}

public struct SegmentImport: Sendable {
    public var segment: CreateSegmentRequest
    public var constraints: [ConstraintRequest]

    public init(segment: CreateSegmentRequest, constraints: [ConstraintRequest] = []) {
        self.segment = segment
        self.constraints = constraints
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    public var namespacesCreated = 0
    public var flagsCreated = 0
    public var flagsSkipped = 0
    public var segmentsCreated = 0
    public var segmentsSkipped = 0

    public init() {}
}

/// An import that failed: which element, and the store's error.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var documentIndex: Int
    public var namespace: String
    /// e.g. `flag "checkout", rule 2, distribution 1`.
    public var subject: String
    public var underlying: HoistError

    public init(documentIndex: Int, namespace: String, subject: String, underlying: HoistError) {
        self.documentIndex = documentIndex
        self.namespace = namespace
        self.subject = subject
        self.underlying = underlying
    }

    public var description: String {
        "document \(documentIndex) (namespace \"\(namespace)\")\(subject.isEmpty ? "" : ", " + subject): \(underlying.message)"
    }
}

extension ImportFailure {
    /// A distribution naming a variant the flag does not have (Flipt's `finding variant` error).
    public static func unknownVariant(_ variantKey: String, flagKey: String, in namespace: NamespaceImport,
                                      subject: String) -> ImportFailure {
        ImportFailure(documentIndex: namespace.documentIndex, namespace: namespace.namespace.key, subject: subject,
                      underlying: .invalid("finding variant: \(variantKey); flag: \(flagKey)"))
    }
}

/// A store that can apply a whole import file atomically.
public protocol BatchImportingStore: FlagStore {
    /// Applies `batch` in one transaction: either everything is created or nothing is.
    /// - Parameters:
    ///   - dropExisting: first delete every namespace and its contents, leaving only a fresh
    ///     protected `default` namespace (what a re-migrated database holds), in the same transaction.
    ///   - progress: called with (entities done, total) as the transaction proceeds.
    /// - Throws: ``ImportFailure`` naming the element that failed.
    func importBatch(_ batch: ImportBatch, dropExisting: Bool, progress: @escaping @Sendable (Int, Int) -> Void)
        async throws -> ImportSummary
}
