import Testing
@testable import HoistCore

/// Spec §5.1 (V1–V17) and §5.2 (B1–B8).
@Suite("Bucketing vectors")
struct BucketingTests {
    struct VariantVector: Sendable, CustomTestStringConvertible {
        let id: String
        let flagKey: String
        let entityId: String
        let bucket: UInt32
        let distributions: [(String, Float)]
        /// nil means no distribution selected (match=false).
        let expected: String?
        var testDescription: String { id }
    }

    static let variantVectors: [VariantVector] = [
        .init(id: "V1", flagKey: "foo", entityId: "1", bucket: 244, distributions: [("boz", 50), ("booz", 50)], expected: "boz"),
        .init(id: "V2", flagKey: "foo", entityId: "2", bucket: 934, distributions: [("boz", 50), ("booz", 50)], expected: "booz"),
        .init(id: "V3", flagKey: "foo", entityId: "10", bucket: 54, distributions: [("boz", 50), ("moz", 50)], expected: "boz"),
        .init(id: "V4", flagKey: "foo", entityId: "01", bucket: 785, distributions: [("boz", 50), ("moz", 50)], expected: "moz"),
        .init(id: "V5", flagKey: "foo", entityId: "123", bucket: 253, distributions: [("boz", 10)], expected: nil),
        .init(id: "V6", flagKey: "foo", entityId: "1", bucket: 244, distributions: [("boz", 0), ("booz", 100)], expected: "booz"),
        .init(id: "V7", flagKey: "foo", entityId: "1", bucket: 244,
              distributions: [("1", 0), ("2", 0), ("3", 50), ("4", 0), ("5", 0), ("6", 50)], expected: "3"),
        .init(id: "V8", flagKey: "flag_001", entityId: "some-fixed-entity-id", bucket: 553,
              distributions: [("variant_001", 50), ("variant_002", 50)], expected: "variant_002"),
        .init(id: "V9", flagKey: "flag_002", entityId: "some-fixed-entity-id", bucket: 378,
              distributions: [("variant_001", 50), ("variant_002", 50)], expected: "variant_001"),
        .init(id: "V10", flagKey: "flag_variant_and_segments", entityId: "some-fixed-entity-id", bucket: 531,
              distributions: [("variant_001", 50), ("variant_002", 50)], expected: "variant_002"),
        .init(id: "V11", flagKey: "flag_using_entity_id", entityId: "user@flipt.io", bucket: 939,
              distributions: [("variant_001", 100)], expected: "variant_001"),
        .init(id: "V12", flagKey: "foo", entityId: "user-603", bucket: 999,
              distributions: [("a", 33.33), ("b", 33.33), ("c", 33.34)], expected: nil),
        .init(id: "V13", flagKey: "foo", entityId: "user-286", bucket: 572, distributions: [("a", 57.3), ("b", 42.7)], expected: "a"),
        .init(id: "V14", flagKey: "foo", entityId: "user-1410", bucket: 22, distributions: [("a", 2.3), ("b", 97.7)], expected: "a"),
        .init(id: "V15", flagKey: "foo", entityId: "user-2247", bucket: 700, distributions: [("a", 30), ("b", 30)], expected: nil),
    ]

    @Test(arguments: variantVectors)
    func variantVector(_ vector: VariantVector) throws {
        #expect(CRC32.checksum(vector.flagKey, vector.entityId) % 1000 == vector.bucket)
        let snapshot = Fixture.bucketing(flagKey: vector.flagKey, vector.distributions)
        let result = try snapshot.variant(flagKey: vector.flagKey, entityId: vector.entityId, context: [:])
        #expect(result.match == (vector.expected != nil))
        #expect(result.variantKey == (vector.expected ?? ""))
        #expect(result.reason == (vector.expected != nil ? .match : .unknown))
        #expect(result.segmentKeys == ["everyone"])
    }

    @Test func v5WithDefaultVariant() throws {
        let snapshot = Fixture.bucketing([("boz", 10)], defaultVariant: "bar")
        let result = try snapshot.variant(flagKey: "foo", entityId: "123", context: [:])
        #expect(!result.match)
        #expect(result.reason == .default)
        #expect(result.variantKey == "bar")
    }

    @Test func crcValuesFromTheSpec() {
        #expect(CRC32.checksum("foo", "1") == 3_476_655_244)
        #expect(CRC32.checksum("foo", "2") == 1_446_042_934)
        #expect(CRC32.checksum("foo", "10") == 270_150_054)
        #expect(CRC32.checksum("foo", "01") == 2_114_332_785)
        #expect(CRC32.checksum("foo", "123") == 1_614_934_253)
        #expect(CRC32.checksum("flag_001", "some-fixed-entity-id") == 1_828_167_553)
        #expect(CRC32.checksum("flag_002", "some-fixed-entity-id") == 401_153_378)
        #expect(CRC32.checksum("flag_variant_and_segments", "some-fixed-entity-id") == 3_583_434_531)
        #expect(CRC32.checksum("flag_using_entity_id", "user@flipt.io") == 3_004_862_939)
    }

    /// V16: the variant hash is flagKey‖entityId, the boolean one entityId‖flagKey (B1).
    @Test func v16HashOrder() {
        #expect(CRC32.checksum("test-flag", "test-entity") == 823_762_745)
        #expect(CRC32.checksum("test-flag", "test-entity") % 1000 == 745)
        #expect(CRC32.checksum("test-entity", "test-flag") == 4_255_329_765)
    }

    /// V17: an empty entity ID is hashed as-is.
    @Test func v17EmptyEntityId() throws {
        #expect(CRC32.checksum("foo", "") == CRC32.checksum("foo"))
        #expect(CRC32.checksum("foo") % 1000 == 769)
        let snapshot = Fixture.bucketing([("a", 76.9), ("b", 23.1)])
        // width(76.9) = Int(Float(76.9) * 10) = 769, so bucket 769 falls into "b".
        #expect(try snapshot.variant(flagKey: "foo", entityId: "", context: [:]).variantKey == "b")
        let wider = Fixture.bucketing([("a", 77), ("b", 23)])
        #expect(try wider.variant(flagKey: "foo", entityId: "", context: [:]).variantKey == "a")
    }

    @Test func float32WidthsNotDouble() {
        let rollouts: [Float] = [57.3, 2.3, 8.7, 58.1, 33.33, 33.34, 0.05]
        let variants = rollouts.indices.map { Fixture.variant("f", "\($0)") }
        let distributions = rollouts.enumerated().map { index, rollout in
            Fixture.distribution("f", "\(index)", rollout)
        }
        var builder = FlagProgramBuilder(segmentTests: [:])
        _ = builder.appendDistributions(distributions, variants: variants)
        let bounds = builder.distributions.map(\.upperBound)
        let widths = zip(bounds, [0] + bounds.dropLast()).map { $0 - $1 }
        #expect(widths == [573, 23, 87, 581, 333, 333, 0])
    }

    struct BooleanVector: Sendable, CustomTestStringConvertible {
        let id: String
        let flagKey: String
        let entityId: String
        let rollouts: [Rollout]
        let enabledFlag: Bool
        let context: [String: String]
        let expectedEnabled: Bool
        let expectedReason: EvaluationReason
        var testDescription: String { id }
    }

    static let readonlySegments = (1...4).map { Fixture.inSegment(String(format3("segment_", $0))) }

    static func format3(_ prefix: String, _ number: Int) -> String {
        prefix + String(repeating: "0", count: 3 - String(number).count) + String(number)
    }

    static let booleanVectors: [BooleanVector] = [
        .init(id: "B1", flagKey: "test-flag", entityId: "test-entity",
              rollouts: [Fixture.threshold("test-flag", rank: 1, 5, false)], enabledFlag: true, context: [:],
              expectedEnabled: true, expectedReason: .default),
        .init(id: "B2", flagKey: "test-flag", entityId: "test-entity",
              rollouts: [Fixture.threshold("test-flag", rank: 1, 70, false)], enabledFlag: true, context: [:],
              expectedEnabled: false, expectedReason: .match),
        .init(id: "B3", flagKey: "test-flag", entityId: "test-entity",
              rollouts: [Fixture.threshold("test-flag", rank: 1, 80, true)], enabledFlag: false, context: [:],
              expectedEnabled: true, expectedReason: .match),
        .init(id: "B4", flagKey: "test-flag", entityId: "test-entity",
              rollouts: [Fixture.threshold("test-flag", rank: 1, 5, false),
                         Fixture.segmentRollout("test-flag", rank: 2, ["hello"], value: true)],
              enabledFlag: false, context: ["hello": "world"], expectedEnabled: true, expectedReason: .match),
        .init(id: "B5", flagKey: "flag_boolean", entityId: "hello",
              rollouts: (1...4).map { Fixture.segmentRollout("flag_boolean", rank: Int32($0), [format3("segment_", $0)], value: true) }
                  + [Fixture.threshold("flag_boolean", rank: 5, 50, true)],
              enabledFlag: false, context: [:], expectedEnabled: false, expectedReason: .default),
        .init(id: "B6", flagKey: "flag_boolean", entityId: "fixed",
              rollouts: (1...4).map { Fixture.segmentRollout("flag_boolean", rank: Int32($0), [format3("segment_", $0)], value: true) }
                  + [Fixture.threshold("flag_boolean", rank: 5, 50, true)],
              enabledFlag: false, context: [:], expectedEnabled: true, expectedReason: .match),
        .init(id: "B7", flagKey: "bool-flag", entityId: "user-76",
              rollouts: [Fixture.threshold("bool-flag", rank: 1, 50, true)], enabledFlag: false, context: [:],
              expectedEnabled: true, expectedReason: .match),
        .init(id: "B8 (50)", flagKey: "bool-flag", entityId: "user-42",
              rollouts: [Fixture.threshold("bool-flag", rank: 1, 50, true)], enabledFlag: false, context: [:],
              expectedEnabled: false, expectedReason: .default),
        .init(id: "B8 (50.5)", flagKey: "bool-flag", entityId: "user-42",
              rollouts: [Fixture.threshold("bool-flag", rank: 1, 50.5, true)], enabledFlag: false, context: [:],
              expectedEnabled: true, expectedReason: .match),
    ]

    @Test(arguments: booleanVectors)
    func booleanVector(_ vector: BooleanVector) throws {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag(vector.flagKey, enabled: vector.enabledFlag)], rollouts: vector.rollouts,
            segments: Self.readonlySegments + [Fixture.segment("hello", .all, [Fixture.constraint(.string, "hello", "eq", "world")])]))
        let result = try snapshot.boolean(flagKey: vector.flagKey, entityId: vector.entityId, context: vector.context)
        #expect(result.enabled == vector.expectedEnabled)
        #expect(result.reason == vector.expectedReason)
        #expect(result.segmentKeys == (vector.id == "B4" ? ["hello"] : []))
    }

    @Test func booleanHashValues() {
        #expect(CRC32.checksum("test-entity", "test-flag") % 100 == 65)
        #expect(CRC32.checksum("hello", "flag_boolean") == 2_534_128_796)
        #expect(CRC32.checksum("fixed", "flag_boolean") == 4_136_381_709)
        #expect(CRC32.checksum("user-76", "bool-flag") == 3_727_097_049)
        #expect(CRC32.checksum("user-42", "bool-flag") == 1_311_718_050)
    }

    @Test func thresholdBoundaries() throws {
        func hit(_ percentage: Float, entity: String = "user-42") throws -> Bool {
            let snapshot = EvaluationSnapshot(state: Fixture.state(
                flags: [Fixture.booleanFlag("bool-flag", enabled: false)],
                rollouts: [Fixture.threshold("bool-flag", rank: 1, percentage, true)]))
            return try snapshot.boolean(flagKey: "bool-flag", entityId: entity, context: [:]).enabled
        }
        #expect(try !hit(0, entity: "user-76"))      // 49, never with 0
        #expect(try hit(100))                        // always with 100
        #expect(try !hit(50))                        // 50 < 50 is false
        #expect(try hit(50.000_01))
    }
}
