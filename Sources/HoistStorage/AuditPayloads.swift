public import HoistCore

/// Audit event payloads per entity (spec observability §3.5, Flipt `internal/server/audit/types.go`).
///
/// Objects are built with their keys in alphabetical order at every level: Flipt's events
/// round-trip through a generic map before delivery, so that is the order on the wire. Numbers
/// are float64 (integers print bare); float32 rollouts keep their short decimal form.
public enum AuditPayloads {
    /// An object with its members sorted by key.
    public static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) })
    }

    /// A delete request's fields, empty strings (and `false`) omitted.
    public static func request(_ fields: [(String, String)], flags: [(String, Bool)] = []) -> JSONValue {
        object(fields.filter { !$0.1.isEmpty }.map { ($0.0, .string($0.1)) } + flags.filter(\.1).map { ($0.0, .bool(true)) })
    }

    static func int(_ v: Int32) -> JSONValue { .number(Double(v)) }

    /// A float32 as Go prints it (shortest float32 digits), then read back as float64.
    static func float(_ f: Float) -> JSONValue {
        let text = JSONWriter.formatFloat(f)
        return .number(Double(text) ?? Double(f), text: text)
    }

    public static func namespace(_ n: Namespace) -> JSONValue {
        object([("key", .string(n.key)), ("name", .string(n.name)), ("description", .string(n.description)),
                ("protected", .bool(n.protected))])
    }

    public static func flag(_ f: Flag) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("key", .string(f.key)), ("name", .string(f.name)), ("description", .string(f.description)),
            ("enabled", .bool(f.enabled)), ("namespace_key", .string(f.namespaceKey)),
        ]
        if let variant = f.defaultVariant, !variant.key.isEmpty { members.append(("default_variant", .string(variant.key))) }
        return object(members)
    }

    public static func variant(_ v: Variant) -> JSONValue {
        object([("id", .string(v.id)), ("flag_key", .string(v.flagKey)), ("key", .string(v.key)),
                ("name", .string(v.name)), ("description", .string(v.description)),
                ("attachment", .string(v.attachment)), ("namespace_key", .string(v.namespaceKey))])
    }

    public static func constraint(_ c: Constraint) -> JSONValue {
        object([("id", .string(c.id)), ("segment_key", .string(c.segmentKey)), ("type", .string(c.type.wireName)),
                ("property", .string(c.property)), ("operator", .string(c.operator)), ("value", .string(c.value)),
                ("namespace_key", .string(c.namespaceKey))])
    }

    public static func segment(_ s: Segment) -> JSONValue {
        object([("key", .string(s.key)), ("name", .string(s.name)), ("description", .string(s.description)),
                ("constraints", .array(s.constraints.map(constraint))),
                ("match_type", .string(s.matchType.wireName)),
                ("namespace_key", .string(s.namespaceKey))])
    }

    public static func distribution(_ d: Distribution) -> JSONValue {
        object([("id", .string(d.id)), ("rule_id", .string(d.ruleId)), ("variant_id", .string(d.variantId)),
                ("rollout", float(d.rollout))])
    }

    static func operatorName(_ op: SegmentOperator) -> String { op.wireName }

    public static func rule(_ r: Rule) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(r.id)), ("flag_key", .string(r.flagKey)),
            ("segment_key", .string(r.segmentKeys.joined(separator: ","))),
            ("distributions", .array(r.distributions.map(distribution))), ("rank", int(r.rank)),
            ("namespace_key", .string(r.namespaceKey)),
        ]
        if r.segmentKeys.count > 1 { members.append(("segment_operator", .string(operatorName(r.segmentOperator)))) }
        return object(members)
    }

    public static func rollout(_ r: Rollout) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("namespace_key", .string(r.namespaceKey)), ("flag_key", .string(r.flagKey)), ("rank", int(r.rank)),
            ("description", .string(r.description)),
        ]
        switch r.rule {
        case .threshold(let t):
            members.append(("threshold", object([("percentage", float(t.percentage)), ("value", .bool(t.value))])))
        case .segment(let s):
            var segment: [(String, JSONValue)] = [
                ("key", .string(s.segmentKeys.joined(separator: ","))), ("value", .bool(s.value)),
            ]
            if s.segmentKeys.count > 1 { segment.append(("operator", .string(operatorName(s.segmentOperator)))) }
            members.append(("segment", object(segment)))
        }
        if !r.id.isEmpty { members.append(("id", .string(r.id))) }
        return object(members)
    }

    /// OrderRules: `{flag_key, namespace_key, rule_ids}`.
    public static func orderRules(_ o: OrderRequest) -> JSONValue {
        object([("flag_key", .string(o.flagKey)), ("namespace_key", .string(o.namespaceKey)),
                ("rule_ids", .array(o.ids.map(JSONValue.string)))])
    }

    /// OrderRollouts: `{flag_key, namespace_key, rollout_ids}`.
    public static func orderRollouts(_ o: OrderRequest) -> JSONValue {
        object([("flag_key", .string(o.flagKey)), ("namespace_key", .string(o.namespaceKey)),
                ("rollout_ids", .array(o.ids.map(JSONValue.string)))])
    }
}
