/// Hooks the engine calls around namespace rebuilds, so metrics (Flipt's cache counters, the
/// rebuild-duration histogram) can be recorded without the engine depending on them.
public struct SnapshotEngineObserver: Sendable {
    /// A namespace snapshot is about to be (re)built from the store (Flipt's cache "miss").
    public var rebuildStarted: @Sendable (_ namespaceKey: String) -> Void
    /// A rebuilt snapshot is now served; `seconds` covers the store read and the compile.
    public var rebuilt: @Sendable (_ namespaceKey: String, _ seconds: Double) -> Void
    /// Reading the namespace from the store failed (Flipt's cache "error").
    public var rebuildFailed: @Sendable (_ namespaceKey: String) -> Void

    public init(
        rebuildStarted: @escaping @Sendable (_ namespaceKey: String) -> Void = { _ in },
        rebuilt: @escaping @Sendable (_ namespaceKey: String, _ seconds: Double) -> Void = { _, _ in },
        rebuildFailed: @escaping @Sendable (_ namespaceKey: String) -> Void = { _ in }
    ) {
        self.rebuildStarted = rebuildStarted
        self.rebuilt = rebuilt
        self.rebuildFailed = rebuildFailed
    }

    /// Observes nothing.
    public static let none = SnapshotEngineObserver()
}
