import Foundation
import HoistCore
public import HoistObservability
public import Logging
public import ServiceLifecycle

/// The tracing pipeline of a running server: what the API traces with and the export service.
public struct TracingSetup: Sendable {
    public let backend: TracingBackend
    /// The exporter loop (Hoist's batch processor, or swift-otel's tracing service).
    public let service: any Service
    /// Hoist's processor (Zipkin exporter only), for tests.
    public let processor: SpanBatchProcessor?
    /// `service.name` reported to the backend.
    public let serviceName: String
}

/// Runs Hoist's span export loop; on graceful shutdown (after HTTP has stopped, since it is placed
/// before the HTTP server in the group) it flushes the queue and returns.
public struct TracingService: Service {
    public let processor: SpanBatchProcessor

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await processor.run()
        }
    }
}

extension HoistApplication {
    /// The tracer for `tracing.*`, or nil when `tracing.enabled` is false (no span is ever created).
    ///
    /// - Exporter `zipkin`: Zipkin v2 JSON to `tracing.zipkin.endpoint`.
    /// - `otlp`: OTLP/gRPC or OTLP/HTTP (protobuf) through swift-otel (``otlpTarget(_:logger:)``);
    ///   `tracing.otlp.headers` sent with every export. swift-otel also applies the standard
    ///   `OTEL_EXPORTER_OTLP_*`/`OTEL_TRACES_*` variables over these settings.
    /// - `jaeger`: OTLP/gRPC to the Jaeger host (Flipt's deprecation warning is logged from
    ///   ``HoistConfiguration/Tracing/warnings``).
    /// - `service.name`: `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`,
    ///   else `flipt` (what Flipt reports, so existing dashboards keep matching).
    /// - Throws: ``ConfigurationError`` for an unsupported exporter or propagator.
    public static func makeTracing(
        configuration: HoistConfiguration, metrics: HoistMetrics, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> TracingSetup? {
        let config = configuration.tracing
        let formats = try config.propagationFormats()
        guard config.enabled else { return nil }
        let serviceName = resourceServiceName(environment: environment)
        let attributes = resourceAttributes(environment: environment)
        switch config.exporter {
        case .zipkin:
            let exporter = ZipkinExporter(endpoint: config.zipkinEndpoint, serviceName: serviceName)
            let processor = SpanBatchProcessor(exporter: exporter, registry: metrics.registry, logger: logger)
            // The ratio is applied once, by the head draw before a root span starts
            // (`headSamplingRatio`); the tracer itself samples every root it is asked to start.
            let tracer = HoistTracer(
                sampler: TraceSampler(ratio: 1), propagator: HoistPropagator(formats: formats),
                processor: processor)
            var backend = TracingBackend.hoist(tracer)
            backend.headSamplingRatio = config.samplingRatio
            if config.evaluationEvents { backend.evaluationEvents = EvaluationEvents(logger: nil) }
            return TracingSetup(
                backend: backend, service: TracingService(processor: processor), processor: processor,
                serviceName: serviceName)
        case .otlp, .jaeger:
            let (endpoint, grpc) = otlpTarget(config, logger: logger)
            var options = OTelTracing.Options(
                endpoint: endpoint, grpc: grpc, headers: config.exporter == .otlp ? config.otlpHeaders : [:],
                serviceName: serviceName, resourceAttributes: attributes, samplingRatio: config.samplingRatio,
                formats: formats)
            options.evaluationEvents = config.evaluationEvents
            let (backend, service) = try OTelTracing.make(options, registry: metrics.registry, logger: logger)
            return TracingSetup(backend: backend, service: service, processor: nil, serviceName: serviceName)
        case .unsupported:
            throw ConfigurationError(key: "tracing.exporter", "unsupported tracing exporter")
        }
    }

    /// Where OTLP goes: `tracing.otlp.endpoint` with Flipt's scheme rules (`http(s)://` → OTLP/HTTP,
    /// path defaulting to `/v1/traces`; `grpc://` or no scheme → OTLP/gRPC), or for `jaeger`
    /// OTLP/gRPC to `tracing.jaeger.host:port` — Flipt's UDP agent port 6831 becomes 4317, Jaeger's
    /// OTLP/gRPC port (the UDP agent protocol is not supported).
    static func otlpTarget(_ config: HoistConfiguration.Tracing, logger: Logger) -> (endpoint: String, grpc: Bool) {
        if config.exporter == .jaeger {
            var port = config.jaegerPort
            if port == 6831 {
                port = 4317
                logger.warning(
                    "tracing.jaeger.port 6831 is Jaeger's UDP agent port, which Hoist does not speak; sending OTLP/gRPC to port 4317",
                    metadata: ["hoist.tracing.jaeger.host": "\(config.jaegerHost)"])
            }
            return ("http://\(config.jaegerHost):\(port)", true)
        }
        return OTLPEndpoint(parsing: config.otlpEndpoint).exportTarget(defaultPath: "/v1/traces")
    }

    /// `OTEL_SERVICE_NAME`, else `service.name` from `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k=v`), else `flipt`.
    public static func resourceServiceName(environment: [String: String]) -> String {
        if let name = environment["OTEL_SERVICE_NAME"], !name.isEmpty { return name }
        return resourceAttributes(environment: environment)["service.name"] ?? "flipt"
    }

    /// `OTEL_RESOURCE_ATTRIBUTES` parsed as comma-separated `key=value` pairs (values percent-decoded).
    public static func resourceAttributes(environment: [String: String]) -> [String: String] {
        guard let raw = environment["OTEL_RESOURCE_ATTRIBUTES"] else { return [:] }
        var out: [String: String] = [:]
        for pair in raw.split(separator: ",") {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let key = pair[..<eq].trimmingCharacters(in: .whitespaces)
            let value = pair[pair.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            out[key] = value.removingPercentEncoding ?? value
        }
        return out
    }
}

extension HoistApplication {
    /// Adds `trace_id` / `span_id` to log lines written inside a traced request (install with
    /// `makeLogHandlerFactory(_:metadataProvider:)` when `tracing.enabled`).
    public static var tracingLogMetadata: Logger.MetadataProvider {
        .multiplex([.hoistTracing, OTelTracing.loggingMetadataProvider]) ?? .hoistTracing
    }
}
