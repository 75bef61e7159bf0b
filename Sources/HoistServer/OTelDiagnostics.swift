import Logging
import Prometheus
import Synchronization

/// swift-otel's diagnostic logger for the OTLP span pipeline, turned into metrics: swift-otel has no
/// drop hook, but its batch processor reports every loss as a warning — a full queue
/// ("Spans were dropped …", `dropped_count`) and a failed export ("Failed to export batch.",
/// `batch_size`). Both are counted in `hoist_tracing_spans_dropped_total{reason="queue_full"|
/// "export_failed"}` (the Zipkin pipeline's family), with one warning a minute in Hoist's log;
/// swift-otel's errors are passed on to Hoist's logger.
final class OTelDropCounter: Sendable {
    let queueFull: Counter?
    let exportFailed: Counter?
    let logger: Logger
    private let lastWarning = Mutex<ContinuousClock.Instant?>(nil)

    init(registry: PrometheusCollectorRegistry?, logger: Logger) {
        let help = "Finished spans Hoist could not export"
        func counter(_ reason: String) -> Counter? {
            registry?.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "hoist_tracing_spans_dropped_total", unitName: "", helpText: help),
                labels: [("reason", reason)])
        }
        queueFull = counter("queue_full")
        exportFailed = counter("export_failed")
        self.logger = logger
    }

    /// The logger to hand to swift-otel (`diagnosticLogger = .custom(…)`, level `warning`).
    var diagnosticLogger: Logger {
        var diagnostic = Logger(label: "hoist.otel") { _ in OTelDiagnosticHandler(counter: self) }
        diagnostic.logLevel = .warning
        return diagnostic
    }

    /// Counts the spans a swift-otel warning reports lost; true when the message was such a report.
    func observe(message: String, metadata: Logger.Metadata) -> Bool {
        let reason: String
        let lost: Int
        if message.hasPrefix("Spans were dropped") {
            reason = "queue_full"
            lost = Self.integer(metadata["dropped_count"]) ?? 1
            queueFull?.increment(by: Int64(lost))
        } else if message.hasPrefix("Failed to export batch"), metadata["component"] == "OTelBatchSpanProcessor" {
            reason = "export_failed"
            lost = Self.integer(metadata["batch_size"]) ?? 1
            exportFailed?.increment(by: Int64(lost))
        } else {
            return false
        }
        let now = ContinuousClock.now
        let warn = lastWarning.withLock { last -> Bool in
            if let l = last, now - l < .seconds(60) { return false }
            last = now
            return true
        }
        if warn {
            logger.warning(
                "dropping trace spans",
                metadata: ["hoist.tracing.reason": .string(reason), "hoist.tracing.spans": .string(String(lost))])
        }
        return true
    }

    static func integer(_ value: Logger.MetadataValue?) -> Int? {
        guard case .string(let text)? = value else {
            if case .stringConvertible(let convertible)? = value { return Int(convertible.description) }
            return nil
        }
        return Int(text)
    }
}

/// The `LogHandler` behind ``OTelDropCounter/diagnosticLogger``.
struct OTelDiagnosticHandler: LogHandler {
    let counter: OTelDropCounter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.MetadataValue? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if event.level <= .warning, counter.observe(message: event.message.description, metadata: merged) { return }
        guard event.level >= .error else { return }
        counter.logger.log(level: event.level, event.message, metadata: merged)
    }
}
