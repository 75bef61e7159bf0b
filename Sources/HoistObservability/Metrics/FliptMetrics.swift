public import CoreMetrics
public import HoistCore
public import Prometheus
import Synchronization

/// Flipt v1.61.1's own metric families (`flipt_*`, spec observability §1.4), with Flipt's
/// exposition names, labels and help texts.
///
/// Exists only when `metrics.enabled` is true (`FLIPT_METRICS_ENABLED`, default `true`). Where the
/// families go is ``Export``: the Prometheus registry behind `GET /metrics` (`metrics.exporter:
/// prometheus`, the default) or an OTLP exporter (`metrics.exporter: otlp`).
///
/// Recording is lean: each flag's handles are a ``FlagSeries``, found by the evaluation through the
/// snapshot's per-flag slot (``series(in:position:namespace:flag:)``), so the hot path hashes no
/// label strings and takes no shared lock; counters are atomics and histograms lock-free.
public final class FliptMetrics: Sendable {
    public static let latencyBuckets: [Double] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]

    /// Where Flipt's families are recorded.
    public enum Export: Sendable {
        /// The registry `GET /metrics` serves, with Prometheus names (`…_total`, `…_milliseconds`).
        case prometheus(PrometheusCollectorRegistry)
        /// A swift-metrics factory that exports over OTLP (swift-otel), with Flipt's raw instrument
        /// names (`flipt_evaluations_requests`, `flipt_evaluations_latency` in unit `ms`).
        case otlp(any MetricsFactory)
    }

    /// Instrument names as exposed to Prometheus and as exported over OTLP.
    struct Instrument: Sendable {
        let prometheus: String
        let otlp: String
        let help: String
        static let requests = Instrument(
            prometheus: "flipt_evaluations_requests_total", otlp: "flipt_evaluations_requests",
            help: "The total number of requested evaluations")
        // Flipt copy-pasted the requests help text onto the errors counter.
        static let errors = Instrument(
            prometheus: "flipt_evaluations_errors_total", otlp: "flipt_evaluations_errors", help: requests.help)
        static let results = Instrument(
            prometheus: "flipt_evaluations_results_total", otlp: "flipt_evaluations_results",
            help: "Count of results including match, flag, segment, reason and value attributes")
        static let latency = Instrument(
            prometheus: "flipt_evaluations_latency_milliseconds", otlp: "flipt_evaluations_latency",
            help: "The latency of inidividual evaluations in milliseconds")
        static let serverErrors = Instrument(
            prometheus: "flipt_server_errors_total", otlp: "flipt_server_errors", help: "The total number of server errors")
        static let cacheHit = Instrument(
            prometheus: "flipt_cache_hit_total", otlp: "flipt_cache_hit", help: "The number of cache hits")
        static let cacheMiss = Instrument(
            prometheus: "flipt_cache_miss_total", otlp: "flipt_cache_miss", help: "The number of cache misses")
        static let cacheError = Instrument(
            prometheus: "flipt_cache_error_total", otlp: "flipt_cache_error",
            help: "The number of times an error occurred reading or writing to the cache")
    }

    struct FlagKey: Hashable, Sendable {
        var namespace: String
        var flag: String
    }

    let export: Export
    /// `flipt_evaluations_latency_milliseconds{namespace,flag}` (OTel default buckets, ms); empty
    /// (never rendered) when exporting over OTLP.
    public let latency: ExemplarHistogramFamily
    /// Every flag's handles, for flags first seen through a snapshot that has none attached yet.
    let flags = Mutex<[FlagKey: FlagSeries]>([:])
    let cacheHit: any CounterHandler
    let cacheMiss: any CounterHandler
    let cacheError: any CounterHandler
    let serverErrors: any CounterHandler

    public init(export: Export, clock: @escaping @Sendable () -> Double = WallClock.seconds) {
        self.export = export
        latency = ExemplarHistogramFamily(
            name: Instrument.latency.prometheus, help: Instrument.latency.help, upperBounds: Self.latencyBuckets,
            labelNames: ["flag", "namespace"], clock: clock)
        let cacheLabels = [("cache", "memory"), ("type", "flag")]
        cacheHit = Self.counter(export, .cacheHit, cacheLabels)
        cacheMiss = Self.counter(export, .cacheMiss, cacheLabels)
        cacheError = Self.counter(export, .cacheError, cacheLabels)
        serverErrors = Self.counter(export, .serverErrors, [])
    }

    /// Flipt's families in the Prometheus `registry`.
    public convenience init(registry: PrometheusCollectorRegistry, clock: @escaping @Sendable () -> Double = WallClock.seconds) {
        self.init(export: .prometheus(registry), clock: clock)
    }

    static func counter(_ export: Export, _ instrument: Instrument, _ labels: [(String, String)]) -> any CounterHandler {
        switch export {
        case .prometheus(let registry):
            return registry.counter(instrument.prometheus, help: instrument.help, labels: labels)
        case .otlp(let factory):
            return factory.makeCounter(label: instrument.otlp, dimensions: labels + [("description", instrument.help)])
        }
    }

    func histogram(namespace: String, flag: String) -> any LatencyObserver {
        switch export {
        case .prometheus:
            return latency.series([flag, namespace])
        case .otlp(let factory):
            let recorder = factory.makeRecorder(
                label: Instrument.latency.otlp,
                dimensions: [("flag", flag), ("namespace", namespace), ("unit", "ms"), ("description", Instrument.latency.help)],
                aggregate: true)
            return RecorderLatency(recorder: recorder)
        }
    }

    // MARK: Per-flag handles

    /// The handles of flag `flag` in `namespace`, attached to `snapshot`'s slot for the flag at
    /// `position` (see `EvaluationSnapshot.flagPosition(forKey:)`): after the first evaluation of
    /// the flag in a snapshot this is an atomic load. The series outlive snapshots (a rebuild
    /// attaches the same handles again).
    public func series(in snapshot: EvaluationSnapshot, position: Int, namespace: String, flag: String) -> FlagSeries {
        if let attached = snapshot.attachments.object(at: position) as? FlagSeries { return attached }
        let series = series(namespace: namespace, flag: flag)
        return snapshot.attachments.attach(series, at: position) as? FlagSeries ?? series
    }

    /// The handles of a flag, created on first use (a lock and a dictionary lookup).
    public func series(namespace: String, flag: String) -> FlagSeries {
        let key = FlagKey(namespace: namespace, flag: flag)
        if let existing = flags.withLock({ $0[key] }) { return existing }
        let series = FlagSeries(metrics: self, namespace: namespace, flag: flag)
        return flags.withLock { flags in
            if let raced = flags[key] { return raced }
            flags[key] = series
            return series
        }
    }

    // MARK: Evaluations (slow path, by name)

    /// A variant evaluation that returned a result (legacy label shape, `type="variant"`).
    public func recordVariant(
        namespace: String, flag: String, result: VariantEvaluation, milliseconds: Double,
        traceID: String? = ExemplarContext.traceID
    ) {
        series(namespace: namespace, flag: flag).recordVariant(result, milliseconds: milliseconds, traceID: traceID)
    }

    /// A boolean evaluation that returned a result (v2 label shape, `type="boolean"`).
    public func recordBoolean(
        namespace: String, flag: String, result: BooleanEvaluation, milliseconds: Double,
        traceID: String? = ExemplarContext.traceID
    ) {
        series(namespace: namespace, flag: flag).recordBoolean(result, milliseconds: milliseconds, traceID: traceID)
    }

    /// An evaluation of an existing flag of the right type that failed inside the evaluator
    /// (rank out of order, unknown constraint type). Counted for boolean flags too, unlike
    /// Flipt, whose boolean path counts such failures as `results{value="false",reason="UNKNOWN…"}`.
    public func recordError(
        namespace: String, flag: String, milliseconds: Double, traceID: String? = ExemplarContext.traceID
    ) {
        series(namespace: namespace, flag: flag).recordError(milliseconds: milliseconds, traceID: traceID)
    }

    // MARK: Cache and server errors

    /// An evaluation served from an existing namespace snapshot.
    public func recordCacheHit() { cacheHit.increment(by: 1) }
    /// A namespace snapshot (re)built from the store.
    public func recordCacheMiss() { cacheMiss.increment(by: 1) }
    /// A failed namespace snapshot rebuild.
    public func recordCacheError() { cacheError.increment(by: 1) }
    /// An API call (a route Flipt serves through gRPC) that ended in an error.
    public func recordServerError() { serverErrors.increment(by: 1) }
}

/// Where an evaluation's latency goes: Hoist's ``ExemplarHistogram`` or a swift-metrics recorder.
public protocol LatencyObserver: Sendable {
    func observe(_ value: Double, traceID: String?)
}

extension ExemplarHistogram: LatencyObserver {}

/// An OTLP histogram (swift-otel) behind swift-metrics' recorder API; exemplars are not exported.
struct RecorderLatency: LatencyObserver {
    let recorder: any RecorderHandler
    func observe(_ value: Double, traceID: String?) { recorder.record(value) }
}
