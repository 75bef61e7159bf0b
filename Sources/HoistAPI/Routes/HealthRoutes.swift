import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    func addHealthRoutes(to table: inout RouteTable) {
        table.add(.get, "/health") { _ in
            HoistAPI.json(bytes: Array("{\"status\":\"SERVING\"}".utf8))
        }
    }
}
