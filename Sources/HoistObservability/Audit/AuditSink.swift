public import HoistStorage

/// A destination of audit events, fed by its own ``AuditDispatcher`` loop in commit order.
public protocol AuditSink: Sendable {
    /// Stable name, the key of the sink's cursor in the outbox (`log`, `webhook`, `webhook-template-0`).
    var name: String { get }
    /// Delivers `events` in order. Returns when every event is either delivered or given up on
    /// (a non-retryable answer, returned as a failure to record); retryable failures are retried
    /// inside. Throws only `CancellationError` (shutdown): the cursor then stays where it was.
    func deliver(_ events: [AuditRecord]) async throws -> [AuditSinkFailure]
    /// Releases files / connections.
    func shutdown() async
}

/// An event a sink gave up on.
public struct AuditSinkFailure: Sendable, Hashable {
    public var event: AuditRecord
    public var message: String

    public init(event: AuditRecord, message: String) {
        self.event = event
        self.message = message
    }
}
