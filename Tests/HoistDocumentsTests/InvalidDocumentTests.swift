import HoistDocuments
import Testing

/// Each kind of invalid file is rejected with a message naming the place.
@Suite struct InvalidDocumentTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var encoding: DocumentEncoding = .yaml
        var text: String
        /// The whole first diagnostic, `file:line:column: place: message`.
        var expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bad YAML", text: "flags:\n  - key: a\n   name: [unclosed\n",
             expected: "bad.yml:3:4: invalid YAML: did not find expected '-' indicator while parsing a block collection"),
        Case(name: "bad JSON", encoding: .json, text: "{\"flags\": [\n  {\"key\": \"a\",}\n]}\n",
             expected: "bad.yml:2:15: invalid JSON: expected object key string"),
        Case(name: "unknown version", text: "version: \"2.0\"\nflags: []\n",
             expected: "bad.yml:1:10: document 1 (namespace \"default\"), field version: unsupported version: 2.0"),
        Case(name: "missing flag key", text: "flags:\n  - name: A\n",
             expected: "bad.yml:2:5: document 1 (namespace \"default\"), flag 1, field key: must not be empty"),
        Case(name: "missing flag name", text: "flags:\n  - key: a\n    enabled: true\n",
             expected: "bad.yml:2:5: document 1 (namespace \"default\"), flag \"a\", field name: must not be empty"),
        Case(name: "invalid key characters", text: "flags:\n  - key: a b\n    name: A\n",
             expected: "bad.yml:2:10: document 1 (namespace \"default\"), flag \"a b\", field key: contains invalid characters"),
        Case(name: "bad operator",
             text: "segments:\n  - key: s\n    name: S\n    constraints:\n      - type: NUMBER_COMPARISON_TYPE\n        property: age\n        operator: prefix\n        value: \"1\"\n",
             expected: "bad.yml:7:19: document 1 (namespace \"default\"), segment \"s\", constraint 1, field operator: constraint operator \"prefix\" is not valid for type number"),
        Case(name: "unknown comparison type",
             text: "segments:\n  - key: s\n    name: S\n    constraints:\n      - {type: FUZZY, property: a, operator: eq, value: b}\n",
             expected: "bad.yml:5:16: document 1 (namespace \"default\"), segment \"s\", constraint 1, field type: unknown value \"FUZZY\" (expected UNKNOWN_COMPARISON_TYPE or STRING_COMPARISON_TYPE or NUMBER_COMPARISON_TYPE or BOOLEAN_COMPARISON_TYPE or DATETIME_COMPARISON_TYPE or ENTITY_ID_COMPARISON_TYPE)"),
        Case(name: "distribution to unknown variant",
             text: "flags:\n  - key: f\n    name: F\n    variants: [{key: a}]\n    rules:\n      - segment: s\n        distributions:\n          - {variant: b, rollout: 50}\nsegments:\n  - {key: s, name: S}\n",
             expected: "bad.yml:8:23: document 1 (namespace \"default\"), flag \"f\", rule 1, distribution 1, field variant: finding variant: b; flag: f"),
        Case(name: "duplicate YAML keys", text: "flags:\n  - key: a\n    name: A\n    key: b\n",
             expected: "bad.yml:2:5: duplicate key \"key\""),
        Case(name: "duplicate flag keys", text: "flags:\n  - {key: a, name: A}\n  - {key: a, name: B}\n",
             expected: "bad.yml:3:11: document 1 (namespace \"default\"), flag \"a\", field key: duplicate flag key \"a\" in namespace"),
        Case(name: "duplicate variant keys", text: "flags:\n  - key: a\n    name: A\n    variants: [{key: v}, {key: v}]\n",
             expected: "bad.yml:4:32: document 1 (namespace \"default\"), flag \"a\", variant \"v\", field key: duplicate variant key \"v\" in flag"),
        Case(name: "rule on undefined segment", text: "flags:\n  - key: a\n    name: A\n    rules:\n      - segment: ghost\n",
             expected: "bad.yml:5:18: document 1 (namespace \"default\"), flag \"a\", rule 1, field segment: segment \"ghost\" is not defined in namespace \"default\""),
        Case(name: "rollout with segment and threshold",
             text: "flags:\n  - key: a\n    name: A\n    type: BOOLEAN_FLAG_TYPE\n    rollouts:\n      - segment: {key: s}\n        threshold: {percentage: 5}\nsegments: [{key: s, name: S}]\n",
             expected: "bad.yml:6:9: document 1 (namespace \"default\"), flag \"a\", rollout 1: a rollout has either segment or threshold, not both"),
        Case(name: "threshold out of range",
             text: "flags:\n  - key: a\n    name: A\n    rollouts:\n      - threshold: {percentage: 101, value: true}\n",
             expected: "bad.yml:5:20: document 1 (namespace \"default\"), flag \"a\", rollout 1, field threshold.percentage: must be within range [0, 100]"),
        Case(name: "type before version 1.1", text: "version: \"1.0\"\nflags:\n  - {key: a, name: A, type: BOOLEAN_FLAG_TYPE}\n",
             expected: "bad.yml:3:29: document 1 (namespace \"default\"), flag \"a\", field type: flag.type is supported in version >=1.1, found 1.0"),
        Case(name: "default variant before version 1.3",
             text: "version: \"1.2\"\nflags:\n  - key: a\n    name: A\n    variants:\n      - {key: v, default: true}\n",
             expected: "bad.yml:6:27: document 1 (namespace \"default\"), flag \"a\", variant \"v\", field default: variant.default is supported in version >=1.3, found 1.2"),
        Case(name: "wrong field type", text: "flags:\n  - key: a\n    name: A\n    enabled: sometimes\n",
             expected: "bad.yml:4:14: document 1 (namespace \"default\"), flag \"a\", field enabled: expected true or false, found a string"),
        Case(name: "attachment that is not JSON-representable",
             text: "flags:\n  - key: a\n    name: A\n    variants:\n      - key: v\n        attachment: {x: .inf}\n",
             expected: "bad.yml:6:25: document 1 (namespace \"default\"), flag \"a\", variant \"v\", field attachment: number .inf cannot be represented in JSON"),
    ]

    @Test(arguments: cases) func rejected(_ testCase: Case) throws {
        let error = try #require(throws: DocumentErrors.self) {
            try DocumentFile.read(testCase.text, path: "bad.yml", encoding: testCase.encoding)
        }
        #expect(error.diagnostics.first?.description == testCase.expected)
    }

    @Test func everyProblemOfAFileIsReported() throws {
        let text = "flags:\n  - key: a\n  - name: B\nsegments:\n  - key: s\n"
        let error = try #require(throws: DocumentErrors.self) { try DocumentFile.read(text, encoding: .yaml) }
        #expect(error.diagnostics.map(\.field) == ["name", "key", "name"])
    }
}
