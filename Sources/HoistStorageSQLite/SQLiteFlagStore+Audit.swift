import Foundation
import GRDB
public import HoistCore
public import HoistStorage

/// What one store write records in the audit outbox: `type:action` and how to build the payload
/// inside the write transaction (spec observability §3.3, §3.5).
struct AuditEntry<T>: Sendable {
    let type: String
    let action: String
    /// Runs before the write's body (delete rule/rollout: the record as it was).
    let capture: (@Sendable (Database) throws -> JSONValue?)?
    /// Builds the payload from the written entity (and the captured value).
    let payload: @Sendable (Database, T, JSONValue?) throws -> JSONValue

    static func created(_ type: String, _ build: @escaping @Sendable (T) -> JSONValue) -> AuditEntry {
        AuditEntry(type: type, action: "created", capture: nil, payload: { _, value, _ in build(value) })
    }

    static func updated(_ type: String, _ build: @escaping @Sendable (T) -> JSONValue) -> AuditEntry {
        AuditEntry(type: type, action: "updated", capture: nil, payload: { _, value, _ in build(value) })
    }

    /// Delete: the request's fields (empty ones omitted).
    static func deleted(_ type: String, _ request: JSONValue) -> AuditEntry {
        AuditEntry(type: type, action: "deleted", capture: nil, payload: { _, _, _ in request })
    }

    /// Delete rule/rollout: the full record read before deleting, else the request.
    static func deleted(_ type: String, capture: @escaping @Sendable (Database) throws -> JSONValue?,
                        fallback: JSONValue) -> AuditEntry {
        AuditEntry(type: type, action: "deleted", capture: capture, payload: { _, _, captured in captured ?? fallback })
    }
}

extension SQLiteFlagStore {
    /// Inserts one outbox row (called inside the write transaction).
    static func insertAuditEvent(
        _ db: Database, type: String, action: String, namespaceKey: String, actor: AuditActor, payload: JSONValue,
        now: Timestamp
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_events (id, "type", action, namespace_key, actor, payload, "timestamp", created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [UUID().uuidString.lowercased(), type, action, namespaceKey, actor.json.compactText,
                        payload.compactText, rfc3339Seconds(now.microseconds), now.microseconds])
    }

    /// RFC 3339 with seconds precision in the server's local time zone, as Go's `time.RFC3339`
    /// (`Z` for UTC, else `±hh:mm`).
    static func rfc3339Seconds(_ micros: Int64) -> String {
        var seconds = time_t(micros / 1_000_000)
        if micros < 0 && micros % 1_000_000 != 0 { seconds -= 1 }
        var parts = tm()
        localtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
        let offset = Int32(parts.tm_gmtoff)
        if offset == 0 {
            text += "Z"
        } else {
            let minutes = abs(offset) / 60
            text += (offset < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
        }
        return text
    }

    static func auditRecord(_ row: Row) -> AuditRecord {
        let actorJSON = (try? JSONParser.parse(Array((row["actor"] as String).utf8))) ?? .object([])
        let payload = (try? JSONParser.parse(Array((row["payload"] as String).utf8))) ?? .null
        return AuditRecord(
            sequence: row["sequence"], id: row["id"], type: row["type"], action: row["action"],
            namespaceKey: row["namespace_key"],
            actor: AuditActor(authentication: actorJSON["authentication"]?.stringValue ?? "",
                              ip: actorJSON["ip"]?.stringValue ?? ""),
            payload: payload, timestamp: row["timestamp"], createdAt: row["created_at"])
    }

    static let auditColumns = #""sequence", id, "type", action, namespace_key, actor, payload, "timestamp", created_at"#
}
