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
/// the buffer is full. A failed chunk goes back to the front of the buffer and the next attempt
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
        /// Decisions encoded per round (bounds the uploader's memory).
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

    /// Sends everything buffered; false when an upload failed (its decisions are back in the buffer).
    public func flush() async -> Bool {
        defer { publishMetrics() }
        var encoder = self.encoder
        while true {
            let records = buffer.take(upTo: options.roundSize)
            if records.isEmpty { return true }
            let events = records.map { encoder.encode($0) }
            if options.console { logToConsole(records, events) }
            guard let poster, let service = options.serviceURL else { continue }
            let (chunks, tooLarge) = DecisionLogEncoder.chunks(events, limit: options.uploadSizeLimit)
            if !tooLarge.isEmpty {
                metrics?.droppedTooLarge.increment(by: Int64(tooLarge.count))
                logger.warning(
                    "decision larger than the upload size limit dropped",
                    metadata: ["hoist.decision_logs.dropped": "\(tooLarge.count)"])
            }
            for (index, chunk) in chunks.enumerated() {
                let outcome = await poster.post(
                    url: service + "/logs", body: chunk.body, extraHeaders: [("Content-Encoding", "gzip")],
                    spanName: "decision_logs.upload")
                recordAttempt(outcome, events: chunk.range.count)
                if !outcome.succeeded {
                    let unsent = Set(tooLarge)
                    let rest = chunks[index...].flatMap { $0.range }.filter { !unsent.contains($0) }
                    buffer.requeue(rest.map { records[$0] })
                    return false
                }
            }
        }
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

    func logToConsole(_ records: [DecisionRecord], _ events: [[UInt8]]) {
        for (record, event) in zip(records, events) {
            logger.info(
                "Decision Log",
                metadata: [
                    "type": "hoist/decision", "decision_id": "\(record.decisionID)",
                    "hoist.namespace": "\(record.namespace)", "hoist.flag": "\(record.flagKey)",
                    "decision": "\(String(decoding: event, as: UTF8.self))",
                ])
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
