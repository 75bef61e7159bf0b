import Foundation
public import HoistStorage
public import Logging
import Synchronization

/// Delivers outbox events to every sink, in commit order, one independent loop per sink.
///
/// Each loop reads up to `batchSize` events after its cursor (`audit_cursors`), hands them to its
/// sink, then stores the new cursor; a slow sink only delays itself. Loops sleep until the store
/// signals a commit (``AuditSignal``), or at most `maxDelay` (`audit.buffer.flush_period`, which
/// also catches writes by other processes). A pruning loop deletes events every sink has
/// delivered once they are older than `retention` (`audit.retention`).
public final class AuditDispatcher: Sendable {
    public struct Options: Sendable {
        /// `audit.buffer.capacity`: events per batch (and per cursor write).
        public var batchSize: Int
        /// `audit.buffer.flush_period`: the longest a loop sleeps without a commit signal.
        public var maxDelay: Duration
        /// `audit.retention`: how long delivered events stay for the history API.
        public var retention: Duration
        /// How often delivered events older than `retention` are pruned.
        public var pruneInterval: Duration

        public init(batchSize: Int = 100, maxDelay: Duration = .seconds(1), retention: Duration = .seconds(7 * 86_400),
                    pruneInterval: Duration = .seconds(60)) {
            self.batchSize = max(1, batchSize)
            self.maxDelay = maxDelay
            self.retention = retention
            self.pruneInterval = pruneInterval
        }
    }

    let outbox: any AuditOutbox
    public let sinks: [any AuditSink]
    let signal: AuditSignal
    let options: Options
    let metrics: AuditMetrics?
    let logger: Logger
    /// Last delivered sequence per sink (for backlog and health).
    let cursors = Mutex<[String: Int64]>([:])

    public init(
        outbox: any AuditOutbox, sinks: [any AuditSink], signal: AuditSignal, options: Options,
        metrics: AuditMetrics?, logger: Logger
    ) {
        self.outbox = outbox
        self.sinks = sinks
        self.signal = signal
        self.options = options
        self.metrics = metrics
        self.logger = logger
    }

    /// Creates the cursor of every sink seen for the first time (at the newest event, so a new sink
    /// does not replay history). Call before the server takes writes, so none is skipped.
    public func prepareCursors() async throws {
        for sink in sinks {
            let cursor = try await outbox.auditCursor(sink: sink.name)
            cursors.withLock { $0[sink.name] = cursor }
        }
    }

    /// Runs every sink loop and the pruner until cancelled, then shuts the sinks down.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for sink in sinks {
                group.addTask { await self.loop(sink) }
            }
            group.addTask { await self.pruneLoop() }
            await group.waitForAll()
        }
        for sink in sinks { await sink.shutdown() }
    }

    /// Events committed but not yet delivered, per sink.
    public func backlog() async -> [String: Int64] {
        guard let newest = try? await outbox.newestAuditSequence() else { return [:] }
        let known = cursors.withLock { $0 }
        var result: [String: Int64] = [:]
        for sink in sinks { result[sink.name] = max(0, newest - (known[sink.name] ?? newest)) }
        return result
    }

    func loop(_ sink: any AuditSink) async {
        var cursor: Int64 = -1
        while !Task.isCancelled {
            do {
                if cursor < 0 {
                    cursor = try await outbox.auditCursor(sink: sink.name)
                    cursors.withLock { $0[sink.name] = cursor }
                }
                let generation = signal.generation
                let events = try await outbox.auditEvents(after: cursor, limit: options.batchSize)
                if events.isEmpty {
                    metrics?.backlog(sink: sink.name, events: 0)
                    await signal.wait(since: generation, timeout: options.maxDelay)
                    continue
                }
                let failures = try await sink.deliver(events)
                for failure in failures {
                    logger.error("audit delivery failed", metadata: [
                        "hoist.audit.sink": "\(sink.name)", "hoist.audit.event": "\(failure.event.id)",
                        "error": "\(failure.message)",
                    ])
                    try await outbox.recordAuditFailure(AuditFailure(
                        sequence: failure.event.sequence, eventId: failure.event.id, sink: sink.name,
                        message: failure.message, createdAt: Self.nowMicros()))
                }
                let now = Self.nowMicros()
                let failed = Set(failures.map(\.event.id))
                for event in events where !failed.contains(event.id) {
                    metrics?.latency(sink: sink.name, seconds: Double(max(0, now - event.createdAt)) / 1e6)
                }
                cursor = events[events.count - 1].sequence
                try await outbox.setAuditCursor(sink: sink.name, sequence: cursor)
                cursors.withLock { $0[sink.name] = cursor }
                if let newest = try? await outbox.newestAuditSequence() {
                    metrics?.backlog(sink: sink.name, events: max(0, newest - cursor))
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.error("audit dispatcher error", metadata: ["hoist.audit.sink": "\(sink.name)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func pruneLoop() async {
        let names = sinks.map(\.name)
        while !Task.isCancelled {
            let cutoff = Self.nowMicros() - Int64(options.retention.components.seconds) * 1_000_000
            do {
                let deleted = try await outbox.pruneAuditEvents(sinks: names, beforeMicros: cutoff)
                if deleted > 0 { logger.debug("audit events pruned", metadata: ["hoist.audit.deleted": "\(deleted)"]) }
            } catch {
                logger.warning("audit prune failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: options.pruneInterval)
        }
    }

    static func nowMicros() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }
}
