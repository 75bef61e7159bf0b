public import Logging

/// Periodically reconciles the served snapshots with the store, so changes committed by another
/// process (a replica, an import run against the database) are served without a restart.
public struct SnapshotPoller: Sendable {
    let engine: SnapshotEngine
    let interval: Duration
    let logger: Logger

    public init(engine: SnapshotEngine, interval: Duration, logger: Logger) {
        self.engine = engine
        self.interval = interval
        self.logger = logger
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await engine.synchronize()
            } catch {
                logger.warning("snapshot synchronisation failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
