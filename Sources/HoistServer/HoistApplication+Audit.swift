import Foundation
import HoistCore
public import HoistObservability
public import HoistStorage
public import Logging
import ServiceLifecycle

extension HoistApplication {
    /// The audit pipeline of one server: the store's policy (filter + commit wake-up + metrics) and
    /// the sinks, built from `audit.*` (see ``HoistConfiguration/Audit``).
    public struct AuditSetup: Sendable {
        public let policy: AuditPolicy
        public let signal: AuditSignal
        public let metrics: AuditMetrics
        public let configuration: HoistConfiguration.Audit
    }

    /// The store policy: `.disabled` when no sink is enabled (Flipt: audit off).
    public static func makeAuditSetup(configuration: HoistConfiguration, metrics: HoistMetrics) -> AuditSetup {
        let audit = configuration.audit
        let signal = AuditSignal()
        let auditMetrics = AuditMetrics(registry: metrics.registry)
        let filter = audit.events
        let policy = audit.isEnabled
            ? AuditPolicy(
                allows: { type, action in filter.allows(type: type, action: action) },
                committed: { pairs in
                    for (type, action) in pairs { auditMetrics.recorded(type: type, action: action) }
                    signal.notify()
                })
            : .disabled
        return AuditSetup(policy: policy, signal: signal, metrics: auditMetrics, configuration: audit)
    }

    /// The dispatcher over the enabled sinks, or nil when audit is off.
    public static func makeAuditDispatcher(
        setup: AuditSetup, outbox: any AuditOutbox, logEncoding: String, logger: Logger
    ) throws -> AuditDispatcher? {
        let audit = setup.configuration
        guard audit.isEnabled else { return nil }
        var sinks: [any AuditSink] = []
        if audit.logEnabled {
            let name = audit.logEncoding.isEmpty ? logEncoding : audit.logEncoding
            do {
                sinks.append(try LogFileAuditSink(
                    path: audit.logFile, encoding: AuditEventEncoder.Encoding(rawValue: name) ?? .console))
            } catch {
                throw ConfigurationError(key: "audit.sinks.log.file", error.message)
            }
        }
        if audit.webhookEnabled {
            let metrics = setup.metrics
            if !audit.webhookURL.isEmpty {
                sinks.append(WebhookAuditSink(
                    name: "webhook", url: audit.webhookURL, body: .event(signingSecret: audit.signingSecret),
                    maxBackoff: audit.maxBackoff, logger: logger,
                    onAttempt: { metrics.attempt(sink: "webhook", outcome: $0) }))
            }
            for (index, (template, target)) in zip(audit.templates, audit.templateTargets).enumerated() {
                let name = "webhook-template-\(index)"
                sinks.append(WebhookAuditSink(
                    name: name, url: target.url, headers: target.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                    body: .template(template), maxBackoff: audit.maxBackoff, logger: logger,
                    onAttempt: { metrics.attempt(sink: name, outcome: $0) }))
            }
        }
        logger.info("audit enabled", metadata: [
            "hoist.audit.sinks": "\(sinks.map(\.name).joined(separator: ","))",
            "hoist.audit.events": "\(audit.events.pairs.count)",
        ])
        return AuditDispatcher(
            outbox: outbox, sinks: sinks, signal: setup.signal,
            options: .init(batchSize: audit.batchSize, maxDelay: audit.flushPeriod, retention: audit.retention),
            metrics: setup.metrics, logger: logger)
    }

    /// One health component per sink (`audit.<sink>`): WARN once its backlog passes the threshold.
    static func registerAuditHealth(_ health: HealthRegistry, dispatcher: AuditDispatcher, threshold: Int) {
        for sink in dispatcher.sinks {
            let name = sink.name
            health.register("audit.\(name)", requiredForReadiness: false) {
                let backlog = await dispatcher.backlog()[name] ?? 0
                if backlog > Int64(threshold) {
                    return ComponentStatus(.warn, "\(backlog) audit events not yet delivered")
                }
                return .ok
            }
        }
    }
}

/// Runs the audit dispatcher in the service group. It is placed before HTTP, so on shutdown it
/// stops after the server has stopped taking writes; undelivered events stay in the outbox.
struct AuditService: Service {
    let dispatcher: AuditDispatcher

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
    }
}
