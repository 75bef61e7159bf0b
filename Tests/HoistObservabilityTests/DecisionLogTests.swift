import CompressNIO
import HoistCore
import Logging
import NIOCore
import Prometheus
import Testing

@testable import HoistObservability

func decision(_ n: Int, reason: EvaluationReason = .match, context: [String: String] = [:]) -> DecisionRecord {
    DecisionRecord(
        decisionID: "d-\(n)", timestamp: Timestamp(microseconds: 1_700_000_000_000_000 + Int64(n)), namespace: "default",
        flagKey: "flag-\(n)", entityID: "user-\(n)", context: context,
        outcome: .variant(match: reason == .match, reason: reason, variantKey: "blue", segmentKeys: ["pro"]),
        snapshotVersion: "v1", requestedBy: "10.0.0.\(n % 250)")
}

func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    var buffer = ByteBuffer(bytes: bytes)
    let out = try buffer.decompress(with: .gzip(), allocator: ByteBufferAllocator())
    return Array(out.readableBytesView)
}

/// The decision-log buffer, encoder and chunker (spec observability §7.5).
@Suite struct DecisionLogTests {
    @Test func fullBufferDropsTheOldestAndCountsIt() {
        let buffer = DecisionLogBuffer(limit: 5)
        for n in 0..<8 { buffer.record(decision(n)) }
        #expect(buffer.count == 5)
        #expect(buffer.counts.droppedBufferFull == 3)
        #expect(buffer.counts.recorded == 8)
        let first = buffer.take(upTo: 2)
        #expect(first.map(\.decisionID) == ["d-3", "d-4"])
        // A failed upload goes back in front; with room for it nothing is lost.
        buffer.requeue(first)
        #expect(buffer.take(upTo: 10).map(\.decisionID) == ["d-3", "d-4", "d-5", "d-6", "d-7"])
        // Requeued decisions beyond the limit are the oldest, so they are the ones dropped.
        for n in 10..<14 { buffer.record(decision(n)) }
        buffer.requeue([decision(8), decision(9)])
        #expect(buffer.take(upTo: 10).map(\.decisionID) == ["d-9", "d-10", "d-11", "d-12", "d-13"])
        #expect(buffer.counts.droppedBufferFull == 4)
    }

    @Test func ringGrowsAcrossWrapAround() {
        var ring = DecisionRing(limit: 100)
        for n in 0..<10 { _ = ring.append(decision(n)) }
        _ = ring.removeFirst(upTo: 7)
        for n in 10..<60 { _ = ring.append(decision(n)) }
        #expect(ring.count == 53)
        #expect(ring.removeFirst(upTo: 100).map(\.decisionID) == (7..<60).map { "d-\($0)" })
    }

    @Test func policiesSkipReasonsSampleAndRateLimit() {
        let reasons = DecisionLogBuffer(limit: 10, dropReasons: [.default])
        reasons.record(decision(1, reason: .default))
        reasons.record(decision(2, reason: .match))
        #expect(reasons.take(upTo: 10).map(\.decisionID) == ["d-2"])
        #expect(reasons.counts.skipped == 1)

        let none = DecisionLogBuffer(limit: 10, sampleRatio: 0)
        for n in 0..<5 { none.record(decision(n)) }
        #expect(none.count == 0 && none.counts.skipped == 5)

        let half = DecisionLogBuffer(limit: 10_000, sampleRatio: 0.5)
        for n in 0..<4000 { half.record(decision(n)) }
        #expect((1600...2400).contains(half.count))

        let limited = DecisionLogBuffer(limit: 1000, maxPerSecond: 10)
        for n in 0..<100 { limited.record(decision(n)) }
        #expect((10...12).contains(limited.count))
        #expect(limited.counts.droppedRateLimit == Int64(100 - limited.count))
    }

    @Test func eventsCarryEveryFieldAndMaskedContext() throws {
        var encoder = DecisionLogEncoder(maskedKeys: ["email"], labels: [("id", "i-1"), ("version", "0.1.0")])
        var record = decision(7, context: ["email": "a@b.c", "plan": "pro"])
        record.traceID = String(repeating: "a", count: 32)
        record.spanID = String(repeating: "b", count: 16)
        let event = try JSONParser.parse(encoder.encode(record))
        #expect(event["decision_id"]?.stringValue == "d-7")
        #expect(event["trace_id"]?.stringValue == String(repeating: "a", count: 32))
        #expect(event["span_id"]?.stringValue == String(repeating: "b", count: 16))
        #expect(event["timestamp"]?.stringValue == "2023-11-14T22:13:20.000007Z")
        #expect(event["namespace"]?.stringValue == "default")
        #expect(event["flag"]?.stringValue == "flag-7")
        #expect(event["entity_id"]?.stringValue == "user-7")
        #expect(event["context"] == .object([("email", .string("****")), ("plan", .string("pro"))]))
        #expect(event["masked"] == .array([.string("context.email")]))
        #expect(event["result"]?["match"] == .bool(true))
        #expect(event["result"]?["reason"]?.stringValue == "MATCH_EVALUATION_REASON")
        #expect(event["result"]?["variant"]?.stringValue == "blue")
        #expect(event["result"]?["segment_keys"] == .array([.string("pro")]))
        // The revision is the snapshot ETag: SHA-1 of the store version "v1".
        #expect(event["revision"]?.stringValue == "5a6df720540c20d95d530d3fd6885511223d5d20")
        #expect(event["requested_by"]?.stringValue == "10.0.0.7")
        #expect(event["labels"] == .object([("id", .string("i-1")), ("version", .string("0.1.0"))]))
        let plain = try JSONParser.parse(encoder.encode(decision(8, context: ["plan": "free"])))
        #expect(plain["masked"] == nil && plain["trace_id"] == nil)
    }

    @Test func oneBufferHoldsTheRoundAndEachEventIsItsOwnEncoding() throws {
        var encoder = DecisionLogEncoder(maskedKeys: ["email"], labels: [("id", "i")])
        let records = (0..<5).map { decision($0, context: ["email": "e\($0)", "plan": "p"]) }
        var batch = DecisionLogBatch()
        for record in records { batch.append { encoder.encode(record, into: &$0) } }
        #expect(batch.count == 5)
        for (index, record) in records.enumerated() {
            #expect(Array(batch.event(index)) == encoder.encode(record))
        }
        // The whole round is a JSON array once bracketed.
        guard case .array(let items) = try JSONParser.parse(Array("[".utf8) + batch.members(0..<5) + Array("]".utf8)) else {
            Issue.record("not a JSON array")
            return
        }
        #expect(items.compactMap { $0["decision_id"]?.stringValue } == (0..<5).map { "d-\($0)" })
        // Sent events leave the front; the rest keep their encodings.
        batch.removeFirst(2)
        #expect(batch.count == 3)
        for index in 0..<3 { #expect(Array(batch.event(index)) == encoder.encode(records[index + 2])) }
        batch.removeFirst(3)
        #expect(batch.count == 0 && batch.byteCount == 0)
    }

    /// Every chunk of `batch`, in order, and the events too large to send.
    func chunkAll(_ batch: DecisionLogBatch, _ chunker: inout DecisionLogChunker) -> ([DecisionLogChunker.Chunk], [Int]) {
        var chunks: [DecisionLogChunker.Chunk] = []
        var tooLarge: [Int] = []
        var start = 0
        while start < batch.count {
            switch chunker.next(batch, from: start) {
            case .chunk(let chunk):
                chunks.append(chunk)
                start = chunk.range.upperBound
            case .tooLarge(let index):
                tooLarge.append(index)
                start = index + 1
            }
        }
        return (chunks, tooLarge)
    }

    func nonceBatch(_ range: Range<Int>) -> DecisionLogBatch {
        var encoder = DecisionLogEncoder(maskedKeys: [], labels: [("id", "i")])
        var batch = DecisionLogBatch()
        for n in range {
            let record = decision(n, context: ["nonce": String(n &* 2_654_435_761 % 1_000_003, radix: 36)])
            batch.append { encoder.encode(record, into: &$0) }
        }
        return batch
    }

    /// zlib always; libdeflate too where the system has it (it is loaded at run time).
    static let backends: [GzipCompressor.Backend] = LibDeflate.shared == nil ? [.zlib] : [.zlib, .libdeflate]

    @Test func theDefaultGzipIsLibdeflateWhenLoadable() throws {
        let compressor = try #require(GzipCompressor())
        #expect(compressor.backend == (LibDeflate.shared == nil ? .zlib : .libdeflate))
        #expect(try #require(GzipCompressor(preferring: .zlib)).backend == .zlib)
    }

    @Test(arguments: backends)
    func chunksStayUnderTheCompressedLimitKeepOrderAndFillUp(_ backend: GzipCompressor.Backend) throws {
        let limit = 4096
        var chunker = try #require(DecisionLogChunker(limit: limit, backend: backend))
        let (chunks, tooLarge) = chunkAll(nonceBatch(0..<2000), &chunker)
        #expect(tooLarge.isEmpty)
        #expect(chunks.count > 3)
        var ids: [String] = []
        var expectedStart = 0
        for chunk in chunks {
            #expect(chunk.body.readableBytes <= limit)
            #expect(chunk.range.lowerBound == expectedStart)
            expectedStart = chunk.range.upperBound
            guard case .array(let items) = try JSONParser.parse(try gunzip(Array(chunk.body.readableBytesView))) else {
                Issue.record("chunk is not a JSON array")
                continue
            }
            #expect(items.count == chunk.range.count)
            ids += items.compactMap { $0["decision_id"]?.stringValue }
        }
        #expect(ids == (0..<2000).map { "d-\($0)" })
        // Once the ratio is learnt, chunks are filled close to the limit (the last one takes the rest).
        for chunk in chunks.dropFirst().dropLast() { #expect(chunk.body.readableBytes > limit * 3 / 4) }

        // The learnt size carries over to the next round: its first chunk is full too.
        var next = try #require(DecisionLogChunker(limit: limit, estimate: chunker.estimate, backend: backend))
        let (later, _) = chunkAll(nonceBatch(2000..<2500), &next)
        #expect(later.count > 1 && later[0].body.readableBytes > limit * 3 / 4)
    }

    @Test(arguments: backends)
    func anEventLargerThanTheLimitIsReportedNotSent(_ backend: GzipCompressor.Backend) throws {
        let big = Array(String(repeating: "x", count: 600).utf8)
        var random = SystemRandomNumberGenerator()
        let incompressible = "\"" + (0..<3000).map { _ in String(UInt8.random(in: 97...122, using: &random), radix: 16) }.joined() + "\""
        var chunker = try #require(DecisionLogChunker(limit: 300, backend: backend))
        let (chunks, tooLarge) = chunkAll(
            DecisionLogBatch(events: [Array("{\"a\":1}".utf8), Array(incompressible.utf8), big]), &chunker)
        #expect(tooLarge == [1])
        #expect(chunks.flatMap { Array($0.range) } == [0, 2])
        #expect(chunks.allSatisfy { $0.body.readableBytes <= 300 })
    }

    @Test(arguments: backends)
    func anOvershootingEstimateIsCutBackUnderTheLimit(_ backend: GzipCompressor.Backend) throws {
        // An estimate far too large (as if learnt on very repetitive events) must still give chunks under the limit.
        var chunker = try #require(DecisionLogChunker(limit: 1024, estimate: 1 << 20, backend: backend))
        let (chunks, tooLarge) = chunkAll(nonceBatch(0..<500), &chunker)
        #expect(tooLarge.isEmpty)
        #expect(chunks.count > 2 && chunks.allSatisfy { $0.body.readableBytes <= 1024 })
        #expect(chunks.flatMap { Array($0.range) } == Array(0..<500))
        #expect(chunker.estimate < 1 << 20)
    }
}

/// The uploader without a service (console only): a flush drains the buffer and publishes the
/// buffer's counts as metrics; the retry backoff doubles from 100 ms up to `max_delay`.
@Suite struct DecisionLogUploaderTests {
    @Test func consoleFlushDrainsAndPublishesCounts() async throws {
        let registry = PrometheusCollectorRegistry()
        let buffer = DecisionLogBuffer(limit: 3)
        let uploader = DecisionLogUploader(
            buffer: buffer,
            options: .init(serviceURL: nil, console: true, uploadSizeLimit: 1024, minDelay: .seconds(1), maxDelay: .seconds(2)),
            encoder: DecisionLogEncoder(maskedKeys: [], labels: []), poster: nil,
            metrics: DecisionLogMetrics(registry: registry), logger: Logger(label: "test"),
            clock: { Timestamp(microseconds: 0) })
        for n in 0..<5 { buffer.record(decision(n)) }
        #expect(await uploader.flush())
        #expect(buffer.count == 0)
        let text = registry.emitToString()
        #expect(text.contains("hoist_decision_logs_recorded_total 5"))
        #expect(text.contains(#"hoist_decision_logs_dropped_total{reason="buffer_size_limit_exceeded"} 2"#))
        #expect(text.contains("hoist_decision_logs_buffered 0"))
        #expect(uploader.componentStatus == .ok)
    }

    @Test func backoffDoublesUpToTheCap() {
        let waits = (1...8).map { DecisionLogUploader.backoff(failures: $0, cap: .seconds(5)) }
        #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                          .milliseconds(1600), .milliseconds(3200), .seconds(5), .seconds(5)])
    }
}
