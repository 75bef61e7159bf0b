import Foundation
import HoistCore
import HoistDocuments
import Testing

func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite struct DocumentReadingTests {
    @Test func allFieldsFixtureReadsCleanly() throws {
        let documents = try DocumentFile.read(try fixture("all-fields.yml"), path: "all-fields.yml", encoding: .yaml)
        #expect(documents.count == 2)
        let production = documents[0]
        #expect(production.version == "1.4")
        #expect(production.namespace == DocumentNamespace(
            key: "production", name: "Production", description: "Live traffic", isExplicit: true))
        #expect(production.flags.map(\.key) == ["checkout", "new-ui", "kill-switch"])
        let checkout = production.flags[0]
        #expect(checkout.type == .variant && checkout.enabled)
        #expect(checkout.metadata?.compactText == #"{"owner":"payments","ticket":42,"tags":["ui","experiment"]}"#)
        #expect(checkout.variants.map(\.isDefault) == [true, false, false])
        #expect(checkout.variants[0].attachment?.compactText
            == ##"{"color":"#00f","sizes":[1,2.5,3],"nested":{"on":true,"label":null}}"##)
        #expect(checkout.variants[2].attachment == .string("plain string attachment"))
        #expect(checkout.rules.count == 3)
        #expect(checkout.rules[0].segment == DocumentSegmentReference(keys: ["beta"], isSingleKeyForm: true))
        #expect(checkout.rules[0].rank == 1 && checkout.rules[1].rank == nil)
        #expect(checkout.rules[0].distributions.map(\.rollout) == [33.33, 33.33, 33.34])
        #expect(checkout.rules[1].segment.segmentOperator == .and)
        let newUI = production.flags[1]
        #expect(newUI.type == .boolean)
        #expect(newUI.rollouts.count == 3)
        #expect(newUI.rollouts[0].target == .segment(
            DocumentSegmentReference(keys: ["internal"], isSingleKeyForm: true), value: true))
        #expect(newUI.rollouts[2].target == .threshold(percentage: 25, value: true))
        #expect(production.segments.map(\.matchType) == [.any, .all, .all])
        #expect(production.segments[1].constraints.map(\.type) == [.number, .number, .boolean, .datetime, .entityId])
        #expect(production.segments[0].constraints[0].description == "beta plan")
        let staging = documents[1]
        #expect(staging.version == nil)
        #expect(staging.namespace == DocumentNamespace(key: "staging", isExplicit: true))
    }

    @Test func yamlAndJSONWritersReadBackToTheSameDocuments() throws {
        let documents = try DocumentFile.read(try fixture("all-fields.yml"), encoding: .yaml)
        for encoding in DocumentEncoding.allCases {
            let text = DocumentEncoder.encode(documents, as: encoding)
            let reread = try DocumentFile.read(text, encoding: encoding)
            #expect(reread == documents, "\(encoding) round trip:\n\(text)")
        }
    }

    @Test func jsonStreamSkipsTheExportCommentAndReportsPositions() throws {
        let text = """
            # exported by Flipt (v1.61.1) on 2024-05-01T00:00:00Z

            {"version":"1.4","namespace":{"key":"default","name":"Default"},"flags":[{"key":"a","name":"A","enabled":true}]}
            {"namespace":{"key":"other","name":"Other"},"flags":[{"key":"b","name":"B","enabled":false,
              "variants":[{"key":"x"}],"rules":[{"segment":"s","distributions":[{"variant":"nope","rollout":10}]}]}],
             "segments":[{"key":"s","name":"S"}]}
            """
        let error = try #require(throws: DocumentErrors.self) { try DocumentFile.read(text, path: "f.json", encoding: .json) }
        #expect(error.diagnostics.count == 1)
        let diagnostic = error.diagnostics[0]
        #expect(diagnostic.location == SourceLocation(line: 5, column: 80))
        #expect(diagnostic.description
            == #"f.json:5:80: document 2 (namespace "other"), flag "b", rule 1, distribution 1, field variant: finding variant: nope; flag: b"#)
    }

    /// Plain scalars resolve like yaml.v3 (YAML 1.2 core schema: `yes` is a string); numbers in
    /// attachments are re-serialised as Flipt does (decoded to float64, written shortest).
    @Test func yamlScalarsFollowTheCoreSchema() throws {
        let text = """
            flags:
              - key: 123
                name: "true"
                enabled: true
                variants:
                  - key: v
                    attachment: {a: yes, b: "1", c: 1.50, d: ~, e: 0x1F, f: 1e3}
            """
        let document = try #require(try DocumentFile.read(text, encoding: .yaml).first)
        #expect(document.flags[0].key == "123")
        #expect(document.flags[0].name == "true")
        #expect(document.flags[0].variants[0].attachment?.compactText == #"{"a":"yes","b":"1","c":1.5,"d":null,"e":31,"f":1000}"#)
    }
}
