#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import HoistCore
public import HoistStorage
import Synchronization

/// Counts evaluations per UTC minute, namespace, flag, reason and value, in memory, for the
/// built-in analytics (`analytics.storage.database.enabled`, default `true`).
///
/// The evaluation path calls ``recordVariant(namespace:flag:result:)`` /
/// ``recordBoolean(namespace:flag:result:)`` / ``recordError(namespace:flag:)``: one coarse clock
/// read and one locked dictionary increment keyed by (minute, namespace, flag, outcome). Keys hold
/// the strings the evaluation already has (no copy of their bytes), so a cell that exists costs no
/// allocation; a new cell (first evaluation of a flag/outcome in a minute) grows the dictionary.
/// ``EvaluationCountFlusher`` takes the cells out with ``beginFlush()`` and adds them to the store.
public final class EvaluationCounter: Sendable {
    /// How one evaluation ended (the reason/value part of a cell).
    enum Outcome: Hashable, Sendable {
        case variant(reason: EvaluationReason, variantKey: String)
        case boolean(reason: EvaluationReason, value: Bool)
        case error
    }

    struct Cell: Hashable, Sendable {
        var minute: Int64
        var namespace: String
        var flag: String
        var outcome: Outcome
    }

    struct State: Sendable {
        /// Counts not yet handed to the flusher.
        var pending: [Cell: Int64] = [:]
        /// Counts handed to the flusher whose write has not finished.
        var inFlight: [Cell: Int64] = [:]
    }

    let state = Mutex(State())
    let clock: @Sendable () -> Int64

    /// - Parameter clock: Unix time in whole seconds (tests inject their own minutes).
    public init(clock: @escaping @Sendable () -> Int64 = EvaluationCounter.coarseUnixSeconds) {
        self.clock = clock
    }

    /// A variant evaluation that returned a result.
    public func recordVariant(namespace: String, flag: String, result: VariantEvaluation) {
        add(namespace, flag, .variant(reason: result.reason, variantKey: result.variantKey))
    }

    /// A boolean evaluation that returned a result.
    public func recordBoolean(namespace: String, flag: String, result: BooleanEvaluation) {
        add(namespace, flag, .boolean(reason: result.reason, value: result.enabled))
    }

    /// An evaluation of an existing flag that failed inside the evaluator.
    public func recordError(namespace: String, flag: String) {
        add(namespace, flag, .error)
    }

    @inline(__always)
    func add(_ namespace: String, _ flag: String, _ outcome: Outcome) {
        let seconds = clock()
        let cell = Cell(minute: seconds - ((seconds % 60) + 60) % 60, namespace: namespace, flag: flag, outcome: outcome)
        state.withLock { $0.pending[cell, default: 0] &+= 1 }
    }

    // MARK: Flushing

    /// Moves every pending count to the in-flight set and returns it as store rows.
    public func beginFlush() -> [EvaluationCount] {
        let taken: [Cell: Int64] = state.withLock { state in
            let taken = state.pending
            state.pending = Dictionary(minimumCapacity: taken.count)
            for (cell, count) in taken { state.inFlight[cell, default: 0] += count }
            return taken
        }
        return taken.map { Self.row($0.key, $0.value) }
    }

    /// Ends the flush begun by ``beginFlush()``: on success the in-flight counts are dropped (they
    /// are in the store now); on failure they go back to pending for the next attempt.
    public func endFlush(committed: Bool) {
        state.withLock { state in
            let flown = state.inFlight
            state.inFlight = [:]
            guard !committed else { return }
            for (cell, count) in flown { state.pending[cell, default: 0] += count }
        }
    }

    /// Counts of one flag not yet in the store (pending and in flight), per minute. The analytics
    /// endpoint adds them to the stored counts so an answer includes the latest evaluations.
    public func unflushedCountsPerMinute(namespace: String, flag: String) -> [Int64: Int64] {
        state.withLock { state in
            var perMinute: [Int64: Int64] = [:]
            for source in [state.pending, state.inFlight] {
                for (cell, count) in source where cell.flag == flag && cell.namespace == namespace {
                    perMinute[cell.minute, default: 0] += count
                }
            }
            return perMinute
        }
    }

    /// Number of cells waiting for the next flush.
    public var pendingCellCount: Int { state.withLock { $0.pending.count } }

    static func row(_ cell: Cell, _ count: Int64) -> EvaluationCount {
        let reason: String
        let value: String
        switch cell.outcome {
        case .variant(let r, let variantKey):
            reason = r.wireName
            value = variantKey
        case .boolean(let r, let enabled):
            reason = r.wireName
            value = enabled ? "true" : "false"
        case .error:
            reason = "ERROR"
            value = ""
        }
        return EvaluationCount(
            minute: cell.minute, namespaceKey: cell.namespace, flagKey: cell.flag, reason: reason, value: value,
            count: count)
    }

    /// Unix seconds from the kernel's coarse real-time clock (a few ms resolution, no system call).
    @Sendable public static func coarseUnixSeconds() -> Int64 {
        var ts = timespec()
        #if os(Linux)
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        #else
        clock_gettime(CLOCK_REALTIME, &ts)
        #endif
        return Int64(ts.tv_sec)
    }
}
