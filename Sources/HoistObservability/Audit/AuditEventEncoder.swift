public import HoistCore
public import HoistStorage

/// The wire forms of an audit event (spec observability §3.2, §3.7, §3.8).
///
/// * Webhook body: compact JSON, fields `version, type, action, metadata, payload, timestamp, status`,
///   Go's HTML escaping (`<` → `\u003c`, …), no trailing newline.
/// * Log line (`audit.sinks.log.file` set): fields `version, type, action, status, metadata, payload,
///   timestamp`; `json` encoding is compact, `console` puts a space after `:` and `,` between the
///   top-level fields (Zap's console encoder); nested objects stay compact and are not HTML-escaped.
/// * Log line on stdout (no file): console `<time>\tAUDIT\t{…}`, json `{"T":…,"M":"AUDIT",…}`.
///
/// Payload objects are already key-sorted by the store (``AuditPayloads``).
public enum AuditEventEncoder {
    /// Event format version.
    public static let version = "0.2"

    /// `audit.sinks.log.encoding` (`""` inherits `log.encoding`).
    public enum Encoding: String, Sendable {
        case json
        case console
    }

    /// The webhook body bytes (what the signature covers).
    public static func webhookBody(_ event: AuditRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.htmlSafe = true
        w.raw("{")
        w.field("version", first: true); w.string(version)
        w.field("type"); w.string(event.type)
        w.field("action"); w.string(event.action)
        w.field("metadata"); metadata(&w, event.actor)
        w.field("payload"); w.value(event.payload)
        w.field("timestamp"); w.string(event.timestamp)
        w.field("status"); w.string("success")
        w.raw("}")
        return w.bytes
    }

    /// One log line, newline included.
    /// - Parameters:
    ///   - toFile: `audit.sinks.log.file` is set (fields only); else the stdout form with time and `AUDIT`.
    ///   - now: the log time for the stdout form (RFC 3339).
    public static func logLine(_ event: AuditRecord, encoding: Encoding, toFile: Bool, now: String = "") -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        let spaced = encoding == .console
        var first = true
        func key(_ name: String) {
            if !first { w.raw(spaced ? ", " : ",") }
            first = false
            w.string(name)
            w.raw(spaced ? ": " : ":")
        }
        if !toFile && encoding == .console {
            w.raw(now)
            w.raw("\tAUDIT\t")
        }
        w.raw("{")
        if !toFile && encoding == .json {
            key("T"); w.string(now)
            key("M"); w.string("AUDIT")
        }
        key("version"); w.string(version)
        key("type"); w.string(event.type)
        key("action"); w.string(event.action)
        key("status"); w.string("success")
        key("metadata"); metadata(&w, event.actor)
        key("payload"); w.value(event.payload)
        key("timestamp"); w.string(event.timestamp)
        w.raw("}\n")
        return w.bytes
    }

    static func metadata(_ w: inout JSONWriter, _ actor: AuditActor) {
        w.raw("{\"actor\":")
        w.value(actor.json)
        w.raw("}")
    }
}
