/// One top-level section of the configuration file (`log`, `server`, `db`, …).
///
/// Adding a section: create `HoistConfiguration+<Name>.swift` with
/// `extension HoistConfiguration { public struct <Name>: HoistConfigurationSection { … } }`
/// (document each key, its `FLIPT_` variable and default), then add one stored property and one
/// line in ``HoistConfiguration/init(reader:)``. Keys are read through a reader already scoped to
/// ``key``, so errors name the full path (`metrics.exporter: …`).
public protocol HoistConfigurationSection: Sendable {
    /// Top-level key of the section, e.g. `"server"`.
    static var key: String { get }
    /// The built-in defaults (what an empty file and empty environment give).
    init(reader: FliptConfigReader) throws
    /// Non-fatal problems (logged at WARN once logging is up), e.g. an unknown `log.level`.
    var warnings: [String] { get }
}

extension HoistConfigurationSection {
    public var warnings: [String] { [] }

    /// Reads the section from the root reader, scoping keys to ``key``.
    public static func read(from root: FliptConfigReader) throws -> Self {
        try Self(reader: root.scoped(to: key))
    }
}

/// Hoist's configuration: Flipt v1.61.1's file format and `FLIPT_` environment variables.
///
/// Built by ``load(configPath:environment:)`` (file discovery, then environment over file over
/// defaults). A plain value: no I/O after loading. Sections Hoist doesn't know yet (`cors`,
/// `authentication`, `ui`, `diagnostics`, …) and unknown keys are ignored, never an error.
public struct HoistConfiguration: Sendable {
    /// `version` — optional; when set it must be `"1.0"` (env `FLIPT_VERSION`).
    public var version: String?
    /// `log.*`
    public var log: Log
    /// `server.*`
    public var server: Server
    /// `db.*`
    public var db: Database
    /// `storage.*`
    public var storage: Storage
    /// `meta.*`
    public var meta: Meta
    /// `metrics.*`
    public var metrics: Metrics
    /// `audit.*`
    public var audit: Audit
    /// `tracing.*`
    public var tracing: Tracing
    /// `analytics.*`
    public var analytics: Analytics
    /// `status.*`
    public var status: Status
    /// `decision_logs.*`
    public var decisionLogs: DecisionLogs
    /// `cache.*`
    public var cache: Cache
    /// `snapshot_stream.*`
    public var snapshotStream: SnapshotStream

    /// Reads every section. Throws ``ConfigurationError`` naming the first invalid key.
    public init(reader: FliptConfigReader) throws {
        let version = try reader.string("version")
        if let version, !version.isEmpty, version != "1.0" {
            throw ConfigurationError(key: "version", "invalid version \"\(version)\" (only \"1.0\" is supported)")
        }
        self.version = version
        self.log = try .read(from: reader)
        self.server = try .read(from: reader)
        self.db = try .read(from: reader)
        self.storage = try .read(from: reader)
        self.meta = try .read(from: reader)
        self.metrics = try .read(from: reader)
        self.audit = try .read(from: reader)
        self.tracing = try .read(from: reader)
        self.analytics = try .read(from: reader)
        self.status = try .read(from: reader)
        self.decisionLogs = try .read(from: reader)
        self.cache = try .read(from: reader)
        self.snapshotStream = try .read(from: reader)
    }

    /// The configuration from the environment alone (no file).
    public static func defaults(environment: [String: String] = [:]) throws -> HoistConfiguration {
        try HoistConfiguration(reader: FliptConfigReader(file: nil, environment: environment))
    }

    /// Non-fatal problems found while reading, to log once the logger is configured.
    public var warnings: [String] {
        log.warnings + server.warnings + db.warnings + storage.warnings + meta.warnings + tracing.warnings
    }
}
