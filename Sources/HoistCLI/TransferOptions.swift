import ArgumentParser
import Foundation
import HoistCore
import HoistServer
import HoistStorageSQLite
import HoistTransfer
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--address`/`--token` (a running server over HTTP) or `--config` (the database directly).
struct TransferOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "Address of a running server (http:// or https://). Without it, the database named by the configuration is used directly.",
        valueName: "url"))
    var address: String?

    @Option(name: [.short, .long], help: "Client token for --address (sent as a bearer token).")
    var token: String?

    @Option(name: .long, help: "Path to a Flipt-compatible configuration file (for direct database access, same lookup as serve).")
    var config: String?

    /// Logs go to stderr, warnings and up only, so stdout stays clean for exported documents.
    static func bootstrapQuietLogging() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
    }

    /// Runs `body` against the chosen side and releases it afterwards.
    func withTransfer<T>(_ body: (any ImportTarget & ExportSource) async throws -> T) async throws -> T {
        if let address, !address.isEmpty {
            let transfer = try HTTPTransfer(address: address, token: token)
            do {
                let result = try await body(transfer)
                try await transfer.shutdown()
                return result
            } catch {
                try? await transfer.shutdown()
                throw error
            }
        }
        let environment = ProcessInfo.processInfo.environment
        let configuration: HoistConfiguration
        do {
            (configuration, _) = try HoistConfiguration.load(configPath: config, environment: environment)
        } catch {
            throw CLIError("configuration error: \(error)", code: 2)
        }
        var logger = Logger(label: "hoist")
        logger.logLevel = .warning
        let store = try SQLiteFlagStore(path: configuration.db.sqlitePath, logger: logger)
        return try await body(StoreTransfer(store: store))
    }
}

/// An error the CLI prints as `hoist: <message>` before exiting with `code`.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var code: Int32

    init(_ description: String, code: Int32 = 1) {
        self.description = description
        self.code = code
    }
}

enum Terminal {
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Runs a command body, turning errors into a message on stderr and an exit code.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CLIError {
            printError("hoist: \(error.description)")
            throw ExitCode(error.code)
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("hoist: \(error)")
            throw ExitCode(1)
        }
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and the job is large.
final class ProgressBar: Sendable {
    let enabled: Bool
    let label: String

    /// - Parameter total: entities to write; below 100 no bar is drawn.
    init(label: String, total: Int, force: Bool = false) {
        self.label = label
        self.enabled = force || (Terminal.standardErrorIsTerminal && total >= 100)
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
