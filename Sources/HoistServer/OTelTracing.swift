public import HoistObservability
public import Logging
import OTel
public import Prometheus
public import ServiceLifecycle
import Synchronization
import Tracing

/// OTLP export through swift-otel (`tracing.exporter: otlp`, and `jaeger`, which sends OTLP/gRPC
/// to the Jaeger collector).
///
/// Sampling: `tracing.sampling_ratio` is the backend's head draw for root spans; swift-otel's sampler
/// is parent-based always-on (a sampled caller forces sampling, an unsampled one suppresses it).
/// swift-otel owns batching (1 s schedule delay, queue 2048, batches of 512, as
/// Flipt) and the wire format. Hoist's ``HoistPropagator`` still reads every configured format
/// (B3, Jaeger, W3C): the caller's context is handed to swift-otel as a W3C `traceparent`.
/// swift-otel has no drop hook: spans lost to a full queue or a failed export are counted from
/// its diagnostic warnings (``OTelDropCounter``) in `hoist_tracing_spans_dropped_total{reason}`;
/// rejected credentials (HTTP 401 / gRPC unauthenticated) also count as
/// `hoist_tracing_export_failures_total`.
public enum OTelTracing {
    /// Everything needed to build the backend (already resolved from `tracing.*`).
    public struct Options: Sendable {
        /// `http://host:port` (gRPC) or the full OTLP/HTTP traces URL.
        public var endpoint: String
        public var grpc: Bool
        public var headers: [String: String]
        public var serviceName: String
        public var resourceAttributes: [String: String]
        public var samplingRatio: Double
        public var formats: [TracePropagationFormat]
        /// `tracing.evaluation_events`: also export `feature_flag.evaluation` OTLP log records.
        public var evaluationEvents: Bool = false

        public init(
            endpoint: String, grpc: Bool, headers: [String: String], serviceName: String,
            resourceAttributes: [String: String], samplingRatio: Double, formats: [TracePropagationFormat]
        ) {
            self.endpoint = endpoint
            self.grpc = grpc
            self.headers = headers
            self.serviceName = serviceName
            self.resourceAttributes = resourceAttributes
            self.samplingRatio = samplingRatio
            self.formats = formats
        }
    }

    /// The backend for the HTTP layer and the exporter service for the service group.
    public static func make(
        _ options: Options, registry: PrometheusCollectorRegistry?, logger: Logger
    ) throws -> (backend: TracingBackend, service: any Service) {
        var config = OTel.Configuration.default
        config.serviceName = options.serviceName
        config.resourceAttributes = options.resourceAttributes
        let drops = OTelDropCounter(registry: registry, logger: logger)
        config.diagnosticLogger = .custom(drops.diagnosticLogger)
        config.diagnosticLogLevel = .warning
        config.propagators = [.traceContext]
        config.metrics.enabled = false
        config.logs.enabled = false
        config.traces.enabled = true
        // `tracing.sampling_ratio` is applied once, by the backend's head draw (see
        // `TracingBackend.headSamplingRatio`) before a root span is started; a second ratio here
        // would sample ratio² of the roots. A caller's sampled parent still forces sampling and an
        // unsampled one suppresses it (parent-based).
        config.traces.sampler = .parentBasedAlwaysOn
        config.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        config.traces.batchSpanProcessor.exportTimeout = .seconds(10)
        config.traces.otlpExporter.endpoint = options.endpoint
        config.traces.otlpExporter.protocol = options.grpc ? .grpc : .httpProtobuf
        config.traces.otlpExporter.headers = options.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        config.traces.otlpExporter.timeout = .seconds(10)
        let failures = registry?.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "hoist_tracing_export_failures_total", unitName: "",
                helpText: "OTLP span exports refused for their credentials (their spans are lost)"))
        // The batch is then dropped and reported like any failed export (counted by `drops`).
        config.traces.otlpExporter.onExportFailure = { _ in
            failures?.increment()
            return .discard
        }
        let (tracer, tracingService) = try OTel.makeTracingBackend(configuration: config)
        var service: any Service = tracingService
        var events: EvaluationEvents?
        if options.evaluationEvents {
            var logs = config
            logs.traces.enabled = false
            logs.logs.enabled = true
            logs.logs.level = .info
            logs.logs.batchLogRecordProcessor.scheduleDelay = .seconds(1)
            logs.logs.otlpExporter = config.traces.otlpExporter
            if !options.grpc {
                logs.logs.otlpExporter.endpoint = Self.logsEndpoint(tracesEndpoint: options.endpoint)
            }
            let (factory, logService) = try OTel.makeLoggingBackend(configuration: logs)
            var eventLogger = Logger(label: "feature_flag", factory: factory)
            eventLogger.logLevel = .info
            events = EvaluationEvents(logger: eventLogger)
            service = ServiceGroup(
                configuration: .init(services: [.init(service: logService), .init(service: tracingService)], logger: logger))
        }
        let propagator = HoistPropagator(formats: options.formats)
        let backend = TracingBackend(
            tracer: tracer,
            extractParent: { headers in
                var hoist = ServiceContext.topLevel
                propagator.extract(headers, into: &hoist, using: DictionaryExtractor())
                var w3c: [String: String] = [:]
                if let span = hoist.hoistSpanContext {
                    for (k, v) in HoistPropagator.headers(.tracecontext, span) { w3c[k] = v }
                }
                var context = ServiceContext.topLevel
                if !w3c.isEmpty { tracer.extract(w3c, into: &context, using: DictionaryExtractor()) }
                return context
            },
            sampledTraceID: { context in context.otelIsSampled ? context.otelTraceID : nil })
        var withEvents = backend
        withEvents.headSamplingRatio = options.samplingRatio
        withEvents.evaluationEvents = events
        let ids = OTel.makeLoggingMetadataProvider()
        withEvents.spanIdentifiers = { context in
            let metadata = ServiceContext.withValue(context) { ids.get() }
            guard case .string(let trace)? = metadata["trace_id"], case .string(let span)? = metadata["span_id"] else {
                return nil
            }
            return (trace, span)
        }
        return (withEvents, service)
    }

    /// `…/v1/traces` → `…/v1/logs` (otherwise the endpoint with `/v1/logs` in place of its path).
    static func logsEndpoint(tracesEndpoint: String) -> String {
        if tracesEndpoint.hasSuffix("/v1/traces") { return String(tracesEndpoint.dropLast("/v1/traces".count)) + "/v1/logs" }
        return tracesEndpoint
    }

    /// `trace_id`, `span_id` (and `trace_flags`) of swift-otel's current span, for log lines.
    public static var loggingMetadataProvider: Logger.MetadataProvider { OTel.makeLoggingMetadataProvider() }
}
