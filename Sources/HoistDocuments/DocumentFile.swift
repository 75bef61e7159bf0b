/// Reading a whole import/export file: parse, decode every document, validate.
public enum DocumentFile {
    /// - Parameters:
    ///   - path: used in diagnostics only.
    ///   - validator: pass `DocumentValidator(allowExternalSegments: true)` when the target may
    ///     already hold segments the file refers to.
    /// - Throws: ``DocumentErrors`` with every problem found (syntax errors stop at the first).
    public static func read(
        _ text: String, path: String? = nil, encoding: DocumentEncoding, validator: DocumentValidator = DocumentValidator()
    ) throws(DocumentErrors) -> [FliptDocument] {
        let nodes: [DocumentNode]
        do {
            nodes = try DocumentReader.read(text, encoding: encoding)
        } catch {
            throw DocumentErrors([DocumentDiagnostic(
                file: path, location: error.location, documentIndex: nil, message: error.message)])
        }
        var documents: [FliptDocument] = []
        var diagnostics: [DocumentDiagnostic] = []
        for (index, node) in nodes.enumerated() {
            if case .scalar(_, .null, _) = node { continue }  // an empty document between `---` separators
            let decoder = DocumentDecoder(documentIndex: index + 1)
            documents.append(decoder.decode(node))
            diagnostics += decoder.diagnostics
        }
        if diagnostics.isEmpty && !documents.isEmpty {
            diagnostics = validator.validate(documents)
        }
        guard diagnostics.isEmpty else {
            throw DocumentErrors(diagnostics.map { diagnostic in
                var located = diagnostic
                located.file = path
                return located
            })
        }
        return documents
    }
}
