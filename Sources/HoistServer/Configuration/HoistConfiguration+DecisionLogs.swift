import HoistCore

extension HoistConfiguration {
    /// The `decision_logs` section: one record per evaluation, shipped OPA-style (spec observability
    /// §7.5). When enabled, `service` or `console` (or both) must be set.
    public struct DecisionLogs: HoistConfigurationSection, Equatable {
        public static let key = "decision_logs"

        /// `decision_logs.enabled` — `FLIPT_DECISION_LOGS_ENABLED`, default `false`.
        public var enabled: Bool
        /// `decision_logs.service` — `FLIPT_DECISION_LOGS_SERVICE`, default `""`: base URL
        /// (`http(s)://`); batches go to `POST <service>/logs`.
        public var service: String
        /// `decision_logs.console` — `FLIPT_DECISION_LOGS_CONSOLE`, default `false`: log each decision.
        public var console: Bool
        /// `decision_logs.mask` — `FLIPT_DECISION_LOGS_MASK` (space-separated), default none:
        /// context keys whose values are replaced by `****` before anything leaves memory.
        public var mask: [String]
        /// `decision_logs.drop_reasons` — `FLIPT_DECISION_LOGS_DROP_REASONS`, default none:
        /// evaluation reasons never logged (`MATCH_EVALUATION_REASON`, `DEFAULT_EVALUATION_REASON`,
        /// `FLAG_DISABLED_EVALUATION_REASON`, `UNKNOWN_EVALUATION_REASON`, or `match`, `default`, …).
        public var dropReasons: Set<EvaluationReason>
        /// `decision_logs.sample_ratio` — `FLIPT_DECISION_LOGS_SAMPLE_RATIO`, default `1`, in [0, 1].
        public var sampleRatio: Double
        /// `decision_logs.max_decisions_per_second` — `FLIPT_DECISION_LOGS_MAX_DECISIONS_PER_SECOND`,
        /// default `0` (unlimited): decisions above the rate are dropped and counted.
        public var maxDecisionsPerSecond: Double
        /// `decision_logs.buffer_size_limit_events` — `FLIPT_DECISION_LOGS_BUFFER_SIZE_LIMIT_EVENTS`,
        /// default `10000` (1–1000000): decisions held for upload; the oldest go first when full.
        public var bufferSizeLimitEvents: Int
        /// `decision_logs.upload_size_limit_bytes` — `FLIPT_DECISION_LOGS_UPLOAD_SIZE_LIMIT_BYTES`,
        /// default `32768` (256–67108864): largest gzip body of one upload.
        public var uploadSizeLimitBytes: Int
        /// `decision_logs.min_delay` — `FLIPT_DECISION_LOGS_MIN_DELAY`, default `5s`.
        public var minDelay: Duration
        /// `decision_logs.max_delay` — `FLIPT_DECISION_LOGS_MAX_DELAY`, default `10s`: uploads happen
        /// at a random point between the two (sooner when half the buffer is full); also the cap of
        /// the retry backoff.
        public var maxDelay: Duration
        /// `decision_logs.headers` — `FLIPT_DECISION_LOGS_HEADERS_<NAME>`, default none.
        public var headers: [String: String]

        public init(reader: FliptConfigReader) throws {
            enabled = try reader.bool("enabled", default: false)
            service = try Status.url(reader, "service")
            console = try reader.bool("console", default: false)
            mask = try reader.stringList("mask", default: [])
            dropReasons = []
            for name in try reader.stringList("drop_reasons", default: []) {
                guard let reason = Self.reason(named: name) else {
                    throw ConfigurationError(key: reader.path("drop_reasons"), "unknown evaluation reason \"\(name)\"")
                }
                dropReasons.insert(reason)
            }
            sampleRatio = try reader.double("sample_ratio", default: 1)
            guard (0...1).contains(sampleRatio) else {
                throw ConfigurationError(key: reader.path("sample_ratio"), "must be a number between 0 and 1")
            }
            maxDecisionsPerSecond = try reader.double("max_decisions_per_second", default: 0)
            guard maxDecisionsPerSecond >= 0 else {
                throw ConfigurationError(key: reader.path("max_decisions_per_second"), "must not be negative")
            }
            bufferSizeLimitEvents = try reader.int("buffer_size_limit_events", default: 10_000, range: 1...1_000_000)
            uploadSizeLimitBytes = try reader.int("upload_size_limit_bytes", default: 32_768, range: 256...67_108_864)
            minDelay = try reader.duration("min_delay", default: .seconds(5))
            maxDelay = try reader.duration("max_delay", default: .seconds(10))
            guard minDelay > .zero else { throw ConfigurationError(key: reader.path("min_delay"), "must be positive") }
            guard maxDelay >= minDelay else {
                throw ConfigurationError(key: reader.path("max_delay"), "must not be less than decision_logs.min_delay")
            }
            headers = try reader.stringMap("headers")
            if enabled && service.isEmpty && !console {
                throw ConfigurationError(key: reader.path("service"), "decision logs need a service URL or console: true")
            }
        }

        static func reason(named name: String) -> EvaluationReason? {
            let upper = name.uppercased()
            for reason in [EvaluationReason.unknown, .flagDisabled, .match, .default] {
                let wire = reason.wireName
                if upper == wire || upper + "_EVALUATION_REASON" == wire { return reason }
            }
            return nil
        }
    }
}
