public import HoistCore
public import Prometheus
import Synchronization

/// Flipt v1.61.1's own metric families (`flipt_*`, spec observability §1.4), with Flipt's
/// exposition names, labels and help texts.
///
/// Exists only when `metrics.enabled` is true (`FLIPT_METRICS_ENABLED`, default `true`).
/// Recording an evaluation takes one lock around one dictionary lookup keyed by the full label
/// set; the counters are atomics and the histogram series is cached with them.
public final class FliptMetrics: Sendable {
    public static let latencyBuckets: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]

    enum Name {
        static let requests = "flipt_evaluations_requests_total"
        static let errors = "flipt_evaluations_errors_total"
        static let results = "flipt_evaluations_results_total"
        static let latency = "flipt_evaluations_latency_milliseconds"
        static let serverErrors = "flipt_server_errors_total"
        static let cacheHit = "flipt_cache_hit_total"
        static let cacheMiss = "flipt_cache_miss_total"
        static let cacheError = "flipt_cache_error_total"
    }

    enum Help {
        static let requests = "The total number of requested evaluations"
        // Flipt copy-pasted the requests help text onto the errors counter.
        static let errors = requests
        static let results = "Count of results including match, flag, segment, reason and value attributes"
        static let latency = "The latency of inidividual evaluations in milliseconds"
        static let serverErrors = "The total number of server errors"
        static let cacheHit = "The number of cache hits"
        static let cacheMiss = "The number of cache misses"
        static let cacheError = "The number of times an error occurred reading or writing to the cache"
    }

    /// The label set of one `flipt_evaluations_results_total` / `_errors_total` series.
    enum Outcome: Hashable, Sendable {
        case boolean(value: Bool, reason: EvaluationReason)
        case variant(match: Bool, segment: String, reason: EvaluationReason, value: String)
        case error
    }

    struct SeriesKey: Hashable, Sendable {
        var namespace: String
        var flag: String
        var outcome: Outcome
    }

    /// Everything one evaluation touches.
    final class Series: Sendable {
        let requests: Counter
        let outcome: Counter
        let latency: ExemplarHistogram

        init(requests: Counter, outcome: Counter, latency: ExemplarHistogram) {
            self.requests = requests
            self.outcome = outcome
            self.latency = latency
        }
    }

    let registry: PrometheusCollectorRegistry
    /// `flipt_evaluations_latency_milliseconds{namespace,flag}` (OTel default buckets, ms).
    public let latency: ExemplarHistogramFamily
    let cache = Mutex<[SeriesKey: Series]>([:])
    let cacheHit: Counter
    let cacheMiss: Counter
    let cacheError: Counter
    let serverErrors: Counter

    public init(registry: PrometheusCollectorRegistry, clock: @escaping @Sendable () -> Double = WallClock.seconds) {
        self.registry = registry
        latency = ExemplarHistogramFamily(
            name: Name.latency, help: Help.latency, upperBounds: Self.latencyBuckets,
            labelNames: ["flag", "namespace"], clock: clock)
        let cacheLabels = [("cache", "memory"), ("type", "flag")]
        cacheHit = registry.counter(Name.cacheHit, help: Help.cacheHit, labels: cacheLabels)
        cacheMiss = registry.counter(Name.cacheMiss, help: Help.cacheMiss, labels: cacheLabels)
        cacheError = registry.counter(Name.cacheError, help: Help.cacheError, labels: cacheLabels)
        serverErrors = registry.counter(Name.serverErrors, help: Help.serverErrors)
    }

    // MARK: Evaluations

    /// A variant evaluation that returned a result (legacy label shape, `type="variant"`).
    public func recordVariant(
        namespace: String, flag: String, result: VariantEvaluation, milliseconds: Double,
        traceID: String? = ExemplarContext.traceID
    ) {
        let outcome = Outcome.variant(
            match: result.match, segment: result.segmentKeys.first ?? "", reason: result.reason,
            value: result.variantKey)
        record(SeriesKey(namespace: namespace, flag: flag, outcome: outcome), milliseconds, traceID)
    }

    /// A boolean evaluation that returned a result (v2 label shape, `type="boolean"`).
    public func recordBoolean(
        namespace: String, flag: String, result: BooleanEvaluation, milliseconds: Double,
        traceID: String? = ExemplarContext.traceID
    ) {
        let outcome = Outcome.boolean(value: result.enabled, reason: result.reason)
        record(SeriesKey(namespace: namespace, flag: flag, outcome: outcome), milliseconds, traceID)
    }

    /// An evaluation of an existing flag of the right type that failed inside the evaluator
    /// (rank out of order, unknown constraint type). Counted for boolean flags too, unlike
    /// Flipt, whose boolean path counts such failures as `results{value="false",reason="UNKNOWN…"}`.
    public func recordError(
        namespace: String, flag: String, milliseconds: Double, traceID: String? = ExemplarContext.traceID
    ) {
        record(SeriesKey(namespace: namespace, flag: flag, outcome: .error), milliseconds, traceID)
    }

    func record(_ key: SeriesKey, _ milliseconds: Double, _ traceID: String?) {
        let series = cache.withLock { $0[key] } ?? makeSeries(key)
        series.requests.increment()
        series.outcome.increment()
        series.latency.observe(milliseconds, traceID: traceID)
    }

    private func makeSeries(_ key: SeriesKey) -> Series {
        let base = [("flag", key.flag), ("namespace", key.namespace)]
        let outcome: Counter
        switch key.outcome {
        case .error:
            outcome = registry.counter(Name.errors, help: Help.errors, labels: base)
        case .boolean(let value, let reason):
            outcome = registry.counter(Name.results, help: Help.results, labels: base + [("reason", reason.wireName), ("type", "boolean"), ("value", value ? "true" : "false")])
        case .variant(let match, let segment, let reason, let value):
            outcome = registry.counter(Name.results, help: Help.results, labels: [
                    ("flag", key.flag), ("match", match ? "true" : "false"), ("namespace", key.namespace),
                    ("reason", reason.legacyWireName), ("segment", segment), ("type", "variant"), ("value", value),
                ])
        }
        let series = Series(
            requests: registry.counter(Name.requests, help: Help.requests, labels: base),
            outcome: outcome,
            latency: latency.series([key.flag, key.namespace]))
        return cache.withLock { cache in
            if let raced = cache[key] { return raced }
            cache[key] = series
            return series
        }
    }

    // MARK: Cache and server errors

    /// An evaluation served from an existing namespace snapshot.
    public func recordCacheHit() { cacheHit.increment() }
    /// A namespace snapshot (re)built from the store.
    public func recordCacheMiss() { cacheMiss.increment() }
    /// A failed namespace snapshot rebuild.
    public func recordCacheError() { cacheError.increment() }
    /// An API call (a route Flipt serves through gRPC) that ended in an error.
    public func recordServerError() { serverErrors.increment() }
}
