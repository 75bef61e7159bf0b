public import HoistCore
public import NIOCore

/// Encoded decisions waiting to be chunked: their JSON objects back to back in one buffer, each
/// followed by a comma (`e₀,e₁,…,eₙ₋₁,`), so any run of consecutive events is one contiguous slice.
public struct DecisionLogBatch: Sendable {
    /// The events' JSON, each followed by `,`.
    public private(set) var text: JSONWriter
    /// `ends[i]`: offset of the comma after event `i`.
    public private(set) var ends: [Int] = []

    public init(capacity: Int = 0) {
        text = JSONWriter(capacity: capacity * 600)
        ends.reserveCapacity(capacity)
    }

    /// A batch of already encoded events (tests, tools).
    public init(events: [[UInt8]]) {
        self.init(capacity: events.count)
        for event in events { append { $0.bytes += event } }
    }

    /// Appends one event written by `write` (one JSON value).
    public mutating func append(_ write: (inout JSONWriter) -> Void) {
        write(&text)
        ends.append(text.bytes.count)
        text.bytes.append(UInt8(ascii: ","))
    }

    public var count: Int { ends.count }

    /// Bytes held (events and their commas).
    public var byteCount: Int { text.bytes.count }

    /// Drops the first `n` events (sent, or too large to send); the rest move to the front.
    public mutating func removeFirst(_ n: Int) {
        guard n > 0 else { return }
        guard n < ends.count else {
            text.bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            return
        }
        let cut = ends[n - 1] + 1
        text.bytes.removeFirst(cut)
        ends.removeFirst(n)
        for index in ends.indices { ends[index] -= cut }
    }

    /// Offset of event `index`'s first byte.
    func start(of index: Int) -> Int { index == 0 ? 0 : ends[index - 1] + 1 }

    /// Events `range` as they appear inside a JSON array (`eᵢ,…,eⱼ`, no brackets).
    func members(_ range: Range<Int>) -> ArraySlice<UInt8> {
        text.bytes[start(of: range.lowerBound)..<ends[range.upperBound - 1]]
    }

    /// Event `index`'s JSON.
    public func event(_ index: Int) -> ArraySlice<UInt8> { members(index..<(index + 1)) }
}

/// Packs a ``DecisionLogBatch`` into gzip-compressed JSON arrays of at most `limit` bytes
/// (`decision_logs.upload_size_limit_bytes`), one chunk at a time, in order.
///
/// How many uncompressed bytes fill a chunk is learnt from the previous chunk's compression ratio
/// (aiming at 90 % of the limit) and carried across rounds (``estimate``), so chunks are nearly full
/// and each is normally compressed once. A chunk that still compresses above the limit is cut to
/// about 90 % of what fitted and compressed again. Compression is ``GzipCompressor`` (libdeflate or
/// zlib, fastest level), one compressor per chunker. Not thread-safe: one per flush.
public struct DecisionLogChunker {
    /// A gzip-compressed JSON array and which events of the batch it holds.
    public struct Chunk {
        public var body: ByteBuffer
        public var range: Range<Int>
    }

    /// What ``next(_:from:)`` found.
    public enum Step {
        /// The next chunk.
        case chunk(Chunk)
        /// Event `index` alone compresses above the limit: it can never be sent.
        case tooLarge(Int)
    }

    /// Largest compressed body.
    public let limit: Int
    /// Uncompressed bytes expected to compress to about 90 % of ``limit``.
    public private(set) var estimate: Int
    let compressor: GzipCompressor
    /// Scratch: `[` + the chunk's events + `]`, the compressor's input.
    var input: ByteBuffer

    /// - Parameters:
    ///   - estimate: a previous chunker's ``estimate``, or nil to start at 4 × `limit`.
    ///   - backend: force a gzip implementation (tests); nil picks the fastest available.
    /// Returns nil when no gzip implementation can be initialised (out of memory).
    init?(limit: Int, estimate: Int? = nil, backend: GzipCompressor.Backend?) {
        guard let compressor = GzipCompressor(preferring: backend) else { return nil }
        self.limit = limit
        self.estimate = estimate ?? limit * 4
        self.compressor = compressor
        input = ByteBufferAllocator().buffer(capacity: min(self.estimate, 1 << 22) + 2)
    }

    /// The gzip implementation chunks use here: `libdeflate` when the system has it, else `zlib`.
    public static var gzipImplementation: String { LibDeflate.shared == nil ? "zlib" : "libdeflate" }

    /// See ``init(limit:estimate:backend:)``; libdeflate when the system has it, else zlib.
    public init?(limit: Int, estimate: Int? = nil) {
        self.init(limit: limit, estimate: estimate, backend: nil)
    }

    /// The chunk that starts with event `start` (which must be a valid index).
    public mutating func next(_ batch: DecisionLogBatch, from start: Int) -> Step {
        let first = batch.start(of: start)
        let learnt = estimate
        var end = start + 1
        while true {
            while end < batch.count && batch.ends[end] - first + 2 <= estimate { end += 1 }
            let size = batch.ends[end - 1] - first + 2
            switch compress(batch.members(start..<end)) {
            case .fits(let body):
                // Learn the ratio, damped, so the next chunk lands near 90 % of the limit.
                let target = Double(size) * Double(limit) * 0.9 / Double(max(1, body.readableBytes))
                estimate = max(64, min(Int(target), estimate * 4, 1 << 30))
                return .chunk(Chunk(body: body, range: start..<end))
            case .overflow(let consumed, let produced):
                if end - start == 1 {
                    estimate = learnt  // one odd event says nothing about the others
                    return .tooLarge(start)
                }
                // `consumed` input bytes gave at least `produced` ≥ limit output: aim at 90 % of that rate.
                let target = Int(Double(consumed) * Double(limit) * 0.9 / Double(max(1, produced)))
                estimate = max(2, min(target, size - 1))
                end = start + 1
            }
        }
    }

    enum Compressed {
        case fits(ByteBuffer)
        case overflow(consumed: Int, produced: Int)
    }

    /// gzip of `[` + `members` + `]`, if it fits in ``limit``. The output may take up to twice the
    /// limit, so an overshoot still tells the real ratio.
    mutating func compress(_ members: ArraySlice<UInt8>) -> Compressed {
        input.clear(minimumCapacity: members.count + 2)
        input.writeInteger(UInt8(ascii: "["))
        members.withUnsafeBytes { _ = input.writeBytes($0) }
        input.writeInteger(UInt8(ascii: "]"))
        let total = input.readableBytes
        switch compressor.compress(&input, capacity: 2 * limit) {
        case .compressed(let body) where body.readableBytes <= limit:
            return .fits(body)
        case .compressed(let body):
            return .overflow(consumed: total, produced: body.readableBytes)
        case .overflow(let consumed):
            return .overflow(consumed: consumed ?? total, produced: 2 * limit)
        }
    }
}
