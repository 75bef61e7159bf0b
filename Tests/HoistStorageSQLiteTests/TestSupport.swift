import Foundation
import HoistCore
import HoistStorage
import HoistStorageSQLite
import Testing

/// A store on a real SQLite file in a fresh temporary directory (nested, so parent creation is exercised).
struct TestDatabase {
    let directory: URL
    let path: String

    init() {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hoist-sqlite-tests-\(UUID().uuidString.lowercased())")
        path = directory.appendingPathComponent("nested/dir/hoist.db").path
    }

    func open() throws -> SQLiteFlagStore { try SQLiteFlagStore(path: path) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Runs `body` with a freshly opened store and removes the database afterwards.
func withStore(_ body: (SQLiteFlagStore, TestDatabase) async throws -> Void) async throws {
    let database = TestDatabase()
    defer { database.remove() }
    let store = try database.open()
    try await body(store, database)
}

/// Expects `body` to throw a `HoistError` of `kind` with exactly `message`.
func expectError(
    _ kind: HoistError.Kind, _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(kind) error \"\(message)\", got success", sourceLocation: sourceLocation)
    } catch let error as HoistError {
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected HoistError, got \(error)", sourceLocation: sourceLocation)
    }
}

// MARK: - Fixtures

extension SQLiteFlagStore {
    @discardableResult
    func makeNamespace(_ key: String) async throws -> Namespace {
        try await createNamespace(CreateNamespaceRequest(key: key, name: key.capitalized, description: "ns \(key)"))
    }

    @discardableResult
    func makeFlag(_ key: String, ns: String = "default", type: FlagType = .variant, metadata: JSONValue? = nil)
        async throws -> Flag
    {
        try await createFlag(CreateFlagRequest(namespaceKey: ns, key: key, name: key.uppercased(),
                                               description: "flag \(key)", enabled: true, type: type,
                                               metadata: metadata))
    }

    @discardableResult
    func makeVariant(_ key: String, flag: String, ns: String = "default", attachment: String = "") async throws
        -> Variant
    {
        try await createVariant(CreateVariantRequest(namespaceKey: ns, flagKey: flag, key: key, name: "V \(key)",
                                                     description: "", attachment: attachment))
    }

    @discardableResult
    func makeSegment(_ key: String, ns: String = "default", matchType: MatchType = .all) async throws -> Segment {
        try await createSegment(CreateSegmentRequest(namespaceKey: ns, key: key, name: "S \(key)",
                                                     matchType: matchType))
    }

    @discardableResult
    func makeRule(flag: String, segments: [String], ns: String = "default", rank: Int32,
                  op: SegmentOperator = .or) async throws -> Rule
    {
        if segments.count == 1 {
            return try await createRule(RuleRequest(namespaceKey: ns, flagKey: flag, segmentKey: segments[0],
                                                    segmentOperator: op, rank: rank))
        }
        return try await createRule(RuleRequest(namespaceKey: ns, flagKey: flag, segmentKeys: segments,
                                                segmentOperator: op, rank: rank))
    }

    @discardableResult
    func makeThreshold(flag: String, ns: String = "default", rank: Int32, percentage: Float = 50, value: Bool = true)
        async throws -> Rollout
    {
        try await createRollout(RolloutRequest(namespaceKey: ns, flagKey: flag, rank: rank, description: "t\(rank)",
                                               member: .threshold(percentage: percentage, value: value)))
    }

    @discardableResult
    func makeSegmentRollout(flag: String, segments: [String], ns: String = "default", rank: Int32,
                            op: SegmentOperator = .and, value: Bool = true) async throws -> Rollout
    {
        try await createRollout(RolloutRequest(
            namespaceKey: ns, flagKey: flag, rank: rank, description: "s\(rank)",
            member: .segment(segmentKey: "", segmentKeys: segments, segmentOperator: op, value: value)))
    }

    func version(_ ns: String = "default") async throws -> String {
        try await namespaceVersions()[ns] ?? ""
    }
}
