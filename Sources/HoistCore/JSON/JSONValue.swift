/// A parsed JSON document. Object members keep their order; duplicate keys keep the last value on lookup.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number as a Double plus its source text, so integers and float32 values can be re-read exactly.
    case number(Double, text: String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func number(_ value: Double) -> JSONValue { .number(value, text: JSONWriter.formatDouble(value)) }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        var found: JSONValue?
        for (k, v) in members where k == key { found = v }
        return found
    }

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var objectMembers: [(String, JSONValue)]? {
        if case .object(let m) = self { m } else { nil }
    }

    public var stringValue: String? {
        if case .string(let s) = self { s } else { nil }
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a, _), .number(let b, _)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let d, _): hasher.combine(d)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let m):
            for (k, v) in m {
                hasher.combine(k)
                hasher.combine(v)
            }
        }
    }

    /// Compact JSON text.
    public var compactText: String {
        var writer = JSONWriter()
        writer.value(self)
        return writer.string
    }
}
