import HoistCore
import HoistObservability
import HoistStorage
import Tracing

extension HoistAPI {
    /// Hands a variant decision to the decision log (`decision_logs.enabled`); a nil check when off.
    /// `span` is the evaluation span when the request is traced (its ids go in the record).
    @inline(__always)
    func logDecision(
        _ result: VariantEvaluation, _ snapshot: EvaluationSnapshot, namespace: String, entityId: String,
        context: [String: String], requestId: String, span: (any Span)?
    ) {
        guard let decisionLog else { return }
        decisionLog.record(
            decision(
                .variant(
                    match: result.match, reason: result.reason, variantKey: result.variantKey,
                    segmentKeys: result.segmentKeys),
                snapshot, namespace: namespace, flagKey: result.flagKey, entityId: entityId, context: context,
                requestId: requestId, span: span))
    }

    /// Boolean counterpart of ``logDecision(_:_:namespace:entityId:context:requestId:span:)``.
    @inline(__always)
    func logDecision(
        _ result: BooleanEvaluation, _ snapshot: EvaluationSnapshot, namespace: String, entityId: String,
        context: [String: String], requestId: String, span: (any Span)?
    ) {
        guard let decisionLog else { return }
        decisionLog.record(
            decision(
                .boolean(enabled: result.enabled, reason: result.reason, segmentKeys: result.segmentKeys),
                snapshot, namespace: namespace, flagKey: result.flagKey, entityId: entityId, context: context,
                requestId: requestId, span: span))
    }

    func decision(
        _ outcome: DecisionRecord.Outcome, _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String,
        entityId: String, context: [String: String], requestId: String, span: (any Span)?
    ) -> DecisionRecord {
        let ids = span.flatMap { span in tracer?.spanIdentifiers(span.context) }
        return DecisionRecord(
            decisionID: requestId.isEmpty ? RequestID.random() : requestId, traceID: ids?.traceID,
            spanID: ids?.spanID, timestamp: HoistAPI.now(), namespace: namespace, flagKey: flagKey,
            entityID: entityId, context: context, outcome: outcome, snapshotVersion: snapshot.version,
            requestedBy: AuditContext.actor.ip)
    }
}
