import HoistAPI
import HoistCore
public import HoistObservability
public import HoistStorage
public import Logging
import ServiceLifecycle

extension HoistApplication {
    /// The evaluation analytics of one server (`analytics.*`, see ``HoistConfiguration/Analytics``).
    public struct AnalyticsSetup: Sendable {
        /// Counts evaluations in memory; nil when `analytics.storage.database.enabled` is false.
        public let counter: EvaluationCounter?
        /// Writes the counts to the database; nil without a counter.
        public let flusher: EvaluationCountFlusher?
        /// Answers the analytics endpoint: Prometheus when enabled, else the database; nil when
        /// analytics is off.
        public let source: (any EvaluationCountSource)?
    }

    /// Builds the analytics from `analytics.*`. The built-in counts need a store that keeps them
    /// (``EvaluationCountStore``); `clock` (Unix seconds) is injectable for tests.
    public static func makeAnalytics(
        configuration: HoistConfiguration, store: any FlagStore, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = EvaluationCounter.coarseUnixSeconds
    ) -> AnalyticsSetup {
        let config = configuration.analytics
        var counter: EvaluationCounter?
        var flusher: EvaluationCountFlusher?
        var source: (any EvaluationCountSource)?
        if config.databaseEnabled, let countStore = store as? any EvaluationCountStore {
            let live = EvaluationCounter(clock: clock)
            counter = live
            flusher = EvaluationCountFlusher(
                counter: live, store: countStore, flushPeriod: config.flushPeriod, retention: config.retention,
                logger: logger)
            source = StoredEvaluationCounts(store: countStore, counter: live)
        }
        if config.prometheusEnabled {
            source = PrometheusEvaluationCounts(url: config.prometheusURL, headers: config.prometheusHeaders)
        }
        logger.info(
            "evaluation analytics",
            metadata: [
                "hoist.analytics.counting": "\(counter != nil)",
                "hoist.analytics.storage": "\(source?.name ?? "none")",
            ])
        return AnalyticsSetup(counter: counter, flusher: flusher, source: source)
    }
}

/// Runs the analytics flusher in the service group. Placed before HTTP, so it stops after the
/// server: the counts of the last requests are flushed on shutdown.
struct AnalyticsService: Service {
    let flusher: EvaluationCountFlusher

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await flusher.run()
        }
    }
}
