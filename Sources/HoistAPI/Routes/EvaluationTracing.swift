import HoistCore
import HoistEngine
import HoistObservability
import Tracing

extension HoistAPI {
    /// Evaluates a variant flag (metrics as ``recordedVariant``); when tracing is on, inside a
    /// child span `evaluation.variant` carrying Flipt's flag attributes (§2.6). For a single
    /// evaluation (`inBatch: false`) the same attributes go on the server span, as in Flipt; in a
    /// batch each flag gets its own child span (Flipt sets none).
    func evaluateVariant(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String], requestId: String = "", inBatch: Bool = false
    ) throws(HoistError) -> VariantEvaluation {
        guard let tracer = tracer?.tracer, RequestTracing.serverSpan != nil else {
            let result = try recordedVariant(
                snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, context: context)
            logDecision(
                result, snapshot, namespace: namespace, entityId: entityId, context: context, requestId: requestId, span: nil)
            return result
        }
        let span = tracer.startSpan("evaluation.variant", context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        defer { span.end() }
        do {
            let result = try recordedVariant(
                snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, context: context)
            logDecision(
                result, snapshot, namespace: namespace, entityId: entityId, context: context, requestId: requestId, span: span)
            let annotate: (inout SpanAttributes) -> Void = { a in
                FlagSpanAttributes.request(
                    &a, namespace: namespace, flagKey: flagKey, entityId: entityId, requestId: requestId)
                FlagSpanAttributes.variant(
                    &a, match: result.match, variantKey: result.variantKey, reason: result.reason.wireName,
                    segments: result.segmentKeys)
            }
            TracingBackend.update(span, annotate)
            if !inBatch, let server = RequestTracing.serverSpan { TracingBackend.update(server, annotate) }
            if let events = self.tracer?.evaluationEvents {
                events.emit(
                    on: span,
                    EvaluationEvents.attributes(
                        flagKey: flagKey, namespace: namespace, entityId: entityId, version: snapshot.version,
                        variant: result.variantKey, fliptReason: result.reason.wireName, split: result.split))
            }
            return result
        } catch {
            recordEvaluationFailure(
                error, on: span, snapshot: snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId,
                requestId: requestId)
            throw error
        }
    }

    /// Boolean counterpart of ``evaluateVariant(_:namespace:flagKey:entityId:context:requestId:inBatch:)``
    /// (child span `evaluation.boolean`).
    func evaluateBoolean(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String], requestId: String = "", inBatch: Bool = false
    ) throws(HoistError) -> BooleanEvaluation {
        guard let tracer = tracer?.tracer, RequestTracing.serverSpan != nil else {
            let result = try recordedBoolean(
                snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, context: context)
            logDecision(
                result, snapshot, namespace: namespace, entityId: entityId, context: context, requestId: requestId, span: nil)
            return result
        }
        let span = tracer.startSpan("evaluation.boolean", context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        defer { span.end() }
        do {
            let result = try recordedBoolean(
                snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId, context: context)
            logDecision(
                result, snapshot, namespace: namespace, entityId: entityId, context: context, requestId: requestId, span: span)
            let annotate: (inout SpanAttributes) -> Void = { a in
                FlagSpanAttributes.request(
                    &a, namespace: namespace, flagKey: flagKey, entityId: entityId, requestId: requestId)
                FlagSpanAttributes.boolean(
                    &a, enabled: result.enabled, reason: result.reason.wireName, segments: result.segmentKeys)
            }
            TracingBackend.update(span, annotate)
            if !inBatch, let server = RequestTracing.serverSpan { TracingBackend.update(server, annotate) }
            if let events = self.tracer?.evaluationEvents {
                events.emit(
                    on: span,
                    EvaluationEvents.attributes(
                        flagKey: flagKey, namespace: namespace, entityId: entityId, version: snapshot.version,
                        booleanValue: result.enabled, fliptReason: result.reason.wireName, split: result.split))
            }
            return result
        } catch {
            recordEvaluationFailure(
                error, on: span, snapshot: snapshot, namespace: namespace, flagKey: flagKey, entityId: entityId,
                requestId: requestId)
            throw error
        }
    }

    /// Marks an evaluation span as failed: request attributes, `error.type`, error status, and the
    /// `feature_flag.evaluation` event (with the evaluated `snapshot`'s version) when evaluation events are on.
    func recordEvaluationFailure(
        _ error: HoistError, on span: any Span, snapshot: EvaluationSnapshot, namespace: String, flagKey: String,
        entityId: String, requestId: String
    ) {
        TracingBackend.update(span) { a in
            FlagSpanAttributes.request(&a, namespace: namespace, flagKey: flagKey, entityId: entityId, requestId: requestId)
            a.set("error.type", value: .string(error.kind.traceName))
        }
        span.setStatus(SpanStatus(code: .error, message: error.message))
        if let events = tracer?.evaluationEvents {
            events.emit(
                on: span,
                EvaluationEvents.attributes(
                    flagKey: flagKey, namespace: namespace, entityId: entityId, version: snapshot.version,
                    fliptReason: nil, errorType: error.kind.traceName))
        }
    }
}

extension HoistError.Kind {
    /// Low-cardinality `error.type` value.
    var traceName: String { "\(self)" }
}
