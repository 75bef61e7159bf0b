import Crypto
public import HoistCore
public import HoistDocuments

/// Everything a directory of declarative files declares, ready to answer reads.
public struct DeclarativeCatalog: Sendable {
    /// Namespaces in listing order: `default` first (it always exists, as in Flipt), then by first
    /// appearance in the files sorted by path.
    public var namespaces: [DeclaredNamespace]
    /// Segment keys per namespace in declaration order (the state keeps them in a dictionary).
    public var segmentOrder: [String: [String]]
    /// Content version per namespace: a digest of the files that declare it.
    public var versions: [String: String]

    func namespace(_ key: String) -> DeclaredNamespace? {
        namespaces.first { $0.namespace.key == key }
    }
}

/// Reads and checks every declarative file of a directory into a ``DeclarativeCatalog``.
public enum DeclarativeLoader {
    /// - Parameter previous: namespaces whose version did not change are taken over unchanged, so
    ///   their timestamps stay put across reloads.
    /// - Throws: ``DocumentErrors`` naming file, line and element of every problem.
    public static func load(
        _ directory: DeclarativeDirectory, previous: DeclarativeCatalog?, now: Timestamp
    ) throws(DocumentErrors) -> DeclarativeCatalog {
        guard let files = directory.files() else {
            throw DocumentErrors([DocumentDiagnostic(
                file: directory.path, location: nil, documentIndex: nil,
                message: "storage.local.path is not a readable directory")])
        }
        var documents: [(file: String, document: FliptDocument)] = []
        var digests: [String: SHA256] = [:]
        var diagnostics: [DocumentDiagnostic] = []
        for file in files {
            let text: String
            do {
                text = try directory.read(file)
            } catch {
                diagnostics.append(DocumentDiagnostic(
                    file: file, location: nil, documentIndex: nil, message: "cannot read file: \(error)"))
                continue
            }
            do {
                let read = try DocumentFile.read(
                    text, path: file, encoding: .yaml, validator: DocumentValidator(allowExternalSegments: true))
                for document in read {
                    documents.append((file, document))
                    var digest = digests[document.namespace.key] ?? SHA256()
                    digest.update(data: Array((file + "\u{0}" + text + "\u{0}").utf8))
                    digests[document.namespace.key] = digest
                }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        diagnostics += crossFileProblems(documents)
        guard diagnostics.isEmpty else { throw DocumentErrors(diagnostics) }

        var versions = digests.mapValues { digest in
            digest.finalize().prefix(12).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
        }
        let defaultKey = Namespace.defaultKey
        if versions[defaultKey] == nil { versions[defaultKey] = "empty" }
        var declared = DeclaredState.namespaces(documents.map(\.document), version: "", now: now)
        if !declared.contains(where: { $0.namespace.key == defaultKey }) {
            declared += DeclaredState.namespaces([FliptDocument(namespace: DocumentNamespace(key: defaultKey))], version: "", now: now)
        }
        declared = declared.filter { $0.namespace.key == defaultKey } + declared.filter { $0.namespace.key != defaultKey }
        var segmentOrder: [String: [String]] = [:]
        for (_, document) in documents {
            segmentOrder[document.namespace.key, default: []] += document.segments.map(\.key)
        }
        let namespaces = declared.map { fresh -> DeclaredNamespace in
            let key = fresh.namespace.key
            let version = versions[key] ?? ""
            if let kept = previous?.namespace(key), kept.state.version == version { return kept }
            var made = fresh
            made.state.version = version
            return made
        }
        return DeclarativeCatalog(namespaces: namespaces, segmentOrder: segmentOrder, versions: versions)
    }

    /// What per-file validation cannot see: keys declared twice for one namespace in different
    /// files, and rules or rollouts naming a segment no file declares.
    static func crossFileProblems(_ documents: [(file: String, document: FliptDocument)]) -> [DocumentDiagnostic] {
        var flagFiles: [String: String] = [:]
        var segmentFiles: [String: String] = [:]
        var segments: [String: Set<String>] = [:]
        var problems: [DocumentDiagnostic] = []
        for (file, document) in documents {
            let ns = document.namespace.key
            for (index, segment) in document.segments.enumerated() {
                segments[ns, default: []].insert(segment.key)
                if let first = segmentFiles[ns + "/" + segment.key], first != file {
                    problems.append(diagnostic(file, document, [.key("segments"), .index(index)],
                        subject: "segment \"\(segment.key)\"", "segment already declared in \(first)"))
                }
                segmentFiles[ns + "/" + segment.key] = segmentFiles[ns + "/" + segment.key] ?? file
            }
            for (index, flag) in document.flags.enumerated() {
                if let first = flagFiles[ns + "/" + flag.key], first != file {
                    problems.append(diagnostic(file, document, [.key("flags"), .index(index)],
                        subject: "flag \"\(flag.key)\"", "flag already declared in \(first)"))
                }
                flagFiles[ns + "/" + flag.key] = flagFiles[ns + "/" + flag.key] ?? file
            }
        }
        for (file, document) in documents {
            let known = segments[document.namespace.key] ?? []
            for (index, flag) in document.flags.enumerated() {
                let references = flag.rules.flatMap(\.segment.keys) + flag.rollouts.flatMap { rollout -> [String] in
                    if case .segment(let reference, _) = rollout.target { return reference.keys }
                    return []
                }
                for missing in Set(references).subtracting(known).sorted() {
                    problems.append(diagnostic(file, document, [.key("flags"), .index(index)],
                        subject: "flag \"\(flag.key)\"", "segment \"\(missing)\" is not declared in namespace \"\(document.namespace.key)\""))
                }
            }
        }
        return problems
    }

    static func diagnostic(
        _ file: String, _ document: FliptDocument, _ path: [DocumentPath.Component], subject: String, _ message: String
    ) -> DocumentDiagnostic {
        DocumentDiagnostic(
            file: file, location: document.locations[DocumentPath(path)], documentIndex: nil,
            namespace: document.namespace.key, subject: subject, message: message)
    }
}
