public import CoreMetrics
import HoistObservability
public import Logging
import OTel
public import ServiceLifecycle

/// OTLP export of Flipt's `flipt_*` families (`metrics.exporter: otlp`) through swift-otel's metrics
/// backend: a periodic reader (every 60 s, or `OTEL_METRIC_EXPORT_INTERVAL` milliseconds, as Flipt's
/// OTel SDK) pushes cumulative sums and explicit-bucket histograms with Flipt's raw instrument names
/// (`flipt_evaluations_requests`, `flipt_evaluations_latency` in unit `ms` with the OTel default
/// buckets). The other families (HTTP, gRPC, process, snapshot) stay on `GET /metrics`, as on Flipt.
public enum OTelMetrics {
    /// Everything needed to build the exporter (already resolved from `metrics.otlp.*`).
    public struct Options: Sendable {
        /// The full OTLP/HTTP metrics URL, or `http://host:port` for OTLP/gRPC.
        public var endpoint: String
        public var grpc: Bool
        public var headers: [String: String]
        public var serviceName: String
        public var resourceAttributes: [String: String]

        public init(
            endpoint: String, grpc: Bool, headers: [String: String], serviceName: String,
            resourceAttributes: [String: String]
        ) {
            self.endpoint = endpoint
            self.grpc = grpc
            self.headers = headers
            self.serviceName = serviceName
            self.resourceAttributes = resourceAttributes
        }
    }

    /// The swift-metrics factory Flipt's families record into, and the export service for the
    /// service group (it flushes once more on graceful shutdown).
    public static func make(_ options: Options, logger: Logger) throws -> (factory: any MetricsFactory, service: any Service) {
        var config = OTel.Configuration.default
        config.serviceName = options.serviceName
        config.resourceAttributes = options.resourceAttributes
        config.diagnosticLogger = .custom(logger)
        config.diagnosticLogLevel = .error
        config.traces.enabled = false
        config.logs.enabled = false
        config.metrics.enabled = true
        config.metrics.exporter = .otlp
        config.metrics.valueHistogramBuckets = ["flipt_evaluations_latency": FliptMetrics.latencyBuckets]
        config.metrics.otlpExporter.endpoint = options.endpoint
        config.metrics.otlpExporter.protocol = options.grpc ? .grpc : .httpProtobuf
        config.metrics.otlpExporter.headers = options.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        config.metrics.otlpExporter.timeout = .seconds(10)
        let (factory, service) = try OTel.makeMetricsBackend(configuration: config)
        return (factory, service)
    }
}
