extension HoistConfiguration {
    /// The `snapshot_stream` section (Hoist's own): limits of the Server-Sent Events endpoint
    /// `GET /internal/v1/evaluation/snapshots/stream`.
    public struct SnapshotStream: HoistConfigurationSection, Equatable {
        public static let key = "snapshot_stream"

        /// `snapshot_stream.max_streams` — `FLIPT_SNAPSHOT_STREAM_MAX_STREAMS`, default `256`
        /// (0–100000): streams open at once; beyond it a new stream is answered 503. 0 turns the
        /// endpoint off.
        public var maxStreams: Int
        /// `snapshot_stream.heartbeat_interval` — `FLIPT_SNAPSHOT_STREAM_HEARTBEAT_INTERVAL`,
        /// default `15s` (at least 100ms): a `: heartbeat` comment is written this often, which
        /// keeps proxies from closing an idle stream and detects clients that went away.
        public var heartbeatInterval: Duration

        public init(maxStreams: Int = 256, heartbeatInterval: Duration = .seconds(15)) {
            self.maxStreams = maxStreams
            self.heartbeatInterval = heartbeatInterval
        }

        public init(reader: FliptConfigReader) throws {
            maxStreams = try reader.int("max_streams", default: 256, range: 0...100_000)
            heartbeatInterval = try reader.duration("heartbeat_interval", default: .seconds(15))
            if heartbeatInterval < .milliseconds(100) {
                throw ConfigurationError(key: reader.path("heartbeat_interval"), "must be at least 100ms")
            }
        }
    }
}
