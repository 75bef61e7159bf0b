import Synchronization

/// Tells listeners when a namespace's served snapshot is replaced (after a write, a poller
/// reload, or the namespace's deletion), so push endpoints need not poll the engine.
///
/// Publishing costs one relaxed atomic load while nobody listens. Callbacks run synchronously on
/// the rebuilding task, so they must only hand the news on (yield to a stream, resume a waiter).
public final class SnapshotChangeFeed: Sendable {
    /// Called with the namespace key and its new snapshot, nil when the namespace was deleted.
    public typealias Listener = @Sendable (_ namespaceKey: String, _ snapshot: NamespaceSnapshot?) -> Void

    /// Identifies one registration, for ``removeListener(_:)``.
    public struct Token: Sendable, Hashable {
        let id: UInt64
    }

    struct Registration: Sendable {
        let namespaceKey: String
        let listener: Listener
    }

    private let listenerCount = Atomic<Int>(0)
    private let registrations = Mutex<(next: UInt64, byID: [UInt64: Registration])>((0, [:]))

    public init() {}

    /// Calls `listener` for every later change of `namespaceKey` until the token is removed.
    public func addListener(namespaceKey: String, _ listener: @escaping Listener) -> Token {
        let id = registrations.withLock { state in
            let id = state.next
            state.next += 1
            state.byID[id] = Registration(namespaceKey: namespaceKey, listener: listener)
            return id
        }
        listenerCount.wrappingAdd(1, ordering: .relaxed)
        return Token(id: id)
    }

    /// Stops calling a listener; removing a token twice is harmless.
    public func removeListener(_ token: Token) {
        let removed = registrations.withLock { $0.byID.removeValue(forKey: token.id) != nil }
        if removed { listenerCount.wrappingSubtract(1, ordering: .relaxed) }
    }

    /// Number of registered listeners.
    public var count: Int { listenerCount.load(ordering: .relaxed) }

    /// Tells the listeners of `namespaceKey` that it now serves `snapshot` (nil: deleted).
    func publish(_ namespaceKey: String, _ snapshot: NamespaceSnapshot?) {
        guard listenerCount.load(ordering: .relaxed) > 0 else { return }
        let listeners = registrations.withLock { state in
            state.byID.values.compactMap { $0.namespaceKey == namespaceKey ? $0.listener : nil }
        }
        for listener in listeners { listener(namespaceKey, snapshot) }
    }
}
