public import Logging
public import Tracing

/// OpenTelemetry `feature_flag.evaluation` events (`tracing.evaluation_events`,
/// `FLIPT_TRACING_EVALUATION_EVENTS`, default `false`; Hoist only).
///
/// Each evaluation adds the event to its `evaluation.*` span (Zipkin: an annotation) and, with the
/// OTLP/Jaeger exporters, also writes it as an OTLP log record through swift-otel's logging backend
/// (``logger``), correlated with the active span. Attributes follow the feature-flag semantic
/// conventions: `feature_flag.key`, `feature_flag.result.variant` (variant flags) or
/// `feature_flag.result.value` (boolean flags), `feature_flag.provider.name` (`Flipt`),
/// `feature_flag.result.reason`, `feature_flag.context.id` (entity id), `feature_flag.set.id`
/// (namespace), `feature_flag.version` (snapshot version) and `error.type` on errors.
public struct EvaluationEvents: Sendable {
    /// The OTLP log sink; nil with the Zipkin exporter (span events only).
    public let logger: Logger?

    public init(logger: Logger?) { self.logger = logger }

    public static let eventName = "feature_flag.evaluation"

    /// Flipt's reason enum name → semantic-convention reason. A match decided by pseudorandom
    /// assignment (`split`: a rule's percentage distributions or a boolean threshold rollout below
    /// 100 %, see ``HoistCore/VariantEvaluation/split``) is `split`; other matches `targeting_match`.
    public static func reason(fliptReason: String, split: Bool = false) -> String {
        switch fliptReason {
        case "MATCH_EVALUATION_REASON": split ? "split" : "targeting_match"
        case "DEFAULT_EVALUATION_REASON": "default"
        case "FLAG_DISABLED_EVALUATION_REASON": "disabled"
        case "ERROR_EVALUATION_REASON": "error"
        default: "unknown"
        }
    }

    /// The event's attributes.
    public static func attributes(
        flagKey: String, namespace: String, entityId: String, version: String?, variant: String? = nil,
        booleanValue: Bool? = nil, fliptReason: String?, split: Bool = false, errorType: String? = nil
    ) -> SpanAttributes {
        var a = SpanAttributes()
        a.set("feature_flag.key", value: .string(flagKey))
        a.set("feature_flag.provider.name", value: "Flipt")
        a.set("feature_flag.context.id", value: .string(entityId))
        a.set("feature_flag.set.id", value: .string(namespace))
        if let version { a.set("feature_flag.version", value: .string(version)) }
        if let variant { a.set("feature_flag.result.variant", value: .string(variant)) }
        if let booleanValue { a.set("feature_flag.result.value", value: .bool(booleanValue)) }
        if let errorType {
            a.set("error.type", value: .string(errorType))
            a.set("feature_flag.result.reason", value: "error")
        } else if let fliptReason {
            a.set("feature_flag.result.reason", value: .string(reason(fliptReason: fliptReason, split: split)))
        }
        return a
    }

    /// Adds the event to `span` and logs it as an OTLP record (inside the span's context).
    public func emit(on span: any Span, _ attributes: SpanAttributes) {
        span.addEvent(SpanEvent(name: Self.eventName, attributes: attributes))
        guard let logger else { return }
        var metadata: Logger.Metadata = ["event.name": .string(Self.eventName)]
        attributes.forEach { key, value in metadata[key] = .string(ZipkinJSON.tagValue(value)) }
        ServiceContext.withValue(span.context) { logger.info("feature_flag.evaluation", metadata: metadata) }
    }
}
