import HoistEngine
import HoistObservability
import Logging
import Tracing

extension HoistAPI {
    /// ``committed(_:)`` inside `span`, `snapshot.rebuild` (attribute `flipt.namespace`; error
    /// status when the rebuild fails).
    func tracedCommitted(_ namespaceKey: String, span: any Span) async {
        TracingBackend.assign(span, ["flipt.namespace": .string(namespaceKey)])
        do {
            try await ServiceContext.withValue(span.context) { try await engine.refresh(namespaceKey: namespaceKey) }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            logger.error(
                "snapshot rebuild after write failed",
                metadata: ["hoist.namespace": "\(namespaceKey)", "error": "\(error)"])
        }
        span.end()
    }
}
