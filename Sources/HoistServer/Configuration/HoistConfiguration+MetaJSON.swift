import Foundation
import HoistCore
import HoistObservability

extension HoistConfiguration {
    /// The effective configuration as `GET /meta/config` serves it: Flipt's JSON names (mixed style:
    /// `httpPort`, `samplingRatio`, `flushPeriod`, `telemetryEnabled`), durations as integer
    /// nanoseconds, enums as strings.
    ///
    /// Secrets are never written: no `db.url` (it may carry a password), no webhook signing
    /// secret, no header maps (`tracing.otlp.headers`, `metrics.otlp.headers`, webhook template
    /// headers, `analytics.storage.prometheus.headers`), no Prometheus URL, no telemetry URL, no
    /// certificate paths; URLs that are shown lose their `user:password@` part and query string.
    public func metaConfigJSON() -> [UInt8] {
        var w = JSONWriter()
        w.raw("{")
        var first = true
        func section(_ name: StaticString, _ body: (inout JSONWriter) -> Void) {
            w.field(name, first: first)
            first = false
            w.raw("{")
            body(&w)
            w.raw("}")
        }
        if let version, !version.isEmpty {
            w.field("version", first: true)
            w.string(version)
            first = false
        }
        section("audit") { w in writeAudit(&w) }
        section("db") { w in
            w.field("maxIdleConn", first: true); w.int(db.maxIdleConn)
            if db.maxOpenConn != 0 { w.field("maxOpenConn"); w.int(db.maxOpenConn) }
            if db.connMaxLifetime != .zero { w.field("connMaxLifetime"); w.int(Self.nanoseconds(db.connMaxLifetime)) }
            w.field("protocol"); w.string("sqlite")
            w.field("preparedStatementsEnabled"); w.bool(db.preparedStatementsEnabled)
        }
        section("log") { w in
            w.field("level", first: true); w.string(log.levelName)
            if let file = log.file, !file.isEmpty { w.field("file"); w.string(file) }
            w.field("encoding"); w.string(log.encoding.rawValue)
            w.field("grpcLevel"); w.string(log.grpcLevel)
            w.field("keys"); w.raw("{")
            w.field("time", first: true); w.string(log.keys.time)
            w.field("level"); w.string(log.keys.level)
            w.field("message"); w.string(log.keys.message)
            w.raw("}")
        }
        section("meta") { w in
            w.field("checkForUpdates", first: true); w.bool(meta.checkForUpdates)
            w.field("telemetryEnabled"); w.bool(meta.telemetryEnabled)
            if let directory = meta.stateDirectory { w.field("stateDirectory"); w.string(directory) }
        }
        section("analytics") { w in
            w.field("storage", first: true); w.raw("{")
            w.field("database", first: true); w.raw("{")
            if analytics.databaseEnabled { w.field("enabled", first: true); w.bool(true) }
            w.raw("}")
            w.field("clickhouse"); w.raw("{}")
            w.field("prometheus"); w.raw("{")
            if analytics.prometheusEnabled { w.field("enabled", first: true); w.bool(true) }
            w.raw("}}")
            w.field("buffer"); w.raw("{")
            w.field("flushPeriod", first: true); w.int(Self.nanoseconds(analytics.flushPeriod))
            w.raw("}")
            w.field("retention"); w.int(Self.nanoseconds(analytics.retention))
        }
        section("server") { w in
            w.field("host", first: true); w.string(server.host)
            w.field("protocol"); w.string(server.scheme.rawValue)
            w.field("httpPort"); w.int(server.httpPort)
            w.field("httpsPort"); w.int(server.httpsPort)
            w.field("grpcPort"); w.int(server.grpcPort)
        }
        section("storage") { w in
            w.field("type", first: true); w.string(storage.type.rawValue)
            if storage.readOnly { w.field("readOnly"); w.bool(true) }
        }
        section("metrics") { w in
            w.field("enabled", first: true); w.bool(metrics.enabled)
            w.field("exporter"); w.string(metrics.exporter.rawValue)
            w.field("otlp"); w.raw("{")
            w.field("endpoint", first: true); w.string(Self.redactedURL(metrics.otlp.endpoint))
            w.raw("}")
        }
        section("tracing") { w in writeTracing(&w) }
        w.raw("}")
        return w.bytes
    }

    private func writeAudit(_ w: inout JSONWriter) {
        w.field("sinks", first: true); w.raw("{")
        w.field("log", first: true); w.raw("{")
        w.field("enabled", first: true); w.bool(audit.logEnabled)
        if !audit.logFile.isEmpty { w.field("file"); w.string(audit.logFile) }
        if !audit.logEncoding.isEmpty { w.field("encoding"); w.string(audit.logEncoding) }
        w.raw("}")
        w.field("webhook"); w.raw("{")
        w.field("enabled", first: true); w.bool(audit.webhookEnabled)
        if !audit.webhookURL.isEmpty { w.field("url"); w.string(Self.redactedURL(audit.webhookURL)) }
        w.field("maxBackoffDuration"); w.int(Self.nanoseconds(audit.maxBackoff))
        if !audit.templateTargets.isEmpty {
            w.field("templates")
            w.array(audit.templateTargets) { w, target in
                w.raw("{")
                w.field("url", first: true); w.string(Self.redactedURL(target.url))
                w.field("body"); w.string(target.body)
                w.raw("}")
            }
        }
        w.raw("}")
        w.field("kafka"); w.raw("{}")
        w.raw("}")
        w.field("buffer"); w.raw("{")
        w.field("capacity", first: true); w.int(audit.batchSize)
        w.field("flushPeriod"); w.int(Self.nanoseconds(audit.flushPeriod))
        w.raw("}")
        w.field("events"); w.array(audit.events.pairs.sorted()) { $0.string($1) }
        w.field("retention"); w.int(Self.nanoseconds(audit.retention))
        w.field("backlogWarnThreshold"); w.int(audit.backlogWarnThreshold)
    }

    private func writeTracing(_ w: inout JSONWriter) {
        w.field("enabled", first: true); w.bool(tracing.enabled)
        w.field("exporter"); w.string(tracing.exporter.name)
        w.field("propagators"); w.array(tracing.propagators) { $0.string($1) }
        w.field("samplingRatio"); w.double(tracing.samplingRatio)
        w.field("jaeger"); w.raw("{")
        w.field("host", first: true); w.string(tracing.jaegerHost)
        w.field("port"); w.int(tracing.jaegerPort)
        w.raw("}")
        w.field("zipkin"); w.raw("{")
        w.field("endpoint", first: true); w.string(Self.redactedURL(tracing.zipkinEndpoint))
        w.raw("}")
        w.field("otlp"); w.raw("{")
        w.field("endpoint", first: true); w.string(Self.redactedURL(tracing.otlpEndpoint))
        w.raw("}")
        w.field("evaluationEvents"); w.bool(tracing.evaluationEvents)
    }

    /// A duration as Go's `time.Duration` JSON: integer nanoseconds.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// `scheme://user:password@host/path?query` → `scheme://host/path` (the same text when there is
    /// no userinfo or query).
    static func redactedURL(_ url: String) -> String {
        var text = Substring(url)
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        let authorityStart = text.range(of: "://")?.upperBound ?? text.startIndex
        let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
        if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
            return String(text[..<authorityStart]) + String(text[text.index(after: at)...])
        }
        return String(text)
    }
}

extension HoistConfiguration.Tracing.Exporter {
    /// The name as written in the configuration.
    public var name: String {
        switch self {
        case .jaeger: "jaeger"
        case .zipkin: "zipkin"
        case .otlp: "otlp"
        case .unsupported(let name): name
        }
    }
}
