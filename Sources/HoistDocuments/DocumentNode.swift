public import HoistCore

/// A 1-based line and column in a source file (YAML marks, or computed for JSON).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A format-neutral tree of one YAML or JSON document, with the position of every node.
///
/// Both readers produce it, so the document decoder reports the same positions and messages for
/// YAML and JSON input.
public indirect enum DocumentNode: Sendable {
    /// A scalar. `text` is the source text; `kind` is its resolved type (YAML 1.2 core schema for
    /// plain scalars, always `.string` for quoted ones).
    case scalar(text: String, kind: ScalarKind, SourceLocation)
    case sequence([DocumentNode], SourceLocation)
    /// Members in source order. Readers reject duplicate keys before building this.
    case mapping([(key: String, value: DocumentNode)], SourceLocation)

    public enum ScalarKind: Sendable, Hashable {
        case null, bool, int, float, string
    }

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let location), .sequence(_, let location), .mapping(_, let location): location
        }
    }

    /// What the node is, for messages ("expected a string, found a mapping").
    public var kindName: String {
        switch self {
        case .scalar(_, let kind, _):
            switch kind {
            case .null: "null"
            case .bool: "a boolean"
            case .int, .float: "a number"
            case .string: "a string"
            }
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    public subscript(key: String) -> DocumentNode? {
        guard case .mapping(let members, _) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The node as a JSON value (attachments, metadata). Throws for numbers JSON cannot carry
    /// (`.inf`, `.nan`).
    public func jsonValue() throws(DocumentNodeError) -> JSONValue {
        switch self {
        case .scalar(let text, let kind, let location):
            switch kind {
            case .null: return .null
            case .bool: return .bool(ScalarResolution.boolValue(text) ?? false)
            case .string: return .string(text)
            case .int, .float:
                guard let number = ScalarResolution.doubleValue(text), number.isFinite else {
                    throw DocumentNodeError(location, "number \(text) cannot be represented in JSON")
                }
                let jsonText = ScalarResolution.isJSONNumber(text) ? text : JSONWriter.formatDouble(number)
                return .number(number, text: jsonText)
            }
        case .sequence(let items, _):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.jsonValue()) }
            return .array(values)
        case .mapping(let members, _):
            var values: [(String, JSONValue)] = []
            values.reserveCapacity(members.count)
            for member in members { values.append((member.key, try member.value.jsonValue())) }
            return .object(values)
        }
    }

    /// Builds a node from a JSON value, every node at `location` (used for JSON input).
    public init(json: JSONValue, location: SourceLocation) {
        switch json {
        case .null: self = .scalar(text: "null", kind: .null, location)
        case .bool(let b): self = .scalar(text: b ? "true" : "false", kind: .bool, location)
        case .number(let value, let text):
            let isInteger = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
            self = .scalar(text: text.isEmpty ? JSONWriter.formatDouble(value) : text,
                           kind: isInteger ? .int : .float, location)
        case .string(let s): self = .scalar(text: s, kind: .string, location)
        case .array(let items): self = .sequence(items.map { DocumentNode(json: $0, location: location) }, location)
        case .object(let members):
            self = .mapping(members.map { (key: $0.0, value: DocumentNode(json: $0.1, location: location)) }, location)
        }
    }
}

/// A problem found while reading a node tree (position plus message).
public struct DocumentNodeError: Error, Sendable, Hashable {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }
}
