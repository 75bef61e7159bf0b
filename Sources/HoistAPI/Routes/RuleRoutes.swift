import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    /// Rules, their ordering and distributions, under the namespaced prefix or the legacy `/api/v1`.
    func addRuleRoutes(to table: inout RouteTable, prefix: String) {
        let rules = prefix + "/flags/{flagKey}/rules"
        table.add(.get, rules) { input in
            let page = try query(input).page()
            try Validation.validateListLimit(page)
            let list = try await store.listRules(
                namespaceKey: try namespaceKey(input), flagKey: input.parameters["flagKey"], page: page)
            return HoistAPI.json { $0.list("rules", list) { w, r in w.rule(r) } }
        }
        table.add(.post, rules) { input in
            let request = try ruleRequest(input, try await body(input), id: "")
            try Validation.validate(request, creating: true)
            let created = try await store.createRule(request)
            await committed(created.namespaceKey)
            return HoistAPI.json { $0.rule(created) }
        }
        table.add(.put, rules + "/order") { input in
            let b = try await body(input)
            let request = OrderRequest(
                namespaceKey: try namespaceKey(input, b), flagKey: input.parameters["flagKey"],
                ids: try b.stringArray("ruleIds", "rule_ids"))
            try Validation.validateOrder(request, idsField: "ruleIds")
            try await store.orderRules(request)
            await committed(request.namespaceKey)
            return HoistAPI.empty
        }
        table.add(.get, rules + "/{id}") { input in
            let rule = try await store.getRule(namespaceKey: try namespaceKey(input), id: input.parameters["id"])
            return HoistAPI.json { $0.rule(rule) }
        }
        table.add(.put, rules + "/{id}") { input in
            let request = try ruleRequest(input, try await body(input), id: input.parameters["id"])
            try Validation.validate(request, creating: false)
            let updated = try await store.updateRule(request)
            await committed(updated.namespaceKey)
            return HoistAPI.json { $0.rule(updated) }
        }
        table.add(.delete, rules + "/{id}") { input in
            let ns = try namespaceKey(input)
            try await store.deleteRule(namespaceKey: ns, flagKey: input.parameters["flagKey"], id: input.parameters["id"])
            await committed(ns)
            return HoistAPI.empty
        }

        let distributions = rules + "/{ruleId}/distributions"
        table.add(.post, distributions) { input in
            let request = try distributionRequest(input, try await body(input), id: "")
            try Validation.validate(request, creating: true)
            let created = try await store.createDistribution(request)
            await committed(request.namespaceKey)
            return HoistAPI.json { $0.distribution(created) }
        }
        table.add(.put, distributions + "/{id}") { input in
            let request = try distributionRequest(input, try await body(input), id: input.parameters["id"])
            try Validation.validate(request, creating: false)
            let updated = try await store.updateDistribution(request)
            await committed(request.namespaceKey)
            return HoistAPI.json { $0.distribution(updated) }
        }
        table.add(.delete, distributions + "/{id}") { input in
            let ns = try namespaceKey(input)
            let variantId = query(input).value("variantId", "variant_id") ?? ""
            try Validation.requireFields([("variantId", variantId)])
            try await store.deleteDistribution(
                namespaceKey: ns, flagKey: input.parameters["flagKey"], ruleId: input.parameters["ruleId"],
                id: input.parameters["id"], variantId: variantId)
            await committed(ns)
            return HoistAPI.empty
        }
    }

    func ruleRequest(_ input: RouteInput, _ b: BodyFields, id: String) throws -> RuleRequest {
        RuleRequest(
            id: id, namespaceKey: try namespaceKey(input, b), flagKey: input.parameters["flagKey"],
            segmentKey: try b.string("segmentKey", "segment_key"),
            segmentKeys: try b.stringArray("segmentKeys", "segment_keys"),
            segmentOperator: try segmentOperator(b), rank: try b.int32("rank"))
    }

    func segmentOperator(_ b: BodyFields) throws -> SegmentOperator {
        try b.enumeration(
            "segmentOperator", "segment_operator", enumName: "flipt.SegmentOperator",
            wireName: \SegmentOperator.wireName) ?? .or
    }

    func distributionRequest(_ input: RouteInput, _ b: BodyFields, id: String) throws -> DistributionRequest {
        DistributionRequest(
            id: id, namespaceKey: try namespaceKey(input, b), flagKey: input.parameters["flagKey"],
            ruleId: input.parameters["ruleId"], variantId: try b.string("variantId", "variant_id"),
            rollout: try b.float("rollout"))
    }
}
