extension HoistConfiguration {
    /// The `cache` section (Flipt `internal/config/cache.go`). Hoist always evaluates from
    /// in-memory namespace snapshots, so there is no cache to switch; the values are reported to
    /// OpenFeature clients by `GET /ofrep/v1/configuration`, as Flipt does. Other `cache.*` keys
    /// (`backend`, `memory`, `redis`) are accepted and ignored.
    public struct Cache: HoistConfigurationSection, Equatable {
        public static let key = "cache"

        /// `cache.enabled` — `FLIPT_CACHE_ENABLED`, default `false`.
        public var enabled: Bool
        /// `cache.ttl` — `FLIPT_CACHE_TTL`, default `60s`; must not be negative.
        public var ttl: Duration

        public init(enabled: Bool = false, ttl: Duration = .seconds(60)) {
            self.enabled = enabled
            self.ttl = ttl
        }

        public init(reader: FliptConfigReader) throws {
            enabled = try reader.bool("enabled", default: false)
            ttl = try reader.duration("ttl", default: .seconds(60))
            if ttl < .zero { throw ConfigurationError(key: reader.path("ttl"), "must not be negative") }
        }

        /// The TTL in whole milliseconds.
        public var ttlMilliseconds: Int64 {
            let parts = ttl.components
            return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
        }
    }
}
