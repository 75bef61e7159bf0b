public import HoistCore
import Synchronization

/// Who made a change: `metadata.actor` of an audit event (spec observability §3.2).
public struct AuditActor: Sendable, Hashable {
    /// `none` until authentication exists; else the method name (`token`, `oidc`, …).
    public var authentication: String
    /// The first `X-Forwarded-For` hop, else the client address; omitted when empty.
    public var ip: String

    public init(authentication: String = "none", ip: String = "") {
        self.authentication = authentication
        self.ip = ip
    }

    /// `{"authentication":…,"ip":…}` (empty fields omitted), the stored form.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if !authentication.isEmpty { members.append(("authentication", .string(authentication))) }
        if !ip.isEmpty { members.append(("ip", .string(ip))) }
        return .object(members)
    }
}

/// The actor of the current request, set by the API around each handler so that the store can
/// write the audit event without the ``FlagStore`` protocol changing shape. Writes made outside a
/// request (CLI import, tests) are attributed to `{"authentication":"none"}`.
public enum AuditContext {
    @TaskLocal public static var actor = AuditActor()
}

/// What the store does with audit events: whether to record one for a `type:action` pair, and
/// what to call after a transaction that recorded some has committed (wakes the dispatcher).
public struct AuditPolicy: Sendable {
    /// Audit off: nothing is recorded (Flipt: audit is on when any sink is enabled).
    public static let disabled = AuditPolicy(allows: { _, _ in false }, committed: { _ in })

    /// `allows(type, action)` — the `audit.events` filter.
    public let allows: @Sendable (String, String) -> Bool
    /// Called after commit with the `(type, action)` pairs recorded by that transaction.
    public let committed: @Sendable ([(String, String)]) -> Void

    public init(
        allows: @escaping @Sendable (String, String) -> Bool,
        committed: @escaping @Sendable ([(String, String)]) -> Void
    ) {
        self.allows = allows
        self.committed = committed
    }
}

/// One event as stored in the outbox (`audit_events`), in commit order (`sequence`).
public struct AuditRecord: Sendable, Hashable {
    /// Commit order, strictly increasing.
    public var sequence: Int64
    /// UUID, sent as `Idempotency-Key`.
    public var id: String
    public var type: String
    public var action: String
    /// The namespace the change belongs to (for the history filter); empty when none.
    public var namespaceKey: String
    public var actor: AuditActor
    /// The payload (object keys already in alphabetical order).
    public var payload: JSONValue
    /// RFC 3339, seconds, server local time zone (`2023-09-13T17:41:53Z`).
    public var timestamp: String
    /// Commit time, Unix microseconds.
    public var createdAt: Int64

    public init(
        sequence: Int64, id: String, type: String, action: String, namespaceKey: String, actor: AuditActor,
        payload: JSONValue, timestamp: String, createdAt: Int64
    ) {
        self.sequence = sequence
        self.id = id
        self.type = type
        self.action = action
        self.namespaceKey = namespaceKey
        self.actor = actor
        self.payload = payload
        self.timestamp = timestamp
        self.createdAt = createdAt
    }
}

/// A delivery that a sink gave up on (non-retryable answer), kept for inspection.
public struct AuditFailure: Sendable, Hashable {
    public var sequence: Int64
    public var eventId: String
    public var sink: String
    public var message: String
    public var createdAt: Int64

    public init(sequence: Int64, eventId: String, sink: String, message: String, createdAt: Int64) {
        self.sequence = sequence
        self.eventId = eventId
        self.sink = sink
        self.message = message
        self.createdAt = createdAt
    }
}

/// Filter of the history API (`GET /api/v1/audit/events`).
public struct AuditQuery: Sendable, Hashable {
    public var type: String?
    public var action: String?
    public var namespaceKey: String?
    /// Inclusive bounds, Unix microseconds.
    public var fromMicros: Int64?
    public var toMicros: Int64?
    public var page: PageRequest

    public init(
        type: String? = nil, action: String? = nil, namespaceKey: String? = nil, fromMicros: Int64? = nil,
        toMicros: Int64? = nil, page: PageRequest = PageRequest()
    ) {
        self.type = type
        self.action = action
        self.namespaceKey = namespaceKey
        self.fromMicros = fromMicros
        self.toMicros = toMicros
        self.page = page
    }
}

/// The durable audit outbox: events written in the same transaction as their change, read by the
/// dispatcher in commit order, with one delivery cursor per sink.
public protocol AuditOutbox: Sendable {
    /// Events with `sequence > after`, oldest first, at most `limit`.
    func auditEvents(after: Int64, limit: Int) async throws -> [AuditRecord]
    /// The sink's cursor (last delivered sequence); created at the newest sequence when missing,
    /// so a newly enabled sink does not replay history.
    func auditCursor(sink: String) async throws -> Int64
    func setAuditCursor(sink: String, sequence: Int64) async throws
    /// Records a delivery the sink gave up on.
    func recordAuditFailure(_ failure: AuditFailure) async throws
    func auditFailures(limit: Int) async throws -> [AuditFailure]
    /// Deletes events every listed sink has delivered that were committed before `beforeMicros`.
    /// Returns the number deleted.
    func pruneAuditEvents(sinks: [String], beforeMicros: Int64) async throws -> Int
    /// Newest first, paginated like Flipt's lists.
    func listAuditEvents(_ query: AuditQuery) async throws -> Page<AuditRecord>
    /// The newest sequence (0 when empty).
    func newestAuditSequence() async throws -> Int64
}

/// Wakes waiting dispatcher loops when a transaction with audit events commits.
public final class AuditSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var next: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Tokens whose timeout/cancellation fired before their continuation was registered.
        var fired: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init() {}

    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter.
    public func notify() {
        let waiters = state.withLock { s in
            s.generation &+= 1
            let w = Array(s.waiters.values)
            s.waiters.removeAll()
            return w
        }
        for w in waiters { w.resume() }
    }

    /// Returns when ``notify()`` was called after `generation` was read, or after `timeout`.
    public func wait(since generation: UInt64, timeout: Duration) async {
        let token = state.withLock { s -> UInt64 in
            s.next &+= 1
            return s.next
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.fire(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if s.generation != generation || s.fired.remove(token) != nil { return true }
                    s.waiters[token] = c
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            self.fire(token)
        }
        timer.cancel()
        state.withLock { _ = $0.fired.remove(token) }
    }

    private func fire(_ token: UInt64) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiters.removeValue(forKey: token) { return w }
            s.fired.insert(token)
            return nil
        }
        waiter?.resume()
    }
}
