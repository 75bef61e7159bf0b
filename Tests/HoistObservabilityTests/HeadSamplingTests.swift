import HoistObservability
import ServiceContextModule
import Testing
import Tracing

@Suite struct HeadSamplingTests {
    func backend(ratio: Double, sampledParent: Bool) -> TracingBackend {
        var backend = TracingBackend(
            tracer: NoOpTracer(), extractParent: { _ in .topLevel },
            sampledTraceID: { _ in sampledParent ? "0af7651916cd43dd8448eb211c80319c" : nil })
        backend.headSamplingRatio = ratio
        return backend
    }

    @Test func ratioBoundsAndParent() {
        #expect(backend(ratio: 1, sampledParent: false).shouldTrace(parent: .topLevel))
        #expect(!backend(ratio: 0, sampledParent: false).shouldTrace(parent: .topLevel))
        // A caller's sampled parent is always traced, whatever the ratio (parent-based).
        #expect(backend(ratio: 0, sampledParent: true).shouldTrace(parent: .topLevel))
    }

    @Test func ratioIsHonouredStatistically() {
        let b = backend(ratio: 0.1, sampledParent: false)
        let traced = (0..<20_000).filter { _ in b.shouldTrace(parent: .topLevel) }.count
        #expect(traced > 1_600 && traced < 2_400, "traced \(traced) of 20000 at ratio 0.1")
    }

    @Test func propagationHeaderNames() {
        for name in PropagationHeaders.names { #expect(PropagationHeaders.isPropagationHeader(name)) }
        for name in ["host", "content-type", "tracing", "b3x", "x-request-id", "user-agent", ""] {
            #expect(!PropagationHeaders.isPropagationHeader(name), "\(name)")
        }
    }

    /// Spans outside the HTTP layer: children inside a traced request whatever the ratio, roots only
    /// when the ratio's draw wins (so the ratio is applied once, not again by the tracer).
    @Test func spansOutsideRequestsFollowTheRatio() async throws {
        func hoistBackend(ratio: Double) -> TracingBackend {
            let tracer = HoistTracer(
                sampler: TraceSampler(ratio: 1), propagator: HoistPropagator(formats: [.tracecontext]), processor: nil)
            var backend = TracingBackend.hoist(tracer)
            backend.headSamplingRatio = ratio
            return backend
        }
        #expect(hoistBackend(ratio: 0).startSpan("status.report", ofKind: .client) == nil)
        #expect(hoistBackend(ratio: 1).startSpan("status.report", ofKind: .client) != nil)
        let half = hoistBackend(ratio: 0.5)
        let roots = (0..<4_000).filter { _ in half.startSpan("status.report", ofKind: .client) != nil }.count
        #expect(roots > 1_700 && roots < 2_300, "\(roots) roots of 4000 at ratio 0.5")

        let never = hoistBackend(ratio: 0)
        let server = never.tracer.startSpan("POST /x", context: .topLevel, ofKind: .server)
        let child = ServiceContext.withValue(server.context) {
            RequestTracing.$serverSpan.withValue(ServerSpan(server)) { never.startSpan("snapshot.rebuild", ofKind: .internal) }
        }
        let span = try #require(child as? HoistSpan)
        #expect(span.spanContext.traceID == (server as? HoistSpan)?.spanContext.traceID)
    }
}
