/// A namespace: the unit that owns flags and segments.
public struct Namespace: Sendable, Hashable {
    public static let defaultKey = "default"

    public var key: String
    public var name: String
    public var description: String
    public var protected: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(key: String, name: String, description: String = "", protected: Bool = false,
                createdAt: Timestamp, updatedAt: Timestamp) {
        self.key = key
        self.name = name
        self.description = description
        self.protected = protected
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A feature flag with its embedded variants.
public struct Flag: Sendable, Hashable {
    public var namespaceKey: String
    public var key: String
    public var name: String
    public var description: String
    public var enabled: Bool
    public var type: FlagType
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Ordered by creation time.
    public var variants: [Variant]
    public var defaultVariant: Variant?
    /// A JSON object, or nil when none is stored.
    public var metadata: JSONValue?

    public init(namespaceKey: String, key: String, name: String, description: String = "", enabled: Bool = false,
                type: FlagType = .variant, createdAt: Timestamp, updatedAt: Timestamp, variants: [Variant] = [],
                defaultVariant: Variant? = nil, metadata: JSONValue? = nil) {
        self.namespaceKey = namespaceKey
        self.key = key
        self.name = name
        self.description = description
        self.enabled = enabled
        self.type = type
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.variants = variants
        self.defaultVariant = defaultVariant
        self.metadata = metadata
    }
}

/// One of a flag's possible values.
public struct Variant: Sendable, Hashable {
    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    public var key: String
    public var name: String
    public var description: String
    /// JSON text, or `""`.
    public var attachment: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, namespaceKey: String, flagKey: String, key: String, name: String = "",
                description: String = "", attachment: String = "", createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.key = key
        self.name = name
        self.description = description
        self.attachment = attachment
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A named set of constraints.
public struct Segment: Sendable, Hashable {
    public var namespaceKey: String
    public var key: String
    public var name: String
    public var description: String
    public var matchType: MatchType
    /// Ordered by creation time.
    public var constraints: [Constraint]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(namespaceKey: String, key: String, name: String, description: String = "",
                matchType: MatchType = .all, constraints: [Constraint] = [], createdAt: Timestamp,
                updatedAt: Timestamp) {
        self.namespaceKey = namespaceKey
        self.key = key
        self.name = name
        self.description = description
        self.matchType = matchType
        self.constraints = constraints
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A single comparison of a context value.
public struct Constraint: Sendable, Hashable {
    public var id: String
    public var namespaceKey: String
    public var segmentKey: String
    public var type: ComparisonType
    public var property: String
    /// Lower-case operator name (`eq`, `isoneof`, …).
    public var `operator`: String
    public var value: String
    public var description: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, namespaceKey: String, segmentKey: String, type: ComparisonType, property: String,
                operator: String, value: String, description: String = "", createdAt: Timestamp,
                updatedAt: Timestamp) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.segmentKey = segmentKey
        self.type = type
        self.property = property
        self.operator = `operator`
        self.value = value
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Variant-flag targeting: segments plus a percentage split across variants.
public struct Rule: Sendable, Hashable {
    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    /// The referenced segments (de-duplicated, in the order given).
    public var segmentKeys: [String]
    public var segmentOperator: SegmentOperator
    public var rank: Int32
    /// Ordered by creation time.
    public var distributions: [Distribution]
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, namespaceKey: String, flagKey: String, segmentKeys: [String],
                segmentOperator: SegmentOperator = .or, rank: Int32, distributions: [Distribution] = [],
                createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.segmentKeys = segmentKeys
        self.segmentOperator = segmentOperator
        self.rank = rank
        self.distributions = distributions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A rule's share of traffic for one variant.
public struct Distribution: Sendable, Hashable {
    public var id: String
    public var ruleId: String
    public var variantId: String
    /// Percentage 0…100, kept as float32 end to end.
    public var rollout: Float
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, ruleId: String, variantId: String, rollout: Float, createdAt: Timestamp,
                updatedAt: Timestamp) {
        self.id = id
        self.ruleId = ruleId
        self.variantId = variantId
        self.rollout = rollout
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Boolean-flag targeting step.
public struct Rollout: Sendable, Hashable {
    public enum Rule: Sendable, Hashable {
        case segment(RolloutSegment)
        case threshold(RolloutThreshold)
    }

    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    public var rank: Int32
    public var description: String
    public var rule: Rule
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public var type: RolloutType {
        switch rule {
        case .segment: .segment
        case .threshold: .threshold
        }
    }

    public init(id: String, namespaceKey: String, flagKey: String, rank: Int32, description: String = "",
                rule: Rule, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.rank = rank
        self.description = description
        self.rule = rule
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct RolloutSegment: Sendable, Hashable {
    public var segmentKeys: [String]
    public var segmentOperator: SegmentOperator
    public var value: Bool

    public init(segmentKeys: [String], segmentOperator: SegmentOperator = .or, value: Bool) {
        self.segmentKeys = segmentKeys
        self.segmentOperator = segmentOperator
        self.value = value
    }
}

public struct RolloutThreshold: Sendable, Hashable {
    public var percentage: Float
    public var value: Bool

    public init(percentage: Float, value: Bool) {
        self.percentage = percentage
        self.value = value
    }
}

/// Everything evaluation needs about one namespace, as read from a store.
public struct NamespaceState: Sendable {
    public var namespaceKey: String
    /// Opaque version that changes on every write in the namespace (Flipt's `state_modified_at`).
    public var version: String
    /// In creation order.
    public var flags: [Flag]
    /// Rules per flag key, sorted by rank.
    public var rules: [String: [Rule]]
    /// Rollouts per flag key, sorted by rank.
    public var rollouts: [String: [Rollout]]
    /// Segments by key.
    public var segments: [String: Segment]

    public init(namespaceKey: String, version: String, flags: [Flag], rules: [String: [Rule]],
                rollouts: [String: [Rollout]], segments: [String: Segment]) {
        self.namespaceKey = namespaceKey
        self.version = version
        self.flags = flags
        self.rules = rules
        self.rollouts = rollouts
        self.segments = segments
    }
}
