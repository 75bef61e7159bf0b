/// One problem in an import/export file: where it is and what is wrong.
///
/// Rendered as `file:line:column: document N (namespace "ns"): flag "f", rule 2, distribution 1:
/// field variant: …` so an editor can jump to it and a reader knows which element is meant.
public struct DocumentDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name, when known (set by ``DocumentSet/read(_:path:encoding:options:)`` callers).
    public var file: String?
    public var location: SourceLocation?
    /// 1-based index of the document in the file; nil for problems of the whole file.
    public var documentIndex: Int?
    public var namespace: String?
    /// The element, e.g. `flag "checkout", rule 2, distribution 1`; empty for the document itself.
    public var subject: String
    /// The offending field (`variant`, `operator`, …), nil when the element as a whole is wrong.
    public var field: String?
    public var message: String

    public init(file: String? = nil, location: SourceLocation?, documentIndex: Int?, namespace: String? = nil,
                subject: String = "", field: String? = nil, message: String) {
        self.file = file
        self.location = location
        self.documentIndex = documentIndex
        self.namespace = namespace
        self.subject = subject
        self.field = field
        self.message = message
    }

    public var description: String {
        var out = ""
        if let file { out += file + ":" }
        if let location { out += "\(location.line):\(location.column):" }
        if !out.isEmpty { out += " " }
        var place: [String] = []
        if let documentIndex {
            place.append(namespace.map { "document \(documentIndex) (namespace \"\($0)\")" } ?? "document \(documentIndex)")
        }
        if !subject.isEmpty { place.append(subject) }
        if let field { place.append("field \(field)") }
        if !place.isEmpty { out += place.joined(separator: ", ") + ": " }
        return out + message
    }
}

/// Every problem found in one file (thrown when there is at least one).
public struct DocumentErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [DocumentDiagnostic]

    public init(_ diagnostics: [DocumentDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
