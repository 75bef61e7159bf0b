import HoistCore
import HoistObservability
import HoistStorage
import Logging
import Synchronization
import Testing
import Tracing

@Suite("Tracing: store operation spans")
struct StoreTracingTests {
    func tracer() -> (HoistTracer, SpanBatchProcessor, RecordingExporter) {
        let exporter = RecordingExporter()
        let processor = SpanBatchProcessor(exporter: exporter, registry: nil, logger: Logger(label: "t"))
        let tracer = HoistTracer(
            sampler: TraceSampler(ratio: 1), propagator: HoistPropagator(formats: [.tracecontext]), processor: processor)
        return (tracer, processor, exporter)
    }

    @Test func childSpanOfTheRequestWithDatabaseAttributes() async throws {
        let (tracer, processor, exporter) = tracer()
        let store = StoreTracing(tracer: tracer)
        let server = tracer.startSpan("POST /api/v1/namespaces/{namespaceKey}/flags", context: .topLevel, ofKind: .server)
        let value = try await ServiceContext.withValue(server.context) {
            try await RequestTracing.$serverSpan.withValue(ServerSpan(server)) {
                try await store.measure("createFlag", access: .write, namespace: "default") { 42 }
            }
        }
        server.end()
        #expect(value == 42)
        await processor.flush()
        let spans = exporter.spans.withLock { $0 }
        let child = try #require(spans.first { $0.name == "store.createFlag" })
        #expect(child.kind == .client)
        #expect(child.parentSpanID == server.spanContext.spanID)
        #expect(child.context.traceID == server.spanContext.traceID)
        #expect(child.attributes.get("db.system.name") == .string("sqlite"))
        #expect(child.attributes.get("db.operation.name") == .string("createFlag"))
        #expect(child.attributes.get("hoist.store.access") == .string("write"))
        #expect(child.attributes.get("flipt.namespace") == .string("default"))
        #expect(child.status == nil)
    }

    @Test func failureMarksTheSpanAndRethrows() async throws {
        let (tracer, processor, exporter) = tracer()
        let store = StoreTracing(tracer: tracer)
        let server = tracer.startSpan("GET /api/v1/namespaces/{namespaceKey}/flags/{key}", context: .topLevel, ofKind: .server)
        await #expect(throws: HoistError.self) {
            try await ServiceContext.withValue(server.context) {
                try await RequestTracing.$serverSpan.withValue(ServerSpan(server)) {
                    try await store.measure("getFlag", access: .read, namespace: "default") { () throws -> Int in
                        throw HoistError.notFound("flag \"default/x\" not found")
                    }
                }
            }
        }
        server.end()
        await processor.flush()
        let child = try #require(exporter.spans.withLock { $0 }.first { $0.name == "store.getFlag" })
        #expect(child.status?.code == .error)
        #expect(child.events.contains { $0.name == "exception" })
        #expect(child.attributes.get("hoist.store.access") == .string("read"))
    }

    @Test func noSpanOutsideATracedRequest() async throws {
        let (tracer, processor, exporter) = tracer()
        let store = StoreTracing(tracer: tracer)
        let value = try await store.measure("namespaceVersions", access: .read, namespace: nil) { "v" }
        #expect(value == "v")
        await processor.flush()
        #expect(exporter.spans.withLock { $0 }.isEmpty)
    }
}
