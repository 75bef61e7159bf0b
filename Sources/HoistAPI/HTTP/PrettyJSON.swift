import HoistCore

/// Renders JSON the way Flipt's `?pretty` marshaler does: two-space indent, default values omitted.
enum PrettyJSON {
    static func render(_ value: JSONValue) -> [UInt8] {
        var w = JSONWriter()
        write(value, into: &w, depth: 0)
        return w.bytes
    }

    static func isDefault(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(false), .null: true
        case .string(let s): s.isEmpty
        case .number(let d, _): d == 0
        case .array(let a): a.isEmpty
        case .object(let m): m.isEmpty
        default: false
        }
    }

    static func indent(_ w: inout JSONWriter, _ depth: Int) {
        w.raw("\n")
        w.raw(String(repeating: "  ", count: depth))
    }

    static func write(_ value: JSONValue, into w: inout JSONWriter, depth: Int) {
        switch value {
        case .object(let members):
            let kept = members.filter { !isDefault($0.1) }
            guard !kept.isEmpty else {
                w.raw("{}")
                return
            }
            w.raw("{")
            for (i, (key, member)) in kept.enumerated() {
                if i > 0 { w.raw(",") }
                indent(&w, depth + 1)
                w.string(key)
                w.raw(": ")
                write(member, into: &w, depth: depth + 1)
            }
            indent(&w, depth)
            w.raw("}")
        case .array(let elements):
            guard !elements.isEmpty else {
                w.raw("[]")
                return
            }
            w.raw("[")
            for (i, element) in elements.enumerated() {
                if i > 0 { w.raw(",") }
                indent(&w, depth + 1)
                write(element, into: &w, depth: depth + 1)
            }
            indent(&w, depth)
            w.raw("]")
        default:
            w.value(value)
        }
    }
}
