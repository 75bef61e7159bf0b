import Testing
@testable import HoistCore

@Suite("CRC-32")
struct CRC32Tests {
    @Test func checkValue() {
        #expect(CRC32.checksum("123456789") == 0xCBF4_3926)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum("") == 0)
    }

    @Test func twoPartsEqualConcatenation() {
        #expect(CRC32.checksum("1234", "56789") == 0xCBF4_3926)
        #expect(CRC32.checksum("foo", "1") == 3_476_655_244)
        #expect(CRC32.checksum("", "foo1") == 3_476_655_244)
        #expect(CRC32.checksum("héllo", "wörld") == CRC32.checksum(Array("héllowörld".utf8)))
    }
}

@Suite("Go strings.TrimSpace and strconv.ParseBool")
struct GoStringsTests {
    static let goSpaces: [Unicode.Scalar] = [
        "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2001}", "\u{2002}",
        "\u{2003}", "\u{2004}", "\u{2005}", "\u{2006}", "\u{2007}", "\u{2008}", "\u{2009}", "\u{200A}", "\u{2028}",
        "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
    ]

    @Test(arguments: goSpaces)
    func trimsEveryGoSpace(_ scalar: Unicode.Scalar) {
        let space = String(Character(scalar))
        #expect(GoStrings.isSpace(scalar))
        #expect(GoStrings.trimSpace(space + "x" + space) == "x")
        #expect(GoStrings.trimSpace(space + space) == "")
    }

    @Test(arguments: ["\u{200B}", "\u{FEFF}", "\u{180E}", "\u{1C}", "\u{00}", "x"] as [Unicode.Scalar])
    func keepsNonGoSpaces(_ scalar: Unicode.Scalar) {
        let text = String(Character(scalar)) + "a"
        #expect(!GoStrings.isSpace(scalar))
        #expect(GoStrings.trimSpace(text) == text)
    }

    @Test func trimsOnlyTheEnds() {
        #expect(GoStrings.trimSpace("  a b\u{3000}c \u{2029}") == "a b\u{3000}c")
        #expect(GoStrings.trimSpace("") == "")
        #expect(GoStrings.trimSpace("é\u{A0}") == "é")
        #expect(GoStrings.trimSpace("\u{A0}\u{2000}") == "")
    }

    @Test func parseBoolAcceptsExactlyGoSet() {
        for text in ["1", "t", "T", "TRUE", "true", "True"] { #expect(GoStrings.parseBool(text) == true) }
        for text in ["0", "f", "F", "FALSE", "false", "False"] { #expect(GoStrings.parseBool(text) == false) }
        for text in ["", "tRUE", "yes", "no", " true", "true ", "TrUe", "2", "on", "fALSE", "y"] {
            #expect(GoStrings.parseBool(text) == nil, "\(text)")
        }
    }

    @Test func bytesEqualIgnoresCanonicalEquivalence() {
        #expect("\u{E9}" == "e\u{301}") // Swift says equal…
        #expect(!GoStrings.bytesEqual("\u{E9}", "e\u{301}")) // …Go does not.
        #expect(GoStrings.bytesEqual("abc", "abc"))
        #expect(!GoStrings.bytesEqual("\u{212A}", "K"))
    }
}

@Suite("Go strconv.ParseFloat")
struct GoFloatParserTests {
    @Test(arguments: [
        ("42", 42.0), ("42.0", 42.0), ("-7", -7.0), ("+5", 5.0), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0),
        ("1E+3", 1000.0), ("2.5e-3", 0.0025), ("1_000", 1000.0), ("1_000.000_1", 1000.0001), ("1e1_0", 1e10),
        ("0x_1p0", 1.0), ("0x1p-2", 0.25), ("0X1.8P3", 12.0), ("0x.8p1", 1.0), ("0x1P+4", 16.0), ("007", 7.0),
        ("10.11", 10.11), ("3.14159", 3.14159), ("1e-400", 0.0), ("123456789012345678", 123456789012345678.0),
        ("0.1", 0.1), ("-0", 0.0),
    ] as [(String, Double)])
    func accepts(_ text: String, _ expected: Double) {
        #expect(GoFloatParser.parse(text) == expected, "\(text)")
    }

    @Test func acceptsSpecialWords() {
        for text in ["inf", "Inf", "INF", "+inf", "-Inf", "infinity", "+Infinity", "-INFINITY"] {
            let value = GoFloatParser.parse(text)
            #expect(value?.isInfinite == true, "\(text)")
            #expect(((value ?? 0) < 0) == text.hasPrefix("-"), "\(text)")
        }
        for text in ["nan", "NaN", "NAN"] { #expect(GoFloatParser.parse(text)?.isNaN == true, "\(text)") }
        #expect(GoFloatParser.parse("-0")?.sign == .minus)
    }

    @Test(arguments: [
        "", " 5", "5 ", "_1", "1_", "1__0", "1_.5", "1._5", "0x10", "0b101", "1,5", "1e", "e3", ".", "1e400",
        "-1e400", "0x1p99999", "+nan", "-NaN", "infin", "infinityy", "in", "0x", "0x1p", "1e_1", "++1", "1.2.3",
        "\u{0661}", "１", "1e+", "0xg1p0", "1f", "5\u{0}", "1.5.", "0x1.8", "_", "0_x1p0", "1e1_",
    ])
    func rejects(_ text: String) {
        #expect(GoFloatParser.parse(text) == nil, "\(text)")
    }
}

@Suite("Go time.Parse (RFC 3339, then date-only)")
struct GoDateTimeTests {
    static let reference = DateTimeInstant(seconds: 1_136_214_245) // 2006-01-02T15:04:05Z

    @Test(arguments: [
        ("2006-01-02T15:04:05Z", reference),
        ("2006-01-02T16:04:05+01:00", reference),
        ("2006-01-02T08:04:05-07:00", reference),
        ("2006-01-02T15:04:05.5Z", DateTimeInstant(seconds: 1_136_214_245, nanoseconds: 500_000_000)),
        ("2006-01-02T15:04:05,5Z", DateTimeInstant(seconds: 1_136_214_245, nanoseconds: 500_000_000)),
        ("2006-01-02T15:04:05.123456789Z", DateTimeInstant(seconds: 1_136_214_245, nanoseconds: 123_456_789)),
        ("2006-01-02T15:04:05.1234567899999Z", DateTimeInstant(seconds: 1_136_214_245, nanoseconds: 123_456_789)),
        ("2006-01-02T5:04:05Z", DateTimeInstant(seconds: 1_136_214_245 - 10 * 3600)),
        ("2006-01-02T15:04:05+24:00", DateTimeInstant(seconds: 1_136_214_245 - 24 * 3600)),
        ("2006-01-02", DateTimeInstant(seconds: 1_136_160_000)),
        ("2024-02-29", DateTimeInstant(seconds: 1_709_164_800)),
        ("1969-12-31T23:59:59.5Z", DateTimeInstant(seconds: -1, nanoseconds: 500_000_000)),
    ] as [(String, DateTimeInstant)])
    func accepts(_ text: String, _ expected: DateTimeInstant) {
        #expect(GoDateTime.parse(text) == expected, "\(text)")
    }

    @Test(arguments: [
        "2006-01-02T15:04:05", "2006-01-02T15:04:05+0100", "2006-01-02 15:04:05Z", "2006-01-02t15:04:05z",
        "2006-01-02t15:04:05Z", "2006-01-02T15:04:05z", "2006-01-02T24:00:00Z", "2006-01-02T15:04:60Z",
        "2006-01-02T15:60:05Z", "2006-02-30", "2023-02-29", " 2006-01-02", "2006-01-02 ", "2006-1-02", "2006-01-2",
        "2006-13-01", "2006-00-10", "2006-01-00", "2006-01-02T15:04:05.Z", "2006-01-02T15:04:05+25:00",
        "2006-01-02T15:4:05Z", "20060-01-02", "06-01-02", "2006-01-02T15:04:05Z ", "", "2006-01-02T",
        "2006-01-02T15:04:05+01", "2006-01-02T15:04:05 +01:00", "2006-01-02T15:04:05.5", "2006/01/02",
    ])
    func rejects(_ text: String) {
        #expect(GoDateTime.parse(text) == nil, "\(text)")
    }

    @Test func dateOnlyIsNotRFC3339() {
        #expect(GoDateTime.parseRFC3339("2006-01-02") == nil)
        #expect(GoDateTime.parseDateOnly("2006-01-02T15:04:05Z") == nil)
    }

    @Test func instantsCompareWithNanosecondPrecision() {
        let whole = GoDateTime.parse("2006-01-02T15:04:05Z")!
        let later = GoDateTime.parse("2006-01-02T15:04:05.000000001Z")!
        #expect(whole < later)
        #expect(!(later < whole))
    }

    @Test(arguments: [
        ("2006-01-02T15:04:05Z", "2006-01-02T15:04:05Z"),
        ("2006-01-02T16:04:05.987+01:00", "2006-01-02T15:04:05Z"),
        ("2006-01-02T5:04:05,1-02:30", "2006-01-02T07:34:05Z"),
        ("2006-01-02", "2006-01-02"),
        ("2024-02-29", "2024-02-29"),
        ("0000-01-01T00:30:00+01:00", "-0001-12-31T23:30:00Z"),
        ("9999-12-31T23:59:59-01:00", "10000-01-01T00:59:59Z"),
    ])
    func normalisesConstraintValues(_ input: String, _ stored: String) {
        #expect(GoDateTime.normalizedConstraintValue(input) == stored)
    }

    @Test func normalisationRejectsUnparsable() {
        for text in ["", "garbage", "2006-02-30", "2006-01-02T15:04:05"] {
            #expect(GoDateTime.normalizedConstraintValue(text) == nil, "\(text)")
        }
    }
}

@Suite("isoneof value lists")
struct ConstraintValueListTests {
    @Test func strings() {
        #expect(ConstraintValueList.strings(#"["bar", "baz"]"#) == ["bar", "baz"])
        #expect(ConstraintValueList.strings(" [ ] ") == [])
        #expect(ConstraintValueList.strings("null") == [])
        #expect(ConstraintValueList.strings(#"["a\"b", "\u00e9"]"#) == ["a\"b", "é"])
        #expect(ConstraintValueList.strings(#"["a", null]"#) == ["a", ""])
        for invalid in [#"["bar", "baz""#, #"["bar", 5]"#, #""bar""#, "{}", "", "[true]", #"[["a"]]"#, "5"] {
            #expect(ConstraintValueList.strings(invalid) == nil, "\(invalid)")
        }
    }

    @Test func numbers() {
        #expect(ConstraintValueList.numbers("[3, 3.14159, 4]") == [3, 3.14159, 4])
        #expect(ConstraintValueList.numbers("[-1e3, 0]") == [-1000, 0])
        #expect(ConstraintValueList.numbers("null") == [])
        #expect(ConstraintValueList.numbers("[1, null]") == [1, 0])
        for invalid in [#"[5, "str"]"#, "[1e400]", "[01]", "[.5]", "[+1]", "[NaN]", "[1,]", "1", "[1_000]"] {
            #expect(ConstraintValueList.numbers(invalid) == nil, "\(invalid)")
        }
    }
}
