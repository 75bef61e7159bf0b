public import HoistCore
public import HoistStorage
import Synchronization

/// Where evaluations leave their decisions: a non-blocking, lock-protected enqueue (spec §7.5).
///
/// ``record(_:)`` runs on the evaluation path, so it only applies the cheap policies (reason
/// filter, sampling, rate limit) and appends a ``DecisionRecord`` to a ring under a short lock;
/// encoding, masking, compression and I/O happen in ``DecisionLogUploader``. When the ring is full
/// the oldest decision is dropped and counted.
public final class DecisionLogBuffer: Sendable {
    /// Event counts since start (the uploader publishes them as metrics and in status reports).
    public struct Counts: Sendable, Equatable {
        /// Decisions accepted into the buffer.
        public var recorded: Int64 = 0
        /// Oldest decisions dropped because `buffer_size_limit_events` was reached.
        public var droppedBufferFull: Int64 = 0
        /// Decisions refused by `max_decisions_per_second`.
        public var droppedRateLimit: Int64 = 0
        /// Decisions not logged because of `drop_reasons` or `sample_ratio`.
        public var skipped: Int64 = 0

        public init() {}
    }

    struct State {
        var ring: DecisionRing
        var counts = Counts()
        /// Token bucket for `max_decisions_per_second`.
        var tokens: Double
        var lastRefillNanos: UInt64 = 0
    }

    let state: Mutex<State>
    /// `decision_logs.drop_reasons`, indexed by `EvaluationReason.rawValue`.
    let droppedReasons: [Bool]
    /// `decision_logs.sample_ratio` as a threshold on 53 random bits (nil: keep everything).
    let sampleThreshold: UInt64?
    /// `decision_logs.max_decisions_per_second` (0: unlimited).
    let maxPerSecond: Double
    /// Buffered count at which the uploader is woken early.
    let wakeThreshold: Int
    /// Notified when the buffer reaches ``wakeThreshold`` (the uploader waits on it).
    public let wakeUp = AuditSignal()

    /// - Parameters:
    ///   - limit: `buffer_size_limit_events` (> 0).
    ///   - dropReasons: reasons whose decisions are never logged.
    ///   - sampleRatio: share of decisions kept, in [0, 1].
    ///   - maxPerSecond: rate limit, 0 for none.
    ///   - wakeThreshold: buffered count that wakes the uploader before its delay is up.
    public init(
        limit: Int, dropReasons: Set<EvaluationReason> = [], sampleRatio: Double = 1, maxPerSecond: Double = 0,
        wakeThreshold: Int? = nil
    ) {
        state = Mutex(State(ring: DecisionRing(limit: max(1, limit)), tokens: maxPerSecond))
        var reasons = [Bool](repeating: false, count: 8)
        for reason in dropReasons { reasons[reason.rawValue] = true }
        droppedReasons = reasons
        sampleThreshold = sampleRatio >= 1 ? nil : UInt64(max(0, sampleRatio) * 0x1p53)
        self.maxPerSecond = maxPerSecond
        self.wakeThreshold = max(1, wakeThreshold ?? limit / 2)
    }

    /// Enqueues one decision (or counts why not). Never blocks beyond a short lock, never allocates
    /// beyond the ring's occasional growth.
    public func record(_ record: DecisionRecord) {
        let skip =
            droppedReasons[record.outcome.reason.rawValue]
            || (sampleThreshold.map { RequestID.nextRandom() >> 11 >= $0 } ?? false)
        let now = maxPerSecond > 0 ? WallClock.monotonicNanos() : 0
        let wake = state.withLock { state -> Bool in
            if skip {
                state.counts.skipped += 1
                return false
            }
            if maxPerSecond > 0 {
                let elapsed = Double(now &- state.lastRefillNanos) / 1e9
                state.lastRefillNanos = now
                state.tokens = min(maxPerSecond, state.tokens + elapsed * maxPerSecond)
                guard state.tokens >= 1 else {
                    state.counts.droppedRateLimit += 1
                    return false
                }
                state.tokens -= 1
            }
            if state.ring.append(record) { state.counts.droppedBufferFull += 1 }
            state.counts.recorded += 1
            return state.ring.count == wakeThreshold
        }
        if wake { wakeUp.notify() }
    }

    /// Takes up to `maximum` decisions, oldest first, for upload.
    public func take(upTo maximum: Int) -> [DecisionRecord] {
        state.withLock { $0.ring.removeFirst(upTo: maximum) }
    }

    /// Returns decisions whose upload failed to the front of the queue; the oldest beyond the limit
    /// are dropped and counted.
    public func requeue(_ records: [DecisionRecord]) {
        guard !records.isEmpty else { return }
        state.withLock { state in
            state.counts.droppedBufferFull += Int64(state.ring.prepend(records))
        }
    }

    /// Decisions waiting for upload.
    public var count: Int { state.withLock { $0.ring.count } }

    /// Counts since start.
    public var counts: Counts { state.withLock { $0.counts } }
}
