public import HoistCore

/// One document of Flipt's import/export format (one namespace): spec `flipt-v1-api.md` §6.1.
///
/// Values are what the file says, after decoding; `DocumentValidator` checks them. Positions of
/// every element are kept in ``locations`` (keyed by ``DocumentPath``) for error messages.
public struct FliptDocument: Sendable, Equatable {
    /// `version`, nil when absent (= latest).
    public var version: String?
    public var namespace: DocumentNamespace
    public var flags: [DocumentFlag]
    public var segments: [DocumentSegment]
    /// Where each element was found (empty for documents built in code).
    public var locations: [DocumentPath: SourceLocation]

    public init(version: String? = nil, namespace: DocumentNamespace = DocumentNamespace(),
                flags: [DocumentFlag] = [], segments: [DocumentSegment] = [],
                locations: [DocumentPath: SourceLocation] = [:]) {
        self.version = version
        self.namespace = namespace
        self.flags = flags
        self.segments = segments
        self.locations = locations
    }

    /// Equality ignores ``locations``.
    public static func == (lhs: FliptDocument, rhs: FliptDocument) -> Bool {
        lhs.version == rhs.version && lhs.namespace == rhs.namespace && lhs.flags == rhs.flags
            && lhs.segments == rhs.segments
    }
}

/// `namespace`: a bare key (`namespace: production`) or the object form the exporter writes.
public struct DocumentNamespace: Sendable, Hashable {
    public var key: String
    /// nil for the string form (the namespace is then created with name = key).
    public var name: String?
    public var description: String?
    /// False when the document had no `namespace` at all (it is `default`).
    public var isExplicit: Bool

    public init(key: String = Namespace.defaultKey, name: String? = nil, description: String? = nil,
                isExplicit: Bool = false) {
        self.key = key
        self.name = name
        self.description = description
        self.isExplicit = isExplicit
    }
}

public struct DocumentFlag: Sendable, Hashable {
    public var key: String
    public var name: String
    /// `type`, nil when absent (variant).
    public var type: FlagType?
    public var description: String
    public var enabled: Bool
    /// A JSON object, nil when absent or empty.
    public var metadata: JSONValue?
    public var variants: [DocumentVariant]
    public var rules: [DocumentRule]
    public var rollouts: [DocumentRollout]

    public init(key: String, name: String, type: FlagType? = nil, description: String = "", enabled: Bool = false,
                metadata: JSONValue? = nil, variants: [DocumentVariant] = [], rules: [DocumentRule] = [],
                rollouts: [DocumentRollout] = []) {
        self.key = key
        self.name = name
        self.type = type
        self.description = description
        self.enabled = enabled
        self.metadata = metadata
        self.variants = variants
        self.rules = rules
        self.rollouts = rollouts
    }

    public var effectiveType: FlagType { type ?? .variant }
}

public struct DocumentVariant: Sendable, Hashable {
    public var isDefault: Bool
    public var key: String
    public var name: String
    public var description: String
    /// The attachment as a native value; nil when absent.
    public var attachment: JSONValue?

    public init(isDefault: Bool = false, key: String, name: String = "", description: String = "",
                attachment: JSONValue? = nil) {
        self.isDefault = isDefault
        self.key = key
        self.name = name
        self.description = description
        self.attachment = attachment
    }
}

/// Which segments a rule or rollout targets.
public struct DocumentSegmentReference: Sendable, Hashable {
    public var keys: [String]
    public var segmentOperator: SegmentOperator
    /// True for the single-key forms (`segment: beta`, `segment: {key: beta}`), which the exporter
    /// writes back the same way.
    public var isSingleKeyForm: Bool

    public init(keys: [String], segmentOperator: SegmentOperator = .or, isSingleKeyForm: Bool? = nil) {
        self.keys = keys
        self.segmentOperator = segmentOperator
        self.isSingleKeyForm = isSingleKeyForm ?? (keys.count == 1)
    }
}

public struct DocumentRule: Sendable, Hashable {
    public var segment: DocumentSegmentReference
    /// `rank`, nil when absent (positional from version 1.1).
    public var rank: Int?
    public var distributions: [DocumentDistribution]

    public init(segment: DocumentSegmentReference, rank: Int? = nil, distributions: [DocumentDistribution] = []) {
        self.segment = segment
        self.rank = rank
        self.distributions = distributions
    }
}

public struct DocumentDistribution: Sendable, Hashable {
    public var variantKey: String
    public var rollout: Float

    public init(variantKey: String, rollout: Float) {
        self.variantKey = variantKey
        self.rollout = rollout
    }
}

public struct DocumentRollout: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case segment(DocumentSegmentReference, value: Bool)
        case threshold(percentage: Float, value: Bool)
    }

    public var description: String
    public var target: Target

    public init(description: String = "", target: Target) {
        self.description = description
        self.target = target
    }
}

public struct DocumentSegment: Sendable, Hashable {
    public var key: String
    public var name: String
    public var description: String
    public var matchType: MatchType
    public var constraints: [DocumentConstraint]

    public init(key: String, name: String, description: String = "", matchType: MatchType = .all,
                constraints: [DocumentConstraint] = []) {
        self.key = key
        self.name = name
        self.description = description
        self.matchType = matchType
        self.constraints = constraints
    }
}

public struct DocumentConstraint: Sendable, Hashable {
    public var type: ComparisonType
    public var property: String
    public var `operator`: String
    public var value: String
    public var description: String

    public init(type: ComparisonType, property: String, operator: String, value: String = "", description: String = "") {
        self.type = type
        self.property = property
        self.operator = `operator`
        self.value = value
        self.description = description
    }
}

/// The address of an element inside one document, e.g. `flags[2].rules[0].distributions[1].variant`.
public struct DocumentPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [Component]

    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public init(_ components: [Component] = []) { self.components = components }

    public func appending(_ key: String) -> DocumentPath { DocumentPath(components + [.key(key)]) }
    public func appending(_ index: Int) -> DocumentPath { DocumentPath(components + [.index(index)]) }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .key(let key): out += out.isEmpty ? key : ".\(key)"
            case .index(let index): out += "[\(index)]"
            }
        }
        return out
    }
}
