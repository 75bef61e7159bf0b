public import Prometheus
import Synchronization

/// Decision-log metrics, published by the uploader (at most a second behind the buffer):
/// * `hoist_decision_logs_recorded_total` — decisions accepted into the buffer;
/// * `hoist_decision_logs_uploaded_total` — decisions the service acknowledged;
/// * `hoist_decision_logs_dropped_total{reason}` — `buffer_size_limit_exceeded` (oldest dropped),
///   `rate_limit_exceeded` (`max_decisions_per_second`), `upload_size_limit_exceeded` (one decision
///   larger than a whole upload);
/// * `hoist_decision_logs_skipped_total` — not logged because of `drop_reasons` or `sample_ratio`;
/// * `hoist_decision_logs_uploads_total{outcome}` — upload requests, `success` or `failure`;
/// * `hoist_decision_logs_buffered` — decisions waiting for upload.
public final class DecisionLogMetrics: Sendable {
    let recorded: Counter
    let uploaded: Counter
    let droppedBuffer: Counter
    let droppedRate: Counter
    let droppedTooLarge: Counter
    let skipped: Counter
    let uploadSuccess: Counter
    let uploadFailure: Counter
    let buffered: Gauge
    /// Buffer counts already added to the counters.
    let published = Mutex(DecisionLogBuffer.Counts())

    public init(registry: PrometheusCollectorRegistry) {
        let dropped = "Decisions dropped before upload, by reason."
        recorded = registry.counter("hoist_decision_logs_recorded_total", help: "Decisions accepted into the decision-log buffer.")
        uploaded = registry.counter("hoist_decision_logs_uploaded_total", help: "Decisions acknowledged by the decision-log service.")
        droppedBuffer = registry.counter(
            "hoist_decision_logs_dropped_total", help: dropped, labels: [("reason", "buffer_size_limit_exceeded")])
        droppedRate = registry.counter(
            "hoist_decision_logs_dropped_total", help: dropped, labels: [("reason", "rate_limit_exceeded")])
        droppedTooLarge = registry.counter(
            "hoist_decision_logs_dropped_total", help: dropped, labels: [("reason", "upload_size_limit_exceeded")])
        skipped = registry.counter(
            "hoist_decision_logs_skipped_total", help: "Decisions not logged because of drop_reasons or sample_ratio.")
        let uploads = "Decision-log upload requests by outcome."
        uploadSuccess = registry.counter("hoist_decision_logs_uploads_total", help: uploads, labels: [("outcome", "success")])
        uploadFailure = registry.counter("hoist_decision_logs_uploads_total", help: uploads, labels: [("outcome", "failure")])
        buffered = registry.gauge("hoist_decision_logs_buffered", help: "Decisions waiting for upload.")
    }

    /// Adds what the buffer counted since the last call.
    func publish(_ counts: DecisionLogBuffer.Counts, buffered count: Int) {
        let previous = published.withLock { last in
            defer { last = counts }
            return last
        }
        if counts.recorded > previous.recorded { recorded.increment(by: counts.recorded - previous.recorded) }
        if counts.droppedBufferFull > previous.droppedBufferFull {
            droppedBuffer.increment(by: counts.droppedBufferFull - previous.droppedBufferFull)
        }
        if counts.droppedRateLimit > previous.droppedRateLimit {
            droppedRate.increment(by: counts.droppedRateLimit - previous.droppedRateLimit)
        }
        if counts.skipped > previous.skipped { skipped.increment(by: counts.skipped - previous.skipped) }
        buffered.set(Double(count))
    }
}
