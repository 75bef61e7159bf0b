import HoistObservability

extension HoistConfiguration {
    /// The `metrics` section (Flipt `internal/config/metrics.go`, spec observability §1.1).
    ///
    /// `/metrics` is served on the HTTP port whatever this section says; it only decides whether
    /// Flipt's own `flipt_*` families are recorded and where they would be exported.
    public struct Metrics: HoistConfigurationSection, Equatable {
        public static let key = "metrics"

        /// Where metrics go.
        public enum Exporter: String, Sendable, Equatable {
            /// Scraped from `GET /metrics` (the default).
            case prometheus
            /// Flipt's `flipt_*` families pushed over OTLP to ``OTLP/endpoint`` (swift-otel,
            /// every 60 s or `OTEL_METRIC_EXPORT_INTERVAL` ms) instead of being served on `/metrics`.
            case otlp
        }

        /// `metrics.otlp.*`.
        public struct OTLP: Sendable, Equatable {
            /// `metrics.otlp.endpoint` — `FLIPT_METRICS_OTLP_ENDPOINT`, default `localhost:4317`.
            /// `https://…`/`http://…` mean OTLP/HTTP with/without TLS, `grpc://host:port` and a bare
            /// `host:port` mean OTLP/gRPC without TLS (see ``endpointValue``).
            public var endpoint: String
            /// `metrics.otlp.headers` — `FLIPT_METRICS_OTLP_HEADERS_<NAME>` (name lower-cased),
            /// default none: sent with every export.
            public var headers: [String: String]

            public init(endpoint: String = "localhost:4317", headers: [String: String] = [:]) {
                self.endpoint = endpoint
                self.headers = headers
            }

            /// ``endpoint`` interpreted with Flipt's scheme rules.
            public var endpointValue: OTLPEndpoint { OTLPEndpoint(parsing: endpoint) }
        }

        /// `metrics.enabled` — `FLIPT_METRICS_ENABLED`, default `true`. When false, the `flipt_*`
        /// families are not recorded; `/metrics` still serves process, HTTP, gRPC and snapshot metrics.
        public var enabled: Bool
        /// `metrics.exporter` — `FLIPT_METRICS_EXPORTER`, default `prometheus`; `prometheus` or
        /// `otlp`, anything else fails the start with "unsupported metrics exporter".
        public var exporter: Exporter
        /// `metrics.otlp.*`.
        public var otlp: OTLP

        public init(enabled: Bool = true, exporter: Exporter = .prometheus, otlp: OTLP = OTLP()) {
            self.enabled = enabled
            self.exporter = exporter
            self.otlp = otlp
        }

        public init(reader: FliptConfigReader) throws {
            enabled = try reader.bool("enabled", default: true)
            let name = try reader.string("exporter", default: "prometheus")
            guard let exporter = Exporter(rawValue: name.lowercased()) else {
                throw ConfigurationError(key: reader.path("exporter"), "unsupported metrics exporter: \(name)")
            }
            self.exporter = exporter
            otlp = OTLP(
                endpoint: try reader.string("otlp.endpoint", default: "localhost:4317"),
                headers: try reader.stringMap("otlp.headers"))
        }
    }
}
