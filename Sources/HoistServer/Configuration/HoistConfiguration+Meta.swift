extension HoistConfiguration {
    /// The `meta` section (Flipt `internal/config/meta.go`). Accepted; used by telemetry and
    /// update checks once those exist.
    public struct Meta: HoistConfigurationSection, Equatable {
        public static let key = "meta"

        /// `meta.check_for_updates` — `FLIPT_META_CHECK_FOR_UPDATES`, default `true`.
        public var checkForUpdates: Bool
        /// `meta.telemetry_enabled` — `FLIPT_META_TELEMETRY_ENABLED`, default `true`.
        /// (`DO_NOT_TRACK`/`CI` are applied by the telemetry component, not here.)
        public var telemetryEnabled: Bool
        /// `meta.state_directory` — `FLIPT_META_STATE_DIRECTORY`, default `nil`, meaning
        /// `<user config dir>/flipt` (`$XDG_CONFIG_HOME/flipt` or `~/.config/flipt`).
        public var stateDirectory: String?

        public init() {
            checkForUpdates = true
            telemetryEnabled = true
            stateDirectory = nil
        }

        public init(reader: FliptConfigReader) throws {
            checkForUpdates = try reader.bool("check_for_updates", default: true)
            telemetryEnabled = try reader.bool("telemetry_enabled", default: true)
            let directory = try reader.string("state_directory", default: "")
            stateDirectory = directory.isEmpty ? nil : directory
        }
    }
}
