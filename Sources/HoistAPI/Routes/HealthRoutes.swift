import HoistCore
import HoistObservability
import Hummingbird

/// Health endpoints. Never authenticated.
///
/// - `GET /health`: Flipt's gRPC-health answer, `200 {"status":"SERVING"}`, or 503 with Flipt's error
///   JSON once graceful shutdown has begun. With `?plugins` it becomes OPA's plugin health instead.
/// - `GET /health/live`: the process is up (`200 {}`).
/// - `GET /health/ready`: the database answers within a short timeout and every namespace snapshot
///   is loaded (`200 {}`), else `500 {"error":"…"}` naming what is not ready.
extension HoistAPI {
    func addHealthRoutes(to table: inout RouteTable) {
        table.add(.get, "/health") { input in
            let query = query(input)
            if query.contains("plugins") {
                return await pluginHealth(excluding: query.values("exclude-plugin"))
            }
            if health.isShuttingDown {
                return APIError.response(HoistError(.unavailable, "unavailable"))
            }
            if let service = query.value("service"), !service.isEmpty {
                return APIError.response(.notFound("unknown service \(service)"))
            }
            return HoistAPI.json(bytes: Array("{\"status\":\"SERVING\"}".utf8))
        }
        table.add(.get, "/health/live") { _ in
            HoistAPI.json(bytes: Array("{}".utf8))
        }
        table.add(.get, "/health/ready") { _ in
            guard let failure = await health.readinessFailure() else {
                return HoistAPI.json(bytes: Array("{}".utf8))
            }
            return HoistAPI.json(status: .internalServerError) { w in
                w.raw("{\"error\":")
                w.string(failure)
                w.raw("}")
            }
        }
    }

    /// OPA's `/health?plugins`: 200 when every component is OK (or WARN), else 500; the body reports
    /// each component's state so an operator sees which one is not.
    func pluginHealth(excluding excluded: [String]) async -> Response {
        let statuses = await health.statuses().filter { !excluded.contains($0.name) }
        let healthy = statuses.allSatisfy { $0.status.state == .ok || $0.status.state == .warn }
        return HoistAPI.json(status: healthy ? .ok : .internalServerError) { w in
            w.raw("{")
            if !healthy {
                w.raw("\"error\":\"not all plugins in OK state\",")
            }
            w.raw("\"plugins\":{")
            for (index, entry) in statuses.enumerated() {
                if index > 0 { w.raw(",") }
                w.string(entry.name)
                w.raw(":{\"state\":")
                w.string(entry.status.state.rawValue)
                if !entry.status.message.isEmpty {
                    w.raw(",\"message\":")
                    w.string(entry.status.message)
                }
                w.raw("}")
            }
            w.raw("}}")
        }
    }
}
