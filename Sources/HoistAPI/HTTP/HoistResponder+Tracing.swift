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
    /// The sampling decision comes first. A request without any propagation header (one pass over
    /// its header names, no lookups) that loses the head-sampling draw is served exactly as with
    /// tracing off: no URI parsing, no route lookup, no span.
    func tracedRespond(
        to request: Request, context: Context, tracer backend: TracingBackend
    ) async throws -> Response {
        let carriesContext = request.headers.contains { PropagationHeaders.isPropagationHeader($0.name.canonicalName) }
        if !carriesContext && !backend.drawsHeadSample() {
            return try await respondUntraced(to: request, context: context)
        }
        let path = request.uri.path
        guard RequestTracing.isTraced(path: path) else { return try await respondUntraced(to: request, context: context) }
        var parent = ServiceContext.topLevel
        if carriesContext {
            var headers: [String: String] = [:]
            for field in request.headers where PropagationHeaders.isPropagationHeader(field.name.canonicalName) {
                headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value
            }
            parent = backend.extractParent(headers)
            guard backend.shouldTrace(parent: parent) else { return try await respondUntraced(to: request, context: context) }
        }
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var template: String?
        if case .found(_, _, let t) = routes.match(method: request.method, path: trimmed) { template = t }
        let method = request.method.rawValue
        let span = backend.tracer.startSpan(
            RequestTracing.spanName(method: method, template: template), context: parent, ofKind: .server)
        let server = ServerSpan(
            span,
            attributes: RequestTracing.requestAttributes(
                method: method, path: path, template: template, scheme: request.uri.scheme?.rawValue ?? "http",
                userAgent: request.headers[.userAgent]))
        let traceID = backend.sampledTraceID(span.context)
        do {
            let response = try await ServiceContext.withValue(span.context) {
                try await RequestTracing.$serverSpan.withValue(server) {
                    try await ExemplarContext.$traceID.withValue(traceID) {
                        try await respondUntraced(to: request, context: context)
                    }
                }
            }
            server.end(status: response.status.code)
            return response
        } catch {
            server.end(error: error)
            throw error
        }
    }
}
