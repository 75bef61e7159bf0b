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
}
