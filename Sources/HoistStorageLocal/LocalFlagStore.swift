public import HoistCore
public import HoistDocuments
public import HoistStorage
import Synchronization

/// A read-only store serving a directory of Flipt declarative files (`storage.type: local`).
///
/// Configured by `storage.local.path` (`FLIPT_STORAGE_LOCAL_PATH`, default `.`). Reads answer from
/// the last good ``DeclarativeCatalog``; every write throws Flipt's read-only error. ``reload()``
/// re-reads the files and swaps the catalog only when they are valid, so an invalid edit keeps the
/// last good flags serving while ``lastReloadError`` says what is wrong.
public final class LocalFlagStore: FlagStore {
    /// What one reload did.
    public enum ReloadOutcome: Sendable, Equatable {
        /// The files are valid; these namespaces were added, changed or removed (maybe none).
        case reloaded(changedNamespaces: [String])
        /// The files are invalid; the previous catalog keeps serving.
        case failed([DocumentDiagnostic])
    }

    public let directory: DeclarativeDirectory
    let clock: @Sendable () -> Timestamp
    let catalog: Mutex<DeclarativeCatalog>
    let failure: Mutex<String?>

    /// Loads the directory once.
    /// - Throws: ``DocumentErrors`` when the files are invalid or the directory is missing (the
    ///   server does not start without a good first load).
    public init(path: String, clock: @escaping @Sendable () -> Timestamp) throws(DocumentErrors) {
        let directory = DeclarativeDirectory(path: path)
        let first = try DeclarativeLoader.load(directory, previous: nil, now: clock())
        self.directory = directory
        self.clock = clock
        self.catalog = Mutex(first)
        self.failure = Mutex(nil)
    }

    /// The current catalog (a value copy).
    public var current: DeclarativeCatalog { catalog.withLock { $0 } }

    /// The error text of the most recent reload when it failed; nil after a good one.
    public var lastReloadError: String? { failure.withLock { $0 } }

    /// Re-reads every file. Not reentrant: call it from one task (the watcher).
    @discardableResult
    public func reload() -> ReloadOutcome {
        let previous = current
        let next: DeclarativeCatalog
        do {
            next = try DeclarativeLoader.load(directory, previous: previous, now: clock())
        } catch {
            failure.withLock { $0 = error.description }
            return .failed(error.diagnostics)
        }
        catalog.withLock { $0 = next }
        failure.withLock { $0 = nil }
        let keys = Set(previous.versions.keys).union(next.versions.keys)
        return .reloaded(changedNamespaces: keys.filter { previous.versions[$0] != next.versions[$0] }.sorted())
    }

    // MARK: - Reads

    func declared(_ key: String) throws(HoistError) -> DeclaredNamespace {
        guard let found = current.namespace(key) else { throw HoistError.notFound("namespace \"\(key)\" not found") }
        return found
    }

    /// Slices `items` as the SQL store does (same page tokens, limit + offset).
    static func page<Item: Sendable>(_ items: [Item], _ request: PageRequest, key: (Item) -> String) throws -> Page<Item> {
        let window = try PageWindow(request)
        let start = Int(min(window.offset, UInt64(items.count)))
        let rest = items[start...]
        let fetched = window.limit > 0 ? Array(rest.prefix(Int(window.limit) + 1)) : Array(rest)
        return window.page(fetched, total: Int64(items.count), key: key)
    }

    public func getNamespace(key: String) async throws -> Namespace { try declared(key).namespace }

    public func listNamespaces(page: PageRequest) async throws -> Page<Namespace> {
        try Self.page(current.namespaces.map(\.namespace), page) { $0.key }
    }

    public func getFlag(namespaceKey: String, key: String) async throws -> Flag {
        guard let flag = current.namespace(namespaceKey)?.state.flags.first(where: { $0.key == key }) else {
            throw HoistError.notFound("flag \"\(namespaceKey)/\(key)\" not found")
        }
        return flag
    }

    public func listFlags(namespaceKey: String, page: PageRequest) async throws -> Page<Flag> {
        let flags = (current.namespace(namespaceKey)?.state.flags ?? []).map { flag in
            var listed = flag
            if listed.metadata == nil { listed.metadata = .object([]) }  // Flipt's List quirk
            return listed
        }
        return try Self.page(flags, page) { $0.key }
    }

    public func getSegment(namespaceKey: String, key: String) async throws -> Segment {
        guard let segment = current.namespace(namespaceKey)?.state.segments[key] else {
            throw HoistError.notFound("segment \"\(namespaceKey)/\(key)\" not found")
        }
        return segment
    }

    public func listSegments(namespaceKey: String, page: PageRequest) async throws -> Page<Segment> {
        let snapshot = current
        let state = snapshot.namespace(namespaceKey)?.state
        let segments = (snapshot.segmentOrder[namespaceKey] ?? []).compactMap { state?.segments[$0] }
        return try Self.page(segments, page) { $0.key }
    }

    public func getRule(namespaceKey: String, id: String) async throws -> Rule {
        let rules = current.namespace(namespaceKey)?.state.rules.values.joined()
        guard let rule = rules?.first(where: { $0.id == id }) else {
            throw HoistError.notFound("rule \"\(namespaceKey)/\(id)\" not found")
        }
        return rule
    }

    public func listRules(namespaceKey: String, flagKey: String, page: PageRequest) async throws -> Page<Rule> {
        try Self.page(current.namespace(namespaceKey)?.state.rules[flagKey] ?? [], page) { $0.id }
    }

    public func getRollout(namespaceKey: String, id: String) async throws -> Rollout {
        let rollouts = current.namespace(namespaceKey)?.state.rollouts.values.joined()
        guard let rollout = rollouts?.first(where: { $0.id == id }) else {
            throw HoistError.notFound("rollout \"\(namespaceKey)/\(id)\" not found")
        }
        return rollout
    }

    public func listRollouts(namespaceKey: String, flagKey: String, page: PageRequest) async throws -> Page<Rollout> {
        try Self.page(current.namespace(namespaceKey)?.state.rollouts[flagKey] ?? [], page) { $0.id }
    }

    public func namespaceState(key: String) async throws -> NamespaceState { try declared(key).state }

    public func namespaceVersions() async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: current.namespaces.map { ($0.namespace.key, $0.state.version) })
    }

    /// Fails while the directory is gone; an invalid edit is reported by the health check instead.
    public func ping() async throws {
        guard directory.files() != nil else {
            throw HoistError(.unavailable, "storage.local.path \(directory.path) is not a readable directory")
        }
    }
}
