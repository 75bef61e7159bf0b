import HoistCore

/// Checks decoded documents the way importing them would: Flipt's request validation
/// (`HoistCore.Validation`), version gating (§6.2), unique keys, and references between elements.
public struct DocumentValidator: Sendable {
    /// When true, rules and rollouts may name segments that are not in the file (they may already
    /// exist in the target database); `hoist validate` and declarative storage use false.
    public var allowExternalSegments: Bool

    public init(allowExternalSegments: Bool = false) { self.allowExternalSegments = allowExternalSegments }

    /// The version that governs the stream: the first document's (missing → latest).
    public static func streamVersion(_ documents: [FliptDocument]) -> DocumentVersion? {
        guard let text = documents.first?.version, !text.isEmpty else { return .latest }
        return DocumentVersion(parsing: text)
    }

    public func validate(_ documents: [FliptDocument]) -> [DocumentDiagnostic] {
        validate(files: [documents])[0]
    }

    /// Validates several files as one set (declarative storage: keys must be unique and segments
    /// defined across all files of a namespace). Each file's first document sets that file's
    /// version. Returns the diagnostics of each file, in the order given.
    public func validate(files: [[FliptDocument]]) -> [[DocumentDiagnostic]] {
        var flagsSeen: [String: Set<String>] = [:]
        var segmentsSeen: [String: Set<String>] = [:]
        var segmentsByNamespace: [String: Set<String>] = [:]
        for document in files.joined() {
            segmentsByNamespace[document.namespace.key, default: []].formUnion(document.segments.map(\.key))
        }
        return files.map { documents -> [DocumentDiagnostic] in
            guard !documents.isEmpty else { return [] }
            guard let version = Self.streamVersion(documents) else {
                let first = documents[0]
                return [DocumentDiagnostic(
                    location: first.locations[DocumentPath([.key("version")])] ?? first.locations[DocumentPath()],
                    documentIndex: 1, namespace: first.namespace.key, field: "version",
                    message: "unsupported version: \(first.version ?? "")")]
            }
            var diagnostics: [DocumentDiagnostic] = []
            for (index, document) in documents.enumerated() {
                let ns = document.namespace.key
                var check = DocumentCheck(document: document, documentIndex: index + 1, version: version)
                check.namespace()
                let known = segmentsByNamespace[ns] ?? []
                for (position, flag) in document.flags.enumerated() {
                    check.flag(flag, position: position, seen: &flagsSeen[ns, default: []],
                               knownSegments: allowExternalSegments ? nil : known)
                }
                for (position, segment) in document.segments.enumerated() {
                    check.segment(segment, position: position, seen: &segmentsSeen[ns, default: []])
                }
                diagnostics += check.diagnostics
            }
            return diagnostics
        }
    }
}

/// The checks of one document; collects diagnostics.
struct DocumentCheck {
    let document: FliptDocument
    let documentIndex: Int
    let version: DocumentVersion
    var diagnostics: [DocumentDiagnostic] = []

    init(document: FliptDocument, documentIndex: Int, version: DocumentVersion) {
        self.document = document
        self.documentIndex = documentIndex
        self.version = version
    }

    mutating func report(_ path: DocumentPath, _ subject: String, field: String?, _ message: String) {
        var probe = path
        var location = document.locations[probe]
        while location == nil, !probe.components.isEmpty {
            probe.components.removeLast()
            location = document.locations[probe]
        }
        diagnostics.append(DocumentDiagnostic(
            location: location, documentIndex: documentIndex, namespace: document.namespace.key, subject: subject,
            field: field, message: message))
    }

    /// Runs a HoistCore validation and reports its `invalid field X: reason` as field X.
    mutating func request(_ path: DocumentPath, _ subject: String, _ body: () throws(HoistError) -> Void) {
        do {
            try body()
        } catch {
            let prefix = "invalid field "
            if error.message.hasPrefix(prefix), let colon = error.message.firstIndex(of: ":") {
                let field = String(error.message[error.message.index(error.message.startIndex, offsetBy: prefix.count)..<colon])
                let reason = error.message[error.message.index(after: colon)...].trimmingPrefix(" ")
                report(path.appending(field), subject, field: field, String(reason))
            } else {
                report(path, subject, field: nil, error.message)
            }
        }
    }

    mutating func gate(_ feature: String, _ minimum: DocumentVersion, _ path: DocumentPath, _ subject: String,
                       field: String) {
        if version < minimum {
            report(path, subject, field: field, "\(feature) is supported in version >=\(minimum), found \(version)")
        }
    }

    mutating func namespace() {
        let ns = document.namespace
        let path = DocumentPath([.key("namespace")])
        guard ns.isExplicit, ns.key != Namespace.defaultKey else { return }
        request(path, "namespace") { () throws(HoistError) in
            try Validation.validate(CreateNamespaceRequest(key: ns.key, name: ns.name.flatMap { $0.isEmpty ? nil : $0 } ?? ns.key))
        }
    }

    mutating func segment(_ segment: DocumentSegment, position: Int, seen: inout Set<String>) {
        let path = DocumentPath([.key("segments"), .index(position)])
        let namespaceKey = document.namespace.key
        let subject = DocumentDecoder.label("segment", key: segment.key, position: position + 1)
        request(path, subject) { () throws(HoistError) in
            try Validation.validate(
                CreateSegmentRequest(namespaceKey: namespaceKey, key: segment.key, name: segment.name),
                creating: true)
        }
        if !segment.key.isEmpty && !seen.insert(segment.key).inserted {
            report(path.appending("key"), subject, field: "key", "duplicate segment key \"\(segment.key)\" in namespace")
        }
        for (index, constraint) in segment.constraints.enumerated() {
            let constraintPath = path.appending("constraints").appending(index)
            let constraintSubject = DocumentDecoder.joined(subject, "constraint \(index + 1)")
            let request = ConstraintRequest(
                namespaceKey: document.namespace.key, segmentKey: segment.key.isEmpty ? "-" : segment.key,
                type: constraint.type, property: constraint.property, operator: constraint.operator,
                value: constraint.value, description: constraint.description)
            do {
                _ = try Validation.validatedConstraint(
                    request, updating: false, normalizeDatetime: GoDateTime.normalizedConstraintValue)
            } catch {
                let (field, reason) = Self.constraintProblem(error.message)
                report(constraintPath.appending(field), constraintSubject, field: field, reason)
            }
        }
    }

    /// The field a constraint validation message is about, and the message without its `invalid field X:` prefix.
    static func constraintProblem(_ message: String) -> (field: String, reason: String) {
        let prefix = "invalid field "
        if message.hasPrefix(prefix), let colon = message.firstIndex(of: ":") {
            let field = String(message[message.index(message.startIndex, offsetBy: prefix.count)..<colon])
            return (field, String(message[message.index(after: colon)...].drop(while: { $0 == " " })))
        }
        if message.contains("constraint type") { return ("type", message) }
        if message.contains("operator") { return ("operator", message) }
        if message.hasPrefix("property is") { return ("property", message) }
        return ("value", message)
    }
}
