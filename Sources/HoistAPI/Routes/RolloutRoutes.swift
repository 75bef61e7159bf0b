import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    /// Boolean-flag rollouts and their ordering (namespaced paths only; Flipt has no legacy rollout paths).
    func addRolloutRoutes(to table: inout RouteTable, prefix: String) {
        let rollouts = prefix + "/flags/{flagKey}/rollouts"
        table.add(.get, rollouts) { input in
            let list = try await store.listRollouts(
                namespaceKey: try namespaceKey(input), flagKey: input.parameters["flagKey"],
                page: PageRequest(
                    limit: try query(input).int32("limit"),
                    pageToken: query(input).value("pageToken", "page_token") ?? ""))
            return HoistAPI.json { $0.list("rules", list) { w, r in w.rollout(r) } }
        }
        table.add(.post, rollouts) { input in
            let request = try rolloutRequest(input, try await body(input), id: "")
            try Validation.validate(request, creating: true)
            let created = try await store.createRollout(request)
            await committed(created.namespaceKey)
            return HoistAPI.json { $0.rollout(created) }
        }
        table.add(.put, rollouts + "/order") { input in
            let b = try await body(input)
            let request = OrderRequest(
                namespaceKey: try namespaceKey(input, b), flagKey: input.parameters["flagKey"],
                ids: try b.stringArray("rolloutIds", "rollout_ids"))
            try Validation.validateOrder(request, idsField: "rolloutIds")
            try await store.orderRollouts(request)
            await committed(request.namespaceKey)
            return HoistAPI.empty
        }
        table.add(.get, rollouts + "/{id}") { input in
            let rollout = try await store.getRollout(namespaceKey: try namespaceKey(input), id: input.parameters["id"])
            return HoistAPI.json { $0.rollout(rollout) }
        }
        table.add(.put, rollouts + "/{id}") { input in
            let request = try rolloutRequest(input, try await body(input), id: input.parameters["id"])
            try Validation.validate(request, creating: false)
            let updated = try await store.updateRollout(request)
            await committed(updated.namespaceKey)
            return HoistAPI.json { $0.rollout(updated) }
        }
        table.add(.delete, rollouts + "/{id}") { input in
            let ns = try namespaceKey(input)
            try await store.deleteRollout(namespaceKey: ns, flagKey: input.parameters["flagKey"], id: input.parameters["id"])
            await committed(ns)
            return HoistAPI.empty
        }
    }

    /// Decodes the `segment` / `threshold` oneof. When both are sent, the threshold wins, as with
    /// Flipt's legacy JSON decoder (the last member processed).
    func rolloutRequest(_ input: RouteInput, _ b: BodyFields, id: String) throws -> RolloutRequest {
        var member: RolloutRequest.Member?
        if let s = try b.object("segment") {
            member = .segment(
                segmentKey: try s.string("segmentKey", "segment_key"),
                segmentKeys: try s.stringArray("segmentKeys", "segment_keys"),
                segmentOperator: try segmentOperator(s), value: try s.bool("value"))
        }
        if let t = try b.object("threshold") {
            member = .threshold(percentage: try t.float("percentage"), value: try t.bool("value"))
        }
        return RolloutRequest(
            id: id, namespaceKey: try namespaceKey(input, b), flagKey: input.parameters["flagKey"],
            rank: try b.int32("rank"), description: try b.string("description"), member: member)
    }
}
