import HoistCore

/// Turns one document's node tree into a ``FliptDocument``, collecting every shape problem
/// (wrong type, unknown enum name, missing `segment`/`threshold`) as a positioned diagnostic.
/// Unknown keys are ignored, as Flipt does.
final class DocumentDecoder {
    let documentIndex: Int
    var namespace: String?
    var diagnostics: [DocumentDiagnostic] = []
    var locations: [DocumentPath: SourceLocation] = [:]

    init(documentIndex: Int) { self.documentIndex = documentIndex }

    func fail(_ location: SourceLocation?, _ subject: String, field: String?, _ message: String) {
        diagnostics.append(DocumentDiagnostic(
            location: location, documentIndex: documentIndex, namespace: namespace, subject: subject, field: field,
            message: message))
    }

    static func joined(_ parts: String...) -> String { parts.filter { !$0.isEmpty }.joined(separator: ", ") }

    // MARK: Scalars

    func members(_ node: DocumentNode, _ subject: String, field: String?) -> [(key: String, value: DocumentNode)]? {
        if case .mapping(let members, _) = node { return members }
        if case .scalar(_, .null, _) = node { return [] }
        fail(node.location, subject, field: field, "expected a mapping, found \(node.kindName)")
        return nil
    }

    func items(_ node: DocumentNode?, _ subject: String, field: String) -> [DocumentNode] {
        guard let node else { return [] }
        if case .sequence(let items, _) = node { return items }
        if case .scalar(_, .null, _) = node { return [] }
        fail(node.location, subject, field: field, "expected a list, found \(node.kindName)")
        return []
    }

    func string(_ node: DocumentNode?, _ subject: String, field: String) -> String? {
        guard let node else { return nil }
        switch node {
        case .scalar(_, .null, _): return nil
        case .scalar(let text, _, _): return text
        default:
            fail(node.location, subject, field: field, "expected a string, found \(node.kindName)")
            return nil
        }
    }

    func bool(_ node: DocumentNode?, _ subject: String, field: String) -> Bool? {
        guard let node else { return nil }
        switch node {
        case .scalar(_, .null, _): return nil
        case .scalar(let text, .bool, _): return ScalarResolution.boolValue(text)
        default:
            fail(node.location, subject, field: field, "expected true or false, found \(node.kindName)")
            return nil
        }
    }

    func number(_ node: DocumentNode?, _ subject: String, field: String) -> Double? {
        guard let node else { return nil }
        switch node {
        case .scalar(_, .null, _): return nil
        case .scalar(let text, .int, _), .scalar(let text, .float, _):
            if let value = ScalarResolution.doubleValue(text), value.isFinite { return value }
            fail(node.location, subject, field: field, "\(text) is not a finite number")
            return nil
        case .scalar(let text, .string, _) where ScalarResolution.isFloat(text):
            return ScalarResolution.doubleValue(text)
        default:
            fail(node.location, subject, field: field, "expected a number, found \(node.kindName)")
            return nil
        }
    }

    func integer(_ node: DocumentNode?, _ subject: String, field: String) -> Int? {
        guard let node, let value = number(node, subject, field: field) else { return nil }
        guard value == value.rounded(), abs(value) < 1e9 else {
            fail(node.location, subject, field: field, "expected a whole number")
            return nil
        }
        return Int(value)
    }

    func enumeration<E>(_ node: DocumentNode?, _ subject: String, field: String, _ cases: [E], name: (E) -> String) -> E? {
        guard let text = string(node, subject, field: field), !text.isEmpty else { return nil }
        if let match = cases.first(where: { name($0) == text }) { return match }
        fail(node?.location, subject, field: field,
             "unknown value \"\(text)\" (expected \(cases.map(name).joined(separator: " or ")))")
        return nil
    }

    func json(_ node: DocumentNode?, _ subject: String, field: String) -> JSONValue? {
        guard let node else { return nil }
        if case .scalar(_, .null, _) = node { return nil }
        do {
            return try node.jsonValue()
        } catch {
            fail(error.location, subject, field: field, error.message)
            return nil
        }
    }

    // MARK: Document

    func decode(_ root: DocumentNode) -> FliptDocument {
        var document = FliptDocument()
        guard let top = members(root, "", field: nil) else { return document }
        let node = DocumentNode.mapping(top, root.location)
        locations[DocumentPath()] = root.location
        if let version = node["version"] { locations[DocumentPath([.key("version")])] = version.location }
        document.version = string(node["version"], "", field: "version")
        if let ns = node["namespace"] {
            document.namespace = decodeNamespace(ns)
            locations[DocumentPath([.key("namespace")])] = ns.location
        }
        namespace = document.namespace.key
        for (index, item) in items(node["flags"], "", field: "flags").enumerated() {
            if let flag = decodeFlag(item, path: DocumentPath([.key("flags"), .index(index)]), position: index + 1) {
                document.flags.append(flag)
            }
        }
        for (index, item) in items(node["segments"], "", field: "segments").enumerated() {
            let path = DocumentPath([.key("segments"), .index(index)])
            if let segment = decodeSegment(item, path: path, position: index + 1) { document.segments.append(segment) }
        }
        document.locations = locations
        return document
    }

    func decodeNamespace(_ node: DocumentNode) -> DocumentNamespace {
        if case .scalar(let text, let kind, _) = node, kind != .null {
            return DocumentNamespace(key: text, isExplicit: true)
        }
        guard let fields = members(node, "namespace", field: nil) else { return DocumentNamespace() }
        let map = DocumentNode.mapping(fields, node.location)
        let key = string(map["key"], "namespace", field: "key") ?? ""
        return DocumentNamespace(
            key: key.isEmpty ? Namespace.defaultKey : key, name: string(map["name"], "namespace", field: "name"),
            description: string(map["description"], "namespace", field: "description"), isExplicit: true)
    }
}
