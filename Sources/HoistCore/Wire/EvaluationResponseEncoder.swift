

/// protojson encodings of evaluation responses (`flipt.evaluation.*` and the legacy `flipt.EvaluationResponse`).
extension JSONWriter {
    mutating func segmentKeys(_ keys: [String]) { array(keys) { w, k in w.string(k) } }

    public mutating func variantResponse(
        _ r: VariantEvaluation, requestId: String, durationMillis: Double, timestamp: Timestamp
    ) {
        raw("{")
        field("match", first: true); bool(r.match)
        field("segmentKeys"); segmentKeys(r.segmentKeys)
        field("reason"); string(r.reason.wireName)
        field("variantKey"); string(r.variantKey)
        field("variantAttachment"); string(r.variantAttachment)
        field("requestId"); string(requestId)
        field("requestDurationMillis"); double(durationMillis)
        field("timestamp"); self.timestamp(timestamp)
        field("flagKey"); string(r.flagKey)
        raw("}")
    }

    public mutating func booleanResponse(
        _ r: BooleanEvaluation, requestId: String, durationMillis: Double, timestamp: Timestamp
    ) {
        raw("{")
        field("enabled", first: true); bool(r.enabled)
        field("reason"); string(r.reason.wireName)
        field("requestId"); string(requestId)
        field("requestDurationMillis"); double(durationMillis)
        field("timestamp"); self.timestamp(timestamp)
        field("flagKey"); string(r.flagKey)
        field("segmentKeys"); segmentKeys(r.segmentKeys)
        raw("}")
    }

    public mutating func notFoundErrorResponse(flagKey: String, namespaceKey: String) {
        raw("{")
        field("flagKey", first: true); string(flagKey)
        field("namespaceKey"); string(namespaceKey)
        field("reason"); raw("\"NOT_FOUND_ERROR_EVALUATION_REASON\"")
        raw("}")
    }

    /// A `map<string,string>` the way protojson writes it: keys sorted.
    public mutating func stringMap(_ map: [String: String]) {
        raw("{")
        for (i, key) in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if i > 0 { raw(",") }
            string(key)
            raw(":")
            string(map[key]!)
        }
        raw("}")
    }

    /// Legacy `/api/v1/evaluate` response.
    public mutating func legacyResponse(
        _ r: VariantEvaluation, request: EvaluationRequest, requestId: String, durationMillis: Double,
        timestamp: Timestamp
    ) {
        raw("{")
        field("requestId", first: true); string(requestId)
        field("entityId"); string(request.entityId)
        field("requestContext"); stringMap(request.context)
        field("match"); bool(r.match)
        field("flagKey"); string(r.flagKey)
        field("segmentKey"); string(r.segmentKeys.first ?? "")
        field("timestamp"); self.timestamp(timestamp)
        field("value"); string(r.variantKey)
        field("requestDurationMillis"); double(durationMillis)
        field("attachment"); string(r.variantAttachment)
        field("reason"); string(r.reason.legacyWireName)
        field("namespaceKey"); string(request.namespaceKey)
        field("segmentKeys"); segmentKeys(r.segmentKeys)
        raw("}")
    }
}
