public import Prometheus

/// Audit metrics (issue 6), registered in the server's Prometheus registry:
/// * `hoist_audit_events_total{type,action}` — events recorded in the outbox (at commit);
/// * `hoist_audit_deliveries_total{sink,outcome}` — delivery attempts: `success`, `retry`, `failed`;
/// * `hoist_audit_backlog{sink}` — events committed but not yet delivered by the sink;
/// * `hoist_audit_delivery_latency_seconds{sink}` — commit to delivery, per event.
public final class AuditMetrics: Sendable {
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    public func recorded(type: String, action: String) {
        registry.counter(
            "hoist_audit_events_total", help: "Audit events recorded in the outbox.",
            labels: [("type", type), ("action", action)]
        ).increment()
    }

    public func attempt(sink: String, outcome: String) {
        registry.counter(
            "hoist_audit_deliveries_total", help: "Audit delivery attempts by sink and outcome.",
            labels: [("sink", sink), ("outcome", outcome)]
        ).increment()
    }

    public func backlog(sink: String, events: Int64) {
        registry.gauge(
            "hoist_audit_backlog", help: "Audit events committed but not yet delivered by the sink.",
            labels: [("sink", sink)]
        ).set(Double(events))
    }

    public func latency(sink: String, seconds: Double) {
        registry.valueHistogram(
            "hoist_audit_delivery_latency_seconds", help: "Time from commit to delivery of an audit event.",
            labels: [("sink", sink)], buckets: Self.latencyBuckets
        ).record(seconds)
    }
}
