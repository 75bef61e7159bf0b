import HoistCore
import HoistObservability
import HoistStorage
import Testing

/// Exact bytes of webhook bodies and log lines for every entity type and action
/// (spec observability §3.2, §3.5, §3.7, §3.8).
@Suite("Audit golden bytes")
struct AuditGoldenTests {
    static let t = Timestamp(microseconds: 0)
    static let variant = Variant(id: "var-1", namespaceKey: "default", flagKey: "f", key: "v1", name: "V1",
                                 attachment: #"{"a":1}"#, createdAt: t, updatedAt: t)
    static let constraint = Constraint(id: "c-1", namespaceKey: "default", segmentKey: "s", type: .string,
                                       property: "p", operator: "eq", value: "x", createdAt: t, updatedAt: t)
    static let distribution = Distribution(id: "d-1", ruleId: "r-1", variantId: "var-1", rollout: 33.3,
                                           createdAt: t, updatedAt: t)
    static let rule = Rule(id: "r-1", namespaceKey: "default", flagKey: "f", segmentKeys: ["s"], rank: 1,
                           distributions: [distribution], createdAt: t, updatedAt: t)
    static let multiRule = Rule(id: "r-1", namespaceKey: "default", flagKey: "f", segmentKeys: ["s", "t"],
                                segmentOperator: .and, rank: 2, createdAt: t, updatedAt: t)
    static let thresholdRollout = Rollout(
        id: "ro-1", namespaceKey: "default", flagKey: "b", rank: 1,
        rule: .threshold(RolloutThreshold(percentage: 12.5, value: true)), createdAt: t, updatedAt: t)
    static let segmentRollout = Rollout(
        id: "ro-2", namespaceKey: "default", flagKey: "b", rank: 2, description: "seg",
        rule: .segment(RolloutSegment(segmentKeys: ["s", "t"], segmentOperator: .or, value: false)),
        createdAt: t, updatedAt: t)

    /// (type, action, payload, expected webhook payload text, expected log payload text)
    static let cases: [(String, String, JSONValue, String, String)] = {
        let ns = Namespace(key: "team", name: "Team <A&B>", description: "d", createdAt: t, updatedAt: t)
        let flag = Flag(namespaceKey: "default", key: "f", name: "F", enabled: true, createdAt: t, updatedAt: t)
        var flagWithDefault = flag
        flagWithDefault.defaultVariant = variant
        let segment = Segment(namespaceKey: "default", key: "s", name: "S", matchType: .any,
                              constraints: [constraint], createdAt: t, updatedAt: t)
        var fifty = distribution
        fifty.rollout = 50
        let constraintJSON = #"{"id":"c-1","namespace_key":"default","operator":"eq","property":"p","segment_key":"s","type":"STRING_COMPARISON_TYPE","value":"x"}"#
        let ruleJSON = #"{"distributions":[{"id":"d-1","rollout":33.3,"rule_id":"r-1","variant_id":"var-1"}],"flag_key":"f","id":"r-1","namespace_key":"default","rank":1,"segment_key":"s"}"#
        let rows: [(String, String, JSONValue, String)] = [
            ("namespace", "created", AuditPayloads.namespace(ns),
             #"{"description":"d","key":"team","name":"Team \u003cA\u0026B\u003e","protected":false}"#),
            ("namespace", "updated", AuditPayloads.namespace(ns),
             #"{"description":"d","key":"team","name":"Team \u003cA\u0026B\u003e","protected":false}"#),
            ("namespace", "deleted", AuditPayloads.request([("key", "team")], flags: [("force", true)]),
             #"{"force":true,"key":"team"}"#),
            ("flag", "created", AuditPayloads.flag(flag),
             #"{"description":"","enabled":true,"key":"f","name":"F","namespace_key":"default"}"#),
            ("flag", "updated", AuditPayloads.flag(flagWithDefault),
             #"{"default_variant":"v1","description":"","enabled":true,"key":"f","name":"F","namespace_key":"default"}"#),
            ("flag", "deleted", AuditPayloads.request([("key", "f"), ("namespace_key", "default")]),
             #"{"key":"f","namespace_key":"default"}"#),
            ("variant", "created", AuditPayloads.variant(variant),
             #"{"attachment":"{\"a\":1}","description":"","flag_key":"f","id":"var-1","key":"v1","name":"V1","namespace_key":"default"}"#),
            ("variant", "updated", AuditPayloads.variant(variant),
             #"{"attachment":"{\"a\":1}","description":"","flag_key":"f","id":"var-1","key":"v1","name":"V1","namespace_key":"default"}"#),
            ("variant", "deleted", AuditPayloads.request([("id", "var-1"), ("flag_key", "f"), ("namespace_key", "default")]),
             #"{"flag_key":"f","id":"var-1","namespace_key":"default"}"#),
            ("segment", "created", AuditPayloads.segment(segment),
             #"{"constraints":["# + constraintJSON + #"],"description":"","key":"s","match_type":"ANY_MATCH_TYPE","name":"S","namespace_key":"default"}"#),
            ("segment", "updated", AuditPayloads.segment(segment),
             #"{"constraints":["# + constraintJSON + #"],"description":"","key":"s","match_type":"ANY_MATCH_TYPE","name":"S","namespace_key":"default"}"#),
            ("segment", "deleted", AuditPayloads.request([("key", "s"), ("namespace_key", "default")]),
             #"{"key":"s","namespace_key":"default"}"#),
            ("constraint", "created", AuditPayloads.constraint(constraint), constraintJSON),
            ("constraint", "updated", AuditPayloads.constraint(constraint), constraintJSON),
            ("constraint", "deleted",
             AuditPayloads.request([("id", "c-1"), ("segment_key", "s"), ("namespace_key", "default")]),
             #"{"id":"c-1","namespace_key":"default","segment_key":"s"}"#),
            ("rule", "created", AuditPayloads.rule(rule), ruleJSON),
            ("rule", "updated", AuditPayloads.rule(multiRule),
             #"{"distributions":[],"flag_key":"f","id":"r-1","namespace_key":"default","rank":2,"segment_key":"s,t","segment_operator":"AND_SEGMENT_OPERATOR"}"#),
            ("rule", "updated",
             AuditPayloads.orderRules(OrderRequest(namespaceKey: "default", flagKey: "f", ids: ["r-2", "r-1"])),
             #"{"flag_key":"f","namespace_key":"default","rule_ids":["r-2","r-1"]}"#),
            ("rule", "deleted", AuditPayloads.rule(rule), ruleJSON),
            ("distribution", "created", AuditPayloads.distribution(distribution),
             #"{"id":"d-1","rollout":33.3,"rule_id":"r-1","variant_id":"var-1"}"#),
            ("distribution", "updated", AuditPayloads.distribution(fifty),
             #"{"id":"d-1","rollout":50,"rule_id":"r-1","variant_id":"var-1"}"#),
            ("distribution", "deleted",
             AuditPayloads.request([("id", "d-1"), ("flag_key", "f"), ("rule_id", "r-1"), ("variant_id", "var-1"),
                                    ("namespace_key", "default")]),
             #"{"flag_key":"f","id":"d-1","namespace_key":"default","rule_id":"r-1","variant_id":"var-1"}"#),
            ("rollout", "created", AuditPayloads.rollout(thresholdRollout),
             #"{"description":"","flag_key":"b","id":"ro-1","namespace_key":"default","rank":1,"threshold":{"percentage":12.5,"value":true}}"#),
            ("rollout", "updated", AuditPayloads.rollout(segmentRollout),
             #"{"description":"seg","flag_key":"b","id":"ro-2","namespace_key":"default","rank":2,"segment":{"key":"s,t","operator":"OR_SEGMENT_OPERATOR","value":false}}"#),
            ("rollout", "updated",
             AuditPayloads.orderRollouts(OrderRequest(namespaceKey: "default", flagKey: "b", ids: ["ro-2", "ro-1"])),
             #"{"flag_key":"b","namespace_key":"default","rollout_ids":["ro-2","ro-1"]}"#),
            ("rollout", "deleted", AuditPayloads.rollout(thresholdRollout),
             #"{"description":"","flag_key":"b","id":"ro-1","namespace_key":"default","rank":1,"threshold":{"percentage":12.5,"value":true}}"#),
        ]
        return rows.map { row in
            // Log lines are not HTML-escaped (Zap's reflected encoder).
            let log = row.3.auditReplacingAll(#"\u003c"#, "<").auditReplacingAll(#"\u0026"#, "&").auditReplacingAll(#"\u003e"#, ">")
            return (row.0, row.1, row.2, row.3, log)
        }
    }()

    static func record(_ type: String, _ action: String, _ payload: JSONValue) -> AuditRecord {
        AuditRecord(sequence: 1, id: "0b6c2d3e-0000-4000-8000-000000000001", type: type, action: action,
                    namespaceKey: "default", actor: AuditActor(authentication: "none", ip: "172.18.0.1"),
                    payload: payload, timestamp: "2023-09-13T17:41:53Z", createdAt: 0)
    }

    @Test("every type and action is covered")
    func coverage() {
        let pairs = Set(Self.cases.map { "\($0.0):\($0.1)" })
        for noun in AuditEventFilter.nouns where noun != "token" {
            for verb in AuditEventFilter.verbs { #expect(pairs.contains("\(noun):\(verb)"), "\(noun):\(verb)") }
        }
    }

    @Test("webhook body bytes", arguments: cases.indices)
    func webhookBody(index: Int) {
        let (type, action, payload, expected, _) = Self.cases[index]
        let body = String(decoding: AuditEventEncoder.webhookBody(Self.record(type, action, payload)), as: UTF8.self)
        #expect(body == #"{"version":"0.2","type":""# + type + #"","action":""# + action
            + #"","metadata":{"actor":{"authentication":"none","ip":"172.18.0.1"}},"payload":"# + expected
            + #","timestamp":"2023-09-13T17:41:53Z","status":"success"}"#)
    }

    @Test("log line bytes (json encoding, file)", arguments: cases.indices)
    func logLine(index: Int) {
        let (type, action, payload, _, expected) = Self.cases[index]
        let line = String(
            decoding: AuditEventEncoder.logLine(Self.record(type, action, payload), encoding: .json, toFile: true),
            as: UTF8.self)
        #expect(line == #"{"version":"0.2","type":""# + type + #"","action":""# + action
            + #"","status":"success","metadata":{"actor":{"authentication":"none","ip":"172.18.0.1"}},"payload":"#
            + expected + #","timestamp":"2023-09-13T17:41:53Z"}"# + "\n")
    }

    @Test("log line, console encoding and stdout forms")
    func logLineForms() {
        let event = Self.record("flag", "deleted", AuditPayloads.request([("key", "f"), ("namespace_key", "default")]))
        let console = String(decoding: AuditEventEncoder.logLine(event, encoding: .console, toFile: true), as: UTF8.self)
        #expect(console == #"{"version": "0.2", "type": "flag", "action": "deleted", "status": "success", "metadata": {"actor":{"authentication":"none","ip":"172.18.0.1"}}, "payload": {"key":"f","namespace_key":"default"}, "timestamp": "2023-09-13T17:41:53Z"}"# + "\n")
        let stdoutJSON = String(
            decoding: AuditEventEncoder.logLine(event, encoding: .json, toFile: false, now: "2023-09-13T17:41:54Z"),
            as: UTF8.self)
        #expect(stdoutJSON.hasPrefix(#"{"T":"2023-09-13T17:41:54Z","M":"AUDIT","version":"0.2","type":"flag""#))
        let stdoutConsole = String(
            decoding: AuditEventEncoder.logLine(event, encoding: .console, toFile: false, now: "2023-09-13T17:41:54Z"),
            as: UTF8.self)
        #expect(stdoutConsole.hasPrefix("2023-09-13T17:41:54Z\tAUDIT\t{\"version\": \"0.2\""))
    }

    @Test("signature: lowercase hex HMAC-SHA256 of the exact body")
    func signature() {
        #expect(WebhookAuditSink.signature(body: Array(#"{"version":"0.2"}"#.utf8), secret: "s3cr3t")
            == "4c272550d92a162d356a48c575dc29ce7c3363092916673491ac1d323a972a85")
        let body = AuditEventEncoder.webhookBody(Self.record("flag", "deleted",
            AuditPayloads.request([("key", "f"), ("namespace_key", "default")])))
        #expect(WebhookAuditSink.signature(body: body, secret: "s3cr3t") == Self.fullBodySignature)
    }

    static let fullBodySignature = "381317710a4dd7ffb263a125d8af97d07ab0407574c9645619bfc00363a28f03"

    @Test("retryable statuses")
    func retryable() {
        #expect(WebhookAuditSink.isRetryable(status: 429))
        #expect(WebhookAuditSink.isRetryable(status: 503))
        #expect(WebhookAuditSink.isRetryable(status: 500))
        #expect(!WebhookAuditSink.isRetryable(status: 501))
        #expect(!WebhookAuditSink.isRetryable(status: 404))
        #expect(!WebhookAuditSink.isRetryable(status: 400))
    }
}

private extension String {
    func auditReplacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
