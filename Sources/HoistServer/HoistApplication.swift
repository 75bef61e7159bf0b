import Foundation
public import HoistAPI
import HoistCore
public import HoistEngine
public import HoistStorage
import HoistStorageSQLite
public import Hummingbird
public import Logging
import ServiceLifecycle

/// Builds the running server from its configuration: storage, snapshot engine, HTTP.
///
/// Service order: storage is opened first, snapshots are loaded before the HTTP server accepts
/// traffic, the snapshot poller runs beside it, and HTTP shuts down first on SIGTERM/SIGINT.
public enum HoistApplication {
    /// Everything the server is made of, for tests and for the CLI.
    public struct Parts: Sendable {
        public let store: any FlagStore
        public let engine: SnapshotEngine
        public let api: HoistAPI
    }

    /// Opens the store named by the configuration and loads every namespace snapshot.
    public static func makeParts(configuration: HoistConfiguration, logger: Logger) async throws -> Parts {
        let store = try openStore(configuration: configuration, logger: logger)
        let engine = SnapshotEngine(store: store, logger: logger, clock: { HoistApplication.now() })
        try await engine.loadAll()
        return Parts(store: store, engine: engine, api: HoistAPI(store: store, engine: engine, logger: logger))
    }

    static func openStore(configuration: HoistConfiguration, logger: Logger) throws -> any FlagStore {
        let path = configuration.db.sqlitePath
        logger.info("opening database", metadata: ["hoist.db.path": "\(path)"])
        return try SQLiteFlagStore(path: path, logger: logger)
    }

    /// The Hummingbird application serving `parts`, with the snapshot poller as a companion service.
    public static func makeApplication(
        parts: Parts, configuration: HoistConfiguration, logger: Logger
    ) -> some ApplicationProtocol {
        let poller = SnapshotPoller(engine: parts.engine, interval: .seconds(5), logger: logger)
        return Application(
            responder: parts.api.responder(),
            configuration: .init(
                address: .hostname(configuration.server.host, port: configuration.server.httpPort),
                serverName: nil),
            services: [PollerService(poller: poller)],
            logger: logger)
    }

    /// Runs the server until SIGTERM/SIGINT.
    public static func run(configuration: HoistConfiguration, logger: Logger) async throws {
        let parts = try await makeParts(configuration: configuration, logger: logger)
        let app = makeApplication(parts: parts, configuration: configuration, logger: logger)
        logger.info(
            "starting server",
            metadata: ["hoist.http.host": "\(configuration.server.host)", "hoist.http.port": "\(configuration.server.httpPort)"])
        try await app.runService()
    }

    static func now() -> Timestamp {
        Timestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }
}

/// Runs the snapshot poller inside the service group; stops on graceful shutdown.
struct PollerService: Service {
    let poller: SnapshotPoller

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await poller.run()
        }
    }
}
