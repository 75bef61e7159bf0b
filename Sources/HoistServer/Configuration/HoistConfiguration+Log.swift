import Logging

extension HoistConfiguration {
    /// The `log` section (Flipt `internal/config/log.go`).
    public struct Log: HoistConfigurationSection, Equatable {
        public static let key = "log"

        /// Output format of log lines.
        public enum Encoding: String, Sendable, Equatable {
            /// Tab-separated: time, level, message, then the fields as a JSON object.
            case console
            /// One JSON object per line.
            case json
        }

        /// JSON key names used by the `json` encoding.
        public struct Keys: Sendable, Equatable {
            /// `log.keys.time` — `FLIPT_LOG_KEYS_TIME`, default `T`.
            public var time: String
            /// `log.keys.level` — `FLIPT_LOG_KEYS_LEVEL`, default `L`.
            public var level: String
            /// `log.keys.message` — `FLIPT_LOG_KEYS_MESSAGE`, default `M`.
            public var message: String

            public init(time: String = "T", level: String = "L", message: String = "M") {
                self.time = time
                self.level = level
                self.message = message
            }
        }

        /// `log.level` as written — `FLIPT_LOG_LEVEL`, default `INFO`.
        /// One of `debug info warn error dpanic panic fatal`, any case.
        public var levelName: String
        /// The parsed level; an unknown ``levelName`` gives `.info` and a warning (as Flipt does).
        public var level: FliptLogLevel
        /// `log.encoding` — `FLIPT_LOG_ENCODING`, default `console`; `console` or `json`,
        /// anything else is a start-up error.
        public var encoding: Encoding
        /// `log.file` — `FLIPT_LOG_FILE`, default none: a path to append log lines to;
        /// `nil` (unset or empty) writes to standard output.
        public var file: String?
        /// `log.grpc_level` — `FLIPT_LOG_GRPC_LEVEL`, default `ERROR`. Accepted and unused
        /// (Hoist has no gRPC library logs).
        public var grpcLevel: String
        /// `log.keys.*` (see ``Keys``).
        public var keys: Keys

        public init(
            level: FliptLogLevel = .info,
            encoding: Encoding = .console,
            file: String? = nil,
            keys: Keys = Keys()
        ) {
            self.levelName = level.rawValue.uppercased()
            self.level = level
            self.encoding = encoding
            self.file = file
            self.grpcLevel = "ERROR"
            self.keys = keys
        }

        public init(reader: FliptConfigReader) throws {
            levelName = try reader.string("level", default: "INFO")
            level = FliptLogLevel(parsing: levelName) ?? .info
            let encodingName = try reader.string("encoding", default: "console")
            guard let encoding = Encoding(rawValue: encodingName.lowercased()) else {
                throw ConfigurationError(
                    key: reader.path("encoding"), "unsupported encoding \"\(encodingName)\" (expected console or json)")
            }
            self.encoding = encoding
            let file = try reader.string("file", default: "")
            self.file = file.isEmpty ? nil : file
            grpcLevel = try reader.string("grpc_level", default: "ERROR")
            keys = Keys(
                time: try reader.string("keys.time", default: "T"),
                level: try reader.string("keys.level", default: "L"),
                message: try reader.string("keys.message", default: "M")
            )
        }

        public var warnings: [String] {
            guard FliptLogLevel(parsing: levelName) == nil else { return [] }
            return ["log.level: unknown level \"\(levelName)\", using INFO"]
        }

        /// The swift-log threshold for ``level``.
        public var swiftLogLevel: Logger.Level { level.swiftLogLevel }
    }
}
