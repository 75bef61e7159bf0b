import HoistCore
import HoistEngine
import HoistObservability

extension HoistAPI {
    /// Evaluates a variant flag and records Flipt's evaluation metrics: requests, results (or
    /// errors) and latency (the evaluator call only, in ms), and counts it for the built-in
    /// analytics (``evaluationCounter``). As in Flipt, a missing flag or a flag of the wrong type is
    /// rejected before anything is counted.
    func recordedVariant(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String]
    ) throws(HoistError) -> VariantEvaluation {
        let flipt = metrics.flipt
        let counter = evaluationCounter
        guard flipt != nil || counter != nil, let position = snapshot.flagPosition(forKey: flagKey),
            snapshot.flags[position].type == .variant
        else {
            return try snapshot.variant(flagKey: flagKey, entityId: entityId, context: context)
        }
        let series = flipt?.series(in: snapshot, position: position, namespace: namespace, flag: flagKey)
        let started = series == nil ? 0 : WallClock.monotonicNanos()
        do {
            let result = try snapshot.variant(flagKey: flagKey, entityId: entityId, context: context)
            series?.recordVariant(result, milliseconds: Self.millis(started), traceID: ExemplarContext.traceID)
            counter?.recordVariant(namespace: namespace, flag: flagKey, result: result)
            return result
        } catch {
            series?.recordError(milliseconds: Self.millis(started), traceID: ExemplarContext.traceID)
            counter?.recordError(namespace: namespace, flag: flagKey)
            throw error
        }
    }

    /// Evaluates a boolean flag, records Flipt's evaluation metrics and counts it for the built-in
    /// analytics. Unlike Flipt (whose boolean recorder never sees errors), evaluator failures count
    /// as errors.
    func recordedBoolean(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String]
    ) throws(HoistError) -> BooleanEvaluation {
        let flipt = metrics.flipt
        let counter = evaluationCounter
        guard flipt != nil || counter != nil, let position = snapshot.flagPosition(forKey: flagKey),
            snapshot.flags[position].type == .boolean
        else {
            return try snapshot.boolean(flagKey: flagKey, entityId: entityId, context: context)
        }
        let series = flipt?.series(in: snapshot, position: position, namespace: namespace, flag: flagKey)
        let started = series == nil ? 0 : WallClock.monotonicNanos()
        do {
            let result = try snapshot.boolean(flagKey: flagKey, entityId: entityId, context: context)
            series?.recordBoolean(result, milliseconds: Self.millis(started), traceID: ExemplarContext.traceID)
            counter?.recordBoolean(namespace: namespace, flag: flagKey, result: result)
            return result
        } catch {
            series?.recordError(milliseconds: Self.millis(started), traceID: ExemplarContext.traceID)
            counter?.recordError(namespace: namespace, flag: flagKey)
            throw error
        }
    }

    /// The namespace snapshot an evaluation reads; finding one is Flipt's cache "hit".
    func servedSnapshot(_ namespaceKey: String) -> NamespaceSnapshot? {
        let snapshot = engine.snapshot(for: namespaceKey)
        if snapshot != nil { metrics.flipt?.recordCacheHit() }
        return snapshot
    }

    private static func millis(_ started: UInt64) -> Double {
        Double(WallClock.monotonicNanos() &- started) / 1e6
    }
}
