import Foundation
import HoistCore
import HoistObservability
import HoistStorage
import Hummingbird

extension HoistResponder {
    /// Runs a mutating request's handler with its audit actor (``AuditContext``): authentication
    /// `none` (no authentication yet) and the first `X-Forwarded-For` hop, else the client's
    /// address. Reads skip it.
    static func withAuditActor(
        _ request: Request, _ context: HoistRequestContext, _ handler: () async throws -> Response
    ) async throws -> Response {
        if request.method == .get || request.method == .head { return try await handler() }
        var ip = ""
        if let forwarded = request.headers[.init("X-Forwarded-For")!] {
            ip = String(forwarded.split(separator: ",", omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespaces)
        }
        if ip.isEmpty { ip = context.remoteAddress?.ipAddress ?? "" }
        return try await AuditContext.$actor.withValue(AuditActor(authentication: "none", ip: ip)) {
            try await handler()
        }
    }
}

extension HoistAPI {
    /// The audit history (beyond Flipt):
    /// * `GET /api/v1/audit/events` — stored events, newest first; filters `type`, `action`,
    ///   `namespace`, `from`/`to` (RFC 3339, inclusive); paginated with `limit`, `pageToken` →
    ///   `{"events":[…],"nextPageToken":…,"totalCount":…}`. Each event is the webhook form plus `id`.
    /// * `GET /api/v1/audit/failures?limit=` — deliveries a sink gave up on, newest first.
    /// Both answer 404 ("audit is not enabled") when the store keeps no outbox; with audit off
    /// (no sink enabled) nothing is recorded, so the lists are empty.
    func addAuditRoutes(to table: inout RouteTable) {
        table.add(.get, "/api/v1/audit/events") { input in
            guard let outbox = store as? any AuditOutbox else { throw HoistError.notFound("audit is not enabled") }
            let q = query(input)
            func instant(_ name: String) throws -> Int64? {
                guard let text = q.value(name), !text.isEmpty else { return nil }
                guard let parsed = GoDateTime.parseRFC3339(text) else {
                    throw HoistError.invalid("\(name) is not a valid RFC 3339 time: \(text)")
                }
                return parsed.seconds * 1_000_000 + Int64(parsed.nanoseconds) / 1000
            }
            let request = AuditQuery(
                type: q.value("type").flatMap { $0.isEmpty ? nil : $0 },
                action: q.value("action").flatMap { $0.isEmpty ? nil : $0 },
                namespaceKey: q.value("namespace", "namespaceKey", "namespace_key").flatMap { $0.isEmpty ? nil : $0 },
                fromMicros: try instant("from"), toMicros: try instant("to"), page: try q.page())
            let page = try await outbox.listAuditEvents(request)
            var w = JSONWriter()
            w.list("events", page) { w, event in
                let body = AuditEventEncoder.webhookBody(event)
                w.raw("{\"id\":")
                w.string(event.id)
                w.raw(",")
                w.bytes.append(contentsOf: body.dropFirst())
            }
            return HoistAPI.json(bytes: w.bytes)
        }
        table.add(.get, "/api/v1/audit/failures") { input in
            guard let outbox = store as? any AuditOutbox else { throw HoistError.notFound("audit is not enabled") }
            let limit = Int(query(input).value("limit") ?? "") ?? 100
            let failures = try await outbox.auditFailures(limit: max(1, min(limit, 1000)))
            return HoistAPI.json { w in
                w.raw("{")
                w.field("failures", first: true)
                w.array(failures) { w, f in
                    w.raw("{")
                    w.field("eventId", first: true); w.string(f.eventId)
                    w.field("sequence"); w.int(f.sequence)
                    w.field("sink"); w.string(f.sink)
                    w.field("message"); w.string(f.message)
                    w.field("createdAt"); w.string(Timestamp(microseconds: f.createdAt).rfc3339)
                    w.raw("}")
                }
                w.raw("}")
            }
        }
    }
}
