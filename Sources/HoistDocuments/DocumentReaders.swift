import HoistCore
import Yams

/// The two encodings of Flipt's import/export documents.
public enum DocumentEncoding: String, Sendable, Hashable, CaseIterable {
    case yaml, json

    /// `.json` → JSON; `.yml`, `.yaml` and anything else → YAML (Flipt's rule).
    public static func forPath(_ path: String) -> DocumentEncoding {
        path.lowercased().hasSuffix(".json") ? .json : .yaml
    }
}

/// Reads a whole file into one node tree per document.
public enum DocumentReader {
    /// Upper bound on nodes per file, so alias expansion ("billion laughs") cannot exhaust memory.
    public static let maximumNodes = 5_000_000

    public static func read(_ text: String, encoding: DocumentEncoding) throws(DocumentNodeError) -> [DocumentNode] {
        switch encoding {
        case .yaml: try readYAML(text)
        case .json: try readJSON(text)
        }
    }

    // MARK: YAML

    /// A multi-document YAML stream (`---` separated). Empty documents are skipped.
    public static func readYAML(_ text: String) throws(DocumentNodeError) -> [DocumentNode] {
        var budget = maximumNodes
        do {
            var stream = try Yams.compose_all(yaml: text, Resolver.basic)
            var documents: [DocumentNode] = []
            while let node = stream.next() {
                documents.append(try convert(node, budget: &budget))
            }
            if let error = stream.error { throw error }
            return documents
        } catch let error as DocumentNodeError {
            throw error
        } catch let error as YamlError {
            throw describe(error)
        } catch {
            throw DocumentNodeError(SourceLocation(line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    static func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    static func convert(_ node: Node, budget: inout Int) throws(DocumentNodeError) -> DocumentNode {
        budget -= 1
        if budget < 0 {
            throw DocumentNodeError(location(node.mark), "document too large (more than \(maximumNodes) nodes)")
        }
        switch node {
        case .scalar(let scalar):
            let kind: DocumentNode.ScalarKind = scalar.style == .plain ? ScalarResolution.kind(ofPlain: scalar.string) : .string
            return .scalar(text: scalar.string, kind: kind, location(scalar.mark))
        case .sequence(let sequence):
            var items: [DocumentNode] = []
            for item in sequence { items.append(try convert(item, budget: &budget)) }
            return .sequence(items, location(sequence.mark))
        case .mapping(let mapping):
            var members: [(key: String, value: DocumentNode)] = []
            var seen: [String: SourceLocation] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw DocumentNodeError(location(key.mark), "mapping keys must be scalars")
                }
                if let first = seen[keyScalar.string] {
                    throw DocumentNodeError(
                        location(keyScalar.mark), "duplicate key \"\(keyScalar.string)\" (first at line \(first.line))")
                }
                seen[keyScalar.string] = location(keyScalar.mark)
                members.append((key: keyScalar.string, value: try convert(value, budget: &budget)))
            }
            return .mapping(members, location(mapping.mark))
        case .alias(let alias):
            throw DocumentNodeError(location(alias.mark), "unresolved YAML alias")
        }
    }

    static func describe(_ error: YamlError) -> DocumentNodeError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return DocumentNodeError(location(mark), "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DocumentNodeError(
                location(context.mark), "duplicate key \"\(duplicates.joined(separator: "\", \""))\"")
        case .reader(let problem, _, _, _):
            return DocumentNodeError(SourceLocation(line: 1, column: 1), "invalid YAML: \(problem)")
        default:
            return DocumentNodeError(SourceLocation(line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    // MARK: JSON

    /// A stream of concatenated JSON objects. A first line starting with `#` (the comment Flipt's
    /// exporter writes even into JSON files) is skipped.
    public static func readJSON(_ text: String) throws(DocumentNodeError) -> [DocumentNode] {
        var bytes = Array(text.utf8)
        var skipped = 0
        if bytes.first == UInt8(ascii: "#") {
            skipped = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1
            bytes = Array(bytes[skipped...])
        }
        let lines = LineIndex(Array(text.utf8))
        let values: [JSONValue]
        do {
            values = try JSONParser.parseStream(bytes)
        } catch {
            throw DocumentNodeError(lines.location(ofOffset: error.offset + skipped), "invalid JSON: \(error.message)")
        }
        var locator = JSONLocator(bytes: bytes, base: skipped, lines: lines)
        var documents: [DocumentNode] = []
        for value in values {
            documents.append(try locator.node(for: value))
        }
        return documents
    }
}

/// Maps byte offsets to 1-based line and column (columns count Unicode scalars, like libyaml).
struct LineIndex {
    let bytes: [UInt8]
    var lineStarts: [Int] = [0]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lineStarts.append(offset + 1)
        }
    }

    func location(ofOffset offset: Int) -> SourceLocation {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        let end = min(max(offset, start), bytes.count)
        let column = bytes[start..<end].reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } + 1
        return SourceLocation(line: low + 1, column: column)
    }
}

/// Walks already-validated JSON text in step with its parsed values to attach a position to every node.
struct JSONLocator {
    let bytes: [UInt8]
    let base: Int
    let lines: LineIndex
    var index = 0

    init(bytes: [UInt8], base: Int, lines: LineIndex) {
        self.bytes = bytes
        self.base = base
        self.lines = lines
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func node(for value: JSONValue) throws(DocumentNodeError) -> DocumentNode {
        skipSpace()
        let location = lines.location(ofOffset: base + index)
        switch value {
        case .object(let members):
            index += 1  // {
            var nodes: [(key: String, value: DocumentNode)] = []
            var seen: [String: SourceLocation] = [:]
            for (offset, member) in members.enumerated() {
                skipSpace()
                if offset > 0 { index += 1; skipSpace() }  // ,
                let keyLocation = lines.location(ofOffset: base + index)
                if let first = seen[member.0] {
                    throw DocumentNodeError(keyLocation, "duplicate key \"\(member.0)\" (first at line \(first.line))")
                }
                seen[member.0] = keyLocation
                skipString()
                skipSpace()
                index += 1  // :
                nodes.append((key: member.0, value: try node(for: member.1)))
            }
            skipSpace()
            index += 1  // }
            return .mapping(nodes, location)
        case .array(let items):
            index += 1  // [
            var nodes: [DocumentNode] = []
            for (offset, item) in items.enumerated() {
                skipSpace()
                if offset > 0 { index += 1 }  // ,
                nodes.append(try node(for: item))
            }
            skipSpace()
            index += 1  // ]
            return .sequence(nodes, location)
        case .string:
            skipString()
        default:
            while index < bytes.count, !" \t\r\n,]}".utf8.contains(bytes[index]) { index += 1 }
        }
        return DocumentNode(json: value, location: location)
    }

    mutating func skipString() {
        index += 1  // opening quote
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\") {
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                return
            }
        }
    }
}
