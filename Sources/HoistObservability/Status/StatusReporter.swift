public import HoistCore
public import Logging
public import Prometheus

/// Pushes status snapshots to a control plane, OPA-style (spec observability §7.4), and builds the
/// snapshot `GET /api/v1/status` returns.
///
/// Config: `status.service`, `status.partition_name`, `status.labels`, `status.console`,
/// `status.interval`, `status.headers` (`FLIPT_STATUS_*`). Reports go to
/// `POST <service>/status[/<partition>]`: once at start (`trigger: initial`), whenever a component's
/// state changes (`change`; components are watched every `watchInterval`), every `interval`
/// (`periodic`, so a control plane is never blind when nothing changes) and once more on shutdown
/// (`shutdown`). A failed POST is retried with backoff (1 s × 2ⁿ, capped at `interval`), always
/// with a fresh snapshot; it never holds up anything but the reporter itself.
public final class StatusReporter: Sendable {
    public struct Options: Sendable {
        /// `status.service` without a trailing slash; nil when reports are not pushed.
        public var serviceURL: String?
        /// `status.partition_name` (empty: `<service>/status`).
        public var partition: String
        /// `status.console`: log each report at info (`Status Log`).
        public var console: Bool
        /// `status.interval`: time between periodic reports.
        public var interval: Duration
        /// How often component states are checked for changes.
        public var watchInterval: Duration

        public init(serviceURL: String?, partition: String, console: Bool, interval: Duration, watchInterval: Duration) {
            self.serviceURL = serviceURL
            self.partition = partition
            self.console = console
            self.interval = interval
            self.watchInterval = watchInterval
        }

        /// Where reports are POSTed.
        public var endpoint: String? {
            guard let serviceURL else { return nil }
            return partition.isEmpty ? serviceURL + "/status" : serviceURL + "/status/" + partition
        }
    }

    /// What a report is made of.
    public struct Sources: Sendable {
        public var health: HealthRegistry
        /// The served namespace snapshots.
        public var namespaces: @Sendable () -> [SnapshotStatus]
        public var decisionLogs: DecisionLogUploader?
        /// Where the counters in `metrics` are read.
        public var registry: PrometheusCollectorRegistry?
        /// `status.labels` plus `id` and `version`.
        public var labels: @Sendable () -> [(String, String)]

        public init(
            health: HealthRegistry, namespaces: @escaping @Sendable () -> [SnapshotStatus],
            decisionLogs: DecisionLogUploader?, registry: PrometheusCollectorRegistry?,
            labels: @escaping @Sendable () -> [(String, String)]
        ) {
            self.health = health
            self.namespaces = namespaces
            self.decisionLogs = decisionLogs
            self.registry = registry
            self.labels = labels
        }
    }

    /// Counter families summed (over their labels) into the report's `metrics.counters`.
    public static let counterFamilies = [
        "flipt_evaluations_requests_total", "flipt_evaluations_errors_total", "flipt_cache_hit_total",
        "flipt_cache_miss_total", "grpc_server_handled_total", "hoist_audit_events_total", "hoist_audit_deliveries_total",
        "hoist_decision_logs_recorded_total", "hoist_decision_logs_uploaded_total", "hoist_decision_logs_dropped_total",
        "hoist_tracing_spans_exported_total", "hoist_tracing_spans_dropped_total",
    ]

    let options: Options
    let sources: Sources
    let poster: OutboundPoster?
    let logger: Logger
    let clock: @Sendable () -> Timestamp

    public init(
        options: Options, sources: Sources, poster: OutboundPoster?, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp
    ) {
        self.options = options
        self.sources = sources
        self.poster = options.serviceURL == nil ? nil : poster
        self.logger = logger
        self.clock = clock
    }

    /// Whether anything is pushed or logged (otherwise only `GET /api/v1/status` uses the reporter).
    public var isActive: Bool { options.serviceURL != nil || options.console }

    /// A full snapshot now.
    public func report(trigger: String) async -> StatusReport {
        StatusReport(
            labels: sources.labels(), plugins: await sources.health.statuses().map { ($0.name, $0.status) },
            namespaces: sources.namespaces().sorted { $0.namespace < $1.namespace },
            decisionLogs: sources.decisionLogs?.uploadState, decisionLogsBuffered: sources.decisionLogs?.buffer.count ?? 0,
            counters: sources.registry.map { Self.counters(from: $0.emitToBuffer()) } ?? [], trigger: trigger,
            timestamp: clock())
    }

    /// Reports until cancelled, then sends the final `shutdown` report (outside the cancelled task).
    public func run() async {
        var lastStates: [String: ComponentState]?
        var nextPeriodic = ContinuousClock.now + options.interval
        var retry: (attempt: Int, at: ContinuousClock.Instant)?
        while !Task.isCancelled {
            let states = Dictionary(
                await sources.health.statuses().map { ($0.name, $0.status.state) }, uniquingKeysWith: { _, last in last })
            let now = ContinuousClock.now
            var trigger: String?
            if lastStates == nil {
                trigger = "initial"
            } else if states != lastStates {
                trigger = "change"
            } else if now >= nextPeriodic {
                trigger = "periodic"
            } else if let retry, now >= retry.at {
                trigger = "retry"
            }
            if let trigger {
                lastStates = states
                if trigger != "retry" { nextPeriodic = now + options.interval }
                if await deliver(await report(trigger: trigger)) {
                    retry = nil
                } else {
                    let attempt = (retry?.attempt ?? 0) + 1
                    let wait = min(options.interval, .seconds(1) * (1 << min(attempt - 1, 20)))
                    retry = (attempt, ContinuousClock.now + wait)
                }
            }
            try? await Task.sleep(for: options.watchInterval)
        }
        await Task { _ = await deliver(await report(trigger: "shutdown")) }.value
        await poster?.shutdown()
    }

    /// Logs (console) and POSTs one report; true when the service acknowledged it (or none is set).
    func deliver(_ report: StatusReport) async -> Bool {
        let body = report.json
        if options.console {
            logger.info(
                "Status Log",
                metadata: ["type": "hoist/status", "trigger": "\(report.trigger)", "status": "\(String(decoding: body, as: UTF8.self))"])
        }
        guard let poster, let endpoint = options.endpoint else { return true }
        let outcome = await poster.post(url: endpoint, body: body, spanName: "status.report")
        if !outcome.succeeded {
            logger.warning(
                "status update failed, will retry",
                metadata: ["hoist.status.trigger": "\(report.trigger)", "error": "\(outcome.error ?? "")"])
        }
        return outcome.succeeded
    }

    /// Sums each family of ``counterFamilies`` over its labels, from Prometheus text.
    static func counters(from text: [UInt8]) -> [(String, Double)] {
        var totals: [String: Double] = [:]
        for line in text.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "#") {
            guard let nameEnd = line.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: " ") }),
                let valueStart = line.lastIndex(of: UInt8(ascii: " "))
            else { continue }
            let name = String(decoding: line[line.startIndex..<nameEnd], as: UTF8.self)
            guard Self.counterFamilies.contains(name),
                let value = Double(String(decoding: line[(valueStart + 1)...], as: UTF8.self))
            else { continue }
            totals[name, default: 0] += value
        }
        return counterFamilies.compactMap { name in totals[name].map { (name, $0) } }
    }
}
