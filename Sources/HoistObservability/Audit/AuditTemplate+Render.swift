public import HoistCore
public import HoistStorage

/// Rendering of ``AuditTemplate`` with Go `text/template` semantics for the supported subset.
extension AuditTemplate {
    /// A template value: a Go struct (event, metadata, actor — fields by Go name, JSON form for
    /// `toJson`) or a generic JSON value (the payload map and what it contains).
    indirect enum Value {
        case structure(fields: [String: Value], json: JSONValue)
        case json(JSONValue)
        case missing

        var jsonForm: JSONValue {
            switch self {
            case .structure(_, let json): json
            case .json(let value): value
            case .missing: .null
            }
        }

        /// Go's truthiness: false, 0, nil and empty strings, maps and slices are false.
        var isTrue: Bool {
            switch self {
            case .structure: return true
            case .missing: return false
            case .json(let v):
                switch v {
                case .null: return false
                case .bool(let b): return b
                case .number(let d, _): return d != 0
                case .string(let s): return !s.isEmpty
                case .array(let a): return !a.isEmpty
                case .object(let o): return !o.isEmpty
                }
            }
        }
    }

    struct RenderError: Error, CustomStringConvertible {
        var description: String
    }

    static func eventValue(_ event: AuditRecord) -> Value {
        let actor = event.actor
        let actorFields: [String: Value] = [
            "Authentication": .json(.string(actor.authentication)), "IP": .json(.string(actor.ip)),
            "Email": .json(.string("")), "Name": .json(.string("")), "Picture": .json(.string("")),
        ]
        let actorValue = Value.structure(fields: actorFields, json: actor.json)
        let metadataJSON = JSONValue.object([("actor", actor.json)])
        let metadata = Value.structure(fields: ["Actor": actorValue], json: metadataJSON)
        let json = JSONValue.object([
            ("version", .string(AuditEventEncoder.version)), ("type", .string(event.type)),
            ("action", .string(event.action)), ("metadata", metadataJSON), ("payload", event.payload),
            ("timestamp", .string(event.timestamp)), ("status", .string("success")),
        ])
        return .structure(fields: [
            "Version": .json(.string(AuditEventEncoder.version)), "Type": .json(.string(event.type)),
            "Action": .json(.string(event.action)), "Status": .json(.string("success")),
            "Timestamp": .json(.string(event.timestamp)), "Metadata": metadata, "Payload": .json(event.payload),
        ], json: json)
    }

    /// Renders the body for `event`; throws when a field does not exist or the result is not JSON.
    public func render(_ event: AuditRecord) throws -> [UInt8] {
        var out = ""
        try Self.render(nodes, dot: Self.eventValue(event), into: &out)
        let bytes = Array(out.utf8)
        do {
            _ = try JSONParser.parse(bytes)
        } catch {
            throw RenderError(description: "invalid JSON: \(error)")
        }
        return bytes
    }

    static func lookup(_ path: [String], in dot: Value) throws -> Value {
        var current = dot
        for name in path {
            switch current {
            case .structure(let fields, _):
                guard let next = fields[name] else {
                    throw RenderError(description: "can't evaluate field \(name)")
                }
                current = next
            case .json(.object(let members)):
                current = members.last(where: { $0.0 == name }).map { .json($0.1) } ?? .missing
            case .json(.null), .missing:
                current = .missing
            case .json:
                throw RenderError(description: "can't evaluate field \(name) in a non-map value")
            }
        }
        return current
    }

    static func render(_ nodes: [Node], dot: Value, into out: inout String) throws {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .print(let path, let json):
                let value = try lookup(path, in: dot)
                if json {
                    var w = JSONWriter()
                    w.htmlSafe = true
                    w.value(value.jsonForm)
                    out += w.string
                } else {
                    out += goPrint(value)
                }
            case .conditional(let path, let then, let otherwise):
                try render(try lookup(path, in: dot).isTrue ? then : otherwise, dot: dot, into: &out)
            case .range(let path, let body, let otherwise):
                let value = try lookup(path, in: dot)
                switch value {
                case .json(.array(let items)) where !items.isEmpty:
                    for item in items { try render(body, dot: .json(item), into: &out) }
                case .json(.object(let members)) where !members.isEmpty:
                    for (_, item) in members.sorted(by: { $0.0 < $1.0 }) { try render(body, dot: .json(item), into: &out) }
                default:
                    try render(otherwise, dot: dot, into: &out)
                }
            }
        }
    }

    /// `fmt.Print` of a value as text/template does.
    static func goPrint(_ value: Value) -> String {
        switch value {
        case .missing: return "<no value>"
        case .structure(_, let json): return goPrint(.json(json))
        case .json(let v):
            switch v {
            case .null: return "<nil>"
            case .bool(let b): return b ? "true" : "false"
            case .number(let d, _):
                if d == d.rounded(), abs(d) < 1e21 { return String(Int64(d)) }
                return "\(d)"
            case .string(let s): return s
            case .array(let a): return "[" + a.map { goPrint(.json($0)) }.joined(separator: " ") + "]"
            case .object(let o):
                return "map[" + o.sorted { $0.0 < $1.0 }.map { "\($0.0):\(goPrint(.json($0.1)))" }
                    .joined(separator: " ") + "]"
            }
        }
    }
}
