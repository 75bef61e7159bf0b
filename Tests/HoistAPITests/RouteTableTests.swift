import HoistAPI
import Hummingbird
import Testing

@Suite struct RouteTableTests {
    func table() -> RouteTable {
        var table = RouteTable()
        let ok: RouteHandler = { _ in Response(status: .ok) }
        table.add(.get, "/api/v1/namespaces/{namespaceKey}/segments/{key}", ok)
        table.add(.post, "/api/v1/namespaces/{namespaceKey}/segments/{segmentKey}/constraints", ok)
        table.add(.put, "/api/v1/namespaces/{namespaceKey}/flags/{flagKey}/rules/order", ok)
        table.add(.put, "/api/v1/namespaces/{namespaceKey}/flags/{flagKey}/rules/{id}", ok)
        table.add(.get, "/api/v1/namespaces", ok)
        return table
    }

    @Test func literalSegmentsBeatParameters() {
        guard case .found(_, let parameters, let template) = table().match(
            method: .put, path: "/api/v1/namespaces/default/flags/f/rules/order")
        else { Issue.record("no match"); return }
        #expect(template.hasSuffix("/rules/order"))
        #expect(parameters["flagKey"] == "f")
    }

    @Test func parametersAreCaptured() {
        guard case .found(_, let parameters, _) = table().match(
            method: .post, path: "/api/v1/namespaces/ns/segments/beta/constraints")
        else { Issue.record("no match"); return }
        #expect(parameters["namespaceKey"] == "ns")
        #expect(parameters["segmentKey"] == "beta")
    }

    @Test func methodNotAllowedAndNotFound() {
        guard case .methodNotAllowed = table().match(method: .delete, path: "/api/v1/namespaces") else {
            Issue.record("expected 501"); return
        }
        guard case .notFound = table().match(method: .get, path: "/api/v1/nothing/here") else {
            Issue.record("expected 404"); return
        }
    }
}
