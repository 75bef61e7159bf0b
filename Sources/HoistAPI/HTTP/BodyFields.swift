public import HoistCore
import NIOCore

/// A request body decoded the way grpc-gateway's jsonpb decoder does: both `camelCase` and
/// `snake_case` names (the JSON name wins), `null` as absent, unknown fields ignored, enums by name
/// or number, numbers possibly quoted, an empty body as `{}`.
public struct BodyFields: Sendable {
    let members: [(String, JSONValue)]

    public static let wrongTypeMessage = "invalid values for key(s) in json body"

    public init(members: [(String, JSONValue)]) { self.members = members }

    public init(bytes: ByteBuffer) throws(HoistError) {
        if bytes.readableBytesView.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            members = []
            return
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes.readableBytesView)
        } catch {
            throw .invalid(error.description)
        }
        switch value {
        case .object(let m): members = m
        case .null: members = []
        default: throw .invalid(Self.wrongTypeMessage)
        }
    }

    /// The value under the JSON name, else the proto name; `null` counts as absent. A JSON name that is
    /// present wins even when it is `null` (jsonpb reads the proto name, then lets the JSON name replace it).
    public func value(_ jsonName: String, _ protoName: String? = nil) -> JSONValue? {
        if let v = lookup(jsonName) { return v.isNull ? nil : v }
        if let protoName, let v = lookup(protoName), !v.isNull { return v }
        return nil
    }

    func lookup(_ name: String) -> JSONValue? {
        var found: JSONValue?
        for (k, v) in members where k == name { found = v }
        return found
    }

    public func string(_ jsonName: String, _ protoName: String? = nil) throws(HoistError) -> String {
        guard let v = value(jsonName, protoName) else { return "" }
        guard case .string(let s) = v else { throw .invalid(Self.wrongTypeMessage) }
        try Self.rejectNUL(s, field: jsonName)
        return s
    }

    /// SQLite text binding (and PostgreSQL `text`) cannot hold U+0000: refuse it rather than store a
    /// silently truncated value.
    static func rejectNUL(_ s: String, field: String) throws(HoistError) {
        if s.utf8.contains(0) { throw .invalidField(field, "must not contain NUL characters") }
    }

    public func bool(_ jsonName: String, _ protoName: String? = nil) throws(HoistError) -> Bool {
        guard let v = value(jsonName, protoName) else { return false }
        switch v {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw .invalid(Self.wrongTypeMessage)
        }
    }

    public func int32(_ jsonName: String, _ protoName: String? = nil) throws(HoistError) -> Int32 {
        guard let v = value(jsonName, protoName) else { return 0 }
        let text: String
        switch v {
        case .number(_, let t): text = t
        case .string(let s): text = s
        default: throw .invalid(Self.wrongTypeMessage)
        }
        if let i = Int32(text) { return i }
        if let d = Double(text), d.rounded() == d, let i = Int32(exactly: d) { return i }
        throw .invalid(Self.wrongTypeMessage)
    }

    /// A float32 parsed directly from the decimal text (correctly rounded, never through Double).
    public func float(_ jsonName: String, _ protoName: String? = nil) throws(HoistError) -> Float {
        guard let v = value(jsonName, protoName) else { return 0 }
        let text: String
        switch v {
        case .number(_, let t): text = t
        case .string(let s): text = s
        default: throw .invalid(Self.wrongTypeMessage)
        }
        guard let f = Float(text), f.isFinite else { throw .invalid(Self.wrongTypeMessage) }
        return f
    }

    public func stringArray(_ jsonName: String, _ protoName: String? = nil) throws(HoistError) -> [String] {
        guard let v = value(jsonName, protoName) else { return [] }
        guard case .array(let items) = v else { throw .invalid(Self.wrongTypeMessage) }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard case .string(let s) = item else { throw .invalid(Self.wrongTypeMessage) }
            try Self.rejectNUL(s, field: jsonName)
            out.append(s)
        }
        return out
    }

    public func object(_ jsonName: String, _ protoName: String? = nil) throws(HoistError) -> BodyFields? {
        guard let v = value(jsonName, protoName) else { return nil }
        guard case .object(let m) = v else { throw .invalid(Self.wrongTypeMessage) }
        return BodyFields(members: m)
    }

    /// An enum given by name or number. `enumName` is the protobuf enum's full name, used in errors.
    public func enumeration<E: RawRepresentable & CaseIterable>(
        _ jsonName: String, _ protoName: String?, enumName: String, wireName: (E) -> String
    ) throws(HoistError) -> E? where E.RawValue == Int {
        guard let v = value(jsonName, protoName) else { return nil }
        switch v {
        case .string(let s):
            if let e = E.allCases.first(where: { wireName($0) == s }) { return e }
            if let n = Int(s), let e = E(rawValue: n) { return e }
            throw .invalid("invalid value for enum field \(jsonName): unknown value \"\(s)\" for enum \(enumName)")
        case .number(let d, _):
            guard d.rounded() == d, let n = Int(exactly: d) else { throw .invalid(Self.wrongTypeMessage) }
            guard let e = E(rawValue: n) else {
                throw .invalid("invalid value for enum field \(jsonName): unknown value \(n) for enum \(enumName)")
            }
            return e
        default:
            throw .invalid(Self.wrongTypeMessage)
        }
    }
}
