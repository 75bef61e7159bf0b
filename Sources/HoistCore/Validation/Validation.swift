/// Flipt v1's request validation (`rpc/flipt/validation.go`), run before storage.
/// Messages are Flipt's exact text; every failure is `HoistError.Kind.invalid` (HTTP 400).
public enum Validation {
    /// Keys of namespaces, flags and segments on create: `^[-_,A-Za-z0-9]+$`.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ",")
        }
    }

    /// Keys are `VARCHAR(255)` in Flipt's schema; Hoist rejects longer ones instead of truncating.
    public static let maximumKeyLength = 255
    /// Variant attachments may be at most 1000 KB.
    public static let maximumAttachmentBytes = 1000 * 1024
    /// `isoneof` / `isnotoneof` arrays may hold at most 100 items.
    public static let maximumArrayItems = 100

    static func requireNonEmpty(_ value: String, _ field: String) throws(HoistError) {
        if value.isEmpty { throw .emptyField(field) }
    }

    static func requireLength(_ value: String, _ field: String) throws(HoistError) {
        if value.utf8.count > maximumKeyLength {
            throw .invalidField(field, "must be at most \(maximumKeyLength) characters")
        }
    }

    static func requireKey(_ key: String) throws(HoistError) {
        try requireNonEmpty(key, "key")
        guard isValidKey(key) else { throw .invalidField("key", "contains invalid characters") }
        try requireLength(key, "key")
    }

    // MARK: Namespaces

    public static func validate(_ r: CreateNamespaceRequest) throws(HoistError) {
        try requireKey(r.key)
        try requireNonEmpty(r.name, "name")
    }

    public static func validate(_ r: UpdateNamespaceRequest) throws(HoistError) {
        try requireNonEmpty(r.key, "key")
        try requireNonEmpty(r.name, "name")
    }

    // MARK: Flags and variants

    public static func validate(_ r: CreateFlagRequest) throws(HoistError) {
        try requireKey(r.key)
        try requireNonEmpty(r.name, "name")
    }

    public static func validate(_ r: UpdateFlagRequest) throws(HoistError) {
        try requireNonEmpty(r.key, "key")
        try requireNonEmpty(r.name, "name")
    }

    public static func validate(_ r: CreateVariantRequest) throws(HoistError) {
        try requireNonEmpty(r.flagKey, "flagKey")
        try requireNonEmpty(r.key, "key")
        try requireLength(r.key, "key")
        try validateAttachment(r.attachment)
    }

    public static func validate(_ r: UpdateVariantRequest) throws(HoistError) {
        try requireNonEmpty(r.id, "id")
        try requireNonEmpty(r.flagKey, "flagKey")
        try requireNonEmpty(r.key, "key")
        try requireLength(r.key, "key")
        try validateAttachment(r.attachment)
    }

    static func validateAttachment(_ attachment: String) throws(HoistError) {
        guard !attachment.isEmpty else { return }
        guard JSONCompact.isValid(attachment) else { throw .invalidField("attachment", "must be a json string") }
        if attachment.utf8.count > maximumAttachmentBytes {
            throw .invalidField("attachment", "must be less than 1000 KB")
        }
    }

    // MARK: Segments and constraints

    public static func validate(_ r: CreateSegmentRequest, creating: Bool) throws(HoistError) {
        if creating {
            try requireKey(r.key)
        } else {
            try requireNonEmpty(r.key, "key")
        }
        try requireNonEmpty(r.name, "name")
    }

    // MARK: Lists

    /// Flags, segments and rules: `limit` must be set when `offset` or `pageToken` is.
    public static func validateListLimit(_ page: PageRequest) throws(HoistError) {
        if page.limit == 0 && (page.offset > 0 || !page.pageToken.isEmpty) {
            throw .invalid("limit must be set when offset or pageToken is set")
        }
    }

    // MARK: Rules and distributions

    public static func validate(_ r: RuleRequest, creating: Bool) throws(HoistError) {
        if !creating { try requireNonEmpty(r.id, "id") }
        try requireNonEmpty(r.flagKey, "flagKey")
        try validateSegmentReference(segmentKey: r.segmentKey, segmentKeys: r.segmentKeys)
        if creating && r.rank <= 0 { throw .invalidField("rank", "must be greater than 0") }
    }

    static func validateSegmentReference(segmentKey: String, segmentKeys: [String]) throws(HoistError) {
        if segmentKey.isEmpty && segmentKeys.isEmpty {
            throw .emptyField("segmentKey or segmentKeys")
        }
        if !segmentKey.isEmpty && !segmentKeys.isEmpty {
            throw .invalidField("segmentKey or segmentKeys", "only one can be present")
        }
    }

    public static func validateOrder(_ r: OrderRequest, idsField: String) throws(HoistError) {
        try requireNonEmpty(r.flagKey, "flagKey")
        if r.ids.count < 2 { throw .invalidField(idsField, "must contain atleast 2 elements") }
    }

    public static func validate(_ r: DistributionRequest, creating: Bool) throws(HoistError) {
        if !creating { try requireNonEmpty(r.id, "id") }
        try requireNonEmpty(r.flagKey, "flagKey")
        try requireNonEmpty(r.ruleId, "ruleId")
        try requireNonEmpty(r.variantId, "variantId")
        if !(r.rollout >= 0) { throw .invalidField("rollout", "must be greater than or equal to '0'") }
        if r.rollout > 100 { throw .invalidField("rollout", "must be less than or equal to '100'") }
    }

    // MARK: Rollouts

    public static func validate(_ r: RolloutRequest, creating: Bool) throws(HoistError) {
        if !creating { try requireNonEmpty(r.id, "id") }
        try requireNonEmpty(r.flagKey, "flagKey")
        switch r.member {
        case .threshold(let percentage, _):
            if !(percentage >= 0 && percentage <= 100) {
                throw .invalidField("threshold.percentage", "must be within range [0, 100]")
            }
        case .segment(let segmentKey, let segmentKeys, _, _):
            try validateSegmentReference(segmentKey: segmentKey, segmentKeys: segmentKeys)
        case nil:
            if !creating { throw .invalidField("rule", "invalid rollout rule type") }
        }
    }

    /// Generic id/flag checks for get and delete of rules, rollouts, variants, constraints.
    public static func requireFields(_ fields: [(String, String)]) throws(HoistError) {
        for (name, value) in fields { try requireNonEmpty(value, name) }
    }
}
