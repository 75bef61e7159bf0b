/// Flag kinds, with Flipt's protobuf wire numbers.
public enum FlagType: Int, Sendable, Hashable, CaseIterable {
    case variant = 0
    case boolean = 1

    /// The management API / snapshot name (`VARIANT_FLAG_TYPE`).
    public var wireName: String { self == .variant ? "VARIANT_FLAG_TYPE" : "BOOLEAN_FLAG_TYPE" }
}

/// How a segment's constraints combine.
public enum MatchType: Int, Sendable, Hashable, CaseIterable {
    case all = 0
    case any = 1

    public var wireName: String { self == .all ? "ALL_MATCH_TYPE" : "ANY_MATCH_TYPE" }
    /// The client snapshot's spelling (`ALL_SEGMENT_MATCH_TYPE`).
    public var snapshotName: String { self == .all ? "ALL_SEGMENT_MATCH_TYPE" : "ANY_SEGMENT_MATCH_TYPE" }
}

/// The type of a constraint's comparison.
public enum ComparisonType: Int, Sendable, Hashable, CaseIterable {
    case unknown = 0
    case string = 1
    case number = 2
    case boolean = 3
    case datetime = 4
    case entityId = 5

    public var wireName: String {
        switch self {
        case .unknown: "UNKNOWN_COMPARISON_TYPE"
        case .string: "STRING_COMPARISON_TYPE"
        case .number: "NUMBER_COMPARISON_TYPE"
        case .boolean: "BOOLEAN_COMPARISON_TYPE"
        case .datetime: "DATETIME_COMPARISON_TYPE"
        case .entityId: "ENTITY_ID_COMPARISON_TYPE"
        }
    }

    /// The client snapshot's spelling (`STRING_CONSTRAINT_COMPARISON_TYPE`).
    public var snapshotName: String {
        switch self {
        case .unknown: "UNKNOWN_CONSTRAINT_COMPARISON_TYPE"
        case .string: "STRING_CONSTRAINT_COMPARISON_TYPE"
        case .number: "NUMBER_CONSTRAINT_COMPARISON_TYPE"
        case .boolean: "BOOLEAN_CONSTRAINT_COMPARISON_TYPE"
        case .datetime: "DATETIME_CONSTRAINT_COMPARISON_TYPE"
        case .entityId: "ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"
        }
    }

    /// The short name used in validation messages (`string`, `entityId`).
    public var shortName: String {
        switch self {
        case .unknown: "unknown"
        case .string: "string"
        case .number: "number"
        case .boolean: "boolean"
        case .datetime: "datetime"
        case .entityId: "entityId"
        }
    }
}

/// How a rule's or rollout's segments combine.
public enum SegmentOperator: Int, Sendable, Hashable, CaseIterable {
    case or = 0
    case and = 1

    public var wireName: String { self == .or ? "OR_SEGMENT_OPERATOR" : "AND_SEGMENT_OPERATOR" }
}

/// The kind of a boolean-flag rollout.
public enum RolloutType: Int, Sendable, Hashable, CaseIterable {
    case unknown = 0
    case segment = 1
    case threshold = 2

    public var wireName: String {
        switch self {
        case .unknown: "UNKNOWN_ROLLOUT_TYPE"
        case .segment: "SEGMENT_ROLLOUT_TYPE"
        case .threshold: "THRESHOLD_ROLLOUT_TYPE"
        }
    }
}

/// Why an evaluation produced its result (v2 `flipt.evaluation.EvaluationReason` numbering).
public enum EvaluationReason: Int, Sendable, Hashable {
    case unknown = 0
    case flagDisabled = 1
    case match = 2
    case `default` = 3

    public var wireName: String {
        switch self {
        case .unknown: "UNKNOWN_EVALUATION_REASON"
        case .flagDisabled: "FLAG_DISABLED_EVALUATION_REASON"
        case .match: "MATCH_EVALUATION_REASON"
        case .default: "DEFAULT_EVALUATION_REASON"
        }
    }

    /// The legacy `/api/v1/evaluate` enum (`MATCH_EVALUATION_REASON` = 3 there).
    public var legacyWireName: String { wireName }
}
