public import HoistAPI
import HoistCore
public import HoistEngine
public import HoistObservability
public import HoistStorage
import HoistStorageSQLite
public import HoistStorageLocal
import Hummingbird
public import Logging
public import ServiceLifecycle
import UnixSignals

/// Builds the running server from its configuration: storage, snapshot engine, health, HTTP.
///
/// Service order: storage is opened and every namespace snapshot loaded before the HTTP server
/// accepts traffic; the snapshot poller runs beside it. On SIGTERM/SIGINT the shutdown gate goes
/// first (so `/health` answers 503 while connections drain), then HTTP stops, then the poller.
public enum HoistApplication {
    /// Everything the server is made of, for tests and for the CLI.
    public struct Parts: Sendable {
        public let store: any FlagStore
        public let engine: SnapshotEngine
        public let health: HealthRegistry
        public let api: HoistAPI
        /// The audit dispatcher, nil when no audit sink is enabled.
        public var audit: AuditDispatcher? = nil
        /// The tracing pipeline, nil when `tracing.enabled` is false.
        public var tracing: TracingSetup? = nil
        /// Evaluation counting and the analytics endpoint's backend.
        public var analytics: AnalyticsSetup? = nil
        /// The decision log and status reporter.
        public var monitoring: Monitoring? = nil
        /// The OTLP metrics exporter (`metrics.exporter: otlp`), nil otherwise.
        public var metricsExporter: (any Service)? = nil
        /// Reloads declarative files (`storage.type: local`); nil for the database.
        public var declarativeWatcher: DeclarativeWatcher? = nil
        /// Everything `/metrics` serves.
        public var metrics: HoistMetrics { api.metrics }
    }

    /// Opens the store named by the configuration and loads every namespace snapshot.
    public static func makeParts(configuration: HoistConfiguration, logger: Logger) async throws -> Parts {
        let metricsSetup = try makeMetricsSetup(configuration: configuration, logger: logger)
        let metrics = metricsSetup.metrics
        let auditSetup = makeAuditSetup(configuration: configuration, metrics: metrics)
        let tracing = try makeTracing(configuration: configuration, metrics: metrics, logger: logger)
        let store = try openStore(
            configuration: configuration, logger: logger, audit: auditSetup.policy,
            instrumentation: tracing.map { StoreTracing(tracer: $0.backend.tracer) })
        let engine = SnapshotEngine(
            store: store, logger: logger, clock: { HoistAPI.now() }, observer: .recording(into: metrics))
        let health = HealthRegistry()
        registerHealthChecks(health, store: store, engine: engine)
        try await engine.loadAll()
        var api = HoistAPI(store: store, engine: engine, logger: logger, health: health, metrics: metrics)
        configureClientEndpoints(&api, configuration: configuration)
        api.tracer = tracing?.backend
        let analytics = makeAnalytics(configuration: configuration, store: store, logger: logger)
        (api.evaluationCounter, api.analyticsSource) = (analytics.counter, analytics.source)
        api.meta = makeMetaDocuments(configuration: configuration, analyticsEnabled: analytics.source != nil)
        let monitoring = makeMonitoring(
            configuration: configuration, health: health, engine: engine, metrics: metrics, tracer: tracing?.backend,
            logger: logger)
        (api.decisionLog, api.status) = (monitoring.decisionLogs?.buffer, monitoring.status)
        var parts = Parts(store: store, engine: engine, health: health, api: api)
        parts.tracing = tracing
        parts.analytics = analytics
        parts.monitoring = monitoring
        parts.metricsExporter = metricsSetup.exporter
        parts.declarativeWatcher = makeDeclarativeWatcher(store: store, engine: engine, metrics: metrics, logger: logger)
        if let outbox = store as? any AuditOutbox {
            parts.audit = try makeAuditDispatcher(
                setup: auditSetup, outbox: outbox, logEncoding: configuration.log.encoding.rawValue, logger: logger)
            if let audit = parts.audit {
                try await audit.prepareCursors()
                registerAuditHealth(health, dispatcher: audit, threshold: configuration.audit.backlogWarnThreshold)
            }
        }
        return parts
    }

    static func openStore(
        configuration: HoistConfiguration, logger: Logger, audit: AuditPolicy = .disabled,
        instrumentation: (any StoreInstrumentation)? = nil
    ) throws -> any FlagStore {
        if configuration.storage.type == .local { return try openLocalStore(configuration: configuration, logger: logger) }
        let path = configuration.db.sqlitePath
        logger.info("opening database", metadata: ["hoist.db.path": "\(path)"])
        return try SQLiteFlagStore(path: path, logger: logger, audit: audit, instrumentation: instrumentation)
    }

    /// `storage`: the database answers and accepts a write lock; `snapshots`: every namespace loaded
    /// and no rebuild failing.
    static func registerHealthChecks(_ health: HealthRegistry, store: any FlagStore, engine: SnapshotEngine) {
        health.register("storage") {
            do {
                try await store.ping()
                return declarativeHealth(store) ?? .ok
            } catch let error as HoistError {
                return ComponentStatus(.error, error.message)
            } catch {
                return ComponentStatus(.error, "\(error)")
            }
        }
        health.register("snapshots") {
            guard engine.isLoaded else { return ComponentStatus(.notReady, "namespace snapshots are loading") }
            let failed = engine.failedRebuilds
            guard failed.isEmpty else {
                let names = failed.keys.sorted().joined(separator: ", ")
                return ComponentStatus(.error, "snapshot rebuild failed for namespace(s) \(names)")
            }
            return .ok
        }
    }

    /// The Hummingbird application serving `parts`.
    public static func makeApplication(
        parts: Parts, configuration: HoistConfiguration, logger: Logger
    ) -> Application<HoistResponder> {
        Application(
            responder: parts.api.responder(),
            configuration: .init(
                address: .hostname(configuration.server.host, port: configuration.server.httpPort),
                serverName: nil),
            logger: logger)
    }

    /// Runs the server until SIGTERM/SIGINT.
    public static func run(configuration: HoistConfiguration, logger: Logger) async throws {
        let parts = try await makeParts(configuration: configuration, logger: logger)
        parts.metrics.bootstrapMetricsSystem()
        let app = makeApplication(parts: parts, configuration: configuration, logger: logger)
        let poller = SnapshotPoller(engine: parts.engine, interval: .seconds(5), logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: PollerService(poller: poller))]
        // Audit stops after HTTP (reverse order), so every acknowledged write has had its chance.
        if let audit = parts.audit { services.append(.init(service: AuditService(dispatcher: audit))) }
        if let watcher = parts.declarativeWatcher { services.append(.init(service: DeclarativeWatcherService(watcher: watcher))) }
        if let flusher = parts.analytics?.flusher { services.append(.init(service: AnalyticsService(flusher: flusher))) }
        if let telemetry = makeTelemetry(configuration: configuration, logger: logger) {
            services.append(TelemetryService(reporter: telemetry).configuration)
        }
        // Span export stops after HTTP too, flushing the spans of the last requests.
        if let tracing = parts.tracing { services.insert(.init(service: tracing.service), at: 0) }
        // Status and decision logs stop after HTTP (final upload and report), before span export.
        services.insert(contentsOf: parts.monitoring?.services ?? [], at: parts.tracing == nil ? 0 : 1)
        if let exporter = parts.metricsExporter { services.insert(.init(service: exporter), at: 0) }
        let group = ServiceGroup(
            configuration: .init(
                services: services + [
                    .init(service: app),
                    .init(service: ShutdownGate(health: parts.health, logger: logger)),
                    .init(service: SnapshotStreamShutdown(hub: parts.api.snapshotStreams)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "starting server",
            metadata: ["hoist.http.host": "\(configuration.server.host)", "hoist.http.port": "\(configuration.server.httpPort)"])
        try await group.run()
        logger.info("server stopped")
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

/// The last service in the group, so the first to hear of graceful shutdown: it flips `/health` to
/// 503 before the HTTP server stops accepting, so load balancers drain this instance first.
struct ShutdownGate: Service {
    let health: HealthRegistry
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        health.beginShutdown()
        logger.info("graceful shutdown started")
    }
}
