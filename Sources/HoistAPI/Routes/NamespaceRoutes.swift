import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    func addNamespaceRoutes(to table: inout RouteTable) {
        let base = "/api/v1/namespaces"
        table.add(.get, base) { input in
            let page = try await store.listNamespaces(page: try query(input).page())
            return HoistAPI.json { $0.list("namespaces", page) { w, n in w.namespace(n) } }
        }
        table.add(.post, base) { input in
            let b = try await body(input)
            let request = CreateNamespaceRequest(
                key: try b.string("key"), name: try b.string("name"), description: try b.string("description"))
            try Validation.validate(request)
            let created = try await store.createNamespace(request)
            await committed(created.key)
            return HoistAPI.json { $0.namespace(created) }
        }
        table.add(.get, base + "/{key}") { input in
            let namespace = try await store.getNamespace(key: input.parameters["key"])
            return HoistAPI.json { $0.namespace(namespace) }
        }
        table.add(.put, base + "/{key}") { input in
            let b = try await body(input)
            let request = UpdateNamespaceRequest(
                key: input.parameters["key"], name: try b.string("name"), description: try b.string("description"))
            try Validation.validate(request)
            let updated = try await store.updateNamespace(request)
            await committed(updated.key)
            return HoistAPI.json { $0.namespace(updated) }
        }
        table.add(.delete, base + "/{key}") { input in
            let key = input.parameters["key"]
            try await store.deleteNamespace(key: key, force: try query(input).bool("force"))
            await committed(key)
            return HoistAPI.empty
        }
    }
}
