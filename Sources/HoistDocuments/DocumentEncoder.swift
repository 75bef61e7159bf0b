public import HoistCore

/// Writes documents in Flipt's field order and shape (`internal/ext/common.go`): YAML like
/// yaml.v2 (block style, list items at their key's indentation, `---` between documents) or
/// JSON like Go's `json.Encoder` (one compact object per line, HTML characters escaped).
public enum DocumentEncoder {
    public static func encode(_ documents: [FliptDocument], as encoding: DocumentEncoding) -> String {
        let trees = documents.map(tree)
        switch encoding {
        case .json:
            return trees.map { tree in
                var writer = JSONWriter()
                writer.htmlSafe = true
                writeJSON(tree, into: &writer)
                return writer.string + "\n"
            }.joined()
        case .yaml:
            return trees.map { YAMLWriter.render($0) }.joined(separator: "---\n")
        }
    }

    /// The comment line a file export starts with (Flipt writes it even into JSON files; both
    /// importers skip it).
    public static func header(version: String, date: String) -> String {
        "# exported by Hoist (\(version)) on \(date)\n\n"
    }

    /// Compact JSON text of `value`, writing numbers with their own text (so float32 values such as
    /// `33.33` are not widened to `33.33000183105469`).
    public static func jsonText(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writeJSON(value, into: &writer)
        return writer.string
    }

    static func writeJSON(_ value: JSONValue, into writer: inout JSONWriter) {
        switch value {
        case .number(let number, let text): writer.raw(text.isEmpty ? JSONWriter.formatDouble(number) : text)
        case .array(let items):
            writer.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { writer.raw(",") }
                writeJSON(item, into: &writer)
            }
            writer.raw("]")
        case .object(let members):
            writer.raw("{")
            for (index, member) in members.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(member.0)
                writer.raw(":")
                writeJSON(member.1, into: &writer)
            }
            writer.raw("}")
        default: writer.value(value)
        }
    }

    /// A float32 as a JSON number with its shortest text.
    public static func float(_ value: Float) -> JSONValue { .number(Double(value), text: JSONWriter.formatFloat(value)) }

    /// The ordered field tree of one document (omitting what Flipt omits).
    static func tree(_ document: FliptDocument) -> JSONValue {
        var top: [(String, JSONValue)] = []
        if let version = document.version, !version.isEmpty { top.append(("version", .string(version))) }
        var ns: [(String, JSONValue)] = [("key", .string(document.namespace.key))]
        if let name = document.namespace.name, !name.isEmpty { ns.append(("name", .string(name))) }
        if let description = document.namespace.description, !description.isEmpty {
            ns.append(("description", .string(description)))
        }
        top.append(("namespace", .object(ns)))
        if !document.flags.isEmpty { top.append(("flags", .array(document.flags.map(flagTree)))) }
        if !document.segments.isEmpty { top.append(("segments", .array(document.segments.map(segmentTree)))) }
        return .object(top)
    }

    static func flagTree(_ flag: DocumentFlag) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if !flag.key.isEmpty { fields.append(("key", .string(flag.key))) }
        if !flag.name.isEmpty { fields.append(("name", .string(flag.name))) }
        if let type = flag.type { fields.append(("type", .string(type.wireName))) }
        if !flag.description.isEmpty { fields.append(("description", .string(flag.description))) }
        fields.append(("enabled", .bool(flag.enabled)))
        if case .object(let members)? = flag.metadata, !members.isEmpty { fields.append(("metadata", .object(members))) }
        if !flag.variants.isEmpty {
            fields.append(("variants", .array(flag.variants.map { variant in
                var v: [(String, JSONValue)] = []
                if variant.isDefault { v.append(("default", .bool(true))) }
                if !variant.key.isEmpty { v.append(("key", .string(variant.key))) }
                if !variant.name.isEmpty { v.append(("name", .string(variant.name))) }
                if !variant.description.isEmpty { v.append(("description", .string(variant.description))) }
                if let attachment = variant.attachment, !attachment.isNull { v.append(("attachment", attachment)) }
                return .object(v)
            })))
        }
        if !flag.rules.isEmpty {
            fields.append(("rules", .array(flag.rules.map { rule in
                var r: [(String, JSONValue)] = []
                if rule.segment.isSingleKeyForm && rule.segment.keys.count == 1 {
                    r.append(("segment", .string(rule.segment.keys[0])))
                } else {
                    var segment: [(String, JSONValue)] = [("keys", .array(rule.segment.keys.map(JSONValue.string)))]
                    segment.append(("operator", .string(rule.segment.segmentOperator.wireName)))
                    r.append(("segment", .object(segment)))
                }
                if let rank = rule.rank, rank > 0 { r.append(("rank", .number(Double(rank), text: String(rank)))) }
                if !rule.distributions.isEmpty {
                    r.append(("distributions", .array(rule.distributions.map { d in
                        .object([("variant", .string(d.variantKey)), ("rollout", float(d.rollout))])
                    })))
                }
                return .object(r)
            })))
        }
        if !flag.rollouts.isEmpty { fields.append(("rollouts", .array(flag.rollouts.map(rolloutTree)))) }
        return .object(fields)
    }

    static func rolloutTree(_ rollout: DocumentRollout) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if !rollout.description.isEmpty { fields.append(("description", .string(rollout.description))) }
        switch rollout.target {
        case .segment(let reference, let value):
            var segment: [(String, JSONValue)] = []
            if reference.keys.count == 1 && reference.isSingleKeyForm {
                segment.append(("key", .string(reference.keys[0])))
            } else {
                segment.append(("keys", .array(reference.keys.map(JSONValue.string))))
            }
            if reference.segmentOperator == .and { segment.append(("operator", .string(reference.segmentOperator.wireName))) }
            if value { segment.append(("value", .bool(true))) }
            fields.append(("segment", .object(segment)))
        case .threshold(let percentage, let value):
            var threshold: [(String, JSONValue)] = [("percentage", float(percentage))]
            if value { threshold.append(("value", .bool(true))) }
            fields.append(("threshold", .object(threshold)))
        }
        return .object(fields)
    }

    static func segmentTree(_ segment: DocumentSegment) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if !segment.key.isEmpty { fields.append(("key", .string(segment.key))) }
        if !segment.name.isEmpty { fields.append(("name", .string(segment.name))) }
        if !segment.description.isEmpty { fields.append(("description", .string(segment.description))) }
        if !segment.constraints.isEmpty {
            fields.append(("constraints", .array(segment.constraints.map { c in
                var constraint: [(String, JSONValue)] = [("type", .string(c.type.wireName))]
                if !c.property.isEmpty { constraint.append(("property", .string(c.property))) }
                if !c.operator.isEmpty { constraint.append(("operator", .string(c.operator))) }
                if !c.value.isEmpty { constraint.append(("value", .string(c.value))) }
                if !c.description.isEmpty { constraint.append(("description", .string(c.description))) }
                return .object(constraint)
            })))
        }
        fields.append(("match_type", .string(segment.matchType.wireName)))
        return .object(fields)
    }
}
