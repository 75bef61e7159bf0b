import HoistEngine
import HoistObservability
import Logging
import Tracing

extension HoistAPI {
    /// ``committed(_:)`` inside a child span `snapshot.rebuild` (attribute `flipt.namespace`;
    /// error status when the rebuild fails).
    func tracedCommitted(_ namespaceKey: String, tracer: any Tracer) async {
        let span = tracer.startSpan("snapshot.rebuild", context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        TracingBackend.update(span) { $0.set("flipt.namespace", value: .string(namespaceKey)) }
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
