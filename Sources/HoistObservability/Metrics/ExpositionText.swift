/// Which text format a `/metrics` scrape gets.
public enum MetricsExpositionFormat: Sendable, Equatable {
    /// Prometheus text format 0.0.4 (the default; what swift-prometheus writes).
    case prometheus
    /// OpenMetrics 1.0.0 text: counter families named without `_total`, exemplars, `# EOF`.
    case openMetrics

    /// The `Content-Type` of a response in this format.
    public var contentType: String {
        switch self {
        case .prometheus: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// OpenMetrics when the scraper's `Accept` header offers `application/openmetrics-text`
    /// (Prometheus does by default), else the Prometheus text format.
    public static func negotiate(accept: String?) -> MetricsExpositionFormat {
        guard let accept, accept.contains("application/openmetrics-text") else { return .prometheus }
        return .openMetrics
    }
}

/// Small text helpers shared by Hoist's own exposition code.
enum ExpositionText {
    /// `name="value",…` with the label-value escapes of both formats (`\\`, `\"`, `\n`).
    static func labels(_ pairs: [(String, String)]) -> String {
        var out = ""
        for (index, (name, value)) in pairs.enumerated() {
            if index > 0 { out += "," }
            out += name
            out += "=\""
            out += escapeLabelValue(value)
            out += "\""
        }
        return out
    }

    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 10 }) else {
            return value
        }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which Prometheus' Go client uses for sample
    /// values and bucket bounds: `0.005`, `1e-06`, `10000`, `1e+06`, plus `+Inf`, `-Inf`, `NaN`.
    static func goFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (negative, digits, pointPosition) = decimalDigits(value)
        let exponent = pointPosition - 1
        var out = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            // %e: d.ddde±XX
            out.append(digits[digits.startIndex])
            if digits.count > 1 {
                out += "."
                out += digits.dropFirst()
            }
            out += exponent < 0 ? "e-" : "e+"
            let magnitude = abs(exponent)
            out += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
            return out
        }
        if pointPosition <= 0 {
            out += "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            out += digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            out += digits[..<split] + "." + digits[split...]
        }
        return out
    }

    /// Shortest round-trip digits of `value` (no leading/trailing zeros) and the position of the
    /// decimal point: value = 0.<digits> × 10^pointPosition.
    private static func decimalDigits(_ value: Double) -> (negative: Bool, digits: String, pointPosition: Int) {
        var text = Substring(value.description)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var integer = text
        var fraction = Substring("")
        if let dot = text.firstIndex(of: ".") {
            integer = text[..<dot]
            fraction = text[text.index(after: dot)...]
        }
        var digits = String(integer) + String(fraction)
        var pointPosition = integer.count + exponent
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        return (negative, digits, pointPosition)
    }
}
