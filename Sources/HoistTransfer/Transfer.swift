public import HoistCore
public import HoistDocuments
public import HoistStorage

/// Where `hoist import` writes: the database (one transaction) or a running server (HTTP).
public protocol ImportTarget: Sendable {
    /// - Parameter drop: delete every namespace first (`--drop`).
    func importBatch(_ batch: ImportBatch, drop: Bool, progress: @escaping @Sendable (Int, Int) -> Void)
        async throws -> ImportSummary
}

/// Where `hoist export` reads from.
public protocol ExportSource: Sendable {
    /// Every namespace, in creation order, following every page.
    func allNamespaces() async throws -> [Namespace]
    /// One namespace (not found → error).
    func namespace(key: String) async throws -> Namespace
    /// A namespace's flags (creation order), rules and rollouts (rank order) and segments (creation order).
    func contents(of namespaceKey: String) async throws -> NamespaceContents
}

public struct NamespaceContents: Sendable {
    public var flags: [Flag]
    public var rules: [String: [Rule]]
    public var rollouts: [String: [Rollout]]
    public var segments: [Segment]

    public init(flags: [Flag], rules: [String: [Rule]], rollouts: [String: [Rollout]], segments: [Segment]) {
        self.flags = flags
        self.rules = rules
        self.rollouts = rollouts
        self.segments = segments
    }
}

/// Which namespaces `hoist export` writes.
public enum NamespaceSelection: Sendable, Hashable {
    case named([String])
    case all
}

/// The export algorithm of Flipt (spec §6.5) over any ``ExportSource``.
public enum Exporter {
    public static func documents(from source: any ExportSource, selection: NamespaceSelection, sortByKey: Bool)
        async throws -> [FliptDocument]
    {
        var namespaces: [Namespace]
        switch selection {
        case .all:
            namespaces = try await source.allNamespaces()
            if sortByKey { namespaces.sort { $0.key < $1.key } }
        case .named(let keys):
            namespaces = []
            for key in keys { namespaces.append(try await source.namespace(key: key)) }
        }
        var documents: [FliptDocument] = []
        for (index, namespace) in namespaces.enumerated() {
            let contents = try await source.contents(of: namespace.key)
            documents.append(DocumentExport.document(
                namespace: namespace, flags: contents.flags, rules: contents.rules, rollouts: contents.rollouts,
                segments: contents.segments, includeVersion: index == 0, sortByKey: sortByKey))
        }
        return documents
    }
}

/// Import and export straight against a store (the database named by the configuration).
public struct StoreTransfer: ImportTarget, ExportSource {
    public let store: any BatchImportingStore

    public init(store: any BatchImportingStore) { self.store = store }

    public func importBatch(_ batch: ImportBatch, drop: Bool, progress: @escaping @Sendable (Int, Int) -> Void)
        async throws -> ImportSummary
    {
        try await store.importBatch(batch, dropExisting: drop, progress: progress)
    }

    public func allNamespaces() async throws -> [Namespace] {
        var namespaces: [Namespace] = []
        var token = ""
        repeat {
            let page = try await store.listNamespaces(page: PageRequest(limit: 100, pageToken: token))
            namespaces += page.items
            token = page.nextPageToken
        } while !token.isEmpty
        return namespaces
    }

    public func namespace(key: String) async throws -> Namespace { try await store.getNamespace(key: key) }

    public func contents(of namespaceKey: String) async throws -> NamespaceContents {
        let state = try await store.namespaceState(key: namespaceKey)
        let segments = state.segments.values.sorted { ($0.createdAt, $0.key) < ($1.createdAt, $1.key) }
        return NamespaceContents(flags: state.flags, rules: state.rules, rollouts: state.rollouts, segments: segments)
    }
}
