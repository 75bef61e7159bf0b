public import Tracing

/// A span after `end()`, as handed to exporters.
public struct FinishedSpan: Sendable {
    public var name: String
    public var kind: SpanKind
    public var context: HoistSpanContext
    /// The parent span id (local or remote), nil for a root span.
    public var parentSpanID: SpanID?
    public var startNanos: UInt64
    public var endNanos: UInt64
    public var attributes: SpanAttributes
    public var events: [SpanEvent]
    public var status: SpanStatus?

    public init(
        name: String, kind: SpanKind, context: HoistSpanContext, parentSpanID: SpanID?, startNanos: UInt64,
        endNanos: UInt64, attributes: SpanAttributes = [:], events: [SpanEvent] = [], status: SpanStatus? = nil
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.attributes = attributes
        self.events = events
        self.status = status
    }
}

/// Sends finished spans somewhere (Zipkin, OTLP, a test array).
public protocol SpanExporter: Sendable {
    /// Exports one batch; throwing means the batch is lost (counted as dropped).
    func export(_ batch: [FinishedSpan]) async throws
    /// Releases connections; called once after the last export.
    func shutdown() async
}
