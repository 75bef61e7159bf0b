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
    /// `tracing.sampling_ratio`, applied at the head of a request: a request without a sampled parent
    /// that loses the draw is served with no span at all, so unsampled traffic costs next to nothing.
    public var headSamplingRatio: Double = 1
    /// Lower-case hex trace and span ids of the span in a context (decision logs' `trace_id`/`span_id`).
    public var spanIdentifiers: @Sendable (ServiceContext) -> (traceID: String, spanID: String)? = { _ in nil }

    /// Whether a request whose extracted parent context is `parent` gets spans. A sampled parent
    /// always does (parent-based); otherwise a cheap draw against ``headSamplingRatio``.
    public func shouldTrace(parent: ServiceContext) -> Bool {
        if headSamplingRatio >= 1 || sampledTraceID(parent) != nil { return true }
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

    /// Sets attributes on any span (one lock for Hoist's spans, get-modify-set otherwise).
    public static func update(_ span: any Span, _ body: (inout SpanAttributes) -> Void) {
        if let span = span as? HoistSpan {
            span.updateAttributes(body)
        } else if span.isRecording {
            var attributes = span.attributes
            body(&attributes)
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
}

/// Reads a header dictionary (lower-case keys).
public struct DictionaryExtractor: Extractor {
    public init() {}
    public func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
