import HoistCore
public import Tracing

/// Encodes spans as a Zipkin v2 JSON array (`POST /api/v2/spans`), the way OTel's Zipkin exporter
/// maps them: lower-case 32/16-hex ids, `kind` (`SERVER`, `CLIENT`, `PRODUCER`, `CONSUMER`; omitted
/// for internal spans), `timestamp`/`duration` in microseconds (duration at least 1), every
/// attribute as a string tag (arrays as JSON arrays; tags in no particular order), span events as annotations, and an error
/// status as tags `otel.status_code=ERROR` and `error=<message>`.
public enum ZipkinJSON {
    public static func encode(_ spans: [FinishedSpan], serviceName: String) -> [UInt8] {
        var w = JSONWriter(capacity: 512 * spans.count)
        w.array(spans) { w, span in write(span, serviceName: serviceName, into: &w) }
        return w.bytes
    }

    static func write(_ span: FinishedSpan, serviceName: String, into w: inout JSONWriter) {
        w.raw("{")
        w.field("traceId", first: true)
        w.string(span.context.traceID.hex)
        w.field("id")
        w.string(span.context.spanID.hex)
        if let parent = span.parentSpanID {
            w.field("parentId")
            w.string(parent.hex)
        }
        w.field("name")
        w.string(span.name)
        if let kind = kindName(span.kind) {
            w.field("kind")
            w.string(kind)
        }
        let start = span.startNanos / 1000
        w.field("timestamp")
        w.int(start)
        w.field("duration")
        w.int(max(1, span.endNanos / 1000 &- start))
        w.field("localEndpoint")
        w.raw("{\"serviceName\":")
        w.string(serviceName)
        w.raw("}")
        // Tags are written as the attributes are visited (a JSON object has no order): no array of
        // pairs, no sort, and string values go straight to the writer.
        var tagCount = 0
        func tag(_ key: String, _ write: (inout JSONWriter) -> Void) {
            if tagCount == 0 {
                w.field("tags")
                w.raw("{")
            } else {
                w.raw(",")
            }
            tagCount += 1
            w.string(key)
            w.raw(":")
            write(&w)
        }
        span.attributes.forEach { key, value in
            if case .string(let text) = value {
                tag(key) { $0.string(text) }
            } else {
                tag(key) { $0.string(tagValue(value)) }
            }
        }
        if let status = span.status {
            switch status.code {
            case .error:
                tag("otel.status_code") { $0.string("ERROR") }
                tag("error") { $0.string(status.message ?? "") }
            case .ok:
                tag("otel.status_code") { $0.string("OK") }
            }
        }
        if tagCount > 0 { w.raw("}") }
        if !span.events.isEmpty {
            w.field("annotations")
            w.array(span.events) { w, event in
                w.raw("{\"timestamp\":")
                w.int(event.nanosecondsSinceEpoch / 1000)
                w.raw(",\"value\":")
                w.string(annotationValue(event))
                w.raw("}")
            }
        }
        w.raw("}")
    }

    static func kindName(_ kind: SpanKind) -> String? {
        switch kind {
        case .server: "SERVER"
        case .client: "CLIENT"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        case .internal: nil
        }
    }

    /// OTel's Zipkin exporter: `name: {"attr":"value",…}` (or just the name without attributes).
    static func annotationValue(_ event: SpanEvent) -> String {
        var attrs: [(String, String)] = []
        event.attributes.forEach { key, value in attrs.append((key, tagValue(value))) }
        guard !attrs.isEmpty else { return event.name }
        attrs.sort { $0.0 < $1.0 }
        var w = JSONWriter()
        w.raw("{")
        for (i, a) in attrs.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(a.0)
            w.raw(":")
            w.string(a.1)
        }
        w.raw("}")
        return event.name + ": " + String(decoding: w.bytes, as: UTF8.self)
    }

    /// Scalars as their text, arrays as a JSON array.
    public static func tagValue(_ value: SpanAttribute) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int32(let i): return String(i)
        case .int64(let i): return String(i)
        case .double(let d): return JSONWriter.formatDouble(d)
        case .stringConvertible(let c): return c.description
        case .stringArray(let a): return jsonArray(a.map { v in { (w: inout JSONWriter) in w.string(v) } })
        case .boolArray(let a): return jsonArray(a.map { v in { (w: inout JSONWriter) in w.bool(v) } })
        case .int32Array(let a): return jsonArray(a.map { v in { (w: inout JSONWriter) in w.int(v) } })
        case .int64Array(let a): return jsonArray(a.map { v in { (w: inout JSONWriter) in w.int(v) } })
        case .doubleArray(let a): return jsonArray(a.map { v in { (w: inout JSONWriter) in w.double(v) } })
        case .stringConvertibleArray(let a):
            return jsonArray(a.map { v in { (w: inout JSONWriter) in w.string(v.description) } })
        default: return "\(value)"
        }
    }

    static func jsonArray(_ items: [(inout JSONWriter) -> Void]) -> String {
        var w = JSONWriter()
        w.array(items) { w, item in item(&w) }
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
