import HoistCore
import HoistDocuments
import Testing

/// A directory of declarative files is validated as one set.
@Suite struct DocumentSetTests {
    static let segments = "namespace: prod\nsegments:\n  - {key: beta, name: Beta}\n"
    static let flags = """
        namespace: prod
        flags:
          - key: checkout
            name: Checkout
            variants: [{key: on}]
            rules: [{segment: beta, distributions: [{variant: on, rollout: 100}]}]
        """

    @Test func referencesResolveAcrossFilesOfTheSameNamespace() throws {
        let documents = try DocumentFile.readSet([
            (path: "segments.yml", text: Self.segments, encoding: .yaml),
            (path: "flags.features.yml", text: Self.flags, encoding: .yaml),
        ])
        let declared = DeclaredState.namespaces(documents, version: "1", now: Timestamp(microseconds: 0))
        #expect(declared.count == 1)
        #expect(declared[0].state.flags.map(\.key) == ["checkout"])
        #expect(declared[0].state.segments.keys.sorted() == ["beta"])
        #expect(declared[0].state.rules["checkout"]?.first?.segmentKeys == ["beta"])
    }

    @Test func problemsNameTheirFile() throws {
        let error = try #require(throws: DocumentErrors.self) {
            try DocumentFile.readSet([
                (path: "a.yml", text: Self.flags, encoding: .yaml),
                (path: "b.yml", text: Self.flags + "\nsegments: [{key: beta, name: Beta}]\n", encoding: .yaml),
                (path: "c.json", text: "{\"flags\": [}", encoding: .json),
            ])
        }
        // The syntax error stops validation; once it is fixed the duplicate shows up.
        #expect(error.diagnostics.map(\.description) == ["c.json:1:12: invalid JSON: invalid character '}' looking for beginning of value"])
        let duplicate = try #require(throws: DocumentErrors.self) {
            try DocumentFile.readSet([
                (path: "a.yml", text: Self.flags, encoding: .yaml),
                (path: "b.yml", text: Self.flags + "\nsegments: [{key: beta, name: Beta}]\n", encoding: .yaml),
            ])
        }
        #expect(duplicate.diagnostics.map(\.description) == [
            #"b.yml:3:10: document 1 (namespace "prod"), flag "checkout", field key: duplicate flag key "checkout" in namespace"#,
        ])
    }
}
