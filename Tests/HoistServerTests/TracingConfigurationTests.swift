import HoistObservability
import Logging
import Testing

@testable import HoistServer

@Suite("Configuration: tracing")
struct TracingConfigurationTests {
    @Test func defaults() throws {
        let tracing = try loadYAML(nil).tracing
        #expect(tracing == HoistConfiguration.Tracing())
        #expect(!tracing.enabled)
        #expect(tracing.exporter == .jaeger)
        #expect(tracing.samplingRatio == 1)
        #expect(tracing.propagators == ["tracecontext", "baggage"])
        #expect(tracing.jaegerHost == "localhost" && tracing.jaegerPort == 6831)
        #expect(tracing.zipkinEndpoint == "http://localhost:9411/api/v2/spans")
        #expect(tracing.otlpEndpoint == "localhost:4317")
        #expect(tracing.otlpHeaders.isEmpty)
        #expect(tracing.warnings.isEmpty)
        #expect(try tracing.propagationFormats() == [.tracecontext, .baggage])
    }

    @Test func fileValues() throws {
        let yaml = """
            tracing:
              enabled: true
              exporter: zipkin
              sampling_ratio: 0.25
              propagators: [b3, jaeger, tracecontext]
              zipkin:
                endpoint: http://zipkin:9411/api/v2/spans
              otlp:
                endpoint: http://collector:4318
                headers:
                  X-Api-Key: k
            """
        let tracing = try loadYAML(yaml).tracing
        #expect(tracing.enabled)
        #expect(tracing.exporter == .zipkin)
        #expect(tracing.samplingRatio == 0.25)
        #expect(try tracing.propagationFormats() == [.b3, .jaeger, .tracecontext])
        #expect(tracing.zipkinEndpoint == "http://zipkin:9411/api/v2/spans")
        #expect(tracing.otlpHeaders == ["x-api-key": "k"])
        #expect(OTLPEndpoint(parsing: tracing.otlpEndpoint).transport == .http)
    }

    @Test func environment() throws {
        let env = [
            "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
            "FLIPT_TRACING_SAMPLING_RATIO": "0.5", "FLIPT_TRACING_PROPAGATORS": "b3multi baggage",
            "FLIPT_TRACING_OTLP_ENDPOINT": "grpc://collector:4317",
            "FLIPT_TRACING_OTLP_HEADERS_AUTHORIZATION": "Bearer x",
            "FLIPT_TRACING_JAEGER_HOST": "jaeger", "FLIPT_TRACING_JAEGER_PORT": "4317",
            "FLIPT_TRACING_EVALUATION_EVENTS": "true",
        ]
        let tracing = try loadYAML("tracing: {exporter: zipkin}", env: env).tracing
        #expect(tracing.enabled && tracing.exporter == .otlp && tracing.samplingRatio == 0.5)
        #expect(tracing.propagators == ["b3multi", "baggage"])
        #expect(tracing.otlpHeaders == ["authorization": "Bearer x"])
        #expect(tracing.jaegerHost == "jaeger" && tracing.jaegerPort == 4317)
        #expect(tracing.evaluationEvents)
        #expect(OTLPEndpoint(parsing: tracing.otlpEndpoint) == OTLPEndpoint(transport: .grpc, tls: false, address: "collector:4317"))
    }

    @Test(arguments: ["-0.1", "1.5"]) func samplingRatioOutOfRange(_ value: String) throws {
        let error = configError { try loadYAML(nil, env: ["FLIPT_TRACING_SAMPLING_RATIO": value]) }
        #expect(error?.description == "tracing.sampling_ratio: sampling ratio should be a number between 0 and 1")
    }

    @Test func unknownPropagator() throws {
        let error = configError { try loadYAML("tracing: {propagators: [tracecontext, foo]}") }
        #expect(error?.description == "tracing.propagators: invalid propagator option: foo")
    }

    @Test func xrayIsValidFliptButNotBuiltIn() throws {
        let tracing = try loadYAML("tracing: {propagators: [xray]}").tracing
        #expect(throws: ConfigurationError.self) { try tracing.propagationFormats() }
        #expect(try HoistConfiguration.Tracing(propagators: ["none"]).propagationFormats().isEmpty)
    }

    @Test func unknownExporterFailsOnlyAtStart() throws {
        let tracing = try loadYAML("tracing: {enabled: true, exporter: datadog}").tracing
        #expect(tracing.exporter == .unsupported("datadog"))
        var configuration = try loadYAML("tracing: {enabled: true, exporter: datadog}")
        let error = configError {
            try HoistApplication.makeTracing(configuration: configuration, metrics: HoistMetrics(), logger: .init(label: "t"))
        }
        #expect(error?.message == "unsupported tracing exporter")
        configuration.tracing.enabled = false
        #expect(try HoistApplication.makeTracing(configuration: configuration, metrics: HoistMetrics(), logger: .init(label: "t")) == nil)
    }

    @Test func jaegerDeprecationWarning() throws {
        let configuration = try loadYAML("tracing: {enabled: true}")
        #expect(
            configuration.warnings.contains(
                "\"tracing.exporter.jaeger\" is deprecated and will be removed in a future release."))
    }

    @Test func serviceNameFromEnvironment() {
        #expect(HoistApplication.resourceServiceName(environment: [:]) == "flipt")
        #expect(HoistApplication.resourceServiceName(environment: ["OTEL_SERVICE_NAME": "ff"]) == "ff")
        #expect(
            HoistApplication.resourceServiceName(
                environment: ["OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,service.name=hoist%20a"])
                == "hoist a")
    }

    @Test func otlpTargets() {
        let log = Logger(label: "t")
        func target(_ endpoint: String) -> (String, Bool) {
            let t = HoistApplication.otlpTarget(HoistConfiguration.Tracing(exporter: .otlp, otlpEndpoint: endpoint), logger: log)
            return (t.endpoint, t.grpc)
        }
        #expect(target("localhost:4317") == ("http://localhost:4317", true))
        #expect(target("grpc://collector:4317") == ("http://collector:4317", true))
        #expect(target("http://collector:4318") == ("http://collector:4318/v1/traces", false))
        #expect(target("https://c.example/otlp/v1/traces") == ("https://c.example/otlp/v1/traces", false))
        let jaeger = HoistApplication.otlpTarget(HoistConfiguration.Tracing(exporter: .jaeger, jaegerHost: "j"), logger: log)
        #expect(jaeger.endpoint == "http://j:4317" && jaeger.grpc)
        #expect(OTelTracing.logsEndpoint(tracesEndpoint: "http://c:4318/v1/traces") == "http://c:4318/v1/logs")
    }
}
