/// Whether a store operation reads or changes data.
public enum StoreAccess: String, Sendable {
    case read, write
}

/// Watches every operation of a store that accepts it (``SQLiteFlagStore``'s `instrumentation`):
/// the server wraps each in a tracing span when `tracing.enabled` is true.
///
/// A hook the store calls, not a decorator around it, so the store keeps every capability callers
/// discover by casting (its audit outbox above all).
public protocol StoreInstrumentation: Sendable {
    /// Runs `body`, the store operation `operation` (a stable name such as `createFlag` or
    /// `namespaceState`) on `namespace` (nil when it spans namespaces), and returns its result.
    /// Errors of `body` are rethrown unchanged.
    func measure<T: Sendable>(
        _ operation: String, access: StoreAccess, namespace: String?, _ body: () async throws -> T
    ) async throws -> T
}
