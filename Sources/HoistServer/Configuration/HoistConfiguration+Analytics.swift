extension HoistConfiguration {
    /// The `analytics` section (Flipt `internal/config/analytics.go`, spec observability §1.8), plus
    /// Hoist's built-in store: per-minute evaluation counts kept in Hoist's own database, so
    /// `GET /internal/v1/analytics/namespaces/{ns}/flags/{flag}` answers without ClickHouse or
    /// Prometheus.
    public struct Analytics: HoistConfigurationSection, Equatable {
        public static let key = "analytics"

        /// `analytics.storage.database.enabled` — `FLIPT_ANALYTICS_STORAGE_DATABASE_ENABLED`, default
        /// `true`: count evaluations per minute, namespace, flag, reason and variant/value and keep
        /// the counts in Hoist's database.
        public var databaseEnabled: Bool
        /// `analytics.storage.prometheus.enabled` — `FLIPT_ANALYTICS_STORAGE_PROMETHEUS_ENABLED`,
        /// default `false`: answer the analytics endpoint from Prometheus with Flipt's query instead.
        public var prometheusEnabled: Bool
        /// `analytics.storage.prometheus.url` — `FLIPT_ANALYTICS_STORAGE_PROMETHEUS_URL`, default
        /// `""`; required when Prometheus is enabled ("prometheus url not provided").
        public var prometheusURL: String
        /// `analytics.storage.prometheus.headers` — `FLIPT_ANALYTICS_STORAGE_PROMETHEUS_HEADERS_<NAME>`,
        /// default none: headers sent with every Prometheus query (e.g. `authorization`).
        public var prometheusHeaders: [String: String]
        /// `analytics.buffer.flush_period` — `FLIPT_ANALYTICS_BUFFER_FLUSH_PERIOD`, default `10s`: how
        /// often the in-memory counts are written to the database (also on shutdown). Flipt requires
        /// at least 10 s; Hoist accepts down to 100 ms.
        public var flushPeriod: Duration
        /// `analytics.retention` — `FLIPT_ANALYTICS_RETENTION`, default `168h` (7 days): counts older
        /// than this are deleted at each flush. `0` keeps them forever.
        public var retention: Duration

        /// Whether the analytics endpoint has a backend (Flipt's `analytics.Enabled()`).
        public var isEnabled: Bool { databaseEnabled || prometheusEnabled }

        /// The backend that answers the endpoint: `prometheus` when enabled, else `database`.
        public var storageName: String? {
            prometheusEnabled ? "prometheus" : databaseEnabled ? "database" : nil
        }

        public init(reader: FliptConfigReader) throws {
            databaseEnabled = try reader.bool("storage.database.enabled", default: true)
            prometheusEnabled = try reader.bool("storage.prometheus.enabled", default: false)
            prometheusURL = try reader.string("storage.prometheus.url", default: "")
            prometheusHeaders = try reader.stringMap("storage.prometheus.headers")
            if prometheusEnabled && prometheusURL.isEmpty {
                throw ConfigurationError(key: reader.path("storage.prometheus.url"), "prometheus url not provided")
            }
            if try reader.bool("storage.clickhouse.enabled", default: false) {
                throw ConfigurationError(
                    key: reader.path("storage.clickhouse.enabled"),
                    "clickhouse is not supported by Hoist; evaluation counts are kept in Hoist's database "
                        + "(analytics.storage.database.enabled) or read from Prometheus")
            }
            flushPeriod = try reader.duration("buffer.flush_period", default: .seconds(10))
            if flushPeriod < .milliseconds(100) {
                throw ConfigurationError(key: reader.path("buffer.flush_period"), "flush period below 100ms")
            }
            retention = try reader.duration("retention", default: .seconds(7 * 86_400))
            if retention < .zero {
                throw ConfigurationError(key: reader.path("retention"), "retention must not be negative")
            }
        }
    }
}
