public import HoistStorage
public import Tracing

/// A child span per store operation of a traced request (`tracing.enabled`): named
/// `store.<operation>` (e.g. `store.createFlag`, `store.namespaceState` under `snapshot.rebuild`),
/// kind `client`, with `db.system.name` = `sqlite`, `db.operation.name`, `hoist.store.access`
/// (`read`/`write`) and `flipt.namespace`; error status and an exception event when it fails.
///
/// Operations outside a traced request (the snapshot poller, audit delivery, unsampled requests)
/// create no span, so background work never starts root traces.
public struct StoreTracing: StoreInstrumentation {
    public let tracer: any Tracer
    /// `db.system.name` of the store.
    public let system: String

    public init(tracer: any Tracer, system: String = "sqlite") {
        self.tracer = tracer
        self.system = system
    }

    public func measure<T: Sendable>(
        _ operation: String, access: StoreAccess, namespace: String?, _ body: () async throws -> T
    ) async throws -> T {
        guard RequestTracing.serverSpan != nil, let parent = ServiceContext.current else { return try await body() }
        let span = tracer.startSpan("store." + operation, context: parent, ofKind: .client)
        if span.isRecording {
            var attributes: SpanAttributes = [
                "db.system.name": .string(system), "db.operation.name": .string(operation),
                "hoist.store.access": .string(access.rawValue),
            ]
            if let namespace { attributes.set("flipt.namespace", value: .string(namespace)) }
            TracingBackend.assign(span, attributes)
        }
        do {
            let result = try await body()
            span.end()
            return result
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            span.end()
            throw error
        }
    }
}
