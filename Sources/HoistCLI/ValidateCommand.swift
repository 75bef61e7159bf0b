import ArgumentParser
import Foundation
import HoistDocuments

/// `hoist validate FILE…`: check import/export files without a server.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check flag files in Flipt's import format, without a server or database.",
        usage: "hoist validate FILE [FILE…]",
        discussion: """
            Each file is read as YAML (one document per namespace, separated by ---) or, when its name \
            ends in .json, as a stream of JSON objects. Every problem is printed on stderr as
              FILE:LINE:COLUMN: document N (namespace "NS"), flag "KEY", rule 2, field segment: what is wrong
            The checks are those of an import: YAML/JSON syntax, the document version (1.0 to 1.4) and the \
            features it allows, required keys and names, key characters, unique flag, segment and variant \
            keys, constraint types, operators and values, rule and rollout segments defined in the same \
            namespace, distributions naming variants of their flag, percentages between 0 and 100.

            Exit status: 0 when every file is valid, 1 when any file has a problem, 2 when a file cannot be read.
            """)

    @Argument(help: ArgumentHelp("Files to check (.yml, .yaml or .json).", valueName: "file"))
    var files: [String]

    @ArgumentParser.Flag(name: .shortAndLong, help: "Print nothing for valid files.")
    var quiet = false

    @ArgumentParser.Flag(name: .long, help: ArgumentHelp(
        "Check the files as one set, like a directory of declarative flag files: keys unique and segments defined across all files of a namespace."))
    var together = false

    func run() async throws {
        var inputs: [(path: String?, text: String, encoding: DocumentEncoding)] = []
        for path in files {
            do {
                inputs.append((path: path, text: try String(contentsOfFile: path, encoding: .utf8), encoding: .forPath(path)))
            } catch {
                Terminal.printError("hoist: reading \(path): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if together {
            do {
                let documents = try DocumentFile.readSet(inputs)
                if !quiet { print("\(files.count) file(s) ok together (\(documents.count) document(s))") }
            } catch {
                Terminal.printError(error.description)
                throw ExitCode(1)
            }
            return
        }
        var failed = false
        for (path, text, _) in inputs.map({ ($0.path ?? "", $0.text, $0.encoding) }) {
            do {
                let documents = try DocumentFile.read(text, path: path, encoding: .forPath(path))
                if !quiet {
                    let flags = documents.reduce(0) { $0 + $1.flags.count }
                    let segments = documents.reduce(0) { $0 + $1.segments.count }
                    print("\(path): ok (\(documents.count) document(s), \(flags) flag(s), \(segments) segment(s))")
                }
            } catch {
                failed = true
                Terminal.printError(error.description)
            }
        }
        if failed { throw ExitCode(1) }
    }
}
