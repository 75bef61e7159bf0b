import Logging

/// Flipt's (zap's) log levels and their swift-log equivalents.
///
/// | Flipt `log.level` | swift-log threshold | printed as |
/// |---|---|---|
/// | `debug` | `.debug` | `DEBUG` |
/// | `info` (default, also `""`) | `.info` | `INFO` |
/// | `warn` | `.warning` | `WARN` |
/// | `error` | `.error` | `ERROR` |
/// | `dpanic`, `panic`, `fatal` | `.critical` | `FATAL` |
///
/// swift-log's extra levels print as their nearest zap level: `.trace` → `DEBUG`,
/// `.notice` → `INFO`, `.critical` → `FATAL` (Hoist does not exit or panic on it).
public enum FliptLogLevel: String, Sendable, Equatable, CaseIterable {
    case debug, info, warn, error, dpanic, panic, fatal

    /// Parses a `log.level` value in any case (`INFO`, `Warn`); `""` is `info` (as zap does).
    /// Returns `nil` for unknown names.
    public init?(parsing name: String) {
        if name.isEmpty {
            self = .info
            return
        }
        self.init(rawValue: name.lowercased())
    }

    /// The swift-log threshold for this level.
    public var swiftLogLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warn: .warning
        case .error: .error
        case .dpanic, .panic, .fatal: .critical
        }
    }

    /// The upper-case level name printed for a swift-log level.
    public static func displayName(for level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    /// zap's `CapitalColorLevelEncoder` colour (ANSI SGR code) for the console encoding.
    static func colorCode(for level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "35"  // magenta
        case .info, .notice: "34"  // blue
        case .warning: "33"  // yellow
        case .error, .critical: "31"  // red
        }
    }
}
