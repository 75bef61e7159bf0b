import HoistCore
public import Instrumentation
import Synchronization
public import Tracing

/// Hoist's tracer (swift-distributed-tracing `Tracer`): sampling, span ids, propagation, and
/// hand-off of finished, sampled spans to a ``SpanBatchProcessor``.
///
/// Unsampled spans are non-recording: they keep a context (so ids still propagate and children
/// inherit the decision) but record nothing and are never queued.
public final class HoistTracer: Tracer, Sendable {
    public typealias Span = HoistSpan

    public let sampler: TraceSampler
    public let propagator: HoistPropagator
    let processor: SpanBatchProcessor?

    public init(sampler: TraceSampler, propagator: HoistPropagator, processor: SpanBatchProcessor?) {
        self.sampler = sampler
        self.propagator = propagator
        self.processor = processor
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> HoistSpan {
        var ctx = context()
        let parent = ctx.hoistSpanContext
        var rng = SpanIDGenerator()
        let traceID = parent?.traceID ?? TraceID.random(using: &rng)
        let sampled = sampler.shouldSample(traceID: traceID, parent: parent)
        let own = HoistSpanContext(
            traceID: traceID, spanID: SpanID.random(using: &rng), sampled: sampled, traceState: parent?.traceState)
        ctx.hoistSpanContext = own
        return HoistSpan(
            name: operationName, kind: kind, context: ctx, spanContext: own, parentSpanID: parent?.spanID,
            startNanos: instant().nanosecondsSinceEpoch, processor: sampled ? processor : nil)
    }

    public func forceFlush() {}

    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        propagator.extract(carrier, into: &context, using: extractor)
    }

    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        propagator.inject(context, into: &carrier, using: injector)
    }
}

/// Random bits for trace and span ids without a system call per id: the process-wide SplitMix64
/// sequence under a random seed that request ids use (``HoistCore/RequestID/nextRandom()``), so
/// ids are unique within the process and unpredictable across processes (W3C asks for random
/// ids, not cryptographic ones).
struct SpanIDGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { RequestID.nextRandom() }
}

/// A span of ``HoistTracer``. Recording only when sampled; mutations after `end()` are ignored.
public final class HoistSpan: Tracing.Span, Sendable {
    public let context: ServiceContext
    public let spanContext: HoistSpanContext
    let processor: SpanBatchProcessor?
    private let state: Mutex<State>

    struct State {
        var span: FinishedSpan
        var ended = false
    }

    init(
        name: String, kind: SpanKind, context: ServiceContext, spanContext: HoistSpanContext, parentSpanID: SpanID?,
        startNanos: UInt64, processor: SpanBatchProcessor?
    ) {
        self.context = context
        self.spanContext = spanContext
        self.processor = processor
        state = Mutex(
            State(
                span: FinishedSpan(
                    name: name, kind: kind, context: spanContext, parentSpanID: parentSpanID, startNanos: startNanos,
                    endNanos: startNanos)))
    }

    public var isRecording: Bool { processor != nil && !state.withLock { $0.ended } }

    public var operationName: String {
        get { state.withLock { $0.span.name } }
        set { guard processor != nil else { return }; state.withLock { if !$0.ended { $0.span.name = newValue } } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.span.attributes } }
        set { guard processor != nil else { return }; state.withLock { if !$0.ended { $0.span.attributes = newValue } } }
    }

    /// Sets many attributes under one lock (cheaper than `attributes[key] = …` repeatedly).
    public func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        guard processor != nil else { return }
        state.withLock { if !$0.ended { update(&$0.span.attributes) } }
    }

    public func setStatus(_ status: SpanStatus) {
        guard processor != nil else { return }
        state.withLock { if !$0.ended { $0.span.status = status } }
    }

    public func addEvent(_ event: SpanEvent) {
        guard processor != nil else { return }
        state.withLock { if !$0.ended { $0.span.events.append(event) } }
    }

    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        guard processor != nil else { return }
        var attrs = attributes
        attrs["exception.type"] = "\(type(of: error))"
        attrs["exception.message"] = "\(error)"
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: attrs))
    }

    public func addLink(_ link: SpanLink) {}

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let finished: FinishedSpan? = state.withLock { s in
            guard !s.ended else { return nil }
            s.ended = true
            s.span.endNanos = max(instant().nanosecondsSinceEpoch, s.span.startNanos)
            return s.span
        }
        if let finished, let processor { processor.enqueue(finished) }
    }
}
