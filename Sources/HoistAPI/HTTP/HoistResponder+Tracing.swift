import HoistObservability
import HTTPTypes
import Hummingbird
import Tracing

extension HoistResponder {
    /// Serves `request` inside a server span: extracts the caller's trace context with the
    /// configured propagators, names the span `METHOD /route/template`, records HTTP semantic
    /// attributes and the response status, and makes the span current (logs, exemplars, child
    /// spans). `/health*` and `/metrics` are served untraced.
    ///
    /// The sampling decision comes first and is cheap when the caller sent no propagation header
    /// (no parsing, no route lookup), so requests that lose the head-sampling draw cost next to
    /// nothing over an untraced server.
    func tracedRespond(
        to request: Request, context: Context, tracer backend: TracingBackend
    ) async throws -> Response {
        let path = request.uri.path
        guard RequestTracing.isTraced(path: path) else { return try await respondUntraced(to: request, context: context) }
        var headers: [String: String] = [:]
        for (name, field) in PropagationFields.all {
            if let value = request.headers[field] { headers[name] = value }
        }
        let parent = headers.isEmpty ? ServiceContext.topLevel : backend.extractParent(headers)
        guard backend.shouldTrace(parent: parent) else { return try await respondUntraced(to: request, context: context) }
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var template: String?
        if case .found(_, _, let t) = routes.match(method: request.method, path: trimmed) { template = t }
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

/// ``PropagationHeaders/names`` as HTTP field names, built once.
enum PropagationFields {
    static let all: [(name: String, field: HTTPField.Name)] = PropagationHeaders.names.compactMap { name in
        HTTPField.Name(name).map { (name, $0) }
    }
}
