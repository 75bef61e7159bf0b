/// Go's `strconv.ParseFloat(s, 64)`, which Flipt uses for NUMBER constraints.
///
/// Grammar (the whole string must match, no surrounding white space):
/// - an optional `+`/`-`, then a decimal mantissa (digits with at most one `.`, at least one digit) and an
///   optional `[eE][+-]?digits` exponent;
/// - or `0x`/`0X`, a hexadecimal mantissa and a **mandatory** `[pP][+-]?decimal-digits` exponent;
/// - or, case-insensitively, `inf`/`infinity` (signed or not) or `nan` (unsigned only).
///
/// Underscores are accepted only between digits (or right after the `0x` prefix). Overflow is an error
/// (`nil`); underflow rounds to zero without an error.
public enum GoFloatParser {
    /// The parsed value, or `nil` where Go returns an error.
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        if let integer = parseShortInteger(bytes) { return integer }
        if let special = parseSpecial(bytes) { return special }
        let cleaned = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { buffer in
            scanNumber(bytes, into: buffer)
        }
        guard let cleaned, let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// Fast path without allocation for `[+-]?[0-9]{1,15}`, which converts to a Double exactly.
    @inline(__always)
    static func parseShortInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative || bytes[0] == UInt8(ascii: "+") { index = 1 }
        let digitCount = bytes.count - index
        guard digitCount >= 1, digitCount <= 15 else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard isDecimalDigit(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            index += 1
        }
        return negative ? -Double(value) : Double(value)
    }

    /// `inf`, `infinity` (optionally signed) and `nan`, case-insensitively.
    static func parseSpecial(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var negative = false
        let signed = bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-")
        if signed {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        let rest = UnsafeBufferPointer(rebasing: bytes[index...])
        if matchesIgnoringCase(rest, "inf") || matchesIgnoringCase(rest, "infinity") {
            return negative ? -.infinity : .infinity
        }
        if !signed, matchesIgnoringCase(rest, "nan") { return .nan }
        return nil
    }

    static func matchesIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where lower(bytes[index]) != word.utf8Start[index] { return false }
        return true
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte | 0x20 }

    @inline(__always)
    static func isDecimalDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inline(__always)
    static func isHexLetter(_ byte: UInt8) -> Bool { lower(byte) >= UInt8(ascii: "a") && lower(byte) <= UInt8(ascii: "f") }

    /// Validates Go's float syntax and returns the text without underscores, ready for `Double(_:)`.
    static func scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, into storage: UnsafeMutableBufferPointer<UInt8>) -> String? {
        var index = 0
        var cleaned = ByteSink(storage: storage)
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            cleaned.append(bytes[0])
            index = 1
        }
        var hex = false
        if index + 2 < bytes.count, bytes[index] == UInt8(ascii: "0"), lower(bytes[index + 1]) == UInt8(ascii: "x") {
            hex = true
            cleaned.append(UInt8(ascii: "0"))
            cleaned.append(UInt8(ascii: "x"))
            index += 2
        }
        var sawDot = false
        var sawDigits = false
        var sawUnderscore = false
        mantissa: while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "_"):
                sawUnderscore = true
            case UInt8(ascii: "."):
                if sawDot { break mantissa }
                sawDot = true
                cleaned.append(byte)
            case _ where isDecimalDigit(byte) || (hex && isHexLetter(byte)):
                sawDigits = true
                cleaned.append(byte)
            default:
                break mantissa
            }
            index += 1
        }
        guard sawDigits else { return nil }
        let exponentMarker = hex ? UInt8(ascii: "p") : UInt8(ascii: "e")
        if index < bytes.count, lower(bytes[index]) == exponentMarker {
            cleaned.append(exponentMarker)
            index += 1
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                cleaned.append(bytes[index])
                index += 1
            }
            guard index < bytes.count, isDecimalDigit(bytes[index]) else { return nil }
            while index < bytes.count, isDecimalDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") {
                if bytes[index] == UInt8(ascii: "_") {
                    sawUnderscore = true
                } else {
                    cleaned.append(bytes[index])
                }
                index += 1
            }
        } else if hex {
            return nil
        }
        guard index == bytes.count else { return nil }
        if sawUnderscore, !underscoresAreBetweenDigits(bytes) { return nil }
        return cleaned.string
    }

    /// Appends bytes to preallocated storage (never longer than the input).
    struct ByteSink {
        let storage: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        mutating func append(_ byte: UInt8) {
            storage[count] = byte
            count += 1
        }

        var string: String { String(decoding: UnsafeMutableBufferPointer(rebasing: storage[..<count]), as: UTF8.self) }
    }

    /// Go's `underscoreOK`: every `_` must sit between digits (a base prefix counts as a digit).
    static func underscoresAreBetweenDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        enum Previous { case start, digit, underscore, other }
        var previous = Previous.start
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var hex = false
        if bytes.count - index >= 2, bytes[index] == UInt8(ascii: "0") {
            let marker = lower(bytes[index + 1])
            if marker == UInt8(ascii: "b") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "x") {
                hex = marker == UInt8(ascii: "x")
                previous = .digit
                index += 2
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if isDecimalDigit(byte) || (hex && isHexLetter(byte)) {
                previous = .digit
                continue
            }
            if byte == UInt8(ascii: "_") {
                guard previous == .digit else { return false }
                previous = .underscore
                continue
            }
            if previous == .underscore { return false }
            previous = .other
        }
        return previous != .underscore
    }
}
