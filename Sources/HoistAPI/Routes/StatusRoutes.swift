import HoistCore
import HoistObservability
import Hummingbird

extension HoistAPI {
    /// `GET /api/v1/status`: the status snapshot the Status API pushes (see ``StatusReporter``),
    /// wrapped as OPA's `GET /v1/status` does: `{"result":{…}}` with `trigger: "pull"`. 404 when the
    /// server was built without a reporter (tests).
    func addStatusRoutes(to table: inout RouteTable) {
        table.add(.get, "/api/v1/status") { _ in
            guard let status else { throw HoistError.notFound("status is not enabled") }
            let report = await status.report(trigger: "pull")
            var bytes = Array("{\"result\":".utf8)
            bytes += report.json
            bytes.append(UInt8(ascii: "}"))
            return HoistAPI.json(bytes: bytes)
        }
    }
}
