import HoistCore
import HoistDocuments
import HoistStorage
import Testing

@Suite struct DocumentConversionTests {
    static let now = Timestamp(microseconds: 1_700_000_000_000_000)

    @Test func declaredStateCarriesEverythingEvaluationNeeds() throws {
        let documents = try DocumentFile.read(try fixture("all-fields.yml"), encoding: .yaml)
        let declared = DeclaredState.namespaces(documents, version: "v1", now: Self.now)
        #expect(declared.map(\.namespace.key) == ["production", "staging"])
        let production = declared[0].state
        #expect(production.version == "v1")
        let checkout = try #require(production.flags.first { $0.key == "checkout" })
        #expect(checkout.defaultVariant?.key == "blue")
        #expect(checkout.variants[0].attachment == ##"{"color":"#00f","sizes":[1,2.5,3],"nested":{"on":true,"label":null}}"##)
        let rules = try #require(production.rules["checkout"])
        #expect(rules.map(\.rank) == [1, 2, 3])
        #expect(rules[0].distributions.map(\.variantId) == checkout.variants.map(\.id))
        #expect(rules[1].segmentKeys == ["beta", "internal"] && rules[1].segmentOperator == .and)
        let rollouts = try #require(production.rollouts["new-ui"])
        #expect(rollouts.map(\.rank) == [1, 2, 3])
        #expect(rollouts[1].rule == .segment(RolloutSegment(segmentKeys: ["beta", "everyone"], segmentOperator: .and, value: false)))
        let internalSegment = try #require(production.segments["internal"])
        #expect(internalSegment.constraints.map(\.operator) == ["gte", "isnotoneof", "true", "lt", "neq"])
        #expect(internalSegment.constraints[3].value == "2024-01-01T00:00:00Z")
        // Same files, same ids: a reload does not churn snapshot identities.
        let again = DeclaredState.namespaces(documents, version: "v2", now: Self.now)
        #expect(again[0].state.rules["checkout"]?.map(\.id) == rules.map(\.id))
        #expect(Set(rules.map(\.id)).count == 3)
    }

    @Test func importBatchFollowsFliptsOrderAndRanks() throws {
        let documents = try DocumentFile.read(try fixture("all-fields.yml"), encoding: .yaml)
        let batch = DocumentConversion.importBatch(documents, skipExisting: true)
        #expect(batch.skipExisting)
        #expect(batch.namespaces.map(\.namespace) == [
            CreateNamespaceRequest(key: "production", name: "Production", description: "Live traffic"),
            CreateNamespaceRequest(key: "staging", name: "staging"),
        ])
        let checkout = batch.namespaces[0].flags[0]
        #expect(checkout.defaultVariantKey == "blue")
        #expect(checkout.variants[0].attachment == ##"{"color":"#00f","sizes":[1,2.5,3],"nested":{"on":true,"label":null}}"##)
        #expect(checkout.rules.map(\.rule.rank) == [1, 2, 3])
        #expect(checkout.rules[0].rule.segmentKey == "beta" && checkout.rules[0].rule.segmentKeys.isEmpty)
        #expect(checkout.rules[1].rule.segmentKeys == ["beta", "internal"])
        #expect(batch.namespaces[0].flags[1].rollouts.map(\.rank) == [1, 2, 3])
        #expect(batch.namespaces[0].segments[0].constraints[0].description == "beta plan")
        #expect(batch.entityCount == 29 + 7)
    }

    @Test func exportWritesFliptsShape() {
        let now = Self.now
        let namespace = Namespace(key: "default", name: "Default", description: "Default namespace", protected: true,
                                  createdAt: now, updatedAt: now)
        let blue = Variant(id: "v1", namespaceKey: "default", flagKey: "checkout", key: "blue",
                           attachment: #"{"b": 1, "a": [true, "x: y"]}"#, createdAt: now, updatedAt: now)
        let red = Variant(id: "v2", namespaceKey: "default", flagKey: "checkout", key: "red", name: "Red",
                          createdAt: now, updatedAt: now)
        let flag = Flag(namespaceKey: "default", key: "checkout", name: "Checkout", enabled: true, createdAt: now,
                        updatedAt: now, variants: [red, blue], defaultVariant: blue,
                        metadata: .object([("team", .string("yes"))]))
        let rule = Rule(id: "r1", namespaceKey: "default", flagKey: "checkout", segmentKeys: ["beta"], rank: 1,
                        distributions: [Distribution(id: "d1", ruleId: "r1", variantId: "v1", rollout: 33.33,
                                                     createdAt: now, updatedAt: now)],
                        createdAt: now, updatedAt: now)
        let toggle = Flag(namespaceKey: "default", key: "toggle", name: "Toggle", type: .boolean, createdAt: now,
                          updatedAt: now)
        let rollouts = [
            Rollout(id: "o1", namespaceKey: "default", flagKey: "toggle", rank: 1,
                    rule: .segment(RolloutSegment(segmentKeys: ["a", "b"], segmentOperator: .and, value: true)),
                    createdAt: now, updatedAt: now),
            Rollout(id: "o2", namespaceKey: "default", flagKey: "toggle", rank: 2, description: "rest",
                    rule: .threshold(RolloutThreshold(percentage: 12.5, value: false)), createdAt: now, updatedAt: now),
        ]
        let segment = Segment(
            namespaceKey: "default", key: "beta", name: "Beta", matchType: .any,
            constraints: [Constraint(id: "c1", namespaceKey: "default", segmentKey: "beta", type: .number,
                                     property: "age", operator: "gt", value: "18", createdAt: now, updatedAt: now)],
            createdAt: now, updatedAt: now)
        let document = DocumentExport.document(
            namespace: namespace, flags: [toggle, flag], rules: ["checkout": [rule]], rollouts: ["toggle": rollouts],
            segments: [segment], includeVersion: true, sortByKey: true)
        #expect(DocumentEncoder.encode([document], as: .yaml) == """
            version: "1.4"
            namespace:
              key: default
              name: Default
              description: Default namespace
            flags:
            - key: checkout
              name: Checkout
              type: VARIANT_FLAG_TYPE
              enabled: true
              metadata:
                team: "yes"
              variants:
              - default: true
                key: blue
                attachment:
                  b: 1
                  a:
                  - true
                  - "x: y"
              - key: red
                name: Red
              rules:
              - segment: beta
                distributions:
                - variant: blue
                  rollout: 33.33
            - key: toggle
              name: Toggle
              type: BOOLEAN_FLAG_TYPE
              enabled: false
              rollouts:
              - segment:
                  keys:
                  - a
                  - b
                  operator: AND_SEGMENT_OPERATOR
                  value: true
              - description: rest
                threshold:
                  percentage: 12.5
            segments:
            - key: beta
              name: Beta
              constraints:
              - type: NUMBER_COMPARISON_TYPE
                property: age
                operator: gt
                value: "18"
              match_type: ANY_MATCH_TYPE

            """)
        #expect(DocumentEncoder.encode([document], as: .json).hasPrefix(
            #"{"version":"1.4","namespace":{"key":"default","name":"Default","description":"Default namespace"},"flags":[{"key":"checkout","name":"Checkout","type":"VARIANT_FLAG_TYPE","enabled":true,"metadata":{"team":"yes"},"variants":[{"default":true,"key":"blue","attachment":{"b":1,"a":[true,"x: y"]}},"#))
    }
}
