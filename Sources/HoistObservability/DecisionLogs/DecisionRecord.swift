public import HoistCore

/// One evaluation as the decision log keeps it until upload (spec observability §7.5).
///
/// A cheap value: every field is copied by reference (strings, the request's context dictionary,
/// the result's segment-key array), so recording costs no serialisation on the evaluation path.
/// Masking, the snapshot ETag and the JSON happen later, in ``DecisionLogEncoder``.
public struct DecisionRecord: Sendable {
    /// What the evaluation answered.
    public enum Outcome: Sendable, Equatable {
        case variant(match: Bool, reason: EvaluationReason, variantKey: String, segmentKeys: [String])
        case boolean(enabled: Bool, reason: EvaluationReason, segmentKeys: [String])

        /// The reason's wire name (`MATCH_EVALUATION_REASON`, …), what `decision_logs.drop_reasons` names.
        public var reason: EvaluationReason {
            switch self {
            case .variant(_, let reason, _, _), .boolean(_, let reason, _): reason
            }
        }
    }

    /// The evaluation's `requestId` (OPA's `decision_id`); in a batch, the batch's id.
    public var decisionID: String
    /// Lower-case hex W3C ids of the evaluation span, when the request is traced.
    public var traceID: String?
    public var spanID: String?
    /// When the evaluation ran.
    public var timestamp: Timestamp
    public var namespace: String
    public var flagKey: String
    public var entityID: String
    /// The request context, unmasked (``DecisionLogEncoder`` masks before anything leaves memory).
    public var context: [String: String]
    public var outcome: Outcome
    /// The store version of the namespace snapshot that answered (its ETag is the SHA-1 of it).
    public var snapshotVersion: String
    /// The client's address (first `X-Forwarded-For` entry, else the connection's peer).
    public var requestedBy: String

    public init(
        decisionID: String, traceID: String? = nil, spanID: String? = nil, timestamp: Timestamp, namespace: String,
        flagKey: String, entityID: String, context: [String: String], outcome: Outcome, snapshotVersion: String,
        requestedBy: String
    ) {
        self.decisionID = decisionID
        self.traceID = traceID
        self.spanID = spanID
        self.timestamp = timestamp
        self.namespace = namespace
        self.flagKey = flagKey
        self.entityID = entityID
        self.context = context
        self.outcome = outcome
        self.snapshotVersion = snapshotVersion
        self.requestedBy = requestedBy
    }
}
