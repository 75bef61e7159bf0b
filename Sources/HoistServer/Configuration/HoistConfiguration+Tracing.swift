import HoistObservability

extension HoistConfiguration {
    /// The `tracing` section (Flipt `internal/config/tracing.go`, spec observability §2.1).
    ///
    /// Validation follows Flipt: a sampling ratio outside [0, 1] fails with "sampling ratio should
    /// be a number between 0 and 1", an unknown propagator with "invalid propagator option: <x>".
    /// An unknown exporter is accepted here and refused at start-up ("unsupported tracing exporter"),
    /// as Flipt does, and only when tracing is enabled.
    public struct Tracing: HoistConfigurationSection, Equatable {
        public static let key = "tracing"

        /// `tracing.exporter` values.
        public enum Exporter: Sendable, Equatable {
            /// OTLP to `tracing.jaeger.host` (Jaeger ≥ 1.35 ingests OTLP; the UDP agent protocol
            /// of Flipt's deprecated exporter is not supported). Flipt's default.
            case jaeger
            /// Zipkin v2 JSON to `tracing.zipkin.endpoint`.
            case zipkin
            /// OTLP/gRPC or OTLP/HTTP to `tracing.otlp.endpoint`.
            case otlp
            /// Anything else: fails at start-up when tracing is enabled.
            case unsupported(String)

            public init(name: String) {
                switch name.lowercased() {
                case "jaeger": self = .jaeger
                case "zipkin": self = .zipkin
                case "otlp": self = .otlp
                default: self = .unsupported(name)
                }
            }
        }

        /// `tracing.enabled` — `FLIPT_TRACING_ENABLED`, default `false`.
        public var enabled: Bool
        /// `tracing.exporter` — `FLIPT_TRACING_EXPORTER`, default `jaeger`.
        public var exporter: Exporter
        /// `tracing.sampling_ratio` — `FLIPT_TRACING_SAMPLING_RATIO`, default `1`, in [0, 1].
        public var samplingRatio: Double
        /// `tracing.propagators` — `FLIPT_TRACING_PROPAGATORS` (space-separated), default
        /// `[tracecontext, baggage]`. Hoist supports `tracecontext`, `baggage`, `b3`, `b3multi`,
        /// `jaeger` and `none`; `xray` and `ottrace` are valid Flipt values that Hoist refuses at start-up.
        public var propagators: [String]
        /// `tracing.jaeger.host` — `FLIPT_TRACING_JAEGER_HOST`, default `localhost`.
        public var jaegerHost: String
        /// `tracing.jaeger.port` — `FLIPT_TRACING_JAEGER_PORT`, default `6831` (Flipt's UDP agent port).
        /// Hoist sends OTLP/gRPC, so point it at Jaeger's OTLP port (4317); the default 6831 is
        /// replaced by 4317 with a warning.
        public var jaegerPort: Int
        /// `tracing.zipkin.endpoint` — `FLIPT_TRACING_ZIPKIN_ENDPOINT`, default
        /// `http://localhost:9411/api/v2/spans`.
        public var zipkinEndpoint: String
        /// `tracing.otlp.endpoint` — `FLIPT_TRACING_OTLP_ENDPOINT`, default `localhost:4317`
        /// (`http(s)://` → OTLP/HTTP, `grpc://` or no scheme → OTLP/gRPC).
        public var otlpEndpoint: String
        /// `tracing.otlp.headers` — `FLIPT_TRACING_OTLP_HEADERS_<NAME>`, default none.
        public var otlpHeaders: [String: String]
        /// `tracing.evaluation_events` — `FLIPT_TRACING_EVALUATION_EVENTS`, default `false` (Hoist
        /// only): emit an OpenTelemetry `feature_flag.evaluation` event per evaluation.
        public var evaluationEvents: Bool

        public static let knownPropagators: Set<String> = [
            "tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace", "none",
        ]

        public init(
            enabled: Bool = false, exporter: Exporter = .jaeger, samplingRatio: Double = 1,
            propagators: [String] = ["tracecontext", "baggage"], jaegerHost: String = "localhost",
            jaegerPort: Int = 6831, zipkinEndpoint: String = "http://localhost:9411/api/v2/spans",
            otlpEndpoint: String = "localhost:4317", otlpHeaders: [String: String] = [:],
            evaluationEvents: Bool = false
        ) {
            self.enabled = enabled
            self.exporter = exporter
            self.samplingRatio = samplingRatio
            self.propagators = propagators
            self.jaegerHost = jaegerHost
            self.jaegerPort = jaegerPort
            self.zipkinEndpoint = zipkinEndpoint
            self.otlpEndpoint = otlpEndpoint
            self.otlpHeaders = otlpHeaders
            self.evaluationEvents = evaluationEvents
        }

        public init(reader: FliptConfigReader) throws {
            enabled = try reader.bool("enabled", default: false)
            exporter = Exporter(name: try reader.string("exporter", default: "jaeger"))
            samplingRatio = try reader.double("sampling_ratio", default: 1)
            guard samplingRatio >= 0, samplingRatio <= 1 else {
                throw ConfigurationError(key: reader.path("sampling_ratio"), "sampling ratio should be a number between 0 and 1")
            }
            propagators = try reader.stringList("propagators", default: ["tracecontext", "baggage"])
            for name in propagators where !Self.knownPropagators.contains(name) {
                throw ConfigurationError(key: reader.path("propagators"), "invalid propagator option: \(name)")
            }
            jaegerHost = try reader.string("jaeger.host", default: "localhost")
            jaegerPort = try reader.int("jaeger.port", default: 6831, range: 0...65535)
            zipkinEndpoint = try reader.string("zipkin.endpoint", default: "http://localhost:9411/api/v2/spans")
            otlpEndpoint = try reader.string("otlp.endpoint", default: "localhost:4317")
            otlpHeaders = try reader.stringMap("otlp.headers")
            evaluationEvents = try reader.bool("evaluation_events", default: false)
        }

        /// Flipt's deprecation warning for the Jaeger exporter.
        public var warnings: [String] {
            guard enabled, exporter == .jaeger else { return [] }
            return ["\"tracing.exporter.jaeger\" is deprecated and will be removed in a future release."]
        }

        /// The propagation formats Hoist runs, in configured order.
        /// - Throws: ``ConfigurationError`` for `xray`/`ottrace` (valid in Flipt, not built into Hoist).
        public func propagationFormats() throws -> [TracePropagationFormat] {
            var formats: [TracePropagationFormat] = []
            for name in propagators {
                if name == "none" { continue }
                guard let format = TracePropagationFormat(rawValue: name) else {
                    throw ConfigurationError(key: "tracing.propagators", "propagator \(name) is not supported by Hoist")
                }
                if !formats.contains(format) { formats.append(format) }
            }
            return formats
        }
    }
}
