import HoistCore
import HoistObservability
import HoistStorage
import Testing

@Suite("Audit filter and templates")
struct AuditFilterTemplateTests {
    @Test("Flipt's filter syntax and messages")
    func filter() throws {
        #expect(AuditEventFilter.all.pairs.count == 27)
        let some = try AuditEventFilter(["flag:created", "*:deleted"])
        #expect(some.allows(type: "flag", action: "created"))
        #expect(some.allows(type: "rule", action: "deleted"))
        #expect(!some.allows(type: "flag", action: "updated"))
        #expect(try AuditEventFilter(["flag:*:extra"]).pairs.count == 3)
        let errors: [([String], String)] = [
            (["flag"], "invalid event pair: flag"),
            (["flags:created"], "invalid noun: flags"),
            (["flag:read"], "invalid verb: read"),
            (["*:*", "flag:created"], "repeated event pair: flag:created"),
            ([], "no event pairs exist"),
        ]
        for (entries, message) in errors {
            #expect(throws: AuditConfigurationError(message)) { try AuditEventFilter(entries) }
        }
    }

    static func event() -> AuditRecord {
        AuditRecord(
            sequence: 7, id: "id-7", type: "flag", action: "created", namespaceKey: "default",
            actor: AuditActor(authentication: "none", ip: "10.0.0.1"),
            payload: AuditPayloads.object([("key", .string("f<1>")), ("enabled", .bool(true)),
                                           ("tags", .array([.string("a"), .string("b")]))]),
            timestamp: "2023-09-13T17:41:53Z", createdAt: 0)
    }

    @Test("field access, toJson, if/else, range, trimming, comments")
    func render() throws {
        let template = try AuditTemplate(name: "t0", source: """
            {{/* a comment */}}{"text": "{{ .Type }}:{{ .Action }} by {{ .Metadata.Actor.IP }}",
             "key": {{ toJson .Payload.key }}, "event": {{ toJson . }},
             "on": {{ if .Payload.enabled }}"yes"{{ else }}"no"{{ end }},
             "missing": {{ if .Payload.nope }}1{{ else }}0{{ end }},
             "tags": [{{- range .Payload.tags }}"{{ . }}",{{ end -}} "end"]}
            """)
        let body = String(decoding: try template.render(Self.event()), as: UTF8.self)
        #expect(body == """
            {"text": "flag:created by 10.0.0.1",
             "key": "f\\u003c1\\u003e", "event": {"version":"0.2","type":"flag","action":"created","metadata":{"actor":{"authentication":"none","ip":"10.0.0.1"}},"payload":{"enabled":true,"key":"f\\u003c1\\u003e","tags":["a","b"]},"timestamp":"2023-09-13T17:41:53Z","status":"success"},
             "on": "yes",
             "missing": 0,
             "tags": ["a","b","end"]}
            """)
    }

    @Test("unsupported actions are rejected naming the template")
    func rejected() {
        for source in ["{{ printf \"%s\" .Type }}", "{{ with .Payload }}x{{ end }}", "{{ .Type | upper }}",
                       "{{ define \"x\" }}{{ end }}", "{{ if .Type }}x"] {
            #expect(throws: AuditConfigurationError.self) { try AuditTemplate(name: "audit.sinks.webhook.templates[0]", source: source) }
        }
        do {
            _ = try AuditTemplate(name: "audit.sinks.webhook.templates[1]", source: "{{ len .Payload }}")
            Issue.record("accepted")
        } catch {
            #expect(error.message == "template audit.sinks.webhook.templates[1]: unsupported action {{len .Payload}}")
        }
    }

    @Test("a body that is not JSON is not sent")
    func invalidJSON() throws {
        let template = try AuditTemplate(name: "t", source: "type={{ .Type }}")
        #expect(throws: (any Error).self) { try template.render(Self.event()) }
        let missingField = try AuditTemplate(name: "t", source: "{{ .Nope }}")
        #expect(throws: (any Error).self) { try missingField.render(Self.event()) }
    }
}
