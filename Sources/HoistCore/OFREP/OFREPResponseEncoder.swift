/// OFREP response bodies as Flipt's gateway writes them (protojson, fields in proto order,
/// default values emitted; evaluation spec §7.2–§7.5).
extension JSONWriter {
    /// An `EvaluatedFlag` for a variant flag: the variant key as `value` and `variant`;
    /// `metadata.attachment` (raw JSON text) and `metadata.segments` (comma-joined) when non-empty.
    public mutating func ofrepFlag(_ r: VariantEvaluation) {
        raw("{\"key\":")
        string(r.flagKey)
        raw(",\"reason\":\"")
        raw(OFREP.reason(r.reason))
        raw("\",\"variant\":")
        string(r.variantKey)
        // google.protobuf.Struct members in key order.
        raw(",\"metadata\":{")
        if !r.variantAttachment.isEmpty {
            raw("\"attachment\":")
            string(r.variantAttachment)
        }
        if !r.segmentKeys.isEmpty {
            if !r.variantAttachment.isEmpty { raw(",") }
            raw("\"segments\":")
            string(r.segmentKeys.joined(separator: ","))
        }
        raw("},\"value\":")
        string(r.variantKey)
        raw("}")
    }

    /// An `EvaluatedFlag` for a boolean flag: `value` true/false, `variant` `"true"`/`"false"`,
    /// empty metadata (segments are not reported).
    public mutating func ofrepFlag(_ r: BooleanEvaluation) {
        raw("{\"key\":")
        string(r.flagKey)
        raw(",\"reason\":\"")
        raw(OFREP.reason(r.reason))
        if r.enabled {
            raw("\",\"variant\":\"true\",\"metadata\":{},\"value\":true}")
        } else {
            raw("\",\"variant\":\"false\",\"metadata\":{},\"value\":false}")
        }
    }

    /// OFREP's error body `{"key"?, "errorCode", "errorDetails"}`, encoded like Go's
    /// `encoding/json` (HTML-safe escaping); `key` is left out when empty.
    public mutating func ofrepError(key: String, code: StaticString, details: String) {
        let wasHTMLSafe = htmlSafe
        htmlSafe = true
        defer { htmlSafe = wasHTMLSafe }
        raw("{")
        if !key.isEmpty {
            raw("\"key\":")
            string(key)
            raw(",")
        }
        raw("\"errorCode\":\"")
        raw(code)
        raw("\",\"errorDetails\":")
        string(details)
        raw("}")
    }

    /// `GetProviderConfigurationResponse`. `minPollingIntervalMs` is an int64, which protojson
    /// writes as a JSON string.
    public mutating func ofrepConfiguration(pollingEnabled: Bool, minPollingIntervalMilliseconds: Int64) {
        raw("{\"name\":\"flipt\",\"capabilities\":{\"cacheInvalidation\":{\"polling\":{\"enabled\":")
        bool(pollingEnabled)
        raw(",\"minPollingIntervalMs\":\"")
        int(minPollingIntervalMilliseconds)
        raw("\"}},\"flagEvaluation\":{\"supportedTypes\":[\"string\",\"boolean\"]}}}")
    }
}
