public import HoistStorage
public import Logging

/// Writes the ``EvaluationCounter``'s counts to the store every `flushPeriod`
/// (`analytics.buffer.flush_period`, default 10 s) and once more when stopped, and deletes counts
/// older than `retention` (`analytics.retention`, default 7 days; zero keeps them forever).
///
/// A failed write puts the counts back for the next attempt, so a database that is briefly
/// unavailable loses nothing; the counts stay in memory meanwhile.
public struct EvaluationCountFlusher: Sendable {
    public let counter: EvaluationCounter
    public let store: any EvaluationCountStore
    public let flushPeriod: Duration
    public let retention: Duration
    let logger: Logger

    public init(
        counter: EvaluationCounter, store: any EvaluationCountStore, flushPeriod: Duration, retention: Duration,
        logger: Logger
    ) {
        self.counter = counter
        self.store = store
        self.flushPeriod = flushPeriod
        self.retention = retention
        self.logger = logger
    }

    /// Flushes every `flushPeriod` until the task is cancelled, then flushes one last time.
    public func run() async {
        var lastPrunedMinute: Int64 = .min
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: flushPeriod)
            } catch {
                break
            }
            await flush()
            let minute = counter.clock() / 60
            if minute != lastPrunedMinute {
                lastPrunedMinute = minute
                await prune()
            }
        }
        // The last flush runs outside this (cancelled) task: database calls refuse cancelled tasks.
        await Task { await self.flush() }.value
    }

    /// Writes the pending counts now. Returns whether they reached the store (true when there was
    /// nothing to write).
    @discardableResult
    public func flush() async -> Bool {
        let rows = counter.beginFlush()
        guard !rows.isEmpty else {
            counter.endFlush(committed: true)
            return true
        }
        do {
            try await store.addEvaluationCounts(rows)
            counter.endFlush(committed: true)
            logger.debug("evaluation counts flushed", metadata: ["hoist.analytics.cells": "\(rows.count)"])
            return true
        } catch {
            counter.endFlush(committed: false)
            logger.warning(
                "evaluation counts flush failed; will retry",
                metadata: ["hoist.analytics.cells": "\(rows.count)", "error": "\(error)"])
            return false
        }
    }

    /// Deletes counts older than the retention.
    public func prune() async {
        guard retention > .zero else { return }
        let cutoff = counter.clock() - retention.components.seconds
        do {
            let deleted = try await store.deleteEvaluationCounts(before: cutoff - ((cutoff % 60) + 60) % 60)
            if deleted > 0 {
                logger.debug("old evaluation counts deleted", metadata: ["hoist.analytics.deleted": "\(deleted)"])
            }
        } catch {
            logger.warning("deleting old evaluation counts failed", metadata: ["error": "\(error)"])
        }
    }
}
