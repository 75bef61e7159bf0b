import HoistObservability
import Logging
import Testing

@testable import HoistServer

@Suite("Configuration: metrics")
struct MetricsConfigurationTests {
    @Test func defaults() throws {
        let metrics = try loadYAML(nil).metrics
        #expect(metrics == HoistConfiguration.Metrics())
        #expect(metrics.enabled)
        #expect(metrics.exporter == .prometheus)
        #expect(metrics.otlp.endpoint == "localhost:4317")
        #expect(metrics.otlp.headers.isEmpty)
    }

    @Test func fileValues() throws {
        let yaml = """
            metrics:
              enabled: false
              exporter: otlp
              otlp:
                endpoint: https://collector.example:4318/v1/metrics
                headers:
                  Authorization: Bearer abc
            """
        let metrics = try loadYAML(yaml).metrics
        #expect(!metrics.enabled)
        #expect(metrics.exporter == .otlp)
        #expect(metrics.otlp.headers == ["authorization": "Bearer abc"])
        #expect(
            metrics.otlp.endpointValue
                == OTLPEndpoint(transport: .http, tls: true, address: "collector.example:4318", path: "/v1/metrics"))
    }

    @Test func environmentOverridesFile() throws {
        let env = [
            "FLIPT_METRICS_ENABLED": "false", "FLIPT_METRICS_EXPORTER": "prometheus",
            "FLIPT_METRICS_OTLP_ENDPOINT": "otel-collector:4317",
            "FLIPT_METRICS_OTLP_HEADERS_X_TENANT": "team-a",
        ]
        let metrics = try loadYAML("metrics:\n  enabled: true\n  exporter: otlp\n", env: env).metrics
        #expect(!metrics.enabled)
        #expect(metrics.exporter == .prometheus)
        #expect(metrics.otlp.endpoint == "otel-collector:4317")
        #expect(metrics.otlp.headers == ["x_tenant": "team-a"])
        #expect(metrics.otlp.endpointValue == OTLPEndpoint(transport: .grpc, tls: false, address: "otel-collector:4317"))
    }

    @Test(arguments: [
        ("metrics:\n  exporter: statsd\n", [String: String]()),
        ("", ["FLIPT_METRICS_EXPORTER": "datadog"]),
    ])
    func unsupportedExporterFailsTheStart(yaml: String, env: [String: String]) {
        let error = configError { try loadYAML(yaml, env: env) }
        #expect(error?.key == "metrics.exporter")
        #expect(error?.message.contains("unsupported metrics exporter") == true)
    }

    @Test func invalidEnabledNamesItsKey() {
        #expect(configError { try loadYAML("", env: ["FLIPT_METRICS_ENABLED": "perhaps"]) }?.key == "metrics.enabled")
    }

    @Test func otlpExportsFliptFamiliesInsteadOfServingThem() throws {
        let configuration = try loadYAML("metrics:\n  exporter: otlp\n  otlp:\n    endpoint: http://127.0.0.1:9/\n")
        let setup = try HoistApplication.makeMetricsSetup(
            configuration: configuration, logger: Logger(label: "t"), environment: [:])
        #expect(setup.exporter != nil)
        let flipt = try #require(setup.metrics.flipt)
        flipt.recordCacheHit()
        flipt.series(namespace: "default", flag: "f").recordError(milliseconds: 1, traceID: nil)
        let text = String(decoding: setup.metrics.exposition(format: .prometheus, snapshots: []), as: UTF8.self)
        #expect(!text.contains("flipt_"))
        #expect(text.contains("process_cpu_seconds_total"))

        let prometheus = try HoistApplication.makeMetricsSetup(
            configuration: try loadYAML(nil), logger: Logger(label: "t"), environment: [:])
        #expect(prometheus.exporter == nil)
        let disabled = try HoistApplication.makeMetricsSetup(
            configuration: try loadYAML("metrics:\n  enabled: false\n  exporter: otlp\n"), logger: Logger(label: "t"),
            environment: [:])
        #expect(disabled.exporter == nil && disabled.metrics.flipt == nil)
    }

    @Test(arguments: [
        ("http://h:4318", "http://h:4318/v1/metrics", false),
        ("https://h:4318/custom/path", "https://h:4318/custom/path", false),
        ("grpc://h:4317", "http://h:4317", true),
        ("collector:4317", "http://collector:4317", true),
    ])
    func otlpMetricsTarget(endpoint: String, expected: String, grpc: Bool) {
        let target = HoistApplication.otlpMetricsTarget(.init(endpoint: endpoint))
        #expect(target.endpoint == expected && target.grpc == grpc)
    }

    @Test func enabledFlagAndCommitReachTheMetrics() throws {
        let disabled = try HoistApplication.makeMetrics(
            configuration: try loadYAML("metrics:\n  enabled: false\n"), environment: ["HOIST_BUILD_COMMIT": "abc123"])
        #expect(disabled.flipt == nil)
        let text = String(decoding: disabled.exposition(format: .prometheus, snapshots: []), as: UTF8.self)
        #expect(text.contains("hoist_build_info{commit=\"abc123\","))
        let enabled = try HoistApplication.makeMetrics(configuration: try loadYAML(nil), environment: [:])
        #expect(enabled.flipt != nil)
    }

    @Test(arguments: [
        ("https://h:4318", OTLPEndpoint(transport: .http, tls: true, address: "h:4318")),
        ("http://h:4318/custom", OTLPEndpoint(transport: .http, tls: false, address: "h:4318", path: "/custom")),
        ("grpc://h:4317", OTLPEndpoint(transport: .grpc, tls: false, address: "h:4317")),
        ("h:4317", OTLPEndpoint(transport: .grpc, tls: false, address: "h:4317")),
        ("unix://sock", OTLPEndpoint(transport: .grpc, tls: false, address: "unix://sock")),
    ])
    func endpointSchemes(endpoint: String, expected: OTLPEndpoint) {
        #expect(OTLPEndpoint(parsing: endpoint) == expected)
    }
}
