import Foundation
import HoistAPI
import HoistCore
public import HoistEngine
public import HoistObservability
public import Logging
import ServiceLifecycle

extension HoistApplication {
    /// OPA-style monitoring of one server: the decision log (nil unless `decision_logs.enabled`)
    /// and the status reporter (always built, for `GET /api/v1/status`; it pushes or logs only when
    /// `status.service` or `status.console` is set).
    public struct Monitoring: Sendable {
        public var decisionLogs: DecisionLogUploader?
        public var status: StatusReporter
        public var identity: InstanceIdentity

        /// The services to run: status first, so on shutdown it stops last and its final report
        /// sees the decision log's final upload.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] {
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if status.isActive { services.append(.init(service: StatusService(reporter: status))) }
            if let decisionLogs { services.append(.init(service: DecisionLogService(uploader: decisionLogs))) }
            return services
        }
    }

    /// Where the instance id lives: the state directory telemetry uses too
    /// (``HoistConfiguration/Meta/resolvedStateDirectory(environment:)``), else the process's home
    /// directory + `/.config/hoist`.
    public static func instanceStateDirectory(
        configuration: HoistConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        configuration.meta.resolvedStateDirectory(environment: environment) ?? NSHomeDirectory() + "/.config/hoist"
    }

    /// Builds the decision log and status reporter and registers the `decision_logs` component.
    public static func makeMonitoring(
        configuration: HoistConfiguration, health: HealthRegistry, engine: SnapshotEngine, metrics: HoistMetrics,
        tracer: TracingBackend?, logger: Logger
    ) -> Monitoring {
        let identity = InstanceIdentity(
            directory: instanceStateDirectory(configuration: configuration), logger: logger)
        let configured = configuration.status.labels.filter { $0.key != "id" && $0.key != "version" }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let labels: @Sendable () -> [(String, String)] = {
            [("id", identity.id), ("version", HoistBuild.version)] + configured
        }
        let decisionLogs = makeDecisionLogs(
            configuration.decisionLogs, labels: labels, metrics: metrics, tracer: tracer, logger: logger)
        if let decisionLogs {
            health.register("decision_logs", requiredForReadiness: false) { decisionLogs.componentStatus }
        }
        let status = configuration.status
        let options = StatusReporter.Options(
            serviceURL: status.service.isEmpty ? nil : status.service, partition: status.partitionName,
            console: status.console, interval: status.interval, watchInterval: status.watchInterval)
        let reporter = StatusReporter(
            options: options,
            sources: .init(
                health: health,
                namespaces: {
                    engine.allSnapshots.values.map { snapshot in
                        SnapshotStatus(
                            namespace: snapshot.namespaceKey, revision: snapshot.etag,
                            builtAtSeconds: Double(snapshot.builtAt.microseconds) / 1e6, flagCount: snapshot.flagCount)
                    }
                },
                decisionLogs: decisionLogs, registry: metrics.registry, labels: labels),
            poster: status.service.isEmpty
                ? nil : OutboundPoster(headers: status.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, tracer: tracer),
            logger: logger, clock: { HoistAPI.now() })
        if reporter.isActive {
            logger.info(
                "status reports enabled",
                metadata: ["hoist.status.endpoint": "\(options.endpoint ?? "console")", "hoist.status.interval": "\(status.interval)"])
        }
        return Monitoring(decisionLogs: decisionLogs, status: reporter, identity: identity)
    }

    static func makeDecisionLogs(
        _ config: HoistConfiguration.DecisionLogs, labels: @Sendable () -> [(String, String)], metrics: HoistMetrics,
        tracer: TracingBackend?, logger: Logger
    ) -> DecisionLogUploader? {
        guard config.enabled else { return nil }
        let buffer = DecisionLogBuffer(
            limit: config.bufferSizeLimitEvents, dropReasons: config.dropReasons, sampleRatio: config.sampleRatio,
            maxPerSecond: config.maxDecisionsPerSecond)
        let poster = config.service.isEmpty
            ? nil : OutboundPoster(headers: config.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, tracer: tracer)
        logger.info(
            "decision logs enabled",
            metadata: [
                "hoist.decision_logs.service": "\(config.service)", "hoist.decision_logs.console": "\(config.console)",
                "hoist.decision_logs.buffer_size_limit_events": "\(config.bufferSizeLimitEvents)",
                "hoist.decision_logs.gzip": "\(DecisionLogChunker.gzipImplementation)",
            ])
        return DecisionLogUploader(
            buffer: buffer,
            options: .init(
                serviceURL: config.service.isEmpty ? nil : config.service, console: config.console,
                uploadSizeLimit: config.uploadSizeLimitBytes, minDelay: config.minDelay, maxDelay: config.maxDelay),
            encoder: DecisionLogEncoder(maskedKeys: Set(config.mask), labels: labels()), poster: poster,
            metrics: DecisionLogMetrics(registry: metrics.registry), logger: logger, clock: { HoistAPI.now() })
    }
}

/// Runs the status reporter; on graceful shutdown it sends the final report and returns.
struct StatusService: Service {
    let reporter: StatusReporter

    func run() async throws {
        await cancelWhenGracefulShutdown { await reporter.run() }
    }
}

/// Runs the decision-log uploader; on graceful shutdown (after HTTP has stopped) it uploads what
/// is left once and returns.
struct DecisionLogService: Service {
    let uploader: DecisionLogUploader

    func run() async throws {
        await cancelWhenGracefulShutdown { await uploader.run() }
    }
}
