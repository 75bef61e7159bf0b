public import HoistCore

/// What an anonymous telemetry report says about this server: build, platform and which kinds of
/// backends are configured. Never keys, names, URLs, addresses or any user data.
public struct TelemetryFacts: Sendable, Equatable {
    /// Hoist's version (`HoistBuild.version`).
    public var version: String
    /// Go's `GOOS` names: `linux`, `darwin`.
    public var os: String
    /// Go's `GOARCH` names: `amd64`, `arm64`.
    public var arch: String
    /// `storage.type` (`database`, `local`).
    public var storageType: String
    /// The database kind (`sqlite`) with database storage; nil (omitted, as Flipt does) otherwise.
    public var database: String?
    /// The evaluation cache (`memory`: the namespace snapshots), nil when none.
    public var cache: String?
    /// Enabled authentication method names; omitted from the report when empty.
    public var authenticationMethods: [String]
    /// Enabled audit sink kinds (`log`, `webhook`); omitted when empty.
    public var auditSinks: [String]
    /// `tracing.exporter` when tracing is enabled.
    public var tracingExporter: String?
    /// The analytics backend (`database`, `prometheus`) when analytics is enabled.
    public var analyticsStorage: String?

    public init(
        version: String = HoistBuild.version, os: String = TelemetryReport.platform.os,
        arch: String = TelemetryReport.platform.arch, storageType: String = "database", database: String? = "sqlite",
        cache: String? = "memory", authenticationMethods: [String] = [], auditSinks: [String] = [],
        tracingExporter: String? = nil, analyticsStorage: String? = nil
    ) {
        self.version = version
        self.os = os
        self.arch = arch
        self.storageType = storageType
        self.database = database
        self.cache = cache
        self.authenticationMethods = authenticationMethods
        self.auditSinks = auditSinks
        self.tracingExporter = tracingExporter
        self.analyticsStorage = analyticsStorage
    }
}

/// The report's JSON (schema version 1.5, Flipt's `flipt.ping` properties with `hoist` in place
/// of `flipt`; the README documents every field):
///
/// ```json
/// {"version":"1.5","uuid":"<uuid v4>","hoist":{"version":"0.1.0","os":"linux","arch":"amd64",
///  "storage":{"type":"database","database":"sqlite","cache":"memory"},
///  "authentication":{"methods":["token"]},"audit":{"sinks":["log","webhook"]},
///  "tracing":{"exporter":"otlp"},"analytics":{"storage":"database"},"experimental":{}}}
/// ```
/// `authentication`, `audit`, `tracing` and `analytics` appear only when in use; `storage.database`
/// only with `storage.type: database`.
public enum TelemetryReport {
    /// The schema version of the report and of `telemetry.json`.
    public static let schemaVersion = "1.5"

    public static func encode(uuid: String, facts: TelemetryFacts) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{")
        w.field("version", first: true); w.string(schemaVersion)
        w.field("uuid"); w.string(uuid)
        w.field("hoist"); w.raw("{")
        w.field("version", first: true); w.string(facts.version)
        w.field("os"); w.string(facts.os)
        w.field("arch"); w.string(facts.arch)
        w.field("storage"); w.raw("{")
        w.field("type", first: true); w.string(facts.storageType)
        if let database = facts.database { w.field("database"); w.string(database) }
        if let cache = facts.cache { w.field("cache"); w.string(cache) }
        w.raw("}")
        if !facts.authenticationMethods.isEmpty {
            w.field("authentication"); w.raw("{")
            w.field("methods", first: true); w.array(facts.authenticationMethods) { $0.string($1) }
            w.raw("}")
        }
        if !facts.auditSinks.isEmpty {
            w.field("audit"); w.raw("{")
            w.field("sinks", first: true); w.array(facts.auditSinks) { $0.string($1) }
            w.raw("}")
        }
        if let exporter = facts.tracingExporter {
            w.field("tracing"); w.raw("{")
            w.field("exporter", first: true); w.string(exporter)
            w.raw("}")
        }
        if let storage = facts.analyticsStorage {
            w.field("analytics"); w.raw("{")
            w.field("storage", first: true); w.string(storage)
            w.raw("}")
        }
        w.field("experimental"); w.raw("{}")
        w.raw("}}")
        return w.bytes
    }

    /// This process's operating system and architecture, with Go's names.
    public static let platform: (os: String, arch: String) = {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "amd64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return (os, arch)
    }()
}
