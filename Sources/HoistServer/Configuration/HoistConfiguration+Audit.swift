public import HoistObservability

extension HoistConfiguration {
    /// The `audit` section (Flipt `internal/config/audit.go`, spec observability §3.1), plus Hoist's
    /// durable-outbox keys. Audit is on when any sink is enabled.
    public struct Audit: HoistConfigurationSection {
        public static let key = "audit"

        /// `audit.sinks.webhook.templates[]` entry (file only).
        public struct WebhookTemplate: Sendable {
            public var url: String
            public var body: String
            public var headers: [String: String]
        }

        /// `audit.sinks.log.enabled` — `FLIPT_AUDIT_SINKS_LOG_ENABLED`, default false.
        public var logEnabled: Bool
        /// `audit.sinks.log.file` — `FLIPT_AUDIT_SINKS_LOG_FILE`, default `""` (stdout).
        public var logFile: String
        /// `audit.sinks.log.encoding` — `FLIPT_AUDIT_SINKS_LOG_ENCODING`, `json`/`console`, default
        /// `""` (inherits `log.encoding`).
        public var logEncoding: String
        /// `audit.sinks.webhook.enabled` — `FLIPT_AUDIT_SINKS_WEBHOOK_ENABLED`, default false.
        public var webhookEnabled: Bool
        /// `audit.sinks.webhook.url` — `FLIPT_AUDIT_SINKS_WEBHOOK_URL`, default `""`.
        public var webhookURL: String
        /// `audit.sinks.webhook.signing_secret` — `FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET`, default `""`.
        public var signingSecret: String
        /// `audit.sinks.webhook.max_backoff_duration` — `FLIPT_AUDIT_SINKS_WEBHOOK_MAX_BACKOFF_DURATION`,
        /// default `15s` (0 → 15 s): the cap of the retry wait (retries never stop).
        public var maxBackoff: Duration
        /// `audit.sinks.webhook.templates` — file only; parsed (and validated) at start.
        public var templates: [AuditTemplate]
        /// URL and headers of each template, same order as ``templates``.
        public var templateTargets: [WebhookTemplate]
        /// `audit.buffer.capacity` — `FLIPT_AUDIT_BUFFER_CAPACITY`, default 100 (Flipt: 2, limited to
        /// 2–10): events per delivery batch and per cursor write; 1–10000 accepted.
        public var batchSize: Int
        /// `audit.buffer.flush_period` — `FLIPT_AUDIT_BUFFER_FLUSH_PERIOD`, default `1s` (Flipt: 2m,
        /// limited to 2m–5m): the longest a sink waits without a commit wake-up (commits wake it at once).
        public var flushPeriod: Duration
        /// `audit.events` — `FLIPT_AUDIT_EVENTS` (space-separated), default `["*:*"]`.
        public var events: AuditEventFilter
        /// `audit.retention` — `FLIPT_AUDIT_RETENTION`, default `168h` (7 days): how long events every
        /// sink has delivered stay in the database for `GET /api/v1/audit/events`.
        public var retention: Duration
        /// `audit.backlog_warn_threshold` — `FLIPT_AUDIT_BACKLOG_WARN_THRESHOLD`, default 1000: a sink
        /// with more undelivered events reports WARN in `/health?plugins`.
        public var backlogWarnThreshold: Int

        /// Whether any sink is enabled (Flipt's rule for "audit on").
        public var isEnabled: Bool { logEnabled || webhookEnabled }

        public init(reader: FliptConfigReader) throws {
            logEnabled = try reader.bool("sinks.log.enabled", default: false)
            logFile = try reader.string("sinks.log.file", default: "")
            logEncoding = try reader.string("sinks.log.encoding", default: "")
            guard ["", "json", "console"].contains(logEncoding) else {
                throw ConfigurationError(key: reader.path("sinks.log.encoding"), "invalid encoding \"\(logEncoding)\"")
            }
            webhookEnabled = try reader.bool("sinks.webhook.enabled", default: false)
            webhookURL = try reader.string("sinks.webhook.url", default: "")
            signingSecret = try reader.string("sinks.webhook.signing_secret", default: "")
            maxBackoff = try reader.duration("sinks.webhook.max_backoff_duration", default: .seconds(15))
            if maxBackoff <= .zero { maxBackoff = .seconds(15) }
            (templates, templateTargets) = try Self.readTemplates(reader)
            if webhookEnabled {
                if webhookURL.isEmpty && templates.isEmpty {
                    throw ConfigurationError(key: reader.path("sinks.webhook"), "url or template(s) not provided")
                }
                if !webhookURL.isEmpty && !templates.isEmpty {
                    throw ConfigurationError(key: reader.path("sinks.webhook"), "only one of url or template(s) allowed")
                }
            }
            if try reader.bool("sinks.kafka.enabled", default: false) {
                throw ConfigurationError(
                    key: reader.path("sinks.kafka.enabled"),
                    "the kafka audit sink is not supported by Hoist; use the log or webhook sink")
            }
            batchSize = try reader.int("buffer.capacity", default: 100, range: 1...10_000)
            flushPeriod = try reader.duration("buffer.flush_period", default: .seconds(1))
            if flushPeriod <= .zero { flushPeriod = .seconds(1) }
            do {
                events = try AuditEventFilter(try reader.stringList("events", default: ["*:*"]))
            } catch let error as AuditConfigurationError {
                throw ConfigurationError(key: reader.path("events"), error.message)
            }
            retention = try reader.duration("retention", default: .seconds(7 * 86_400))
            backlogWarnThreshold = try reader.int("backlog_warn_threshold", default: 1000)
        }

        static func readTemplates(_ reader: FliptConfigReader) throws -> ([AuditTemplate], [WebhookTemplate]) {
            let path = reader.prefix + ["sinks", "webhook", "templates"]
            guard case .sequence(let items)? = reader.file.node(at: path) else { return ([], []) }
            var templates: [AuditTemplate] = []
            var targets: [WebhookTemplate] = []
            for (index, item) in items.enumerated() {
                let key = "audit.sinks.webhook.templates[\(index)]"
                guard case .mapping(let fields) = item else { throw ConfigurationError(key: key, "expected a map") }
                func scalar(_ name: String) -> String {
                    if case .scalar(let value)? = fields[name] { return value }
                    return ""
                }
                var headers: [String: String] = [:]
                if case .mapping(let map)? = fields["headers"] {
                    for (name, node) in map { if case .scalar(let value) = node { headers[name] = value } }
                }
                let url = scalar("url")
                guard !url.isEmpty else { throw ConfigurationError(key: key + ".url", "url not provided") }
                do {
                    templates.append(try AuditTemplate(name: key, source: scalar("body")))
                } catch {
                    throw ConfigurationError(key: key + ".body", error.message)
                }
                targets.append(WebhookTemplate(url: url, body: scalar("body"), headers: headers))
            }
            return (templates, targets)
        }
    }
}
