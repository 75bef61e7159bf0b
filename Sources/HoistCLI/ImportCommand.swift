import ArgumentParser
import Foundation
import HoistDocuments
import HoistStorage
import HoistTransfer

/// `hoist import FILE`: create flags and segments from Flipt import documents.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import flags and segments from a file in Flipt's import/export format.",
        discussion: """
            The file is checked completely first (as hoist validate does, except that rules may name \
            segments that already exist in the target); nothing is written if it has a problem. \
            Namespaces named by the documents are created when missing.

            Against the database (no --address) a file is imported in one transaction: all of it or \
            nothing. --drop deletes every namespace first, in the same transaction.

            Against a running server (--address) every entity is one API request, as with flipt import: \
            the first failure stops the import and what was created before it stays. Finish with \
            --skip-existing, or start over with --drop.

            Errors name the document, the flag or segment and the field, e.g.
              document 1 (namespace "default"), flag "dup": flag "default/dup" is not unique

            Examples:
              hoist import flags.yml
              hoist export --address http://old:8080 | hoist import --stdin --skip-existing
              hoist import --drop -a http://localhost:8080 -t $TOKEN backup.json
            """)

    @Argument(help: ArgumentHelp("File to import (.yml/.yaml, or .json). Not with --stdin.", valueName: "file"))
    var file: String?

    @ArgumentParser.Flag(name: .long, help: "Read YAML documents from standard input.")
    var stdin = false

    @ArgumentParser.Flag(name: .long, help: "Leave flags and segments whose key already exists alone (with their variants, rules and rollouts).")
    var skipExisting = false

    @ArgumentParser.Flag(name: .long, help: "Delete every namespace and its contents before importing (default comes back empty).")
    var drop = false

    @OptionGroup var transfer: TransferOptions

    func validate() throws {
        if stdin == (file != nil) { throw ValidationError("give either a FILE or --stdin") }
    }

    func run() async throws {
        TransferOptions.bootstrapQuietLogging()
        try await Terminal.run {
            let (text, name, encoding) = try readInput()
            let documents: [FliptDocument]
            do {
                documents = try DocumentFile.read(
                    text, path: name, encoding: encoding, validator: DocumentValidator(allowExternalSegments: true))
            } catch let error as DocumentErrors {
                throw CLIError(error.description)
            }
            let batch = DocumentConversion.importBatch(documents, skipExisting: skipExisting)
            let bar = ProgressBar(label: "importing", total: batch.entityCount)
            let summary = try await transfer.withTransfer { target in
                try await target.importBatch(batch, drop: drop) { done, total in bar.update(done, total) }
            }
            bar.finish()
            var line = "imported \(name): \(summary.flagsCreated) flag(s), \(summary.segmentsCreated) segment(s)"
            if summary.namespacesCreated > 0 { line += ", \(summary.namespacesCreated) new namespace(s)" }
            if summary.flagsSkipped + summary.segmentsSkipped > 0 {
                line += "; skipped \(summary.flagsSkipped) existing flag(s), \(summary.segmentsSkipped) segment(s)"
            }
            Terminal.printError(line)
        }
    }

    func readInput() throws -> (String, String, DocumentEncoding) {
        if stdin {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(data: data, encoding: .utf8) else { throw CLIError("stdin is not UTF-8 text") }
            return (text, "<stdin>", .yaml)
        }
        let path = file ?? ""
        do {
            return (try String(contentsOfFile: path, encoding: .utf8), path, .forPath(path))
        } catch {
            throw CLIError("reading \(path): \(error.localizedDescription)", code: 2)
        }
    }
}
