/// Parsers for the scalar syntaxes Flipt inherits from Go (`strconv`, `time.ParseDuration`).
public enum GoParse {
    /// Go's `strconv.ParseBool`: `1 t T TRUE true True` / `0 f F FALSE false False`.
    public static func bool(_ string: String) -> Bool? {
        switch string {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// A duration in Go syntax (`300ms`, `-1.5h`, `2h45m`, `0`; units `ns us µs ms s m h`)
    /// or a plain integer, taken as nanoseconds (what a YAML integer means to Flipt).
    /// Returns `nil` for anything else, or on overflow of Go's ±292-year range.
    public static func duration(_ input: String) -> Duration? {
        if let nanoseconds = Int64(input) { return .nanoseconds(nanoseconds) }
        guard let nanoseconds = goDurationNanoseconds(input) else { return nil }
        return .nanoseconds(nanoseconds)
    }

    /// Port of Go's `time.ParseDuration`, in nanoseconds.
    static func goDurationNanoseconds(_ input: String) -> Int64? {
        var s = Substring(input)
        var negative = false
        if let first = s.first, first == "-" || first == "+" {
            negative = first == "-"
            s = s.dropFirst()
        }
        if s == "0" { return 0 }
        if s.isEmpty { return nil }
        var total: UInt64 = 0
        while !s.isEmpty {
            guard let first = s.first, first == "." || first.isASCIIDigit else { return nil }
            // Integer part.
            var value: UInt64 = 0
            let integerDigits = s.prefix { $0.isASCIIDigit }
            for digit in integerDigits.utf8 {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(digit - 48))
                guard !o1, !o2 else { return nil }
                value = sum
            }
            s = s.dropFirst(integerDigits.count)
            // Fraction part.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var fractionDigitCount = 0
            if s.first == "." {
                s = s.dropFirst()
                let digits = s.prefix { $0.isASCIIDigit }
                fractionDigitCount = digits.count
                var overflowed = false
                for digit in digits.utf8 where !overflowed {
                    let (times10, o1) = fraction.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(UInt64(digit - 48))
                    if o1 || o2 { overflowed = true } else { fraction = sum; scale *= 10 }
                }
                s = s.dropFirst(digits.count)
            }
            guard !integerDigits.isEmpty || fractionDigitCount > 0 else { return nil }
            // Unit.
            let unitName = s.prefix { $0 != "." && !$0.isASCIIDigit }
            guard !unitName.isEmpty, let unit = units[String(unitName)] else { return nil }
            s = s.dropFirst(unitName.count)
            let (scaled, o1) = value.multipliedReportingOverflow(by: unit)
            guard !o1 else { return nil }
            value = scaled
            if fraction > 0 {
                let (withFraction, o2) = value.addingReportingOverflow(
                    UInt64(Double(fraction) * (Double(unit) / scale))
                )
                guard !o2 else { return nil }
                value = withFraction
            }
            let (sum, o3) = total.addingReportingOverflow(value)
            guard !o3 else { return nil }
            total = sum
        }
        if negative {
            guard total <= UInt64(Int64.max) + 1 else { return nil }
            return total == UInt64(Int64.max) + 1 ? Int64.min : -Int64(total)
        }
        guard total <= UInt64(Int64.max) else { return nil }
        return Int64(total)
    }

    /// The `${NAME}` rule: a value that starts with `${` and ends with `}` is replaced, whole,
    /// by the environment variable between them (empty when unset). Anything else is unchanged;
    /// there is no partial substitution (`http://${HOST}` stays as written).
    public static func substitute(_ value: String, environment: [String: String]) -> String {
        guard value.count >= 3, value.hasPrefix("${"), value.hasSuffix("}") else { return value }
        let name = String(value.dropFirst(2).dropLast())
        return environment[name] ?? ""
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
