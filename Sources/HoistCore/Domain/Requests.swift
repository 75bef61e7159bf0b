/// Management requests, mirroring Flipt's request messages. The API layer decodes into these,
/// `Validation` checks them, and stores execute them.

public struct PageRequest: Sendable, Hashable {
    /// 0 means no limit.
    public var limit: Int32
    /// Deprecated absolute offset; used only when `pageToken` is empty.
    public var offset: Int32
    public var pageToken: String

    public init(limit: Int32 = 0, offset: Int32 = 0, pageToken: String = "") {
        self.limit = limit
        self.offset = offset
        self.pageToken = pageToken
    }
}

public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextPageToken: String
    public var totalCount: Int32

    public init(items: [Item], nextPageToken: String, totalCount: Int32) {
        self.items = items
        self.nextPageToken = nextPageToken
        self.totalCount = totalCount
    }
}

public struct CreateNamespaceRequest: Sendable, Hashable {
    public var key: String
    public var name: String
    public var description: String
    public init(key: String, name: String, description: String = "") {
        self.key = key
        self.name = name
        self.description = description
    }
}

public struct UpdateNamespaceRequest: Sendable, Hashable {
    public var key: String
    public var name: String
    public var description: String
    public init(key: String, name: String, description: String = "") {
        self.key = key
        self.name = name
        self.description = description
    }
}

public struct CreateFlagRequest: Sendable, Hashable {
    public var namespaceKey: String
    public var key: String
    public var name: String
    public var description: String
    public var enabled: Bool
    public var type: FlagType
    /// A JSON object, or nil when the request had none.
    public var metadata: JSONValue?
    public init(namespaceKey: String, key: String, name: String, description: String = "", enabled: Bool = false,
                type: FlagType = .variant, metadata: JSONValue? = nil) {
        self.namespaceKey = namespaceKey
        self.key = key
        self.name = name
        self.description = description
        self.enabled = enabled
        self.type = type
        self.metadata = metadata
    }
}

public struct UpdateFlagRequest: Sendable, Hashable {
    public var namespaceKey: String
    public var key: String
    public var name: String
    public var description: String
    public var enabled: Bool
    /// Empty clears the default variant.
    public var defaultVariantId: String
    /// nil leaves metadata unchanged; an empty object clears it.
    public var metadata: JSONValue?
    public init(namespaceKey: String, key: String, name: String, description: String = "", enabled: Bool = false,
                defaultVariantId: String = "", metadata: JSONValue? = nil) {
        self.namespaceKey = namespaceKey
        self.key = key
        self.name = name
        self.description = description
        self.enabled = enabled
        self.defaultVariantId = defaultVariantId
        self.metadata = metadata
    }
}

public struct CreateVariantRequest: Sendable, Hashable {
    public var namespaceKey: String
    public var flagKey: String
    public var key: String
    public var name: String
    public var description: String
    public var attachment: String
    public init(namespaceKey: String, flagKey: String, key: String, name: String = "", description: String = "",
                attachment: String = "") {
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.key = key
        self.name = name
        self.description = description
        self.attachment = attachment
    }
}

public struct UpdateVariantRequest: Sendable, Hashable {
    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    public var key: String
    public var name: String
    public var description: String
    public var attachment: String
    public init(id: String, namespaceKey: String, flagKey: String, key: String, name: String = "",
                description: String = "", attachment: String = "") {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.key = key
        self.name = name
        self.description = description
        self.attachment = attachment
    }
}

public struct CreateSegmentRequest: Sendable, Hashable {
    public var namespaceKey: String
    public var key: String
    public var name: String
    public var description: String
    public var matchType: MatchType
    public init(namespaceKey: String, key: String, name: String, description: String = "",
                matchType: MatchType = .all) {
        self.namespaceKey = namespaceKey
        self.key = key
        self.name = name
        self.description = description
        self.matchType = matchType
    }
}

public typealias UpdateSegmentRequest = CreateSegmentRequest

public struct ConstraintRequest: Sendable, Hashable {
    /// Empty on create.
    public var id: String
    public var namespaceKey: String
    public var segmentKey: String
    public var type: ComparisonType
    public var property: String
    public var `operator`: String
    public var value: String
    public var description: String
    public init(id: String = "", namespaceKey: String, segmentKey: String, type: ComparisonType, property: String,
                operator: String, value: String = "", description: String = "") {
        self.id = id
        self.namespaceKey = namespaceKey
        self.segmentKey = segmentKey
        self.type = type
        self.property = property
        self.operator = `operator`
        self.value = value
        self.description = description
    }
}

public struct RuleRequest: Sendable, Hashable {
    /// Empty on create.
    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    public var segmentKey: String
    public var segmentKeys: [String]
    public var segmentOperator: SegmentOperator
    /// Create only.
    public var rank: Int32
    public init(id: String = "", namespaceKey: String, flagKey: String, segmentKey: String = "",
                segmentKeys: [String] = [], segmentOperator: SegmentOperator = .or, rank: Int32 = 0) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.segmentKey = segmentKey
        self.segmentKeys = segmentKeys
        self.segmentOperator = segmentOperator
        self.rank = rank
    }

    /// The effective segment keys: de-duplicated, first occurrence kept.
    public var resolvedSegmentKeys: [String] {
        if !segmentKey.isEmpty { return [segmentKey] }
        var seen = Set<String>()
        return segmentKeys.filter { seen.insert($0).inserted }
    }
}

public struct OrderRequest: Sendable, Hashable {
    public var namespaceKey: String
    public var flagKey: String
    public var ids: [String]
    public init(namespaceKey: String, flagKey: String, ids: [String]) {
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.ids = ids
    }
}

public struct DistributionRequest: Sendable, Hashable {
    /// Empty on create.
    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    public var ruleId: String
    public var variantId: String
    public var rollout: Float
    public init(id: String = "", namespaceKey: String, flagKey: String, ruleId: String, variantId: String,
                rollout: Float) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.ruleId = ruleId
        self.variantId = variantId
        self.rollout = rollout
    }
}

public struct RolloutRequest: Sendable, Hashable {
    public enum Member: Sendable, Hashable {
        case segment(segmentKey: String, segmentKeys: [String], segmentOperator: SegmentOperator, value: Bool)
        case threshold(percentage: Float, value: Bool)
    }

    /// Empty on create.
    public var id: String
    public var namespaceKey: String
    public var flagKey: String
    /// Create only.
    public var rank: Int32
    public var description: String
    /// nil when the request carried neither `segment` nor `threshold`.
    public var member: Member?
    public init(id: String = "", namespaceKey: String, flagKey: String, rank: Int32 = 0, description: String = "",
                member: Member?) {
        self.id = id
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.rank = rank
        self.description = description
        self.member = member
    }
}
