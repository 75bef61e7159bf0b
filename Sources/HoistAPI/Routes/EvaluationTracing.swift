import HoistCore
import HoistEngine
import HoistObservability
import Tracing

extension HoistAPI {
    /// Evaluates a variant flag (metrics as ``recordedVariant``) and logs the decision; when the
    /// request is traced, inside a child span `evaluation.variant` carrying Flipt's flag attributes
    /// (§2.6). For a single evaluation (`inBatch: false`) the same attributes go on the server span,
    /// as in Flipt; in a batch each flag gets its own child span (Flipt sets none).
    func evaluateVariant(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String], requestId: String = "", inBatch: Bool = false
    ) throws(HoistError) -> VariantEvaluation {
        let evaluation = TracedEvaluation(
            snapshot: snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, requestId: requestId,
            inBatch: inBatch)
        return try traced(evaluation, spanName: "evaluation.variant") { () throws(HoistError) in
            try recordedVariant(snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, context: context)
        } log: { result, span in
            logDecision(
                result, snapshot, namespace: namespace, entityId: entityId, context: context, requestId: requestId,
                span: span)
        } annotate: { result, a in
            FlagSpanAttributes.variant(
                &a, match: result.match, variantKey: result.variantKey, reason: result.reason.wireName,
                segments: result.segmentKeys)
        } event: { result in
            EvaluationEvents.attributes(
                flagKey: flagKey, namespace: namespace, entityId: entityId, version: snapshot.version,
                variant: result.variantKey, fliptReason: result.reason.wireName, split: result.split)
        }
    }

    /// Boolean counterpart of ``evaluateVariant(_:namespace:flagKey:entityId:context:requestId:inBatch:)``
    /// (child span `evaluation.boolean`).
    func evaluateBoolean(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String], requestId: String = "", inBatch: Bool = false
    ) throws(HoistError) -> BooleanEvaluation {
        let evaluation = TracedEvaluation(
            snapshot: snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, requestId: requestId,
            inBatch: inBatch)
        return try traced(evaluation, spanName: "evaluation.boolean") { () throws(HoistError) in
            try recordedBoolean(snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, context: context)
        } log: { result, span in
            logDecision(
                result, snapshot, namespace: namespace, entityId: entityId, context: context, requestId: requestId,
                span: span)
        } annotate: { result, a in
            FlagSpanAttributes.boolean(
                &a, enabled: result.enabled, reason: result.reason.wireName, segments: result.segmentKeys)
        } event: { result in
            EvaluationEvents.attributes(
                flagKey: flagKey, namespace: namespace, entityId: entityId, version: snapshot.version,
                booleanValue: result.enabled, fliptReason: result.reason.wireName, split: result.split)
        }
    }

    /// What every evaluation span says about its request.
    struct TracedEvaluation {
        let snapshot: EvaluationSnapshot
        let namespace: String
        let flagKey: String
        let entityId: String
        let requestId: String
        let inBatch: Bool

        func requestAttributes(_ a: inout SpanAttributes) {
            FlagSpanAttributes.request(&a, namespace: namespace, flagKey: flagKey, entityId: entityId, requestId: requestId)
        }
    }

    /// The shared evaluation path: untraced, `evaluate` then `log`; traced, the same inside a child
    /// span whose attributes (request, then `annotate`'s result attributes) are built once and set
    /// in one step, copied to the server span for a single evaluation, plus the
    /// `feature_flag.evaluation` event when evaluation events are on.
    @inline(__always)
    func traced<Result>(
        _ evaluation: TracedEvaluation, spanName: String, evaluate: () throws(HoistError) -> Result,
        log: (Result, (any Span)?) -> Void, annotate: (Result, inout SpanAttributes) -> Void,
        event: (Result) -> SpanAttributes
    ) throws(HoistError) -> Result {
        guard let tracer = tracer?.tracer, let server = RequestTracing.serverSpan else {
            let result = try evaluate()
            log(result, nil)
            return result
        }
        let span = tracer.startSpan(spanName, context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        defer { span.end() }
        do {
            let result = try evaluate()
            log(result, span)
            var attributes = SpanAttributes(Dictionary(minimumCapacity: 16))
            evaluation.requestAttributes(&attributes)
            annotate(result, &attributes)
            TracingBackend.assign(span, attributes)
            if !evaluation.inBatch {
                // Set again rather than merged: merging dictionaries costs more than 11 inserts.
                server.annotate { a in
                    evaluation.requestAttributes(&a)
                    annotate(result, &a)
                }
            }
            if let events = self.tracer?.evaluationEvents { events.emit(on: span, event(result)) }
            return result
        } catch {
            recordEvaluationFailure(error, on: span, evaluation)
            throw error
        }
    }

    /// Marks an evaluation span as failed: request attributes, `error.type`, error status, and the
    /// `feature_flag.evaluation` event (with the evaluated snapshot's version) when evaluation events are on.
    func recordEvaluationFailure(_ error: HoistError, on span: any Span, _ evaluation: TracedEvaluation) {
        var attributes = SpanAttributes()
        evaluation.requestAttributes(&attributes)
        attributes.set("error.type", value: .string(error.kind.traceName))
        TracingBackend.assign(span, attributes)
        span.setStatus(SpanStatus(code: .error, message: error.message))
        if let events = tracer?.evaluationEvents {
            events.emit(
                on: span,
                EvaluationEvents.attributes(
                    flagKey: evaluation.flagKey, namespace: evaluation.namespace, entityId: evaluation.entityId,
                    version: evaluation.snapshot.version, fliptReason: nil, errorType: error.kind.traceName))
        }
    }
}

extension HoistError.Kind {
    /// Low-cardinality `error.type` value.
    var traceName: String { "\(self)" }
}
