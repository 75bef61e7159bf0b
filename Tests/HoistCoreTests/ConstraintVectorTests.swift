import Testing
@testable import HoistCore

/// Spec §5.3 (C1–C29) plus the operator tables of §3.4.
@Suite("Constraint vectors")
struct ConstraintVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let id: String
        let type: ComparisonType
        let op: String
        let value: String
        /// nil means the context key is missing.
        let context: String?
        let expected: Bool
        var testDescription: String { "\(id) \(type.shortName) \(op) \(value) ~ \(context ?? "<missing>")" }

        init(_ id: String, _ type: ComparisonType, _ op: String, _ value: String, _ context: String?, _ expected: Bool) {
            self.id = id
            self.type = type
            self.op = op
            self.value = value
            self.context = context
            self.expected = expected
        }
    }

    static let specVectors: [Vector] = [
        .init("C1", .string, "empty", "", " ", true),
        .init("C2", .string, "notempty", "", "", false),
        .init("C3", .string, "prefix", "ba", "bar", true),
        .init("C4", .string, "suffix", "bar", "nope", false),
        .init("C5", .string, "isoneof", #"["bar", "baz"]"#, "baz", true),
        .init("C6", .string, "isoneof", #"["bar", "baz""#, "bar", false),
        .init("C7", .string, "isoneof", #"["bar", 5]"#, "bar", false),
        .init("C8", .string, "isnotoneof", #"["bar", "baz"]"#, "nope", true),
        .init("C9a", .string, "contains", "bar", "foobar", true),
        .init("C9b", .string, "notcontains", "bar", "foobar", false),
        .init("C10", .string, "foo", "bar", "bar", false),
        .init("C11", .number, "eq", "42.0", "42.0", true),
        .init("C12", .number, "gt", "10.11", "10.12", true),
        .init("C13", .number, "eq", "bar", "5", false),
        .init("C14", .number, "isoneof", "[3, 3.14159, 4]", "3.14159", true),
        .init("C15", .number, "isoneof", #"[5, "str"]"#, "5", false),
        .init("C16", .boolean, "true", "", "foo", false),
        .init("C17", .datetime, "eq", "2006-01-02", "2006-01-02", true),
        .init("C18", .string, "neq", "x", nil, false),
        .init("C19", .string, "prefix", "ba", "  bar", true),
        .init("C20", .string, "eq", "bar", "bar ", false),
        .init("C21", .number, "eq", "1000", "1_000", true),
        .init("C22", .number, "eq", "5", " 5", false),
        .init("C23", .number, "notpresent", "", " ", true),
        .init("C24a", .boolean, "true", "", "T", true),
        .init("C24b", .boolean, "true", "", "1", true),
        .init("C24c", .boolean, "true", "", "TRUE", true),
        .init("C25a", .boolean, "true", "", "yes", false),
        .init("C25b", .boolean, "true", "", "tRUE", false),
        .init("C26", .datetime, "gt", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.5Z", true),
        .init("C27", .datetime, "eq", "2006-01-02T15:04:05Z", "2006-01-02T16:04:05+01:00", true),
        .init("C28", .datetime, "eq", "2006-01-02T00:00:00Z", "2006-01-02", true),
        .init("C29", .datetime, "eq", "2006-01-02T15:04:05Z", "2006-01-02t15:04:05z", false),
    ]

    @Test(arguments: specVectors)
    func specVector(_ vector: Vector) throws {
        #expect(try Fixture.constraintMatches(vector.type, vector.op, vector.value, contextValue: vector.context)
            == vector.expected)
    }

    static let operatorTable: [Vector] = [
        // STRING: a missing key never satisfies the negative operators.
        .init("s-empty-missing", .string, "empty", "", nil, true),
        .init("s-notempty-nbsp", .string, "notempty", "", "\u{A0}\u{3000}", false),
        .init("s-notempty-zwsp", .string, "notempty", "", "\u{200B}", true),
        .init("s-neq", .string, "neq", "x", "y", true),
        .init("s-neq-empty", .string, "neq", "x", "", false),
        .init("s-notcontains-missing", .string, "notcontains", "x", nil, false),
        .init("s-isnotoneof-missing", .string, "isnotoneof", #"["a"]"#, nil, false),
        .init("s-isnotoneof-member", .string, "isnotoneof", #"["a","b"]"#, "b", false),
        .init("s-isnotoneof-invalid", .string, "isnotoneof", "[", "z", false),
        .init("s-isnotoneof-null", .string, "isnotoneof", "null", "z", true),
        .init("s-isoneof-null", .string, "isoneof", "null", "z", false),
        .init("s-isoneof-escaped", .string, "isoneof", #"["a\"b","\u00e9"]"#, "é", true),
        .init("s-isoneof-nfd", .string, "isoneof", #"["\u00e9"]"#, "e\u{301}", false),
        .init("s-eq-nfd", .string, "eq", "\u{E9}", "e\u{301}", false),
        .init("s-eq-kelvin", .string, "eq", "K", "\u{212A}", false),
        .init("s-contains-empty", .string, "contains", "", "abc", true),
        .init("s-contains-nfd", .string, "contains", "e", "caf\u{E9}", false),
        .init("s-prefix-trim-nbsp", .string, "prefix", "ba", "\u{A0}bar", true),
        .init("s-suffix-trim", .string, "suffix", "ar", "bar\t\n", true),
        .init("s-suffix-combining", .string, "suffix", "e", "cafe\u{301}", false),
        .init("s-prefix-case", .string, "prefix", "Ba", "bar", false),
        .init("s-EQ-uppercase-op", .string, "EQ", "bar", "bar", false),
        // NUMBER
        .init("n-present", .number, "present", "", "x", true),
        .init("n-present-blank", .number, "present", "", "\t", false),
        .init("n-neq", .number, "neq", "5", "6", true),
        .init("n-neq-missing", .number, "neq", "5", nil, false),
        .init("n-lt", .number, "lt", "5", "4.999", true),
        .init("n-lte", .number, "lte", "5", "5", true),
        .init("n-gte", .number, "gte", "5", "4", false),
        .init("n-exp", .number, "eq", "1000", "1e3", true),
        .init("n-hex", .number, "eq", "16", "0x1p4", true),
        .init("n-nan-neq", .number, "neq", "5", "NaN", true),
        .init("n-nan-eq", .number, "eq", "NaN", "NaN", false),
        .init("n-nan-lt", .number, "lt", "5", "NaN", false),
        .init("n-nan-gte", .number, "gte", "5", "NaN", false),
        .init("n-inf", .number, "gt", "1e308", "Inf", true),
        .init("n-overflow", .number, "gt", "5", "1e400", false),
        .init("n-overflow-neq", .number, "neq", "5", "1e400", false),
        .init("n-bad-constraint-neq", .number, "neq", "abc", "5", false),
        .init("n-isnotoneof", .number, "isnotoneof", "[1,2]", "3", true),
        .init("n-isnotoneof-member", .number, "isnotoneof", "[1,2]", "2.0", false),
        .init("n-isnotoneof-nan", .number, "isnotoneof", "[1,2]", "NaN", true),
        .init("n-isnotoneof-invalid", .number, "isnotoneof", "[1,", "3", false),
        .init("n-isoneof-null-elem", .number, "isoneof", "[null]", "0", true),
        .init("n-unknown-op", .number, "prefix", "1", "1", false),
        // BOOLEAN
        .init("b-false", .boolean, "false", "", "F", true),
        .init("b-false-true", .boolean, "false", "", "true", false),
        .init("b-present", .boolean, "present", "", "yes", true),
        .init("b-notpresent", .boolean, "notpresent", "", nil, true),
        .init("b-eq-op", .boolean, "eq", "true", "true", false),
        // DATETIME
        .init("d-neq", .datetime, "neq", "2006-01-02", "2006-01-03", true),
        .init("d-lt", .datetime, "lt", "2006-01-02T00:00:00Z", "2006-01-01T23:59:59.999999999Z", true),
        .init("d-lte", .datetime, "lte", "2006-01-02", "2006-01-02T01:00:00+01:00", true),
        .init("d-gte", .datetime, "gte", "2006-01-02", "2006-01-01", false),
        .init("d-bad-context", .datetime, "neq", "2006-01-02", "yesterday", false),
        .init("d-bad-constraint", .datetime, "neq", "yesterday", "2006-01-02", false),
        .init("d-present", .datetime, "present", "", " x", true),
        .init("d-contains-op", .datetime, "contains", "2006", "2006-01-02", false),
    ]

    @Test(arguments: operatorTable)
    func operatorSemantics(_ vector: Vector) throws {
        #expect(try Fixture.constraintMatches(vector.type, vector.op, vector.value, contextValue: vector.context)
            == vector.expected)
    }

    @Test func entityIdConstraintsReadTheEntityNotTheContext() throws {
        #expect(try Fixture.constraintMatches(.entityId, "eq", "user@flipt.io", contextValue: "nope",
                                              entityId: "user@flipt.io"))
        #expect(try !Fixture.constraintMatches(.entityId, "eq", "user@flipt.io", contextValue: "user@flipt.io",
                                               entityId: "someone"))
        #expect(try Fixture.constraintMatches(.entityId, "contains", "@flipt", contextValue: nil, entityId: "a@flipt.io"))
        #expect(try Fixture.constraintMatches(.entityId, "isoneof", #"["a","b"]"#, contextValue: nil, entityId: "b"))
        #expect(try !Fixture.constraintMatches(.entityId, "neq", "a", contextValue: "x", entityId: ""))
        #expect(try Fixture.constraintMatches(.entityId, "empty", "", contextValue: "x", entityId: " "))
    }

    @Test func contextKeysAreComparedByteWise() throws {
        let snapshot = EvaluationSnapshot(state: Fixture.state(
            flags: [Fixture.booleanFlag("probe", enabled: false)],
            rollouts: [Fixture.segmentRollout("probe", rank: 1, ["s"], value: true)],
            segments: [Fixture.segment("s", .all, [Fixture.constraint(.string, "caf\u{E9}", "eq", "x")])]))
        #expect(try snapshot.boolean(flagKey: "probe", entityId: "e", context: ["caf\u{E9}": "x"]).enabled)
        #expect(try !snapshot.boolean(flagKey: "probe", entityId: "e", context: ["cafe\u{301}": "x"]).enabled)
    }
}
