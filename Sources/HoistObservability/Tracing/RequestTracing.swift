public import Logging
import ServiceContextModule
public import Tracing

/// Per-request tracing state shared by the HTTP layer and the evaluation code.
public enum RequestTracing {
    /// The server span of the request being served (nil when untraced). Evaluation code copies
    /// Flipt's flag attributes onto it for single evaluations, as Flipt sets them on the server span.
    @TaskLocal public static var serverSpan: (any Span)?

    /// Paths never traced (spec §2.5: health, metrics and debug endpoints are outside the traced group).
    public static func isTraced(path: String) -> Bool {
        !(path == "/health" || path.hasPrefix("/health/") || path == "/metrics" || path.hasPrefix("/debug/"))
    }

    /// HTTP semantic-convention name: `METHOD /route/{template}`, or just the method without a route.
    public static func spanName(method: String, template: String?) -> String {
        guard let template else { return method }
        return method + " " + template
    }

    /// Server-span attributes known before the handler runs (OTel HTTP semconv, stable names).
    public static func requestAttributes(
        method: String, path: String, template: String?, scheme: String, userAgent: String?
    ) -> SpanAttributes {
        var a = SpanAttributes()
        a["http.request.method"] = method
        a["url.path"] = path
        a["url.scheme"] = scheme
        if let template { a["http.route"] = template }
        if let userAgent { a["user_agent.original"] = userAgent }
        return a
    }

    /// Records the response status: `http.response.status_code`, and for 5xx `error.type` and an
    /// error span status (4xx are not errors on server spans).
    public static func recordResponse(_ span: any Span, status: Int) {
        TracingBackend.update(span) { a in
            a.set("http.response.status_code", value: .int64(Int64(status)))
            if status >= 500 { a.set("error.type", value: .string(String(status))) }
        }
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

extension Logger.MetadataProvider {
    /// `trace_id` and `span_id` (lower-case hex) of the current span, on every log line written
    /// while a traced request is served. Installed only when `tracing.enabled` is true.
    public static let hoistTracing = Logger.MetadataProvider {
        guard let span = ServiceContext.current?.hoistSpanContext, !span.isRemote else { return [:] }
        return ["trace_id": .string(span.traceID.hex), "span_id": .string(span.spanID.hex)]
    }
}
