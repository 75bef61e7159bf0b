/// Appends compact JSON to a byte buffer. Used for every response so output is byte-exact and cheap.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    @inlinable public mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// When true, strings are escaped like Go's encoding/json (`<`, `>`, `&`, U+2028/2029 as `\uXXXX`);
    /// when false (the default) like protojson, which the REST API uses.
    public var htmlSafe = false

    /// A JSON string literal.
    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            // Runs of bytes that need no escaping (nearly all of them) are copied in one append.
            var runStart = 0
            var i = 0
            while i < utf8.count {
                guard mayNeedEscape(utf8[i]) else {
                    i += 1
                    continue
                }
                if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                i = escape(utf8, at: i)
                runStart = i
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(0x22)
    }

    /// True for every byte ``escape(_:at:)`` may rewrite (a superset is fine: it copies the others).
    @inline(__always)
    func mayNeedEscape(_ b: UInt8) -> Bool {
        if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { return true }
        return htmlSafe && (b == 0x3C || b == 0x3E || b == 0x26 || b == 0xE2)
    }

    /// Writes the byte at `i` escaped as needed; returns the index after what it consumed.
    mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = utf8[i]
        switch b {
        case 0x22: raw("\\\"")
        case 0x5C: raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08 where !htmlSafe: raw("\\b")
        case 0x0C where !htmlSafe: raw("\\f")
        case 0x00..<0x20,
             0x7F where !htmlSafe:
            raw("\\u00")
            bytes.append(Self.hexDigits[Int(b >> 4)])
            bytes.append(Self.hexDigits[Int(b & 0xF)])
        case 0x3C where htmlSafe: raw("\\u003c")
        case 0x3E where htmlSafe: raw("\\u003e")
        case 0x26 where htmlSafe: raw("\\u0026")
        case 0xE2 where htmlSafe && i + 2 < utf8.count && utf8[i + 1] == 0x80
            && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
            raw(utf8[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
            return i + 3
        default: bytes.append(b)
        }
        return i + 1
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `"name":`, preceded by a comma unless it is the first member.
    public mutating func field(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(0x22)
        raw(name)
        bytes.append(0x22)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func array<T>(_ items: [T], _ element: (inout JSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

    public mutating func int(_ v: some BinaryInteger) { raw(String(v)) }

    /// A float32 in protojson's shortest form (`33.33`, `50`, `0.0001`).
    public mutating func float(_ f: Float) { raw(Self.formatFloat(f)) }

    public mutating func double(_ d: Double) { raw(Self.formatDouble(d)) }

    /// A timestamp as a JSON string (`"2024-03-01T12:34:56.123456Z"`), written without intermediate strings.
    public mutating func timestamp(_ t: Timestamp) {
        bytes.append(0x22)
        t.appendRFC3339(to: &bytes)
        bytes.append(0x22)
    }

    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .number(let d, _): double(d)
        case .string(let s): string(s)
        case .array(let a):
            bytes.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                value(e)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let m):
            bytes.append(UInt8(ascii: "{"))
            for (i, (k, e)) in m.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                string(k)
                bytes.append(UInt8(ascii: ":"))
                value(e)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Shortest round-trip text of a float32 in fixed notation (protojson uses `f` unless |x| < 1e-6 or ≥ 1e21).
    public static func formatFloat(_ f: Float) -> String {
        if f.isNaN { return "\"NaN\"" }
        if f.isInfinite { return f < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        let magnitude = abs(f)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) { return goExponent(f.description) }
        return fixed(f.description)
    }

    /// Shortest round-trip text of a double (`0.412`, `3`, `1e+21`).
    public static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        let magnitude = abs(d)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) { return goExponent(d.description) }
        return fixed(d.description)
    }

    /// Turns Swift's `description` (shortest digits, maybe `1.5e-05`) into plain decimal notation.
    static func fixed(_ description: String) -> String {
        // Fast path: plain decimal text needs at most its ".0" suffix removed.
        if !description.utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return description.hasSuffix(".0") ? String(description.dropLast(2)) : description
        }
        var text = Substring(description)
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text = text.dropFirst()
        }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var intPart = Substring(text)
        var fracPart = Substring("")
        if let dot = text.firstIndex(of: ".") {
            intPart = text[..<dot]
            fracPart = text[text.index(after: dot)...]
        }
        var digits = Array(intPart) + Array(fracPart)
        var pointPosition = intPart.count + exponent
        // Normalise leading zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while let last = digits.last, last == "0", digits.count > max(pointPosition, 1) { digits.removeLast() }
        var out = ""
        if pointPosition <= 0 {
            out = "0." + String(repeating: "0", count: -pointPosition) + String(digits)
        } else if pointPosition >= digits.count {
            out = String(digits) + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            out = String(digits[..<pointPosition]) + "." + String(digits[pointPosition...])
        }
        if out.hasSuffix(".") { out.removeLast() }
        if out.allSatisfy({ $0 == "0" || $0 == "." }) { out = "0" }
        return negative && out != "0" ? "-" + out : out
    }

    /// Go-style exponent: `1e-07`, `1.5e+21`.
    static func goExponent(_ description: String) -> String {
        guard let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return description }
        var mantissa = String(description[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exp = Int(description[description.index(after: e)...]) ?? 0
        let sign = exp < 0 ? "-" : "+"
        exp = abs(exp)
        return mantissa + "e" + sign + (exp < 10 ? "0\(exp)" : "\(exp)")
    }
}
