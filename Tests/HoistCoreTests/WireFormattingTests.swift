import HoistCore
import Testing

@Suite struct WireFormattingTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_700_000_000_123_000, "2023-11-14T22:13:20.123Z"),
        (1_700_000_000_123_456, "2023-11-14T22:13:20.123456Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
        (951_782_400_000_000, "2000-02-29T00:00:00Z"),
        (253_402_300_799_000_000, "9999-12-31T23:59:59Z"),
    ])
    func timestamps(microseconds: Int64, expected: String) {
        let t = Timestamp(microseconds: microseconds)
        #expect(t.rfc3339 == expected)
        var w = JSONWriter()
        w.timestamp(t)
        #expect(w.string == "\"" + expected + "\"")
    }

    @Test(arguments: [
        (0.412, "0.412"), (3.0, "3"), (0.0, "0"), (-2.5, "-2.5"), (1234567.0, "1234567"),
        (1e-07, "1e-07"), (1.5e21, "1.5e+21"), (0.000001, "0.000001"), (1e20, "100000000000000000000"),
    ])
    func doubles(value: Double, expected: String) {
        #expect(JSONWriter.formatDouble(value) == expected)
    }

    @Test(arguments: [(Float(33.33), "33.33"), (50, "50"), (0.05, "0.05"), (0.0001, "0.0001"), (57.3, "57.3")])
    func floats(value: Float, expected: String) {
        #expect(JSONWriter.formatFloat(value) == expected)
    }
}
