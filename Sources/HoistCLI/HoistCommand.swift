public import ArgumentParser
import Foundation
import HoistCore
import HoistServer
import Logging

/// `hoist`: the Flipt v1-compatible feature-flag server.
public struct HoistCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hoist",
        abstract: "A Flipt v1-compatible feature-flag server.",
        discussion: """
            Without a subcommand, hoist serves (see hoist serve --help). import, export and validate \
            work with Flipt's flag files; config init writes a starting configuration file.
            """,
        version: HoistVersion.string,
        subcommands: [ServeCommand.self, ImportCommand.self, ExportCommand.self, ValidateCommand.self, ConfigCommand.self],
        defaultSubcommand: ServeCommand.self)

    public init() {}
}

/// `hoist serve`: start the HTTP server (the default when no subcommand is given).
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the server (SQLite by default; no configuration needed).",
        discussion: """
            Configuration comes from --config, else Flipt's default locations, else built-in defaults; \
            FLIPT_* environment variables override the file (e.g. FLIPT_SERVER_HTTP_PORT, FLIPT_DB_URL). \
            hoist config init writes a commented file with every setting.

            Examples:
              hoist serve
              FLIPT_SERVER_HTTP_PORT=9090 FLIPT_DB_URL=file:/tmp/flags.db hoist serve
              hoist serve --config /etc/hoist/config.yml
            """)

    @Option(name: .long, help: "Path to a Flipt-compatible YAML configuration file.")
    var config: String?

    public init() {}

    public func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration: HoistConfiguration
        let source: String?
        do {
            (configuration, source) = try HoistConfiguration.load(configPath: config, environment: environment)
            LoggingSystem.bootstrap(
                try makeLogHandlerFactory(
                    configuration.log, metadataProvider: configuration.tracing.enabled ? HoistApplication.tracingLogMetadata : nil))
        } catch {
            FileHandle.standardError.write(Data("hoist: configuration error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var logger = Logger(label: "hoist")
        logger.logLevel = configuration.log.swiftLogLevel
        if let source {
            logger.info("configuration loaded", metadata: ["hoist.config.path": "\(source)"])
        } else {
            logger.info("no configuration file found, using defaults")
        }
        for warning in configuration.warnings {
            logger.warning("configuration warning", metadata: ["hoist.config.warning": "\(warning)"])
        }
        try await HoistApplication.run(configuration: configuration, logger: logger)
    }
}

/// Build version reported by `--version`.
public enum HoistVersion {
    public static let string = HoistBuild.version
}

/// Entry point used by the `hoist` executable.
public enum HoistMain {
    public static func run() async { await HoistCommand.main() }
}
