import ArgumentParser
import Foundation
import HoistServer

/// `hoist config`: configuration helpers.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the configuration file.",
        subcommands: [ConfigInitCommand.self])
}

/// `hoist config init`: write a commented configuration with every default.
struct ConfigInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented default configuration file.",
        discussion: """
            The file lists every setting Hoist reads, each with its default (commented out, so the file \
            changes nothing until you edit it) and its FLIPT_* environment variable. It is in Flipt's \
            format: Flipt can read it too.

            By default it goes where serve looks first: $XDG_CONFIG_HOME/hoist/config.yml (else \
            ~/.config/hoist/config.yml). An existing file is never replaced unless --force is given.

            Examples:
              hoist config init
              hoist config init -o ./config.yml && hoist serve --config ./config.yml
              hoist config init -o - > config.yml
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("Where to write ('-' for stdout).", valueName: "path"))
    var output: String?

    @Flag(name: .long, help: "Replace an existing file.")
    var force = false

    func run() async throws {
        try await Terminal.run {
            let environment = ProcessInfo.processInfo.environment
            let path: String
            if let output {
                path = output
            } else if let directory = HoistConfiguration.userConfigDirectory(environment: environment) {
                path = directory + "/hoist/config.yml"
            } else {
                throw CLIError("no user configuration directory (neither XDG_CONFIG_HOME nor HOME is set): use -o")
            }
            if path == "-" {
                FileHandle.standardOutput.write(Data(DefaultConfigurationFile.text.utf8))
                return
            }
            if FileManager.default.fileExists(atPath: path) && !force {
                throw CLIError("\(path) already exists; use --force to replace it")
            }
            do {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try DefaultConfigurationFile.text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("writing \(path): \(error.localizedDescription)")
            }
            Terminal.printError("wrote \(path)")
        }
    }
}
