extension HoistConfiguration {
    /// The `meta` section (Flipt `internal/config/meta.go`) plus Hoist's `meta.telemetry_url`.
    /// Read by anonymous telemetry (``HoistApplication/makeTelemetry(configuration:environment:logger:)``)
    /// and served by `GET /meta/config`.
    public struct Meta: HoistConfigurationSection, Equatable {
        public static let key = "meta"

        /// `meta.check_for_updates` — `FLIPT_META_CHECK_FOR_UPDATES`, default `true`. Accepted and
        /// echoed by `/meta/config`; Hoist never contacts a release server (no network at start).
        public var checkForUpdates: Bool
        /// `meta.telemetry_enabled` — `FLIPT_META_TELEMETRY_ENABLED`, default `true`. Also `false`
        /// when `FLIPT_TELEMETRY_ENABLED` (the name Flipt's documentation gives) is `false`: either
        /// variable opts out. `DO_NOT_TRACK`/`CI` are applied by the telemetry component, not here.
        public var telemetryEnabled: Bool
        /// `meta.telemetry_url` — `FLIPT_META_TELEMETRY_URL`, default none. Where the anonymous
        /// report is POSTed as JSON; with no URL nothing is sent and no state is written.
        public var telemetryURL: String?
        /// `meta.state_directory` — `FLIPT_META_STATE_DIRECTORY`, default `nil`, meaning
        /// `<user config dir>/hoist` (`$XDG_CONFIG_HOME/hoist` or `~/.config/hoist`), see
        /// ``resolvedStateDirectory(environment:)``. Holds `telemetry.json`.
        public var stateDirectory: String?

        public init() {
            checkForUpdates = true
            telemetryEnabled = true
            telemetryURL = nil
            stateDirectory = nil
        }

        public init(reader: FliptConfigReader) throws {
            checkForUpdates = try reader.bool("check_for_updates", default: true)
            var enabled = try reader.bool("telemetry_enabled", default: true)
            if let raw = reader.environment["FLIPT_TELEMETRY_ENABLED"] {
                guard let value = GoParse.bool(raw) else {
                    throw ConfigurationError(
                        key: "FLIPT_TELEMETRY_ENABLED", "invalid boolean \"\(raw)\" (expected true or false)")
                }
                enabled = enabled && value
            }
            telemetryEnabled = enabled
            let url = try reader.string("telemetry_url", default: "")
            telemetryURL = url.isEmpty ? nil : url
            let directory = try reader.string("state_directory", default: "")
            stateDirectory = directory.isEmpty ? nil : directory
        }

        /// ``stateDirectory``, else `<user config dir>/hoist`; `nil` when neither `XDG_CONFIG_HOME`
        /// nor `HOME` is set.
        public func resolvedStateDirectory(environment: [String: String]) -> String? {
            if let stateDirectory { return stateDirectory }
            return HoistConfiguration.userConfigDirectory(environment: environment).map { $0 + "/hoist" }
        }
    }
}
