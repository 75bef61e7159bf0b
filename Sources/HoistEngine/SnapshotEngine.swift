public import HoistCore
public import HoistStorage
public import Logging
import Synchronization

/// Holds the compiled snapshot of every namespace and swaps them atomically after writes.
///
/// Reads (`snapshot(for:)`) take a short lock around a dictionary lookup and never touch the store.
/// Rebuilds are single-flight per namespace: concurrent refresh requests for the same namespace
/// coalesce into at most one rebuild in progress plus one queued.
public final class SnapshotEngine: Sendable {
    let store: any ReadOnlyFlagStore
    let logger: Logger
    let clock: @Sendable () -> Timestamp
    let snapshots = Mutex<[String: NamespaceSnapshot]>([:])
    let rebuilds: RebuildCoordinator
    let loaded = Atomic<Bool>(false)
    /// Namespaces whose latest rebuild failed, with the error; cleared by the next successful rebuild.
    let failures = Mutex<[String: String]>([:])
    let observer: SnapshotEngineObserver
    /// Announces every snapshot swap and removal (used by the snapshot stream endpoint).
    public let changes = SnapshotChangeFeed()

    public init(
        store: any ReadOnlyFlagStore, logger: Logger, clock: @escaping @Sendable () -> Timestamp,
        observer: SnapshotEngineObserver = .none
    ) {
        self.store = store
        self.logger = logger
        self.clock = clock
        self.observer = observer
        self.rebuilds = RebuildCoordinator()
    }

    /// The current snapshot of a namespace, or nil when the namespace does not exist.
    @inline(__always)
    public func snapshot(for namespaceKey: String) -> NamespaceSnapshot? {
        snapshots.withLock { $0[namespaceKey] }
    }

    /// Every loaded snapshot, keyed by namespace.
    public var allSnapshots: [String: NamespaceSnapshot] { snapshots.withLock { $0 } }

    /// Loads every namespace from the store. Called once before the server accepts traffic.
    public func loadAll() async throws {
        let versions = try await store.namespaceVersions()
        for key in versions.keys.sorted() {
            try await rebuild(namespaceKey: key)
        }
        loaded.store(true, ordering: .releasing)
        logger.info("snapshots loaded", metadata: ["hoist.namespaces": "\(versions.count)"])
    }

    /// True once every namespace present at start has a snapshot.
    public var isLoaded: Bool { loaded.load(ordering: .acquiring) }

    /// Namespaces whose most recent rebuild failed, with the error text.
    public var failedRebuilds: [String: String] { failures.withLock { $0 } }

    /// Rebuilds one namespace after a committed write; returns once a snapshot at least as new as
    /// the write is being served.
    public func refresh(namespaceKey: String) async throws {
        do {
            try await rebuilds.run(key: namespaceKey) { [self] in
                try await rebuild(namespaceKey: namespaceKey)
            }
            _ = failures.withLock { $0.removeValue(forKey: namespaceKey) }
        } catch {
            failures.withLock { $0[namespaceKey] = "\(error)" }
            throw error
        }
    }

    /// Rebuilds any namespace whose store version differs from the served one, and drops deleted ones.
    /// Used by the periodic poller so writes made by other processes are picked up.
    public func synchronize() async throws {
        let versions = try await store.namespaceVersions()
        let served = snapshots.withLock { current in current.mapValues(\.version) }
        for (key, version) in versions where served[key] != version {
            try await refresh(namespaceKey: key)
        }
        for key in served.keys where versions[key] == nil {
            try await refresh(namespaceKey: key)
        }
    }

    func rebuild(namespaceKey: String) async throws {
        let started = ContinuousClock.now
        observer.rebuildStarted(namespaceKey)
        let state: NamespaceState
        do {
            state = try await store.namespaceState(key: namespaceKey)
        } catch let error as HoistError where error.kind == .notFound {
            let removed = snapshots.withLock { $0.removeValue(forKey: namespaceKey) }
            if removed != nil { changes.publish(namespaceKey, nil) }
            logger.debug("namespace snapshot removed", metadata: ["hoist.namespace": "\(namespaceKey)"])
            return
        } catch {
            observer.rebuildFailed(namespaceKey)
            throw error
        }
        let snapshot = NamespaceSnapshot(state: state, builtAt: clock())
        snapshots.withLock { $0[namespaceKey] = snapshot }
        changes.publish(namespaceKey, snapshot)
        let total = ContinuousClock.now - started
        observer.rebuilt(namespaceKey, Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18)
        logger.debug(
            "namespace snapshot rebuilt",
            metadata: [
                "hoist.namespace": "\(namespaceKey)", "hoist.flags": "\(snapshot.flagCount)",
                "hoist.revision": "\(snapshot.etag)",
            ])
    }
}

/// Coalesces concurrent rebuilds of the same key: while one runs, later callers share a single
/// follow-up run, which starts after the current one and therefore observes every earlier commit.
actor RebuildCoordinator {
    private var running: [String: Task<Void, any Error>] = [:]
    private var queued: [String: Task<Void, any Error>] = [:]

    func run(key: String, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        if let next = queued[key] {
            return try await next.value
        }
        if let current = running[key] {
            let next = Task {
                _ = try? await current.value
                try await self.execute(key: key, operation)
            }
            queued[key] = next
            return try await next.value
        }
        let task = Task { try await operation() }
        running[key] = task
        defer { if running[key] == task { running[key] = nil } }
        try await task.value
    }

    private func execute(key: String, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await operation() }
        queued[key] = nil
        running[key] = task
        defer { if running[key] == task { running[key] = nil } }
        try await task.value
    }
}
