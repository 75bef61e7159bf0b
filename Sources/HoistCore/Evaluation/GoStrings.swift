/// Go `strings` and `strconv` behaviour that evaluation depends on, implemented on UTF-8 bytes so that
/// results never depend on Swift's Unicode canonical equivalence.
public enum GoStrings {
    /// Go's `unicode.IsSpace`: `\t \n \v \f \r`, space, U+0085, U+00A0, U+1680, U+2000–U+200A,
    /// U+2028, U+2029, U+202F, U+205F and U+3000. U+200B and U+FEFF are *not* white space.
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// Go's `strings.TrimSpace`.
    public static func trimSpace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            let range = trimmedRange(bytes)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }

    /// Go's `strconv.ParseBool`: exactly `1 t T TRUE true True` or `0 f F FALSE false False`.
    public static func parseBool(_ text: String) -> Bool? {
        switch text.utf8.count {
        case 1, 4, 5: break
        default: return nil
        }
        var text = text
        return text.withUTF8 { parseBool(bytes: $0) }
    }

    static func parseBool(bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch bytes.count {
        case 1:
            switch bytes[0] {
            case UInt8(ascii: "1"), UInt8(ascii: "t"), UInt8(ascii: "T"): return true
            case UInt8(ascii: "0"), UInt8(ascii: "f"), UInt8(ascii: "F"): return false
            default: return nil
            }
        case 4:
            if equal(bytes, "true") || equal(bytes, "TRUE") || equal(bytes, "True") { return true }
            return nil
        case 5:
            if equal(bytes, "false") || equal(bytes, "FALSE") || equal(bytes, "False") { return false }
            return nil
        default:
            return nil
        }
    }

    // MARK: - Byte-level helpers

    /// The byte range left after Go's `TrimSpace`.
    static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        while start < bytes.count {
            let width = leadingSpaceWidth(bytes, at: start)
            if width == 0 { break }
            start += width
        }
        var end = bytes.count
        while end > start {
            let width = trailingSpaceWidth(bytes, end: end, floor: start)
            if width == 0 { break }
            end -= width
        }
        return start..<end
    }

    /// True when the bytes are empty after `TrimSpace`.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let width = leadingSpaceWidth(bytes, at: index)
            if width == 0 { return false }
            index += width
        }
        return true
    }

    /// The UTF-8 length of the white-space scalar starting at `index`, or 0.
    @inline(__always)
    static func leadingSpaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let first = bytes[index]
        if first < 0x80 { return first == 0x20 || (first >= 0x09 && first <= 0x0D) ? 1 : 0 }
        let remaining = bytes.count - index
        if first == 0xC2 {
            guard remaining >= 2 else { return 0 }
            return bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0 ? 2 : 0
        }
        guard remaining >= 3, first >= 0xE1, first <= 0xE3 else { return 0 }
        return isThreeByteSpace(first, bytes[index + 1], bytes[index + 2]) ? 3 : 0
    }

    /// The UTF-8 length of the white-space scalar ending just before `end` (not below `floor`), or 0.
    @inline(__always)
    static func trailingSpaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, end: Int, floor: Int) -> Int {
        let last = bytes[end - 1]
        if last < 0x80 { return last == 0x20 || (last >= 0x09 && last <= 0x0D) ? 1 : 0 }
        // Lead bytes are never continuation bytes, so a whole-pattern match is exactly the last rune.
        if end - floor >= 2, bytes[end - 2] == 0xC2, last == 0x85 || last == 0xA0 { return 2 }
        if end - floor >= 3, isThreeByteSpace(bytes[end - 3], bytes[end - 2], last) { return 3 }
        return 0
    }

    @inline(__always)
    static func isThreeByteSpace(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        switch (b0, b1) {
        case (0xE1, 0x9A): b2 == 0x80                                        // U+1680
        case (0xE2, 0x80): (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF
        case (0xE2, 0x81): b2 == 0x9F                                        // U+205F
        case (0xE3, 0x80): b2 == 0x80                                        // U+3000
        default: false
        }
    }

    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var index = 0
        while index < a.count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        equal(a, UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Byte-wise equality of two strings (Go's `==`), unlike Swift's canonical-equivalence `==`.
    public static func bytesEqual(_ a: String, _ b: String) -> Bool {
        let a = a.utf8, b = b.utf8
        guard a.count == b.count else { return false }
        let fast = a.withContiguousStorageIfAvailable { pa in
            b.withContiguousStorageIfAvailable { pb in equal(pa, pb) }
        }
        if let fast, let result = fast { return result }
        return a.elementsEqual(b)
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                          _ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count >= prefix.count else { return false }
        return equal(UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<range.lowerBound + prefix.count]), prefix)
    }

    static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                          _ suffix: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count >= suffix.count else { return false }
        return equal(UnsafeBufferPointer(rebasing: bytes[range.upperBound - suffix.count..<range.upperBound]), suffix)
    }

    /// Go's `strings.Contains`: an empty needle is always contained.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var start = 0
        let lastStart = haystack.count - needle.count
        while start <= lastStart {
            if haystack[start] == first,
               equal(UnsafeBufferPointer(rebasing: haystack[start..<start + needle.count]), needle) {
                return true
            }
            start += 1
        }
        return false
    }

    /// Lexicographic byte order (Go's string comparison).
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = min(a.count, b.count)
        var index = 0
        while index < shared {
            if a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
            index += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
