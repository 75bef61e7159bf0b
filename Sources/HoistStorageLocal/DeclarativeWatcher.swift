
/// Polls a ``LocalFlagStore``'s directory for changed files and reloads it.
///
/// Every `pollInterval` (default 250 ms) it compares file sizes and modification times; after a
/// change it waits until the files have stayed the same for `debounce` (default 200 ms), so an
/// editor's save or a `git checkout` of many files is read once, then calls ``LocalFlagStore/reload()``
/// and hands the outcome to `onReload` (which refreshes snapshots and reports errors).
public struct DeclarativeWatcher: Sendable {
    public let store: LocalFlagStore
    public let pollInterval: Duration
    public let debounce: Duration
    let onReload: @Sendable (LocalFlagStore.ReloadOutcome) async -> Void

    public init(
        store: LocalFlagStore, pollInterval: Duration = .milliseconds(250), debounce: Duration = .milliseconds(200),
        onReload: @escaping @Sendable (LocalFlagStore.ReloadOutcome) async -> Void
    ) {
        self.store = store
        self.pollInterval = pollInterval
        self.debounce = debounce
        self.onReload = onReload
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var seen = store.directory.stamps()
        while !Task.isCancelled {
            do { try await Task.sleep(for: pollInterval) } catch { return }
            let now = store.directory.stamps()
            guard now != seen else { continue }
            seen = await settle(from: now)
            if Task.isCancelled { return }
            await onReload(store.reload())
        }
    }

    /// Waits until two looks `debounce` apart agree (at most 20 rounds, so a file rewritten
    /// without pause is still read within a few seconds).
    func settle(from first: [String: DeclarativeDirectory.FileStamp]?) async -> [String: DeclarativeDirectory.FileStamp]? {
        var last = first
        for _ in 0..<20 {
            do { try await Task.sleep(for: debounce) } catch { return last }
            let now = store.directory.stamps()
            if now == last { return now }
            last = now
        }
        return last
    }
}
