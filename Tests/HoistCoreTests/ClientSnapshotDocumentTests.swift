import Testing
@testable import HoistCore

@Suite("Client snapshot document")
struct ClientSnapshotDocumentTests {
    typealias Version = ClientSnapshotDocument.ServerVersion

    static let state: NamespaceState = {
        var flag = Fixture.variantFlag("flag_001", variants: ["v1", "v2"], defaultVariant: "v1",
                                       attachments: ["v2": #"{"n":1}"#])
        flag.description = "Some Description"
        var boolean = Fixture.booleanFlag("flag_boolean", enabled: false)
        boolean.createdAt = Timestamp(microseconds: 1_712_731_945_301_105)
        let rule = Fixture.rule("flag_001", ["segment_001", "users"], .and, rank: 1, [("v1", 33.33), ("v2", 66.67)])
        return Fixture.state(
            flags: [flag, boolean],
            rules: [rule],
            rollouts: [Fixture.segmentRollout("flag_boolean", rank: 1, ["segment_001"], value: true),
                       Fixture.threshold("flag_boolean", rank: 2, 50, true)],
            segments: [
                Fixture.segment("segment_001", .all, [Fixture.constraint(.string, "in_segment", "eq", "segment_001", id: "c1")],
                                name: "Segment One"),
                Fixture.segment("users", .any, [Fixture.constraint(.entityId, "entityId", "isoneof", #"["a"]"#, id: "c2")]),
            ])
    }()

    static func document(_ version: Version) -> String {
        String(decoding: ClientSnapshotDocument.encode(state: state, acceptServerVersion: version), as: UTF8.self)
    }

    @Test func goldenForCurrentEngine() {
        let segment1 = #"{"key":"segment_001","name":"","description":"","matchType":"ALL_SEGMENT_MATCH_TYPE","constraints":[{"id":"c1","type":"STRING_CONSTRAINT_COMPARISON_TYPE","property":"in_segment","operator":"eq","value":"segment_001"}]}"#
        let users = #"{"key":"users","name":"","description":"","matchType":"ANY_SEGMENT_MATCH_TYPE","constraints":[{"id":"c2","type":"ENTITY_ID_CONSTRAINT_COMPARISON_TYPE","property":"entityId","operator":"isoneof","value":"[\"a\"]"}]}"#
        let expected = #"{"namespace":{"key":"default"},"flags":["#
            + #"{"key":"flag_001","name":"FLAG_001","description":"Some Description","enabled":true,"type":"VARIANT_FLAG_TYPE","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","rules":["#
            + #"{"id":"flag_001-rule-1","segments":["# + segment1 + "," + users + #"],"rank":1,"segmentOperator":"AND_SEGMENT_OPERATOR","distributions":["#
            + #"{"id":"","ruleId":"","variantId":"flag_001-v1-id","variantKey":"v1","variantAttachment":"","rollout":33.33},"#
            + #"{"id":"","ruleId":"","variantId":"flag_001-v2-id","variantKey":"v2","variantAttachment":"{\"n\":1}","rollout":66.67}]}"#
            + #"],"rollouts":[],"defaultVariant":{"id":"flag_001-v1-id","key":"v1","attachment":""}},"#
            + #"{"key":"flag_boolean","name":"FLAG_BOOLEAN","description":"","enabled":false,"type":"BOOLEAN_FLAG_TYPE","createdAt":"2024-04-10T06:52:25.301105Z","updatedAt":"2026-01-01T00:00:00Z","rules":[],"rollouts":["#
            + #"{"type":"SEGMENT_ROLLOUT_TYPE","rank":1,"segment":{"value":true,"segmentOperator":"OR_SEGMENT_OPERATOR","segments":["# + segment1 + "]}},"
            + #"{"type":"THRESHOLD_ROLLOUT_TYPE","rank":2,"threshold":{"percentage":50,"value":true}}]}"#
            + "]}"
        #expect(Self.document(Version(major: 1, minor: 47, patch: 0)) == expected)
    }

    @Test func isValidJSONWithEachRuleOnce() throws {
        let parsed = try JSONParser.parse(Self.document(.defaultVariant))
        guard case .array(let flags)? = parsed["flags"], case .array(let rules)? = flags[0]["rules"],
              case .array(let distributions)? = rules[0]["distributions"] else {
            Issue.record("unexpected shape")
            return
        }
        #expect(rules.count == 1) // a two-segment rule is not duplicated
        #expect(distributions.count == 2)
        #expect(parsed["namespace"]?["key"]?.stringValue == "default")
    }

    @Test func versionGating() {
        let old = Self.document(.assumedWhenMissing)
        #expect(!old.contains("defaultVariant"))
        #expect(!old.contains("ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"))
        #expect(old.contains(#""id":"c2","type":"UNKNOWN_CONSTRAINT_COMPARISON_TYPE""#))

        let middle = Self.document(Version(major: 1, minor: 38, patch: 0))
        #expect(!middle.contains("defaultVariant"))
        #expect(middle.contains("ENTITY_ID_CONSTRAINT_COMPARISON_TYPE"))

        let prerelease = Self.document(Version(major: 1, minor: 47, patch: 0, prerelease: ["rc", "1"]))
        #expect(!prerelease.contains("defaultVariant"))

        let current = Self.document(Version(major: 1, minor: 47, patch: 0))
        #expect(current.contains(#""defaultVariant":{"id":"flag_001-v1-id","key":"v1","attachment":""}"#))
        #expect(Self.document(Version(major: 2, minor: 0, patch: 0)) == current)
    }

    @Test func emptyNamespace() {
        let state = Fixture.state(flags: [], namespace: "empty")
        let bytes = ClientSnapshotDocument.encode(state: state, acceptServerVersion: .defaultVariant)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"namespace":{"key":"empty"},"flags":[]}"#)
    }

    @Test func variantFlagWithoutRulesOrDefault() {
        let state = Fixture.state(flags: [Fixture.variantFlag("bare")])
        let text = String(decoding: ClientSnapshotDocument.encode(state: state, acceptServerVersion: .defaultVariant),
                          as: UTF8.self)
        #expect(text.hasSuffix(#""rules":[],"rollouts":[]}]}"#))
    }

    @Test(arguments: [
        ("1.47.0", Version(major: 1, minor: 47, patch: 0)),
        ("v1.47", Version(major: 1, minor: 47, patch: 0)),
        (" 1.38.0 ", Version(major: 1, minor: 38, patch: 0)),
        ("1", Version(major: 1, minor: 0, patch: 0)),
        ("01.047.00", Version(major: 1, minor: 47, patch: 0)),
        ("1.47.0-rc.1", Version(major: 1, minor: 47, patch: 0, prerelease: ["rc", "1"])),
        ("1.47.1+build.5", Version(major: 1, minor: 47, patch: 1)),
        ("", Version.assumedWhenMissing),
        ("latest", Version.assumedWhenMissing),
        ("V1.47.0", Version.assumedWhenMissing),
        ("1.47-rc", Version.assumedWhenMissing),
        ("1.47.x", Version.assumedWhenMissing),
        ("1..0", Version.assumedWhenMissing),
        ("1.47.0-", Version.assumedWhenMissing),
        ("1.47.0-01", Version.assumedWhenMissing),
        ("1.47.0+", Version.assumedWhenMissing),
    ])
    func headerParsing(_ header: String, _ expected: Version) {
        #expect(Version.fromHeader(header) == expected)
    }

    @Test func missingHeader() {
        #expect(Version.fromHeader(nil) == Version(major: 1, minor: 37, patch: 1))
    }

    @Test func semverOrdering() {
        #expect(Version(major: 1, minor: 37, patch: 1) < .entityIdConstraints)
        #expect(Version(major: 1, minor: 47, patch: 0, prerelease: ["rc"]) < .defaultVariant)
        #expect(Version(major: 1, minor: 47, patch: 0, prerelease: ["1"]) < Version(major: 1, minor: 47, patch: 0, prerelease: ["alpha"]))
        #expect(Version(major: 1, minor: 47, patch: 0, prerelease: ["rc", "2"]) < Version(major: 1, minor: 47, patch: 0, prerelease: ["rc", "10"]))
        #expect(!(Version.defaultVariant < .defaultVariant))
        #expect(Version(major: 1, minor: 100, patch: 0) > .defaultVariant)
    }
}
