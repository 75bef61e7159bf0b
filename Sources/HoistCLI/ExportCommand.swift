import ArgumentParser
import Foundation
import HoistCore
import HoistDocuments
import HoistTransfer

/// `hoist export`: write flags and segments as Flipt import documents.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export flags and segments in Flipt's import/export format (YAML or JSON).",
        discussion: """
            Reads from the database named by the configuration (--config, else the same lookup as serve), \
            or from a running server with --address (Hoist or Flipt; every list is paged to the end, \
            including more than 25 namespaces). Writes one document per namespace: YAML documents \
            separated by ---, or one JSON object per line. The first document carries version "1.4".

            Examples:
              hoist export -o flags.yml
              hoist export --all-namespaces --sort-by-key -o everything.json
              hoist export -a http://localhost:8080 -t $TOKEN --namespaces prod,staging
            """)

    @Option(name: [.short, .long], help: ArgumentHelp(
        "File to write (default: stdout). .json selects JSON; anything else YAML. Files start with an '# exported by' comment.",
        valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated namespace keys to export (default: default).", valueName: "keys"))
    var namespaces: String?

    @Option(name: [.customShort("n"), .customLong("namespace")], help: ArgumentHelp("Deprecated alias of --namespaces.", visibility: .hidden))
    var namespace: String?

    @ArgumentParser.Flag(name: .long, help: "Export every namespace (not with --namespaces).")
    var allNamespaces = false

    @ArgumentParser.Flag(name: .long, help: "Sort namespaces, flags, segments and variants by key (rules and rollouts keep their rank order).")
    var sortByKey = false

    @OptionGroup var transfer: TransferOptions

    func validate() throws {
        if allNamespaces && (namespaces != nil || namespace != nil) {
            throw ValidationError("--all-namespaces cannot be combined with --namespaces")
        }
    }

    var selection: NamespaceSelection {
        if allNamespaces { return .all }
        let list = (namespaces ?? namespace ?? Namespace.defaultKey).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return .named(list.isEmpty ? [Namespace.defaultKey] : list)
    }

    func run() async throws {
        TransferOptions.bootstrapQuietLogging()
        try await Terminal.run {
            let documents = try await transfer.withTransfer { source in
                try await Exporter.documents(from: source, selection: selection, sortByKey: sortByKey)
            }
            guard let output else {
                FileHandle.standardOutput.write(Data(DocumentEncoder.encode(documents, as: .yaml).utf8))
                return
            }
            let date = Timestamp(microseconds: Int64(Date().timeIntervalSince1970) * 1_000_000).rfc3339Seconds
            let text = DocumentEncoder.header(version: HoistVersion.string, date: date)
                + DocumentEncoder.encode(documents, as: .forPath(output))
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("writing \(output): \(error.localizedDescription)")
            }
        }
    }
}
