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
        try readSet([(path: path, text: text, encoding: encoding)], validator: validator)
    }

    /// Reads several files as one set (a directory of declarative flag files): each file is parsed
    /// and decoded, then all are validated together (see ``DocumentValidator/validate(files:)``).
    /// - Returns: every document of every file, in file order.
    /// - Throws: ``DocumentErrors`` with the problems of all files, each naming its file.
    public static func readSet(
        _ files: [(path: String?, text: String, encoding: DocumentEncoding)],
        validator: DocumentValidator = DocumentValidator()
    ) throws(DocumentErrors) -> [FliptDocument] {
        var decoded: [[FliptDocument]] = []
        var diagnostics: [DocumentDiagnostic] = []
        for file in files {
            do {
                decoded.append(try decode(file.text, path: file.path, encoding: file.encoding))
            } catch {
                decoded.append([])
                diagnostics += error.diagnostics
            }
        }
        if diagnostics.isEmpty {
            for (file, problems) in zip(files, validator.validate(files: decoded)) {
                diagnostics += problems.map { diagnostic in
                    var located = diagnostic
                    located.file = file.path
                    return located
                }
            }
        }
        guard diagnostics.isEmpty else { throw DocumentErrors(diagnostics) }
        return Array(decoded.joined())
    }

    /// Parses and decodes one file without the semantic checks.
    public static func decode(_ text: String, path: String?, encoding: DocumentEncoding)
        throws(DocumentErrors) -> [FliptDocument]
    {
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
