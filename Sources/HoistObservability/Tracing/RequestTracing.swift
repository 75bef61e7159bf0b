public import Logging
import ServiceContextModule
import Synchronization
public import Tracing

/// Per-request tracing state shared by the HTTP layer and the evaluation code.
public enum RequestTracing {
    /// The server span of the request being served (nil when untraced). Evaluation code adds
    /// Flipt's flag attributes to it for single evaluations, as Flipt sets them on the server span.
    @TaskLocal public static var serverSpan: ServerSpan?

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
        // Room for the flag attributes and the status added later (no rehashing on the way).
        var a = SpanAttributes(Dictionary(minimumCapacity: 24))
        a["http.request.method"] = method
        a["url.path"] = path
        a["url.scheme"] = scheme
        if let template { a["http.route"] = template }
        if let userAgent { a["user_agent.original"] = userAgent }
        return a
    }
}

/// A request's server span and the attributes it will carry. Attributes gathered while the request
/// is served (HTTP attributes, a single evaluation's flag attributes, the response status) are
/// written to the span once, when it ends: setting a span's attributes costs a lock and, for spans
/// of other tracers (swift-otel), a copy of the whole dictionary per change.
public final class ServerSpan: Sendable {
    public let span: any Span
    let pending: Mutex<SpanAttributes>

    /// - Parameter attributes: the request attributes (``RequestTracing/requestAttributes(method:path:template:scheme:userAgent:)``).
    public init(_ span: any Span, attributes: SpanAttributes = [:]) {
        self.span = span
        pending = Mutex(attributes)
    }

    /// Adds attributes, written to the span when it ends.
    public func annotate(_ body: (inout SpanAttributes) -> Void) {
        pending.withLock { body(&$0) }
    }

    /// Ends the span after a response: `http.response.status_code`, and for 5xx `error.type` and an
    /// error span status (4xx are not errors on server spans).
    public func end(status: Int) {
        annotate { a in
            a.set("http.response.status_code", value: .int64(Int64(status)))
            if status >= 500 { a.set("error.type", value: .string(String(status))) }
        }
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        end()
    }

    /// Ends the span after the handler threw: the error as an exception event and an error status.
    public func end(error: any Error) {
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
        end()
    }

    func end() {
        TracingBackend.assign(span, pending.withLock { $0 })
        span.end()
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
