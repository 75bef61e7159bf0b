import HoistCore
public import Instrumentation
public import Tracing

/// The tracer the HTTP layer uses, whichever library implements it: ``HoistTracer`` (Zipkin) or
/// swift-otel's tracer (OTLP, Jaeger). The API code only sees swift-distributed-tracing's `Tracer`.
public struct TracingBackend: Sendable {
    /// Starts spans.
    public let tracer: any Tracer
    /// Turns the caller's propagation headers (lower-case names, see ``PropagationHeaders``) into
    /// the parent context for the server span (`.topLevel` when none was sent).
    public let extractParent: @Sendable ([String: String]) -> ServiceContext
    /// The hex trace id of the span in `context`, when it is sampled (for exemplars).
    public let sampledTraceID: @Sendable (ServiceContext) -> String?
    /// `feature_flag.evaluation` events, nil unless `tracing.evaluation_events` is true.
    public var evaluationEvents: EvaluationEvents? = nil
    /// `tracing.sampling_ratio`, the one place the ratio is applied: at the head of a request (a
    /// request without a sampled parent that loses the draw is served with no span at all, so
    /// unsampled traffic costs next to nothing) and before any other root span
    /// (``startSpan(_:ofKind:)``). The tracers themselves sample every root they are asked to start.
    public var headSamplingRatio: Double = 1
    /// Lower-case hex trace and span ids of the span in a context (decision logs' `trace_id`/`span_id`).
    public var spanIdentifiers: @Sendable (ServiceContext) -> (traceID: String, spanID: String)? = { _ in nil }

    /// Whether a request whose extracted parent context is `parent` gets spans. A sampled parent
    /// always does (parent-based); otherwise a cheap draw against ``headSamplingRatio``.
    public func shouldTrace(parent: ServiceContext) -> Bool {
        if headSamplingRatio >= 1 || sampledTraceID(parent) != nil { return true }
        return drawsHeadSample()
    }

    /// The head-sampling draw alone, for a request that carries no propagation header: true with
    /// probability ``headSamplingRatio`` (no draw at 0 or 1).
    @inline(__always)
    public func drawsHeadSample() -> Bool {
        if headSamplingRatio >= 1 { return true }
        guard headSamplingRatio > 0 else { return false }
        return Double(RequestID.nextRandom() >> 11) * 0x1p-53 < headSamplingRatio
    }

    public init(
        tracer: any Tracer, extractParent: @escaping @Sendable ([String: String]) -> ServiceContext,
        sampledTraceID: @escaping @Sendable (ServiceContext) -> String?
    ) {
        self.tracer = tracer
        self.extractParent = extractParent
        self.sampledTraceID = sampledTraceID
    }

    /// Hoist's own tracer: its propagator reads every configured format.
    public static func hoist(_ tracer: HoistTracer) -> TracingBackend {
        var backend = TracingBackend(
            tracer: tracer,
            extractParent: { headers in
                var context = ServiceContext.topLevel
                tracer.propagator.extract(headers, into: &context, using: DictionaryExtractor())
                return context
            },
            sampledTraceID: { context in
                guard let span = context.hoistSpanContext, span.sampled else { return nil }
                return span.traceID.hex
            })
        backend.spanIdentifiers = { context in
            guard let span = context.hoistSpanContext else { return nil }
            return (span.traceID.hex, span.spanID.hex)
        }
        return backend
    }

    /// Starts a span for work outside the HTTP layer (a snapshot rebuild, an outgoing request): a
    /// child of the current context inside a traced request; elsewhere (background work, a request
    /// that lost the sampling draw) a root span only when the head-sampling draw wins, else nil.
    public func startSpan(_ name: String, ofKind kind: SpanKind) -> (any Span)? {
        guard RequestTracing.serverSpan != nil || drawsHeadSample() else { return nil }
        return tracer.startSpan(name, context: ServiceContext.current ?? .topLevel, ofKind: kind)
    }

    /// Adds `attributes` to a span in one step (no copy of what the span already holds). For spans
    /// of other tracers it replaces their attributes: use it once, on spans Hoist started and
    /// gave no attributes yet.
    public static func assign(_ span: any Span, _ attributes: SpanAttributes) {
        if let span = span as? HoistSpan {
            // Dictionary merging is slow; most spans have no attributes yet.
            span.updateAttributes { $0.isEmpty ? ($0 = attributes) : $0.merge(attributes) }
        } else if span.isRecording {
            span.attributes = attributes
        }
    }
}

/// The request headers any supported propagation format reads.
public enum PropagationHeaders {
    public static let names = [
        "traceparent", "tracestate", "baggage", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags",
        "uber-trace-id",
    ]
    static let nameSet = Set(names)

    /// Whether `name` (a lower-case header name) is one of ``names``. Most header names are ruled
    /// out by their first letter, so a request without trace headers costs no hashing.
    @inline(__always)
    public static func isPropagationHeader(_ name: String) -> Bool {
        switch name.utf8.first {
        case UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "x"), UInt8(ascii: "u"): nameSet.contains(name)
        default: false
        }
    }
}

/// Reads a header dictionary (lower-case keys).
public struct DictionaryExtractor: Extractor {
    public init() {}
    public func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
