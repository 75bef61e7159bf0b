import Crypto
public import HoistCore

/// Turns buffered decisions into what leaves the process: one JSON object per decision (masked);
/// ``DecisionLogChunker`` gathers them into gzip-compressed JSON arrays no larger than
/// `decision_logs.upload_size_limit_bytes`.
///
/// Event shape (snake_case, like OPA's decision log):
/// `{"decision_id","trace_id"?,"span_id"?,"timestamp","namespace","flag","entity_id","context",
///   "result":{"match","reason","variant","segment_keys"} | {"enabled","reason","segment_keys"},
///   "revision","requested_by","labels","masked"?}` — `revision` is the snapshot's ETag and
/// `masked` lists the `context.<key>` paths whose values were replaced by ``maskedValue``.
public struct DecisionLogEncoder: Sendable {
    /// What a masked context value becomes.
    public static let maskedValue = "****"

    /// `decision_logs.mask`: context keys whose values never leave the process.
    let maskedKeys: Set<String>
    /// `labels` of every event, pre-encoded (`{"id":…,"version":…,…}`).
    let labelsJSON: [UInt8]
    /// Last snapshot version → ETag (consecutive decisions nearly always share a snapshot).
    var lastRevision: (version: String, etag: String) = ("", "")

    public init(maskedKeys: Set<String>, labels: [(String, String)]) {
        self.maskedKeys = maskedKeys
        var w = JSONWriter(capacity: 128)
        w.raw("{")
        for (index, (key, value)) in labels.enumerated() {
            if index > 0 { w.raw(",") }
            w.string(key)
            w.raw(":")
            w.string(value)
        }
        w.raw("}")
        labelsJSON = w.bytes
    }

    /// One decision as a JSON object (the console log and tests; uploads use ``encode(_:into:)``).
    public mutating func encode(_ record: DecisionRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        encode(record, into: &w)
        return w.bytes
    }

    /// Appends one decision as a JSON object to `w`: a whole round of decisions is written into one
    /// growing buffer, with no array per decision.
    public mutating func encode(_ record: DecisionRecord, into w: inout JSONWriter) {
        w.raw("{\"decision_id\":")
        w.string(record.decisionID)
        if let trace = record.traceID, let span = record.spanID {
            w.raw(",\"trace_id\":")
            w.string(trace)
            w.raw(",\"span_id\":")
            w.string(span)
        }
        w.raw(",\"timestamp\":")
        w.timestamp(record.timestamp)
        w.raw(",\"namespace\":")
        w.string(record.namespace)
        w.raw(",\"flag\":")
        w.string(record.flagKey)
        w.raw(",\"entity_id\":")
        w.string(record.entityID)
        w.raw(",\"context\":{")
        var masked: [String] = []
        sortedContext(record.context) { index, key, value in
            if index > 0 { w.raw(",") }
            w.string(key)
            w.raw(":")
            if !maskedKeys.isEmpty && maskedKeys.contains(key) {
                w.string(Self.maskedValue)
                masked.append("context." + key)
            } else {
                w.string(value)
            }
        }
        w.raw("},\"result\":")
        switch record.outcome {
        case .variant(let match, let reason, let variantKey, let segmentKeys):
            w.raw("{\"match\":")
            w.bool(match)
            w.raw(",\"reason\":")
            w.string(reason.wireName)
            w.raw(",\"variant\":")
            w.string(variantKey)
            w.raw(",\"segment_keys\":")
            Self.strings(segmentKeys, &w)
        case .boolean(let enabled, let reason, let segmentKeys):
            w.raw("{\"enabled\":")
            w.bool(enabled)
            w.raw(",\"reason\":")
            w.string(reason.wireName)
            w.raw(",\"segment_keys\":")
            Self.strings(segmentKeys, &w)
        }
        w.raw("},\"revision\":")
        w.string(etag(record.snapshotVersion))
        w.raw(",\"requested_by\":")
        w.string(record.requestedBy)
        w.raw(",\"labels\":")
        w.bytes += labelsJSON
        if !masked.isEmpty {
            w.raw(",\"masked\":")
            Self.strings(masked, &w)
        }
        w.raw("}")
    }

    /// A JSON array of strings (no generic closure per element).
    static func strings(_ items: [String], _ w: inout JSONWriter) {
        w.raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { w.raw(",") }
            w.string(item)
        }
        w.raw("]")
    }

    /// Calls `body` with each context pair in key order (stable output), sorting positions in a
    /// stack buffer: no array of pairs and no second lookup per key.
    func sortedContext(_ context: [String: String], _ body: (Int, String, String) -> Void) {
        let keys = context.keys  // comparing keys alone: no copy of the values per comparison
        withUnsafeTemporaryAllocation(of: Dictionary<String, String>.Index.self, capacity: context.count) { slots in
            var count = 0
            var position = context.startIndex
            while position != context.endIndex {
                let key = keys[position]
                var slot = count
                while slot > 0 && key < keys[slots[slot - 1]] { slot -= 1 }
                // Insertion sort: shift the larger ones up one place.
                (slots.baseAddress! + count).initialize(to: position)
                var move = count
                while move > slot {
                    slots.swapAt(move, move - 1)
                    move -= 1
                }
                count += 1
                context.formIndex(after: &position)
            }
            for index in 0..<count {
                let (key, value) = context[slots[index]]
                body(index, key, value)
            }
            slots.baseAddress?.deinitialize(count: count)
        }
    }

    /// The snapshot ETag for a store version (lower-case hex SHA-1, as the snapshot endpoint sends).
    mutating func etag(_ version: String) -> String {
        guard !version.isEmpty else { return "" }
        if version == lastRevision.version { return lastRevision.etag }
        let hex = Insecure.SHA1.hash(data: Array(version.utf8)).map { byte in
            byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
        lastRevision = (version, hex)
        return hex
    }
}
