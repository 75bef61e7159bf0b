import Foundation
import HoistCore
import HoistDocuments
import HoistStorage
import HoistStorageSQLite
import HoistTransfer
import Testing

/// A fresh SQLite database in a temporary directory.
func makeStore() throws -> SQLiteFlagStore {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hoist-transfer-\(UUID().uuidString)")
    return try SQLiteFlagStore(path: directory.appendingPathComponent("test.db").path)
}

func read(_ yaml: String) throws -> [FliptDocument] {
    try DocumentFile.read(yaml, encoding: .yaml, validator: DocumentValidator(allowExternalSegments: true))
}

func export(_ store: SQLiteFlagStore) async throws -> String {
    let documents = try await Exporter.documents(from: StoreTransfer(store: store), selection: .all, sortByKey: true)
    return DocumentEncoder.encode(documents, as: .yaml)
}

@Suite struct BatchImportTests {
    static let mixed = """
        version: "1.4"
        namespace: {key: shop, name: Shop}
        flags:
          - key: checkout
            name: Checkout
            type: VARIANT_FLAG_TYPE
            enabled: true
            metadata: {team: payments}
            variants:
              - {key: blue, attachment: {hex: "#00f"}}
              - {key: red, default: true}
            rules:
              - segment: {keys: [beta, staff], operator: AND_SEGMENT_OPERATOR}
                distributions: [{variant: blue, rollout: 33.33}, {variant: red, rollout: 66.67}]
              - segment: beta
          - key: banner
            name: Banner
            type: BOOLEAN_FLAG_TYPE
            rollouts:
              - segment: {key: staff, value: true}
              - threshold: {percentage: 12.5}
        segments:
          - key: beta
            name: Beta
            constraints:
              - {type: DATETIME_COMPARISON_TYPE, property: joined, operator: GT, value: "2024-03-01T14:00:00+02:00", description: when}
          - {key: staff, name: Staff, match_type: ANY_MATCH_TYPE}
        """

    @Test func importThenExportGivesTheSameDocument() async throws {
        let store = try makeStore()
        let documents = try read(Self.mixed)
        let summary = try await store.importBatch(
            DocumentConversion.importBatch(documents), dropExisting: false, progress: { _, _ in })
        #expect(summary.namespacesCreated == 1 && summary.flagsCreated == 2 && summary.segmentsCreated == 2)
        let exported = try await Exporter.documents(
            from: StoreTransfer(store: store), selection: .named(["shop"]), sortByKey: false)
        #expect(exported.count == 1)
        let shop = exported[0]
        #expect(shop.flags.map(\.key) == ["checkout", "banner"])
        #expect(shop.flags[0].variants.map(\.isDefault) == [false, true])
        #expect(shop.flags[0].variants[0].attachment?.compactText == ##"{"hex":"#00f"}"##)
        #expect(shop.flags[0].rules[0].distributions.map(\.variantKey) == ["blue", "red"])
        #expect(shop.flags[0].rules[1].segment.keys == ["beta"])
        #expect(shop.segments[0].constraints[0] == DocumentConstraint(
            type: .datetime, property: "joined", operator: "gt", value: "2024-03-01T12:00:00Z", description: "when"))
        // What the importer normalised (operator case, datetime zone) is the only difference.
        var expected = documents[0]
        expected.segments[0].constraints[0].operator = "gt"
        expected.segments[0].constraints[0].value = "2024-03-01T12:00:00Z"
        expected.flags[0].type = .variant
        #expect(DocumentEncoder.encode([shop], as: .yaml) == DocumentEncoder.encode([expected], as: .yaml))
    }

    @Test func aFailingElementRollsBackTheWholeFile() async throws {
        let store = try makeStore()
        let before = try await export(store)
        let documents = try read("""
            namespace: first
            flags: [{key: one, name: One}]
            segments: [{key: s, name: S}]
            ---
            namespace: second
            flags:
              - key: two
                name: Two
                rules: [{segment: ghost}]
            """)
        let error = await #expect(throws: ImportFailure.self) {
            try await store.importBatch(DocumentConversion.importBatch(documents), dropExisting: true, progress: { _, _ in })
        }
        #expect(error?.description
            == #"document 2 (namespace "second"), flag "two", rule 1: flag "second/two" or segment "second/ghost" not found"#)
        #expect(try await export(store) == before)
        let namespaces = try await store.listNamespaces(page: PageRequest())
        #expect(namespaces.items.map(\.key) == ["default"])
    }

    @Test func skipExistingLeavesExistingKeysAloneAndDropStartsOver() async throws {
        let store = try makeStore()
        _ = try await store.importBatch(
            DocumentConversion.importBatch(try read("flags: [{key: a, name: Original}]\nsegments: [{key: s, name: S}]")),
            dropExisting: false, progress: { _, _ in })
        let second = try read("""
            flags:
              - {key: a, name: Replaced, variants: [{key: v}]}
              - {key: b, name: B}
            segments: [{key: s, name: Other}, {key: t, name: T}]
            """)
        await #expect(throws: ImportFailure.self) {
            try await store.importBatch(DocumentConversion.importBatch(second), dropExisting: false, progress: { _, _ in })
        }
        let summary = try await store.importBatch(
            DocumentConversion.importBatch(second, skipExisting: true), dropExisting: false, progress: { _, _ in })
        #expect(summary.flagsSkipped == 1 && summary.flagsCreated == 1)
        #expect(summary.segmentsSkipped == 1 && summary.segmentsCreated == 1)
        let flag = try await store.getFlag(namespaceKey: "default", key: "a")
        #expect(flag.name == "Original" && flag.variants.isEmpty)

        _ = try await store.importBatch(
            DocumentConversion.importBatch(try read("namespace: fresh\nflags: [{key: z, name: Z}]")),
            dropExisting: true, progress: { _, _ in })
        let namespaces = try await store.listNamespaces(page: PageRequest()).items
        #expect(namespaces.map(\.key) == ["default", "fresh"])
        #expect(namespaces[0].protected)
        #expect(try await store.listFlags(namespaceKey: "default", page: PageRequest()).items.isEmpty)
    }

    @Test func progressIsReportedUpToTheTotal() async throws {
        let store = try makeStore()
        var yaml = "flags:\n"
        for index in 0..<150 { yaml += "  - {key: f\(index), name: F, variants: [{key: a}, {key: b}]}\n" }
        let batch = DocumentConversion.importBatch(try read(yaml))
        let seen = ProgressLog()
        _ = try await store.importBatch(batch, dropExisting: false, progress: { done, total in seen.append(done, total) })
        let updates = seen.values
        #expect(updates.count >= 3)
        #expect(updates.last?.0 == batch.entityCount && updates.last?.1 == batch.entityCount)
        #expect(zip(updates, updates.dropFirst()).allSatisfy { $0.0 <= $1.0 })
    }
}

final class ProgressLog: @unchecked Sendable {
    // Guarded by `lock`; written from the store's writer thread, read after the import returns.
    private let lock = NSLock()
    private var entries: [(Int, Int)] = []

    func append(_ done: Int, _ total: Int) { lock.withLock { entries.append((done, total)) } }
    var values: [(Int, Int)] { lock.withLock { entries } }
}
