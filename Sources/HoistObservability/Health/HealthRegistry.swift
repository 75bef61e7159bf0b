import Synchronization

/// Knows every component that reports health (storage, snapshot engine; later audit sinks, tracing
/// exporter, decision logs) and whether the server is shutting down.
///
/// Checks are async closures run concurrently, each bounded by `checkTimeout`, so a hung database
/// makes the check fail fast instead of hanging the probe.
public final class HealthRegistry: Sendable {
    public typealias Check = @Sendable () async -> ComponentStatus

    struct Entry: Sendable {
        let name: String
        let check: Check
        /// Whether the component must be OK for `/health/ready`.
        let requiredForReadiness: Bool
    }

    let entries = Mutex<[Entry]>([])
    let shuttingDown = Atomic<Bool>(false)
    /// Upper bound for one component check (default 1 s).
    public let checkTimeout: Duration

    public init(checkTimeout: Duration = .seconds(1)) {
        self.checkTimeout = checkTimeout
    }

    /// Adds a component; `requiredForReadiness` components gate `/health/ready`.
    public func register(_ name: String, requiredForReadiness: Bool = true, check: @escaping Check) {
        entries.withLock { $0.append(Entry(name: name, check: check, requiredForReadiness: requiredForReadiness)) }
    }

    /// Marks the start of graceful shutdown: `/health` answers 503 from now on.
    public func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }

    public var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    /// Runs every check concurrently; results are in registration order.
    public func statuses() async -> [(name: String, status: ComponentStatus, requiredForReadiness: Bool)] {
        let all = entries.withLock { $0 }
        let timeout = checkTimeout
        return await withTaskGroup(of: (Int, ComponentStatus).self) { group in
            for (index, entry) in all.enumerated() {
                group.addTask {
                    (index, await Self.bounded(entry.check, name: entry.name, timeout: timeout))
                }
            }
            var results = [ComponentStatus?](repeating: nil, count: all.count)
            for await (index, status) in group { results[index] = status }
            return all.enumerated().map { index, entry in
                (entry.name, results[index] ?? ComponentStatus(.error, "no result"), entry.requiredForReadiness)
            }
        }
    }

    /// Readiness: nil when ready, else the reason (naming the component).
    public func readinessFailure() async -> String? {
        if isShuttingDown { return "shutting down" }
        let failures = await statuses().filter { $0.requiredForReadiness && $0.status.state != .ok && $0.status.state != .warn }
        guard !failures.isEmpty else { return nil }
        return failures.map { failure in
            failure.status.message.isEmpty
                ? "\(failure.name) is \(failure.status.state.rawValue)"
                : "\(failure.name): \(failure.status.message)"
        }.joined(separator: "; ")
    }

    /// Runs `check`, giving up after `timeout`. A check that does not return keeps running detached
    /// (it is bounded by its own I/O timeouts) but never holds up the probe.
    static func bounded(_ check: @escaping Check, name: String, timeout: Duration) async -> ComponentStatus {
        let once = ResumeOnce()
        return await withCheckedContinuation { continuation in
            once.install(continuation)
            Task { once.resume(with: await check()) }
            Task {
                try? await Task.sleep(for: timeout)
                once.resume(with: ComponentStatus(.error, "\(name) check timed out after \(timeout)"))
            }
        }
    }
}

/// Resumes a continuation with whichever result arrives first.
final class ResumeOnce: Sendable {
    let continuation = Mutex<CheckedContinuation<ComponentStatus, Never>?>(nil)

    func install(_ c: CheckedContinuation<ComponentStatus, Never>) { continuation.withLock { $0 = c } }

    func resume(with status: ComponentStatus) {
        let c = continuation.withLock { current -> CheckedContinuation<ComponentStatus, Never>? in
            defer { current = nil }
            return current
        }
        c?.resume(returning: status)
    }
}
