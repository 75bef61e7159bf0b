public import HoistCore
import CoreMetrics
import Synchronization

/// The handles one flag's evaluations write to: `flipt_evaluations_requests`, the latency histogram
/// and one `results` (or `errors`) counter per label set seen so far.
///
/// Outcome counters are found by a linear scan of a short list under the flag's own lock (a flag has
/// few distinct outcomes; variant and segment keys are compared by their shared storage first), so
/// two threads contend only when they evaluate the same flag at the same instant.
public final class FlagSeries: Sendable {
    /// The label set of one `flipt_evaluations_results_total` / `_errors_total` series.
    enum Outcome: Equatable, Sendable {
        case boolean(value: Bool, reason: EvaluationReason)
        case variant(match: Bool, segment: String, reason: EvaluationReason, value: String)
        case error
    }

    struct OutcomeCounter: Sendable {
        let outcome: Outcome
        let counter: any CounterHandler
    }

    let export: FliptMetrics.Export
    public let namespace: String
    public let flag: String
    let requests: any CounterHandler
    let latency: any LatencyObserver
    let outcomes = Mutex<[OutcomeCounter]>([])

    init(metrics: FliptMetrics, namespace: String, flag: String) {
        export = metrics.export
        self.namespace = namespace
        self.flag = flag
        requests = FliptMetrics.counter(export, .requests, [("flag", flag), ("namespace", namespace)])
        latency = metrics.histogram(namespace: namespace, flag: flag)
    }

    /// A variant evaluation that returned a result (legacy label shape, `type="variant"`).
    public func recordVariant(_ result: VariantEvaluation, milliseconds: Double, traceID: String?) {
        record(
            .variant(
                match: result.match, segment: result.segmentKeys.first ?? "", reason: result.reason,
                value: result.variantKey),
            milliseconds, traceID)
    }

    /// A boolean evaluation that returned a result (v2 label shape, `type="boolean"`).
    public func recordBoolean(_ result: BooleanEvaluation, milliseconds: Double, traceID: String?) {
        record(.boolean(value: result.enabled, reason: result.reason), milliseconds, traceID)
    }

    /// A failed evaluation (`flipt_evaluations_errors`).
    public func recordError(milliseconds: Double, traceID: String?) {
        record(.error, milliseconds, traceID)
    }

    func record(_ outcome: Outcome, _ milliseconds: Double, _ traceID: String?) {
        requests.increment(by: 1)
        counter(for: outcome).increment(by: 1)
        latency.observe(milliseconds, traceID: traceID)
    }

    func counter(for outcome: Outcome) -> any CounterHandler {
        let found: (any CounterHandler)? = outcomes.withLock { list in
            for entry in list where entry.outcome == outcome { return entry.counter }
            return nil
        }
        if let found { return found }
        let made = makeCounter(outcome)
        return outcomes.withLock { list in
            for entry in list where entry.outcome == outcome { return entry.counter }
            list.append(OutcomeCounter(outcome: outcome, counter: made))
            return made
        }
    }

    private func makeCounter(_ outcome: Outcome) -> any CounterHandler {
        let base = [("flag", flag), ("namespace", namespace)]
        switch outcome {
        case .error:
            return FliptMetrics.counter(export, .errors, base)
        case .boolean(let value, let reason):
            return FliptMetrics.counter(
                export, .results,
                base + [("reason", reason.wireName), ("type", "boolean"), ("value", value ? "true" : "false")])
        case .variant(let match, let segment, let reason, let value):
            return FliptMetrics.counter(
                export, .results,
                [
                    ("flag", flag), ("match", match ? "true" : "false"), ("namespace", namespace),
                    ("reason", reason.legacyWireName), ("segment", segment), ("type", "variant"), ("value", value),
                ])
        }
    }
}
