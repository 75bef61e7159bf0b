public import HoistCore
import HoistStorage
public import Logging
import Prometheus
import Synchronization

/// Ships buffered decisions (spec observability §7.5): to the console as one structured log line
/// each (`decision_logs.console`), and/or to `<decision_logs.service>/logs` as gzip-compressed JSON
/// arrays (`Content-Encoding: gzip`) of at most `upload_size_limit_bytes`.
///
/// Uploads happen every `min_delay`…`max_delay` (a random delay in between), or as soon as half
/// the buffer is full; each sends what was buffered when it began, in chunks filled close to the
/// limit (``DecisionLogChunker``) over the poster's kept-alive connections. A failed chunk goes back to the front of the buffer and the next attempt
/// waits 100 ms × 2ⁿ (capped at `max_delay`); while the service is down the buffer keeps the newest
/// `buffer_size_limit_events` decisions. On shutdown one final upload is attempted.
public final class DecisionLogUploader: Sendable {
    public struct Options: Sendable {
        /// `decision_logs.service` (no trailing slash), nil for console only.
        public var serviceURL: String?
        /// `decision_logs.console`.
        public var console: Bool
        /// `decision_logs.upload_size_limit_bytes` (compressed bytes per request).
        public var uploadSizeLimit: Int
        public var minDelay: Duration
        public var maxDelay: Duration
        /// Decisions encoded per round (bounds the uploader's memory; about 600 bytes each).
        public var roundSize: Int = 5000

        public init(serviceURL: String?, console: Bool, uploadSizeLimit: Int, minDelay: Duration, maxDelay: Duration) {
            self.serviceURL = serviceURL
            self.console = console
            self.uploadSizeLimit = uploadSizeLimit
            self.minDelay = minDelay
            self.maxDelay = max(minDelay, maxDelay)
        }
    }

    /// The last upload attempt, for status reports and `/health?plugins` (OPA's `decision_logs`).
    public struct UploadState: Sendable, Equatable {
        public var lastAttempt: Timestamp?
        public var lastSuccess: Timestamp?
        /// HTTP status of the last attempt (nil: no answer or no attempt yet).
        public var httpCode: Int?
        /// Why the last attempt failed; nil when it succeeded.
        public var error: String?
        public var consecutiveFailures = 0
        public var uploadedEvents: Int64 = 0

        public init() {}
    }

    public let buffer: DecisionLogBuffer
    let options: Options
    let encoder: DecisionLogEncoder
    let poster: OutboundPoster?
    let metrics: DecisionLogMetrics?
    let logger: Logger
    let clock: @Sendable () -> Timestamp
    let upload = Mutex(UploadState())
    /// The chunker's learnt size of a chunk (uncompressed bytes), carried from one flush to the next.
    let chunkEstimate = Mutex<Int?>(nil)

    public init(
        buffer: DecisionLogBuffer, options: Options, encoder: DecisionLogEncoder, poster: OutboundPoster?,
        metrics: DecisionLogMetrics?, logger: Logger, clock: @escaping @Sendable () -> Timestamp
    ) {
        self.buffer = buffer
        self.options = options
        self.encoder = encoder
        self.poster = options.serviceURL == nil ? nil : poster
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    public var uploadState: UploadState { upload.withLock { $0 } }

    /// Uploads until cancelled, then makes one last attempt and closes the HTTP client.
    public func run() async {
        var failures = 0
        while !Task.isCancelled {
            let delay = failures > 0 ? Self.backoff(failures: failures, cap: options.maxDelay) : randomDelay()
            await wait(delay, wakeEarly: failures == 0)
            if Task.isCancelled { break }
            failures = await flush() ? 0 : failures + 1
        }
        // The final upload runs in a task of its own: this one is cancelled, and so would be its requests.
        _ = await Task { await self.flush() }.value
        await poster?.shutdown()
    }

    /// 100 ms × 2^(failures−1), capped.
    static func backoff(failures: Int, cap: Duration) -> Duration {
        min(cap, .milliseconds(100) * (1 << min(failures - 1, 20)))
    }

    func randomDelay() -> Duration {
        let low = options.minDelay.nanoseconds
        let high = options.maxDelay.nanoseconds
        return .nanoseconds(high > low ? Int64.random(in: low...high) : low)
    }

    /// Waits `delay` in slices of at most a second (publishing metrics at each), returning early
    /// when the buffer signals it is half full (if `wakeEarly`) or the task is cancelled.
    func wait(_ delay: Duration, wakeEarly: Bool) async {
        let deadline = ContinuousClock.now + delay
        while !Task.isCancelled {
            publishMetrics()
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return }
            let generation = buffer.wakeUp.generation
            if wakeEarly && buffer.count >= buffer.wakeThreshold { return }
            await buffer.wakeUp.wait(since: generation, timeout: min(remaining, .seconds(1)))
            if wakeEarly && buffer.wakeUp.generation != generation { return }
        }
    }

    func publishMetrics() {
        metrics?.publish(buffer.counts, buffered: buffer.count)
    }

    /// Sends what is buffered when it starts (decisions recorded meanwhile wait for the next flush,
    /// so a busy server uploads full chunks instead of chasing the tail of the buffer); false when an
    /// upload failed (its decisions and the rest of the round are back in the buffer).
    public func flush() async -> Bool {
        defer { publishMetrics() }
        var encoder = self.encoder
        var chunker: DecisionLogChunker?
        if poster != nil {
            chunker = DecisionLogChunker(limit: options.uploadSizeLimit, estimate: chunkEstimate.withLock { $0 })
        }
        defer { if let chunker { chunkEstimate.withLock { $0 = chunker.estimate } } }
        var remaining = buffer.count
        while remaining > 0 {
            let records = buffer.take(upTo: min(options.roundSize, remaining))
            if records.isEmpty { return true }
            remaining -= records.count
            guard let poster, let service = options.serviceURL else {
                var batch = DecisionLogBatch(capacity: 1)
                for index in records.indices {
                    append(records[index], to: &batch, &encoder)
                    batch.removeFirst(1)
                }
                continue
            }
            guard chunker != nil else {
                logger.error("decision log compression unavailable, will retry")
                buffer.requeue(records)
                return false
            }
            if let failedAt = await upload(records, &encoder, &chunker!, poster: poster, url: service + "/logs") {
                buffer.requeue(Array(records[failedAt...]))
                return false
            }
        }
        return true
    }

    /// Uploads `records` chunk by chunk, encoding only as far as the next chunk reaches (so each
    /// chunk's JSON is still in cache when it is compressed, and the uploader works in short slices
    /// between posts); returns the index of the first decision not delivered when an upload fails
    /// (nil when all went). Decisions too large for any upload are dropped and counted.
    func upload(
        _ records: [DecisionRecord], _ encoder: inout DecisionLogEncoder, _ chunker: inout DecisionLogChunker,
        poster: OutboundPoster, url: String
    ) async -> Int? {
        var batch = DecisionLogBatch(capacity: 1024)
        var first = 0  // records[first] is the batch's event 0
        var encoded = 0  // records[..<encoded] are sent or in the batch
        var tooLarge = 0
        defer {
            if tooLarge > 0 {
                metrics?.droppedTooLarge.increment(by: Int64(tooLarge))
                logger.warning(
                    "decision larger than the upload size limit dropped",
                    metadata: ["hoist.decision_logs.dropped": "\(tooLarge)"])
            }
        }
        while first < records.count {
            // One event past the chunk's expected end, so a full chunk is never cut short.
            while encoded < records.count && batch.byteCount <= chunker.estimate {
                append(records[encoded], to: &batch, &encoder)
                encoded += 1
            }
            switch chunker.next(batch, from: 0) {
            case .tooLarge:
                tooLarge += 1
                batch.removeFirst(1)
                first += 1
            case .chunk(let chunk):
                let outcome = await poster.post(
                    url: url, body: chunk.body, extraHeaders: [("Content-Encoding", "gzip")],
                    spanName: "decision_logs.upload")
                recordAttempt(outcome, events: chunk.range.count)
                if !outcome.succeeded { return first }
                batch.removeFirst(chunk.range.count)
                first += chunk.range.count
            }
        }
        return nil
    }

    /// Encodes `record` at the end of `batch`, and logs it when `decision_logs.console` is on.
    func append(_ record: DecisionRecord, to batch: inout DecisionLogBatch, _ encoder: inout DecisionLogEncoder) {
        batch.append { encoder.encode(record, into: &$0) }
        guard options.console else { return }
        logger.info(
            "Decision Log",
            metadata: [
                "type": "hoist/decision", "decision_id": "\(record.decisionID)",
                "hoist.namespace": "\(record.namespace)", "hoist.flag": "\(record.flagKey)",
                "decision": "\(String(decoding: batch.event(batch.count - 1), as: UTF8.self))",
            ])
    }

    func recordAttempt(_ outcome: OutboundPoster.Outcome, events: Int) {
        let now = clock()
        let failures = upload.withLock { state -> Int in
            state.lastAttempt = now
            state.httpCode = outcome.status
            state.error = outcome.error
            if outcome.succeeded {
                state.lastSuccess = now
                state.consecutiveFailures = 0
                state.uploadedEvents += Int64(events)
            } else {
                state.consecutiveFailures += 1
            }
            return state.consecutiveFailures
        }
        if outcome.succeeded {
            metrics?.uploadSuccess.increment()
            metrics?.uploaded.increment(by: Int64(events))
        } else {
            metrics?.uploadFailure.increment()
            if failures == 1 || failures % 10 == 0 {
                logger.warning(
                    "decision log upload failed, will retry",
                    metadata: [
                        "hoist.decision_logs.attempt": "\(failures)", "error": "\(outcome.error ?? "")",
                        "hoist.decision_logs.buffered": "\(buffer.count)",
                    ])
            }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

extension DecisionLogUploader {
    /// The `decision_logs` component: OK until an upload fails, then WARN (decisions are kept and
    /// retried) until one succeeds again.
    public var componentStatus: ComponentStatus {
        let state = uploadState
        guard let error = state.error else { return .ok }
        return ComponentStatus(.warn, "last upload failed (\(error)); \(buffer.count) decisions buffered")
    }
}
