import HoistCore

/// Reads the management API's JSON (Flipt's protojson shapes) back into domain values.
enum WireEntities {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func string(_ json: JSONValue, _ key: String) -> String { json[key]?.stringValue ?? "" }

    static func bool(_ json: JSONValue, _ key: String) -> Bool {
        if case .bool(let b)? = json[key] { return b }
        return false
    }

    static func float(_ json: JSONValue, _ key: String) -> Float {
        switch json[key] {
        case .number(_, let text)?: Float(text) ?? 0
        case .string(let text)?: Float(text) ?? 0
        default: 0
        }
    }

    static func int32(_ json: JSONValue, _ key: String) -> Int32 {
        switch json[key] {
        case .number(let value, _)?: Int32(exactly: value) ?? 0
        case .string(let text)?: Int32(text) ?? 0
        default: 0
        }
    }

    static func strings(_ json: JSONValue, _ key: String) -> [String] {
        guard case .array(let items)? = json[key] else { return [] }
        return items.compactMap(\.stringValue)
    }

    static func array(_ json: JSONValue, _ key: String) -> [JSONValue] {
        if case .array(let items)? = json[key] { return items }
        return []
    }

    static func enumValue<E: CaseIterable>(_ json: JSONValue, _ key: String, _ name: (E) -> String) -> E? {
        let text = string(json, key)
        return E.allCases.first { name($0) == text }
    }

    static let epoch = Timestamp(microseconds: 0)

    static func namespace(_ json: JSONValue) -> Namespace {
        Namespace(key: string(json, "key"), name: string(json, "name"), description: string(json, "description"),
                  protected: bool(json, "protected"), createdAt: epoch, updatedAt: epoch)
    }

    static func variant(_ json: JSONValue) -> Variant {
        Variant(id: string(json, "id"), namespaceKey: string(json, "namespaceKey"), flagKey: string(json, "flagKey"),
                key: string(json, "key"), name: string(json, "name"), description: string(json, "description"),
                attachment: string(json, "attachment"), createdAt: epoch, updatedAt: epoch)
    }

    static func flag(_ json: JSONValue) -> Flag {
        var metadata: JSONValue? = nil
        if case .object(let members)? = json["metadata"], !members.isEmpty { metadata = .object(members) }
        return Flag(
            namespaceKey: string(json, "namespaceKey"), key: string(json, "key"), name: string(json, "name"),
            description: string(json, "description"), enabled: bool(json, "enabled"),
            type: enumValue(json, "type", \FlagType.wireName) ?? .variant, createdAt: epoch, updatedAt: epoch,
            variants: array(json, "variants").map(variant), defaultVariant: json["defaultVariant"].map(variant),
            metadata: metadata)
    }

    static func segmentKeys(_ json: JSONValue) -> [String] {
        let single = string(json, "segmentKey")
        return single.isEmpty ? strings(json, "segmentKeys") : [single]
    }

    static func rule(_ json: JSONValue) -> Rule {
        Rule(
            id: string(json, "id"), namespaceKey: string(json, "namespaceKey"), flagKey: string(json, "flagKey"),
            segmentKeys: segmentKeys(json),
            segmentOperator: enumValue(json, "segmentOperator", \SegmentOperator.wireName) ?? .or,
            rank: int32(json, "rank"),
            distributions: array(json, "distributions").map { d in
                Distribution(id: string(d, "id"), ruleId: string(d, "ruleId"), variantId: string(d, "variantId"),
                             rollout: float(d, "rollout"), createdAt: epoch, updatedAt: epoch)
            },
            createdAt: epoch, updatedAt: epoch)
    }

    static func rollout(_ json: JSONValue) throws -> Rollout {
        let rule: Rollout.Rule
        if let segment = json["segment"] {
            rule = .segment(RolloutSegment(
                segmentKeys: segmentKeys(segment),
                segmentOperator: enumValue(segment, "segmentOperator", \SegmentOperator.wireName) ?? .or,
                value: bool(segment, "value")))
        } else if let threshold = json["threshold"] {
            rule = .threshold(RolloutThreshold(percentage: float(threshold, "percentage"), value: bool(threshold, "value")))
        } else {
            throw Malformed(description: "rollout \(string(json, "id")) has neither segment nor threshold")
        }
        return Rollout(
            id: string(json, "id"), namespaceKey: string(json, "namespaceKey"), flagKey: string(json, "flagKey"),
            rank: int32(json, "rank"), description: string(json, "description"), rule: rule, createdAt: epoch,
            updatedAt: epoch)
    }

    static func segment(_ json: JSONValue) -> Segment {
        Segment(
            namespaceKey: string(json, "namespaceKey"), key: string(json, "key"), name: string(json, "name"),
            description: string(json, "description"),
            matchType: enumValue(json, "matchType", \MatchType.wireName) ?? .all,
            constraints: array(json, "constraints").map { c in
                Constraint(
                    id: string(c, "id"), namespaceKey: string(c, "namespaceKey"), segmentKey: string(c, "segmentKey"),
                    type: enumValue(c, "type", \ComparisonType.wireName) ?? .unknown, property: string(c, "property"),
                    operator: string(c, "operator"), value: string(c, "value"), description: string(c, "description"),
                    createdAt: epoch, updatedAt: epoch)
            },
            createdAt: epoch, updatedAt: epoch)
    }
}
