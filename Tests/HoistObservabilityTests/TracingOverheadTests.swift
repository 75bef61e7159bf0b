import HoistObservability
import Logging
import Testing
import Tracing

/// Why tracing-off is a nil check and not `NoOpTracer`: prints ns/op of the three options
/// (informational; the assertion only guards against the fast path becoming slower than NoOp).
@Suite("Tracing: overhead")
struct TracingOverheadTests {
    static let iterations = 200_000

    @inline(never) func work(_ i: Int) -> Int { i &* 31 &+ 7 }

    func measure(_ body: () -> Int) -> Double {
        let clock = ContinuousClock()
        var sink = 0
        let elapsed = clock.measure { sink = body() }
        #expect(sink != 42)
        let (s, atto) = elapsed.components
        return (Double(s) * 1e9 + Double(atto) / 1e9) / Double(Self.iterations)
    }

    @Test func disabledPathIsANilCheck() {
        let disabled: TracingBackend? = nil
        let fast = measure {
            var acc = 0
            for i in 0..<Self.iterations {
                if let t = disabled?.tracer {
                    acc &+= t.startSpan("x", context: .topLevel).isRecording ? 1 : 0
                } else {
                    acc &+= work(i)
                }
            }
            return acc
        }
        let noop = NoOpTracer()
        let noopCost = measure {
            var acc = 0
            for i in 0..<Self.iterations {
                acc &+= noop.withSpan("x", context: ServiceContext.current ?? .topLevel) { _ in work(i) }
            }
            return acc
        }
        let processor = SpanBatchProcessor(
            exporter: DiscardExporter(), registry: nil, logger: Logger(label: "t"), capacity: Self.iterations * 2)
        let hoist = HoistTracer(sampler: TraceSampler(ratio: 1), propagator: HoistPropagator(formats: []), processor: processor)
        let sampled = measure {
            var acc = 0
            for i in 0..<Self.iterations {
                let span = hoist.startSpan("x", context: .topLevel, ofKind: .internal)
                span.attributes["flipt.flag"] = "f"
                acc &+= work(i)
                span.end()
            }
            return acc
        }
        print("tracing overhead ns/op: disabled nil-check \(fast), NoOpTracer.withSpan \(noopCost), HoistTracer sampled span \(sampled)")
        #expect(fast <= noopCost * 1.5 + 5)
    }
}

struct DiscardExporter: SpanExporter {
    func export(_ batch: [FinishedSpan]) async throws {}
    func shutdown() async {}
}
