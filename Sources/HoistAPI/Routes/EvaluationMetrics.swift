import HoistCore
import HoistEngine
import HoistObservability

extension HoistAPI {
    /// Evaluates a variant flag and records Flipt's evaluation metrics: requests, results (or
    /// errors) and latency (the evaluator call only, in ms). As in Flipt, a missing flag or a flag
    /// of the wrong type is rejected before anything is counted.
    func recordedVariant(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String]
    ) throws(HoistError) -> VariantEvaluation {
        guard let flipt = metrics.flipt, snapshot.flagType(forKey: flagKey) == .variant else {
            return try snapshot.variant(flagKey: flagKey, entityId: entityId, context: context)
        }
        let started = WallClock.monotonicNanos()
        do {
            let result = try snapshot.variant(flagKey: flagKey, entityId: entityId, context: context)
            flipt.recordVariant(namespace: namespace, flag: flagKey, result: result, milliseconds: Self.millis(started))
            return result
        } catch {
            flipt.recordError(namespace: namespace, flag: flagKey, milliseconds: Self.millis(started))
            throw error
        }
    }

    /// Evaluates a boolean flag and records Flipt's evaluation metrics. Unlike Flipt (whose
    /// boolean recorder never sees errors), evaluator failures count as errors.
    func recordedBoolean(
        _ snapshot: EvaluationSnapshot, namespace: String, flagKey: String, entityId: String,
        context: [String: String]
    ) throws(HoistError) -> BooleanEvaluation {
        guard let flipt = metrics.flipt, snapshot.flagType(forKey: flagKey) == .boolean else {
            return try snapshot.boolean(flagKey: flagKey, entityId: entityId, context: context)
        }
        let started = WallClock.monotonicNanos()
        do {
            let result = try snapshot.boolean(flagKey: flagKey, entityId: entityId, context: context)
            flipt.recordBoolean(namespace: namespace, flag: flagKey, result: result, milliseconds: Self.millis(started))
            return result
        } catch {
            flipt.recordError(namespace: namespace, flag: flagKey, milliseconds: Self.millis(started))
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
