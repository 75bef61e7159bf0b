/// YAML 1.2 core-schema resolution of plain scalars (what Flipt's yaml.v3 decoder applies), and
/// number helpers shared by the readers and the decoder.
enum ScalarResolution {
    static func kind(ofPlain text: String) -> DocumentNode.ScalarKind {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .float
        default: break
        }
        if isInteger(text) { return .int }
        if isFloat(text) { return .float }
        return .string
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
    static func isInteger(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        if bytes.starts(with: "0x".utf8) {
            let digits = bytes.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy { isHexDigit($0) } && text.utf8.first == UInt8(ascii: "0")
        }
        if bytes.starts(with: "0o".utf8) {
            let digits = bytes.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x37 } && text.utf8.first == UInt8(ascii: "0")
        }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let integerDigits = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(integerDigits.count)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let fraction = bytes.prefix(while: isDigit)
            fractionDigits = fraction.count
            bytes = bytes.dropFirst(fraction.count)
        } else if integerDigits.isEmpty {
            return false
        }
        if integerDigits.isEmpty && fractionDigits == 0 { return false }
        return isExponentOrEmpty(bytes)
    }

    /// Strict JSON number grammar (so the source text can be kept verbatim in attachments).
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let integer = bytes.prefix(while: isDigit)
        if integer.isEmpty || (integer.count > 1 && integer.first == UInt8(ascii: "0")) { return false }
        bytes = bytes.dropFirst(integer.count)
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let fraction = bytes.prefix(while: isDigit)
            if fraction.isEmpty { return false }
            bytes = bytes.dropFirst(fraction.count)
        }
        return isExponentOrEmpty(bytes)
    }

    /// True for nothing, or a complete exponent `[eE][-+]?[0-9]+`.
    static func isExponentOrEmpty(_ rest: ArraySlice<UInt8>) -> Bool {
        guard let marker = rest.first else { return true }
        guard marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") else { return false }
        var digits = rest.dropFirst()
        if digits.first == UInt8(ascii: "-") || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    static func doubleValue(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let magnitude: Double?
        if body.hasPrefix("0x") {
            magnitude = UInt64(body.dropFirst(2), radix: 16).map { Double($0) }
        } else if body.hasPrefix("0o") {
            magnitude = UInt64(body.dropFirst(2), radix: 8).map { Double($0) }
        } else {
            magnitude = Double(body)
        }
        return magnitude.map { negative ? -$0 : $0 }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }
}
