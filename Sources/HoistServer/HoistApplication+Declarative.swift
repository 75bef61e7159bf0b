import HoistAPI
import HoistCore
import HoistDocuments
import HoistEngine
import HoistObservability
import HoistStorage
import HoistStorageLocal
import Logging
import Prometheus
import ServiceLifecycle

/// Declarative storage (`storage.type: local`): the read-only store over `storage.local.path`, the
/// file watcher that reloads it, and how a failed reload is reported.
extension HoistApplication {
    /// Opens the directory; a missing directory or invalid files stop the start-up with every problem listed.
    static func openLocalStore(configuration: HoistConfiguration, logger: Logger) throws -> LocalFlagStore {
        let path = configuration.storage.localPath
        logger.info("opening declarative storage", metadata: ["hoist.storage.path": "\(path)"])
        do {
            return try LocalFlagStore(path: path, clock: { HoistAPI.now() })
        } catch {
            throw HoistError.invalid("declarative storage \(path) is invalid:\n\(error.description)")
        }
    }

    /// The watcher for a declarative store, nil for the database. After each reload it refreshes the
    /// changed namespaces' snapshots at once (the 5 s poller is only a backstop), and on a failed
    /// reload logs every problem with its file and line, counts it in
    /// `hoist_declarative_reload_errors_total` and sets `hoist_declarative_reload_failed` to 1.
    static func makeDeclarativeWatcher(
        store: any FlagStore, engine: SnapshotEngine, metrics: HoistMetrics, logger: Logger
    ) -> DeclarativeWatcher? {
        guard let local = store as? LocalFlagStore else { return nil }
        let reloads = metrics.registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "hoist_declarative_reloads_total", unitName: "",
                helpText: "Reloads of the declarative flag files after a change, valid or not"))
        let errors = metrics.registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "hoist_declarative_reload_errors_total", unitName: "",
                helpText: "Reloads of the declarative flag files that failed (the last good flags keep serving)"))
        let failed = metrics.registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "hoist_declarative_reload_failed", unitName: "",
                helpText: "1 while the declarative flag files on disk are invalid, else 0"))
        failed.set(Double(0))
        return DeclarativeWatcher(store: local) { outcome in
            reloads.increment()
            switch outcome {
            case .reloaded(let changed):
                failed.set(Double(0))
                logger.info(
                    "declarative storage reloaded",
                    metadata: ["hoist.namespaces": "\(changed.joined(separator: ","))"])
                for namespace in changed {
                    do {
                        try await engine.refresh(namespaceKey: namespace)
                    } catch {
                        logger.error(
                            "snapshot refresh failed",
                            metadata: ["hoist.namespace": "\(namespace)", "hoist.error": "\(error)"])
                    }
                }
            case .failed(let diagnostics):
                errors.increment()
                failed.set(Double(1))
                for diagnostic in diagnostics {
                    logger.error(
                        "declarative storage reload failed; keeping the last good flags",
                        metadata: [
                            "hoist.file": "\(diagnostic.file ?? "")",
                            "hoist.line": "\(diagnostic.location.map { String($0.line) } ?? "")",
                            "hoist.error": "\(diagnostic.description)",
                        ])
                }
            }
        }
    }

    /// The `storage` health of a declarative store: WARN with the problem while the files on disk are
    /// invalid (the last good flags still serve), nil for other stores.
    static func declarativeHealth(_ store: any FlagStore) -> ComponentStatus? {
        guard let local = store as? LocalFlagStore, let problem = local.lastReloadError else { return nil }
        return ComponentStatus(.warn, "declarative files invalid, serving the last good version: \(problem)")
    }
}

/// Runs the declarative watcher inside the service group; stops on graceful shutdown.
struct DeclarativeWatcherService: Service {
    let watcher: DeclarativeWatcher

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await watcher.run()
        }
    }
}
