import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    /// Segments and constraints, under the namespaced prefix or the legacy `/api/v1`.
    func addSegmentRoutes(to table: inout RouteTable, prefix: String) {
        let segments = prefix + "/segments"
        table.add(.get, segments) { input in
            let page = try query(input).page()
            try Validation.validateListLimit(page)
            let list = try await store.listSegments(namespaceKey: try namespaceKey(input), page: page)
            return HoistAPI.json { $0.list("segments", list) { w, s in w.segment(s) } }
        }
        table.add(.post, segments) { input in
            let b = try await body(input)
            let request = try segmentRequest(input, b, key: try b.string("key"))
            try Validation.validate(request, creating: true)
            let created = try await store.createSegment(request)
            await committed(created.namespaceKey)
            return HoistAPI.json { $0.segment(created) }
        }
        table.add(.get, segments + "/{key}") { input in
            let segment = try await store.getSegment(namespaceKey: try namespaceKey(input), key: input.parameters["key"])
            return HoistAPI.json { $0.segment(segment) }
        }
        table.add(.put, segments + "/{key}") { input in
            let b = try await body(input)
            let request = try segmentRequest(input, b, key: input.parameters["key"])
            try Validation.validate(request, creating: false)
            let updated = try await store.updateSegment(request)
            await committed(updated.namespaceKey)
            return HoistAPI.json { $0.segment(updated) }
        }
        table.add(.delete, segments + "/{key}") { input in
            let ns = try namespaceKey(input)
            try await store.deleteSegment(namespaceKey: ns, key: input.parameters["key"])
            await committed(ns)
            return HoistAPI.empty
        }

        let constraints = segments + "/{segmentKey}/constraints"
        table.add(.post, constraints) { input in
            let request = try constraintRequest(input, try await body(input), updating: false)
            let created = try await store.createConstraint(request)
            await committed(created.namespaceKey)
            return HoistAPI.json { $0.constraint(created) }
        }
        table.add(.put, constraints + "/{id}") { input in
            let request = try constraintRequest(input, try await body(input), updating: true)
            let updated = try await store.updateConstraint(request)
            await committed(updated.namespaceKey)
            return HoistAPI.json { $0.constraint(updated) }
        }
        table.add(.delete, constraints + "/{id}") { input in
            let ns = try namespaceKey(input)
            try await store.deleteConstraint(
                namespaceKey: ns, segmentKey: input.parameters["segmentKey"], id: input.parameters["id"])
            await committed(ns)
            return HoistAPI.empty
        }
    }

    func segmentRequest(_ input: RouteInput, _ b: BodyFields, key: String) throws -> CreateSegmentRequest {
        CreateSegmentRequest(
            namespaceKey: try namespaceKey(input, b), key: key, name: try b.string("name"),
            description: try b.string("description"),
            matchType: try b.enumeration("matchType", "match_type", enumName: "flipt.MatchType", wireName: \MatchType.wireName)
                ?? .all)
    }

    func constraintRequest(_ input: RouteInput, _ b: BodyFields, updating: Bool) throws -> ConstraintRequest {
        let request = ConstraintRequest(
            id: updating ? input.parameters["id"] : "", namespaceKey: try namespaceKey(input, b),
            segmentKey: input.parameters["segmentKey"],
            type: try b.enumeration("type", nil, enumName: "flipt.ComparisonType", wireName: \ComparisonType.wireName)
                ?? .unknown,
            property: try b.string("property"), operator: try b.string("operator"), value: try b.string("value"),
            description: try b.string("description"))
        return try Validation.validatedConstraint(request, updating: updating, normalizeDatetime: GoDateTime.normalizedConstraintValue)
    }
}
