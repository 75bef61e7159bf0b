import HoistObservability
import HTTPTypes
import Hummingbird
import Tracing

extension HoistResponder {
    /// Serves `request` inside a server span: extracts the caller's trace context with the
    /// configured propagators, names the span `METHOD /route/template`, records HTTP semantic
    /// attributes and the response status, and makes the span current (logs, exemplars, child
    /// spans). `/health*` and `/metrics` are served untraced.
    func tracedRespond(
        to request: Request, context: Context, tracer backend: TracingBackend
    ) async throws -> Response {
        let path = request.uri.path
        guard RequestTracing.isTraced(path: path) else { return try await respondUntraced(to: request, context: context) }
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var template: String?
        if case .found(_, _, let t) = routes.match(method: request.method, path: trimmed) { template = t }
        var headers: [String: String] = [:]
        for name in PropagationHeaders.names {
            if let field = HTTPField.Name(name), let value = request.headers[field] { headers[name] = value }
        }
        let parent = backend.extractParent(headers)
        guard backend.shouldTrace(parent: parent) else { return try await respondUntraced(to: request, context: context) }
        let method = request.method.rawValue
        let span = backend.tracer.startSpan(
            RequestTracing.spanName(method: method, template: template), context: parent, ofKind: .server)
        if span.isRecording {
            TracingBackend.update(span) {
                $0.merge(
                    RequestTracing.requestAttributes(
                        method: method, path: path, template: template, scheme: request.uri.scheme?.rawValue ?? "http",
                        userAgent: request.headers[.userAgent]))
            }
        }
        let traceID = backend.sampledTraceID(span.context)
        do {
            let response = try await ServiceContext.withValue(span.context) {
                try await RequestTracing.$serverSpan.withValue(span) {
                    try await ExemplarContext.$traceID.withValue(traceID) {
                        try await respondUntraced(to: request, context: context)
                    }
                }
            }
            RequestTracing.recordResponse(span, status: response.status.code)
            span.end()
            return response
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            span.end()
            throw error
        }
    }
}
