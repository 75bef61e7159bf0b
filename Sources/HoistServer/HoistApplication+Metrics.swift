public import CoreMetrics
import Foundation
import HoistCore
public import HoistObservability
public import Logging
public import ServiceLifecycle

/// The metrics of a running server and, with `metrics.exporter: otlp`, the export service.
public struct MetricsSetup: Sendable {
    public let metrics: HoistMetrics
    /// swift-otel's periodic OTLP exporter; nil with the `prometheus` exporter (scraped instead).
    public let exporter: (any Service)?
}

extension HoistApplication {
    /// The metrics of a server with this configuration (`metrics.*`), with Flipt's families served on
    /// `/metrics` — or, for `metrics.exporter: otlp`, exported by ``makeMetricsSetup(configuration:logger:environment:)``.
    ///
    /// `hoist_build_info{commit}` comes from `HOIST_BUILD_COMMIT` when the build did not stamp one.
    public static func makeMetrics(
        configuration: HoistConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fliptOTLPFactory: (any MetricsFactory)? = nil
    ) throws -> HoistMetrics {
        var commit = HoistBuild.commit
        if commit == "unknown", let stamped = environment["HOIST_BUILD_COMMIT"], !stamped.isEmpty { commit = stamped }
        var options = HoistMetrics.Options(fliptEnabled: configuration.metrics.enabled, buildInfo: BuildInfo(commit: commit))
        options.fliptOTLPFactory = fliptOTLPFactory
        return HoistMetrics(options: options)
    }

    /// ``makeMetrics(configuration:environment:fliptOTLPFactory:)`` plus, for `metrics.exporter: otlp`
    /// with `metrics.enabled`, the OTLP exporter of Flipt's families to `metrics.otlp.endpoint`
    /// (Flipt's scheme rules: `http(s)://` → OTLP/HTTP, path defaulting to `/v1/metrics`; `grpc://`
    /// or no scheme → OTLP/gRPC) with `metrics.otlp.headers` on every export. `service.name` and
    /// resource attributes come from `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES` as for tracing.
    public static func makeMetricsSetup(
        configuration: HoistConfiguration, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> MetricsSetup {
        let config = configuration.metrics
        guard config.enabled, config.exporter == .otlp else {
            return MetricsSetup(metrics: try makeMetrics(configuration: configuration, environment: environment), exporter: nil)
        }
        let (endpoint, grpc) = otlpMetricsTarget(config.otlp)
        let (factory, service) = try OTelMetrics.make(
            OTelMetrics.Options(
                endpoint: endpoint, grpc: grpc, headers: config.otlp.headers,
                serviceName: resourceServiceName(environment: environment),
                resourceAttributes: resourceAttributes(environment: environment)),
            logger: logger)
        logger.info("exporting metrics over OTLP", metadata: ["hoist.metrics.otlp.endpoint": "\(endpoint)"])
        return MetricsSetup(
            metrics: try makeMetrics(configuration: configuration, environment: environment, fliptOTLPFactory: factory),
            exporter: service)
    }

    /// `metrics.otlp.endpoint` with Flipt's scheme rules, as swift-otel wants it: the full URL for
    /// OTLP/HTTP, `http://host:port` for OTLP/gRPC.
    static func otlpMetricsTarget(_ otlp: HoistConfiguration.Metrics.OTLP) -> (endpoint: String, grpc: Bool) {
        otlp.endpointValue.exportTarget(defaultPath: "/v1/metrics")
    }
}
