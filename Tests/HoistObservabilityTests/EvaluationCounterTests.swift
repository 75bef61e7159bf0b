import HoistCore
import HoistObservability
import HoistStorage
import Logging
import Synchronization
import Testing

/// A clock the test moves by hand (Unix seconds).
final class ManualSeconds: Sendable {
    let value: Atomic<Int64>
    init(_ start: Int64) { value = Atomic(start) }
    func set(_ seconds: Int64) { value.store(seconds, ordering: .relaxed) }
    @Sendable func now() -> Int64 { value.load(ordering: .relaxed) }
}

/// An in-memory count store that can be told to fail.
final class MemoryCountStore: EvaluationCountStore, Sendable {
    let cells = Mutex<[String: EvaluationCount]>([:])
    let failing = Atomic<Bool>(false)

    func addEvaluationCounts(_ counts: [EvaluationCount]) async throws {
        if failing.load(ordering: .relaxed) { throw HoistError(.unavailable, "database is busy") }
        cells.withLock { cells in
            for count in counts {
                let key = "\(count.minute)|\(count.namespaceKey)|\(count.flagKey)|\(count.reason)|\(count.value)"
                var cell = cells[key] ?? EvaluationCount(
                    minute: count.minute, namespaceKey: count.namespaceKey, flagKey: count.flagKey,
                    reason: count.reason, value: count.value, count: 0)
                cell.count += count.count
                cells[key] = cell
            }
        }
    }

    func evaluationCountsPerMinute(
        namespaceKey: String, flagKey: String, fromMinute: Int64, toMinute: Int64
    ) async throws -> [(minute: Int64, count: Int64)] {
        var perMinute: [Int64: Int64] = [:]
        for cell in try await evaluationCounts(
            namespaceKey: namespaceKey, flagKey: flagKey, fromMinute: fromMinute, toMinute: toMinute)
        {
            perMinute[cell.minute, default: 0] += cell.count
        }
        return perMinute.sorted { $0.key < $1.key }.map { (minute: $0.key, count: $0.value) }
    }

    func evaluationCounts(
        namespaceKey: String, flagKey: String, fromMinute: Int64, toMinute: Int64
    ) async throws -> [EvaluationCount] {
        cells.withLock { cells in
            cells.values.filter {
                $0.namespaceKey == namespaceKey && $0.flagKey == flagKey && $0.minute >= fromMinute
                    && $0.minute <= toMinute
            }
        }
    }

    func deleteEvaluationCounts(before minute: Int64) async throws -> Int {
        cells.withLock { cells in
            let old = cells.filter { $0.value.minute < minute }
            for key in old.keys { cells[key] = nil }
            return old.count
        }
    }
}

func variant(_ key: String, reason: EvaluationReason = .match) -> VariantEvaluation {
    VariantEvaluation(flagKey: "f", match: reason == .match, reason: reason, variantKey: key, variantAttachment: "", segmentKeys: [])
}

@Suite struct EvaluationCounterTests {
    /// 12:00:00 UTC on 2024-01-01.
    let noon: Int64 = 1_704_110_400

    @Test func countsLandInTheMinuteOfTheClockPerReasonAndValue() {
        let clock = ManualSeconds(noon + 5)
        let counter = EvaluationCounter(clock: clock.now)
        for _ in 0..<3 { counter.recordVariant(namespace: "default", flag: "checkout", result: variant("blue")) }
        counter.recordVariant(namespace: "default", flag: "checkout", result: variant("green"))
        clock.set(noon + 59)
        counter.recordBoolean(
            namespace: "default", flag: "dark-mode",
            result: BooleanEvaluation(flagKey: "dark-mode", enabled: true, reason: .default, segmentKeys: []))
        clock.set(noon + 60)
        counter.recordVariant(namespace: "default", flag: "checkout", result: variant("blue"))
        counter.recordError(namespace: "other", flag: "checkout")

        let rows = Set(counter.beginFlush())
        #expect(rows == [
            EvaluationCount(minute: noon, namespaceKey: "default", flagKey: "checkout", reason: "MATCH_EVALUATION_REASON", value: "blue", count: 3),
            EvaluationCount(minute: noon, namespaceKey: "default", flagKey: "checkout", reason: "MATCH_EVALUATION_REASON", value: "green", count: 1),
            EvaluationCount(minute: noon, namespaceKey: "default", flagKey: "dark-mode", reason: "DEFAULT_EVALUATION_REASON", value: "true", count: 1),
            EvaluationCount(minute: noon + 60, namespaceKey: "default", flagKey: "checkout", reason: "MATCH_EVALUATION_REASON", value: "blue", count: 1),
            EvaluationCount(minute: noon + 60, namespaceKey: "other", flagKey: "checkout", reason: "ERROR", value: "", count: 1),
        ])
    }

    @Test func unflushedCountsIncludePendingAndInFlightUntilCommitted() {
        let clock = ManualSeconds(noon)
        let counter = EvaluationCounter(clock: clock.now)
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("a"))
        _ = counter.beginFlush()
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("b"))
        #expect(counter.unflushedCountsPerMinute(namespace: "ns", flag: "f") == [noon: 2])
        #expect(counter.unflushedCountsPerMinute(namespace: "ns", flag: "g").isEmpty)
        counter.endFlush(committed: true)
        #expect(counter.unflushedCountsPerMinute(namespace: "ns", flag: "f") == [noon: 1])
    }

    @Test func aFailedFlushKeepsTheCountsForTheNextOne() async throws {
        let clock = ManualSeconds(noon)
        let counter = EvaluationCounter(clock: clock.now)
        let store = MemoryCountStore()
        let flusher = EvaluationCountFlusher(
            counter: counter, store: store, flushPeriod: .seconds(60), retention: .seconds(3600),
            logger: .init(label: "test"))
        for _ in 0..<5 { counter.recordVariant(namespace: "ns", flag: "f", result: variant("a")) }
        store.failing.store(true, ordering: .relaxed)
        #expect(await flusher.flush() == false)
        #expect(counter.pendingCellCount == 1)
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("a"))
        store.failing.store(false, ordering: .relaxed)
        #expect(await flusher.flush() == true)
        #expect(counter.pendingCellCount == 0)
        let stored = try await store.evaluationCountsPerMinute(namespaceKey: "ns", flagKey: "f", fromMinute: 0, toMinute: .max)
        #expect(stored.map(\.count) == [6])
    }

    @Test func pruneDeletesMinutesOlderThanTheRetention() async throws {
        let clock = ManualSeconds(noon)
        let counter = EvaluationCounter(clock: clock.now)
        let store = MemoryCountStore()
        let flusher = EvaluationCountFlusher(
            counter: counter, store: store, flushPeriod: .seconds(60), retention: .seconds(3600),
            logger: .init(label: "test"))
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("a"))
        clock.set(noon + 1800)
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("a"))
        await flusher.flush()
        clock.set(noon + 3600 + 90)
        await flusher.prune()
        let stored = try await store.evaluationCountsPerMinute(namespaceKey: "ns", flagKey: "f", fromMinute: 0, toMinute: .max)
        #expect(stored.map(\.minute) == [noon + 1800])
    }

    @Test func runFlushesPeriodicallyAndOnceMoreWhenCancelled() async throws {
        let counter = EvaluationCounter(clock: { 1_704_110_400 })
        let store = MemoryCountStore()
        let flusher = EvaluationCountFlusher(
            counter: counter, store: store, flushPeriod: .milliseconds(20), retention: .zero, logger: .init(label: "test"))
        let task = Task { await flusher.run() }
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("a"))
        var flushed: Int64 = 0
        for _ in 0..<200 where flushed == 0 {  // bounded: at most ~2 s
            try await Task.sleep(for: .milliseconds(10))
            flushed = try await store.evaluationCountsPerMinute(namespaceKey: "ns", flagKey: "f", fromMinute: 0, toMinute: .max)
                .reduce(0) { $0 + $1.count }
        }
        #expect(flushed == 1)
        counter.recordVariant(namespace: "ns", flag: "f", result: variant("b"))
        task.cancel()
        await task.value
        let total = try await store.evaluationCountsPerMinute(namespaceKey: "ns", flagKey: "f", fromMinute: 0, toMinute: .max)
            .reduce(0) { $0 + $1.count }
        #expect(total == 2)
    }
}
