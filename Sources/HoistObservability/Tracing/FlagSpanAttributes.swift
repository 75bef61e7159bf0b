public import Tracing

/// The attributes Flipt v1.61.1 sets on evaluation spans (spec observability §2.6,
/// `internal/server/otel/attributes.go`), plus Hoist's `decision_id` (OPA's `opa.decision_id`
/// analogue, spec §7.6) equal to the request id.
public enum FlagSpanAttributes {
    /// Request attributes: `flipt.namespace`, `flipt.flag`, `flipt.entity_id`, `flipt.request_id`,
    /// `decision_id`, `feature_flag.key`, `feature_flag.provider.name`.
    public static func request(
        _ a: inout SpanAttributes, namespace: String, flagKey: String, entityId: String, requestId: String
    ) {
        a.set("flipt.namespace", value: .string(namespace))
        a.set("flipt.flag", value: .string(flagKey))
        a.set("flipt.entity_id", value: .string(entityId))
        if !requestId.isEmpty {
            a.set("flipt.request_id", value: .string(requestId))
            a.set("decision_id", value: .string(requestId))
        }
        a.set("feature_flag.key", value: .string(flagKey))
        a["feature_flag.provider.name"] = "Flipt"
    }

    /// Variant result: `flipt.match`, `flipt.value` (variant key), `flipt.reason`, `flipt.segments`,
    /// `feature_flag.result.variant`.
    public static func variant(
        _ a: inout SpanAttributes, match: Bool, variantKey: String, reason: String, segments: [String]
    ) {
        a.set("flipt.match", value: .bool(match))
        a.set("flipt.value", value: .string(variantKey))
        a.set("flipt.reason", value: .string(reason))
        a.set("flipt.segments", value: .stringArray(segments))
        a.set("feature_flag.result.variant", value: .string(variantKey))
    }

    /// Boolean result: `flipt.value` (bool), `flipt.reason`, `flipt.segments`,
    /// `feature_flag.result.variant` (`"true"`/`"false"`).
    public static func boolean(_ a: inout SpanAttributes, enabled: Bool, reason: String, segments: [String]) {
        a.set("flipt.value", value: .bool(enabled))
        a.set("flipt.reason", value: .string(reason))
        a.set("flipt.segments", value: .stringArray(segments))
        a.set("feature_flag.result.variant", value: .string(enabled ? "true" : "false"))
    }
}
