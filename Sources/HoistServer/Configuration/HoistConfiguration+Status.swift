extension HoistConfiguration {
    /// The `status` section: OPA-style status reports (spec observability §7.4). Reports are pushed
    /// when `service` is set and logged when `console` is true; `GET /api/v1/status` always works.
    public struct Status: HoistConfigurationSection, Equatable {
        public static let key = "status"

        /// `status.service` — `FLIPT_STATUS_SERVICE`, default `""` (not pushed): the control plane's
        /// base URL (`http://` or `https://`); reports go to `<service>/status[/<partition_name>]`.
        public var service: String
        /// `status.partition_name` — `FLIPT_STATUS_PARTITION_NAME`, default `""`.
        public var partitionName: String
        /// `status.labels` — `FLIPT_STATUS_LABELS_<NAME>`, default none: added to every report's
        /// `labels` (and to decision-log events). `id` and `version` are always set by Hoist.
        public var labels: [String: String]
        /// `status.console` — `FLIPT_STATUS_CONSOLE`, default `false`: log every report at info.
        public var console: Bool
        /// `status.interval` — `FLIPT_STATUS_INTERVAL`, default `60s`: time between periodic reports
        /// (reports are also sent on every component state change).
        public var interval: Duration
        /// `status.watch_interval` — `FLIPT_STATUS_WATCH_INTERVAL`, default `1s` (Hoist only): how
        /// often component states are checked for changes.
        public var watchInterval: Duration
        /// `status.headers` — `FLIPT_STATUS_HEADERS_<NAME>`, default none: sent with every report
        /// (e.g. `authorization`).
        public var headers: [String: String]

        public init(reader: FliptConfigReader) throws {
            service = try Self.url(reader, "service")
            partitionName = try reader.string("partition_name", default: "")
            if partitionName.contains("/") || partitionName.contains("?") {
                throw ConfigurationError(key: reader.path("partition_name"), "must not contain '/' or '?'")
            }
            labels = try reader.stringMap("labels")
            console = try reader.bool("console", default: false)
            interval = try reader.duration("interval", default: .seconds(60))
            guard interval > .zero else { throw ConfigurationError(key: reader.path("interval"), "must be positive") }
            watchInterval = try reader.duration("watch_interval", default: .seconds(1))
            guard watchInterval > .zero else {
                throw ConfigurationError(key: reader.path("watch_interval"), "must be positive")
            }
            headers = try reader.stringMap("headers")
        }

        /// A base URL: empty, or `http(s)://…` (trailing slashes removed).
        static func url(_ reader: FliptConfigReader, _ key: String) throws -> String {
            var value = try reader.string(key, default: "")
            guard !value.isEmpty else { return "" }
            let host = value.hasPrefix("https://") ? value.dropFirst(8) : value.hasPrefix("http://") ? value.dropFirst(7) : ""
            guard !host.isEmpty, !host.hasPrefix("/") else {
                throw ConfigurationError(key: reader.path(key), "invalid URL \"\(value)\" (expected http:// or https://)")
            }
            while value.hasSuffix("/") { value.removeLast() }
            return value
        }
    }
}
