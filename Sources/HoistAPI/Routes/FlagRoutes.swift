import HoistCore
import HoistEngine
import HoistStorage
import Hummingbird

extension HoistAPI {
    /// Flags and variants, under the namespaced prefix or the legacy `/api/v1`.
    func addFlagRoutes(to table: inout RouteTable, prefix: String) {
        let flags = prefix + "/flags"
        table.add(.get, flags) { input in
            let page = try query(input).page()
            try Validation.validateListLimit(page)
            let list = try await store.listFlags(namespaceKey: try namespaceKey(input), page: page)
            return HoistAPI.json { $0.list("flags", list) { w, f in w.flag(f) } }
        }
        table.add(.post, flags) { input in
            let b = try await body(input)
            let request = CreateFlagRequest(
                namespaceKey: try namespaceKey(input, b), key: try b.string("key"), name: try b.string("name"),
                description: try b.string("description"), enabled: try b.bool("enabled"),
                type: try b.enumeration("type", nil, enumName: "flipt.FlagType", wireName: \FlagType.wireName)
                    ?? .variant,
                metadata: try metadata(b))
            try Validation.validate(request)
            let created = try await store.createFlag(request)
            await committed(created.namespaceKey)
            return HoistAPI.json { $0.flag(created) }
        }
        table.add(.get, flags + "/{key}") { input in
            let flag = try await store.getFlag(namespaceKey: try namespaceKey(input), key: input.parameters["key"])
            return HoistAPI.json { $0.flag(flag) }
        }
        table.add(.put, flags + "/{key}") { input in
            let b = try await body(input)
            let request = UpdateFlagRequest(
                namespaceKey: try namespaceKey(input, b), key: input.parameters["key"], name: try b.string("name"),
                description: try b.string("description"), enabled: try b.bool("enabled"),
                defaultVariantId: try b.string("defaultVariantId", "default_variant_id"), metadata: try metadata(b))
            try Validation.validate(request)
            let updated = try await store.updateFlag(request)
            await committed(updated.namespaceKey)
            return HoistAPI.json { $0.flag(updated) }
        }
        table.add(.delete, flags + "/{key}") { input in
            let ns = try namespaceKey(input)
            try await store.deleteFlag(namespaceKey: ns, key: input.parameters["key"])
            await committed(ns)
            return HoistAPI.empty
        }

        let variants = flags + "/{flagKey}/variants"
        table.add(.post, variants) { input in
            let b = try await body(input)
            let request = CreateVariantRequest(
                namespaceKey: try namespaceKey(input, b), flagKey: input.parameters["flagKey"],
                key: try b.string("key"), name: try b.string("name"), description: try b.string("description"),
                attachment: try b.string("attachment"))
            try Validation.validate(request)
            let created = try await store.createVariant(request)
            await committed(created.namespaceKey)
            return HoistAPI.json { $0.variant(created) }
        }
        table.add(.put, variants + "/{id}") { input in
            let b = try await body(input)
            let request = UpdateVariantRequest(
                id: input.parameters["id"], namespaceKey: try namespaceKey(input, b),
                flagKey: input.parameters["flagKey"], key: try b.string("key"), name: try b.string("name"),
                description: try b.string("description"), attachment: try b.string("attachment"))
            try Validation.validate(request)
            let updated = try await store.updateVariant(request)
            await committed(updated.namespaceKey)
            return HoistAPI.json { $0.variant(updated) }
        }
        table.add(.delete, variants + "/{id}") { input in
            let ns = try namespaceKey(input)
            try await store.deleteVariant(namespaceKey: ns, flagKey: input.parameters["flagKey"], id: input.parameters["id"])
            await committed(ns)
            return HoistAPI.empty
        }
    }

    /// `metadata` must be a JSON object when present.
    func metadata(_ b: BodyFields) throws -> JSONValue? {
        guard let value = b.value("metadata") else { return nil }
        guard case .object = value else { throw HoistError.invalid(BodyFields.wrongTypeMessage) }
        return value
    }
}
