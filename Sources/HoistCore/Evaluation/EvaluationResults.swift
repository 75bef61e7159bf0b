/// The outcome of evaluating a variant flag (`/evaluate/v1/variant`, spec §3.1 and §3.5).
public struct VariantEvaluation: Sendable, Hashable {
    /// The requested flag key.
    public var flagKey: String
    public var match: Bool
    public var reason: EvaluationReason
    /// The selected variant's key, the default variant's key, or `""`.
    public var variantKey: String
    /// The selected variant's attachment (JSON text), the default variant's, or `""`.
    public var variantAttachment: String
    /// Keys of the matched segments of the rule that applied, in the rule's segment order
    /// (Flipt's order is unspecified; compare as a set).
    public var segmentKeys: [String]
    /// The variant was picked pseudorandomly by the rule's percentage distributions (several
    /// distributions, or one below 100 %): the OpenTelemetry feature-flag reason `split`. Not on
    /// Flipt's wire; a single 100 % distribution is a plain targeting match.
    public var split: Bool

    /// Creates a result.
    public init(flagKey: String, match: Bool, reason: EvaluationReason, variantKey: String,
                variantAttachment: String, segmentKeys: [String], split: Bool = false) {
        self.flagKey = flagKey
        self.match = match
        self.reason = reason
        self.variantKey = variantKey
        self.variantAttachment = variantAttachment
        self.segmentKeys = segmentKeys
        self.split = split
    }
}

/// The outcome of evaluating a boolean flag (`/evaluate/v1/boolean`, spec §3.2 and §3.5).
public struct BooleanEvaluation: Sendable, Hashable {
    /// The requested flag key.
    public var flagKey: String
    public var enabled: Bool
    /// `.match` or `.default`; never `.flagDisabled` or `.unknown`.
    public var reason: EvaluationReason
    /// Keys of the matched segments when a segment rollout applied, otherwise empty.
    public var segmentKeys: [String]
    /// A threshold rollout below 100 % decided the value (pseudorandom assignment by entity): the
    /// OpenTelemetry feature-flag reason `split`. Not on Flipt's wire.
    public var split: Bool

    /// Creates a result.
    public init(flagKey: String, enabled: Bool, reason: EvaluationReason, segmentKeys: [String], split: Bool = false) {
        self.flagKey = flagKey
        self.enabled = enabled
        self.reason = reason
        self.segmentKeys = segmentKeys
        self.split = split
    }
}
