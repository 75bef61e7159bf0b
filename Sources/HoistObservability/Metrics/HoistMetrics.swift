public import CoreMetrics
public import Prometheus
import Synchronization

/// Every metric Hoist serves on `/metrics`, over one injected `PrometheusCollectorRegistry`.
///
/// * ``flipt``: Flipt's `flipt_*` families — `nil` when `metrics.enabled` is false
///   (`FLIPT_METRICS_ENABLED`, default `true`).
/// * ``http``, ``grpc``: OPA's `http_request_duration_seconds` and go-grpc-prometheus' families.
/// * ``snapshots``: `hoist_snapshot_*`; `process_*` and `hoist_build_info` (read at scrape time).
///
/// Counters and gauges live in the registry and are written by swift-prometheus; the latency
/// histograms are ``ExemplarHistogramFamily`` values (exemplars), rendered by Hoist. ``factory``
/// exposes the same registry to swift-metrics users (libraries), via `MetricsSystem.bootstrap` in
/// the server only — tests create their own `HoistMetrics` and never touch global state.
public final class HoistMetrics: Sendable {
    /// Construction-time choices.
    public struct Options: Sendable {
        /// `metrics.enabled`: record Flipt's `flipt_*` families.
        public var fliptEnabled: Bool
        public var buildInfo: BuildInfo
        /// Buckets of `http_request_duration_seconds` (OPA's defaults).
        public var httpBuckets: [Double]
        /// `metrics.exporter: otlp`: Flipt's families are exported through this swift-metrics factory
        /// (swift-otel's OTLP backend) instead of being served on `/metrics`; nil (the default,
        /// `prometheus`) serves them on `/metrics`.
        public var fliptOTLPFactory: (any MetricsFactory)? = nil

        public init(
            fliptEnabled: Bool = true, buildInfo: BuildInfo = BuildInfo(),
            httpBuckets: [Double] = HTTPServerMetrics.defaultBuckets
        ) {
            self.fliptEnabled = fliptEnabled
            self.buildInfo = buildInfo
            self.httpBuckets = httpBuckets
        }
    }

    public let registry: PrometheusCollectorRegistry
    public let flipt: FliptMetrics?
    public let http: HTTPServerMetrics
    public let grpc: GRPCServerMetrics
    public let snapshots: SnapshotMetrics
    let process: ProcessMetrics
    /// Scrapes update the scrape-time gauges; one at a time.
    let scrapeLock = Mutex<Void>(())

    /// - Parameters:
    ///   - registry: where counters and gauges live (a fresh one by default).
    ///   - clock: Unix seconds, for exemplar timestamps.
    ///   - processSource: the `process_*` reading (tests inject a fixed one).
    public init(
        options: Options = Options(),
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        clock: @escaping @Sendable () -> Double = WallClock.seconds,
        processSource: @escaping @Sendable () -> ProcessSample? = ProcessSample.current
    ) {
        self.registry = registry
        if options.fliptEnabled {
            let export: FliptMetrics.Export = options.fliptOTLPFactory.map { .otlp($0) } ?? .prometheus(registry)
            flipt = FliptMetrics(export: export, clock: clock)
        } else {
            flipt = nil
        }
        http = HTTPServerMetrics(buckets: options.httpBuckets, clock: clock)
        grpc = GRPCServerMetrics(registry: registry, clock: clock)
        snapshots = SnapshotMetrics(registry: registry)
        process = ProcessMetrics(registry: registry, buildInfo: options.buildInfo, source: processSource)
    }

    /// A swift-metrics factory writing into ``registry`` (for `MetricsSystem.bootstrap`).
    public var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }

    /// Installs ``factory`` as the process-wide swift-metrics backend, so library metrics land on
    /// `/metrics` too. Call at most once per process (the server's start).
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(factory)
    }

    var histogramFamilies: [ExemplarHistogramFamily] {
        (flipt.map { [$0.latency] } ?? []) + [http.requestDuration, grpc.handlingSeconds]
    }

    /// The `/metrics` body: scrape-time families refreshed from `snapshots` and `/proc`, then the
    /// registry (swift-prometheus) and the latency histograms, in `format`.
    public func exposition(format: MetricsExpositionFormat, snapshots served: [SnapshotStatus]) -> [UInt8] {
        let registryText: [UInt8] = scrapeLock.withLock { _ in
            snapshots.update(served)
            process.update()
            return registry.emitToBuffer()
        }
        var histograms = ""
        for family in histogramFamilies { family.render(format: format, into: &histograms) }
        switch format {
        case .prometheus:
            return registryText + Array(histograms.utf8)
        case .openMetrics:
            var out = OpenMetricsText.convert(registryText)
            out += Array(histograms.utf8)
            out += Array("# EOF\n".utf8)
            return out
        }
    }
}

/// Rewrites swift-prometheus' text 0.0.4 output as OpenMetrics 1.0.0: a counter family is named
/// without its `_total` suffix in `# HELP`/`# TYPE` (samples keep it). Everything else (gauges,
/// histograms without exemplars, label and HELP escaping) is already valid OpenMetrics.
enum OpenMetricsText {
    static func convert(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 64)
        var pendingHelp: ArraySlice<UInt8>?
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.starts(with: Array("# HELP ".utf8)) {
                if let help = pendingHelp { append(help, to: &out) }
                pendingHelp = line
                continue
            }
            if line.starts(with: Array("# TYPE ".utf8)) {
                let parts = line.split(separator: UInt8(ascii: " "))
                if parts.count == 4, parts[3].elementsEqual("counter".utf8), parts[2].reversed().starts(with: "latot_".utf8) {
                    let family = Array(parts[2].dropLast(6))
                    if let help = pendingHelp {
                        let text = help.dropFirst(7 + parts[2].count)  // "# HELP " + name
                        out += Array("# HELP ".utf8) + family
                        out += text
                        out.append(UInt8(ascii: "\n"))
                    }
                    out += Array("# TYPE ".utf8) + family + Array(" counter\n".utf8)
                    pendingHelp = nil
                    continue
                }
            }
            if let help = pendingHelp {
                append(help, to: &out)
                pendingHelp = nil
            }
            append(line, to: &out)
        }
        if let help = pendingHelp { append(help, to: &out) }
        return out
    }

    private static func append(_ line: ArraySlice<UInt8>, to out: inout [UInt8]) {
        out += line
        out.append(UInt8(ascii: "\n"))
    }
}
