import CompressNIO
import Crypto
public import HoistCore
import NIOCore

/// Turns buffered decisions into what leaves the process: one JSON object per decision (masked),
/// gathered into gzip-compressed JSON arrays no larger than `decision_logs.upload_size_limit_bytes`.
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

    /// One decision as a JSON object.
    public mutating func encode(_ record: DecisionRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 384)
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
        for (index, key) in record.context.keys.sorted().enumerated() {
            if index > 0 { w.raw(",") }
            w.string(key)
            w.raw(":")
            if maskedKeys.contains(key) {
                w.string(Self.maskedValue)
                masked.append("context." + key)
            } else {
                w.string(record.context[key] ?? "")
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
            w.array(segmentKeys) { w, key in w.string(key) }
        case .boolean(let enabled, let reason, let segmentKeys):
            w.raw("{\"enabled\":")
            w.bool(enabled)
            w.raw(",\"reason\":")
            w.string(reason.wireName)
            w.raw(",\"segment_keys\":")
            w.array(segmentKeys) { w, key in w.string(key) }
        }
        w.raw("},\"revision\":")
        w.string(etag(record.snapshotVersion))
        w.raw(",\"requested_by\":")
        w.string(record.requestedBy)
        w.raw(",\"labels\":")
        w.bytes += labelsJSON
        if !masked.isEmpty {
            w.raw(",\"masked\":")
            w.array(masked) { w, path in w.string(path) }
        }
        w.raw("}")
        return w.bytes
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

    /// A gzip-compressed JSON array of events and which of the input events it holds.
    public struct Chunk: Sendable {
        public var body: [UInt8]
        public var range: Range<Int>
    }

    /// Packs encoded events (in order) into gzip chunks of at most `limit` compressed bytes.
    /// The uncompressed size of a chunk is guessed from the last compression ratio; a chunk that
    /// compresses above the limit is halved and retried. A single event over the limit cannot be
    /// sent and is reported in `tooLarge` (its index), never retried.
    public static func chunks(_ events: [[UInt8]], limit: Int) -> (chunks: [Chunk], tooLarge: [Int]) {
        var chunks: [Chunk] = []
        var tooLarge: [Int] = []
        var estimate = limit * 4
        var start = 0
        while start < events.count {
            var end = start
            var size = 2
            while end < events.count && (end == start || size + events[end].count + 1 <= estimate) {
                size += events[end].count + 1
                end += 1
            }
            let body = gzip(array(events[start..<end]))
            if body.count <= limit {
                chunks.append(Chunk(body: body, range: start..<end))
                let ratio = max(0.01, Double(body.count) / Double(size))
                estimate = max(256, Int(Double(limit) / ratio * 0.9))
                start = end
            } else if end - start == 1 {
                tooLarge.append(start)
                start = end
            } else {
                estimate = max(2, size / 2)
            }
        }
        return (chunks, tooLarge)
    }

    static func array(_ events: ArraySlice<[UInt8]>) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, event) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += event
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// gzip (RFC 1952) of `bytes`, at zlib's fastest level: decision events repeat most of their
    /// keys and values, so level 1 already shrinks them several times at a fraction of the CPU.
    public static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let algorithm = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: 1))
        guard let compressed = try? buffer.compress(with: algorithm, allocator: ByteBufferAllocator()) else {
            return []
        }
        return Array(compressed.readableBytesView)
    }
}
