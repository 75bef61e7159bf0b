import HoistObservability
import Testing

@testable import HoistServer

@Suite("Configuration: audit")
struct AuditConfigurationTests {
    @Test func defaults() throws {
        let audit = try loadYAML(nil).audit
        #expect(!audit.isEnabled)
        #expect(audit.events == AuditEventFilter.all)
        #expect(audit.maxBackoff == .seconds(15))
        #expect(audit.batchSize == 100)
        #expect(audit.flushPeriod == .seconds(1))
        #expect(audit.retention == .seconds(7 * 86_400))
    }

    @Test func fileAndEnvironment() throws {
        let audit = try loadYAML("""
            audit:
              sinks:
                log: {enabled: true, file: /tmp/a.log, encoding: json}
                webhook:
                  enabled: true
                  url: http://127.0.0.1:9/x
                  signing_secret: s
                  max_backoff_duration: 0s
              buffer: {capacity: 500, flush_period: 250ms}
              retention: 24h
            """, env: ["FLIPT_AUDIT_EVENTS": "flag:created segment:*"]).audit
        #expect(audit.logEnabled && audit.logFile == "/tmp/a.log" && audit.logEncoding == "json")
        #expect(audit.webhookURL == "http://127.0.0.1:9/x" && audit.signingSecret == "s")
        #expect(audit.maxBackoff == .seconds(15))
        #expect(audit.batchSize == 500 && audit.flushPeriod == .milliseconds(250))
        #expect(audit.retention == .seconds(86_400))
        #expect(audit.events.pairs == ["flag:created", "segment:created", "segment:updated", "segment:deleted"])
    }

    @Test func templates() throws {
        let audit = try loadYAML("""
            audit:
              sinks:
                webhook:
                  enabled: true
                  templates:
                    - url: http://127.0.0.1:9/slack
                      headers: {Authorization: Bearer x}
                      body: '{"text": "{{ .Type }} {{ .Action }}", "p": {{ toJson .Payload }}}'
            """).audit
        #expect(audit.templates.count == 1 && audit.templateTargets[0].url == "http://127.0.0.1:9/slack")
        #expect(audit.templateTargets[0].headers.values.contains("Bearer x"))
    }

    @Test func errors() {
        let cases: [(String, [String: String], String)] = [
            ("audit: {sinks: {webhook: {enabled: true}}}", [:], "audit.sinks.webhook: url or template(s) not provided"),
            ("""
             audit: {sinks: {webhook: {enabled: true, url: "http://x", templates: [{url: "http://y", body: "{}"}]}}}
             """, [:], "audit.sinks.webhook: only one of url or template(s) allowed"),
            ("audit: {sinks: {kafka: {enabled: true}}}", [:],
             "audit.sinks.kafka.enabled: the kafka audit sink is not supported by Hoist; use the log or webhook sink"),
            ("", ["FLIPT_AUDIT_EVENTS": "flag:read"], "audit.events: invalid verb: read"),
            ("", ["FLIPT_AUDIT_EVENTS": "*:* flag:created"], "audit.events: repeated event pair: flag:created"),
            ("""
             audit: {sinks: {webhook: {enabled: true, templates: [{url: "http://y", body: "{{ printf .Type }}"}]}}}
             """, [:],
             "audit.sinks.webhook.templates[0].body: template audit.sinks.webhook.templates[0]: unsupported action {{printf .Type}}"),
        ]
        for (yaml, env, message) in cases {
            #expect(configError { try loadYAML(yaml.isEmpty ? nil : yaml, env: env) }?.description == message)
        }
    }
}
