public import Logging
public import Prometheus
import Synchronization
import HoistStorage

/// Queues finished spans and exports them in batches, never blocking the caller.
///
/// Flipt's batch span processor settings: batches of at most ``maxBatch`` (512) spans, sent at
/// least every ``batchTimeout`` (1 s), from a queue of at most ``capacity`` (2048). A full queue or
/// a failed export drops spans, counted in `hoist_tracing_spans_dropped_total{reason}` (`queue_full`,
/// `export_failed`) with at most one warning per ``warningInterval``. ``run()`` is the export loop;
/// when it is cancelled (graceful shutdown) it flushes what is queued, bounded by ``exportTimeout``.
public final class SpanBatchProcessor: Sendable {
    public let exporter: any SpanExporter
    public let capacity: Int
    public let maxBatch: Int
    public let batchTimeout: Duration
    public let exportTimeout: Duration
    public let warningInterval: Duration
    let logger: Logger
    let droppedQueueFull: Counter?
    let droppedExportFailed: Counter?
    let exportedCounter: Counter?
    private let state = Mutex(State())
    /// Rung when the queue reaches a full batch, so the export loop does not wait for its tick
    /// while spans pile up (at tens of thousands of spans a second a 100 ms tick overflows the queue).
    let batchReady = AuditSignal()

    struct State {
        var queue: [FinishedSpan] = []
        var dropped = 0
        var exported = 0
        var lastWarning: ContinuousClock.Instant?
    }

    public init(
        exporter: any SpanExporter, registry: PrometheusCollectorRegistry?, logger: Logger, capacity: Int = 2048,
        maxBatch: Int = 512, batchTimeout: Duration = .seconds(1), exportTimeout: Duration = .seconds(10),
        warningInterval: Duration = .seconds(60)
    ) {
        self.exporter = exporter
        self.capacity = capacity
        self.maxBatch = maxBatch
        self.batchTimeout = batchTimeout
        self.exportTimeout = exportTimeout
        self.warningInterval = warningInterval
        self.logger = logger
        let help = "Finished spans Hoist could not export"
        droppedQueueFull = registry?.counter(
            "hoist_tracing_spans_dropped_total", help: help, labels: [("reason", "queue_full")])
        droppedExportFailed = registry?.counter(
            "hoist_tracing_spans_dropped_total", help: help, labels: [("reason", "export_failed")])
        exportedCounter = registry?.counter(
            "hoist_tracing_spans_exported_total", help: "Spans Hoist exported successfully")
    }

    /// Spans dropped so far (queue full or export failed).
    public var droppedCount: Int { state.withLock { $0.dropped } }
    /// Spans exported so far.
    public var exportedCount: Int { state.withLock { $0.exported } }
    /// Spans waiting.
    public var queuedCount: Int { state.withLock { $0.queue.count } }

    /// Adds a span; drops it when the queue is full. O(1), one lock, no suspension.
    public func enqueue(_ span: FinishedSpan) {
        let (accepted, full) = state.withLock { s -> (Bool, Bool) in
            guard s.queue.count < capacity else {
                s.dropped += 1
                return (false, false)
            }
            s.queue.append(span)
            return (true, s.queue.count == maxBatch)
        }
        if full { batchReady.notify() }
        if !accepted {
            droppedQueueFull?.increment()
            warnDropped(1, reason: "span queue full")
        }
    }

    /// The export loop: every ~100 ms, sends a batch when ``maxBatch`` spans wait or
    /// ``batchTimeout`` has passed since the last send; on cancellation flushes and returns.
    public func run() async {
        let clock = ContinuousClock()
        var lastExport = clock.now
        while !Task.isCancelled {
            let generation = batchReady.generation
            if queuedCount < maxBatch { await batchReady.wait(since: generation, timeout: .milliseconds(100)) }
            let due = clock.now - lastExport >= batchTimeout
            while queuedCount >= maxBatch || (due && queuedCount > 0) {
                await exportNextBatch()
                if Task.isCancelled || queuedCount < maxBatch { break }
            }
            if due { lastExport = clock.now }
        }
        // The loop's task is cancelled now; flush from a fresh task so exports are not cancelled too.
        await Task { await self.flushForShutdown() }.value
        await exporter.shutdown()
    }

    /// Exports what is queued; after the first failure the rest is dropped (counted), so shutdown
    /// takes at most about one ``exportTimeout`` when the collector is unreachable.
    func flushForShutdown() async {
        while queuedCount > 0 {
            let droppedBefore = droppedCount
            await exportNextBatch()
            if droppedCount > droppedBefore {
                let rest = state.withLock { s -> Int in
                    let n = s.queue.count
                    s.queue.removeAll()
                    s.dropped += n
                    return n
                }
                droppedExportFailed?.increment(by: Int64(rest))
                return
            }
        }
    }

    /// Exports everything queued (used on shutdown and by tests).
    public func flush() async {
        while queuedCount > 0 { await exportNextBatch() }
    }

    func exportNextBatch() async {
        let batch = state.withLock { s -> [FinishedSpan] in
            let n = min(maxBatch, s.queue.count)
            let batch = Array(s.queue.prefix(n))
            s.queue.removeFirst(n)
            return batch
        }
        guard !batch.isEmpty else { return }
        let exporter = self.exporter
        let timeout = exportTimeout
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await exporter.export(batch) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw ExportTimeout()
                }
                try await group.next()
                group.cancelAll()
            }
            state.withLock { $0.exported += batch.count }
            exportedCounter?.increment(by: Int64(batch.count))
        } catch {
            state.withLock { $0.dropped += batch.count }
            droppedExportFailed?.increment(by: Int64(batch.count))
            warnDropped(batch.count, reason: "span export failed", error: error)
        }
    }

    struct ExportTimeout: Error, CustomStringConvertible {
        var description: String { "export timed out" }
    }

    /// At most one warning per ``warningInterval``.
    func warnDropped(_ count: Int, reason: String, error: (any Error)? = nil) {
        let now = ContinuousClock.now
        let shouldLog = state.withLock { s -> Bool in
            if let last = s.lastWarning, now - last < warningInterval { return false }
            s.lastWarning = now
            return true
        }
        guard shouldLog else { return }
        var metadata: Logger.Metadata = ["hoist.tracing.dropped": "\(count)", "hoist.tracing.reason": "\(reason)"]
        if let error { metadata["error"] = "\(error)" }
        logger.warning("dropping trace spans", metadata: metadata)
    }
}
