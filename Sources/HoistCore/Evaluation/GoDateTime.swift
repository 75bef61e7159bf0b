/// An instant with nanosecond precision, independent of time zone.
public struct DateTimeInstant: Sendable, Hashable, Comparable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// 0…999_999_999.
    public var nanoseconds: Int32

    /// Creates an instant; `nanoseconds` must be in 0…999_999_999.
    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Earlier instants sort first.
    public static func < (lhs: DateTimeInstant, rhs: DateTimeInstant) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
    }
}

/// Go's `time.Parse` for the two layouts Flipt accepts in DATETIME constraints.
public enum GoDateTime {
    /// Flipt's `tryParseDateTime`: `time.Parse(time.RFC3339, …)` first, then the date-only layout
    /// `2006-01-02` (midnight UTC).
    public static func parse(_ text: String) -> DateTimeInstant? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> DateTimeInstant? {
        parseRFC3339(bytes: bytes)?.instant ?? parseDateOnly(bytes: bytes)
    }

    /// Go's lenient `time.Parse(time.RFC3339, …)`: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any
    /// length introduced by `.` or `,`, then `Z` or `±HH:MM`. A one-digit hour is accepted; `T` and `Z`
    /// must be upper case.
    public static func parseRFC3339(_ text: String) -> DateTimeInstant? {
        var text = text
        return text.withUTF8 { parseRFC3339(bytes: $0)?.instant }
    }

    /// Go's `time.Parse("2006-01-02", …)`, meaning midnight UTC.
    public static func parseDateOnly(_ text: String) -> DateTimeInstant? {
        var text = text
        return text.withUTF8 { parseDateOnly(bytes: $0) }
    }

    /// The value Flipt stores for a DATETIME constraint: RFC 3339 input becomes UTC
    /// `YYYY-MM-DDTHH:MM:SSZ` (any fraction dropped), a date-only value stays `YYYY-MM-DD`, and
    /// anything unparsable gives `nil`.
    public static func normalizedConstraintValue(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            if let parsed = parseRFC3339(bytes: bytes) {
                return formatSeconds(parsed.instant.seconds) + "Z"
            }
            if let instant = parseDateOnly(bytes: bytes) {
                return String(formatSeconds(instant.seconds).prefix(while: { $0 != "T" }))
            }
            return nil
        }
    }

    // MARK: - Parsing

    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index >= bytes.count }

        func digit(at offset: Int) -> Int? {
            let position = index + offset
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }

        /// Exactly `count` digits.
        mutating func fixedDigits(_ count: Int) -> Int? {
            var value = 0
            for offset in 0..<count {
                guard let digit = digit(at: offset) else { return nil }
                value = value * 10 + digit
            }
            index += count
            return value
        }

        /// One or two digits (Go's `getnum(s, false)`).
        mutating func oneOrTwoDigits() -> Int? {
            guard let first = digit(at: 0) else { return nil }
            if let second = digit(at: 1) {
                index += 2
                return first * 10 + second
            }
            index += 1
            return first
        }

        mutating func literal(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
    }

    /// Parses `YYYY-MM-DD` at the cursor with Go's range checks; returns days since the epoch.
    static func parseDate(_ cursor: inout Cursor) -> Int? {
        guard let year = cursor.fixedDigits(4), cursor.literal(UInt8(ascii: "-")),
              let month = cursor.fixedDigits(2), (1...12).contains(month), cursor.literal(UInt8(ascii: "-")),
              let day = cursor.fixedDigits(2), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month)
        else { return nil }
        return CivilTime.daysFromCivil(year: year, month: month, day: day)
    }

    static func parseDateOnly(bytes: UnsafeBufferPointer<UInt8>) -> DateTimeInstant? {
        var cursor = Cursor(bytes: bytes)
        guard let days = parseDate(&cursor), cursor.atEnd else { return nil }
        return DateTimeInstant(seconds: Int64(days) * 86_400)
    }

    static func parseRFC3339(bytes: UnsafeBufferPointer<UInt8>) -> (instant: DateTimeInstant, offsetSeconds: Int)? {
        var cursor = Cursor(bytes: bytes)
        guard let days = parseDate(&cursor), cursor.literal(UInt8(ascii: "T")),
              let hour = cursor.oneOrTwoDigits(), hour < 24, cursor.literal(UInt8(ascii: ":")),
              let minute = cursor.fixedDigits(2), minute < 60, cursor.literal(UInt8(ascii: ":")),
              let second = cursor.fixedDigits(2), second < 60
        else { return nil }
        var nanoseconds = 0
        if let separator = cursor.index < bytes.count ? bytes[cursor.index] : nil,
           separator == UInt8(ascii: ".") || separator == UInt8(ascii: ","), cursor.digit(at: 1) != nil {
            cursor.index += 1
            var digits = 0
            while let digit = cursor.digit(at: 0) {
                if digits < 9 { nanoseconds = nanoseconds * 10 + digit }
                digits += 1
                cursor.index += 1
            }
            for _ in min(digits, 9)..<9 { nanoseconds *= 10 }
        }
        guard let offset = parseZone(&cursor), cursor.atEnd else { return nil }
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (DateTimeInstant(seconds: local - Int64(offset), nanoseconds: Int32(nanoseconds)), offset)
    }

    /// `Z`, or `±HH:MM` where Go's lenient parser allows hours up to 24 and minutes up to 60.
    static func parseZone(_ cursor: inout Cursor) -> Int? {
        if cursor.literal(UInt8(ascii: "Z")) { return 0 }
        guard cursor.bytes.count - cursor.index >= 6, cursor.bytes[cursor.index + 3] == UInt8(ascii: ":") else {
            return nil
        }
        let sign = cursor.bytes[cursor.index]
        cursor.index += 1
        guard let hours = cursor.fixedDigits(2) else { return nil }
        cursor.index += 1
        guard let minutes = cursor.fixedDigits(2), hours <= 24, minutes <= 60 else { return nil }
        let magnitude = (hours * 60 + minutes) * 60
        switch sign {
        case UInt8(ascii: "+"): return magnitude
        case UInt8(ascii: "-"): return -magnitude
        default: return nil
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` as Go's `Format` prints it (negative years as `-0001`).
    static func formatSeconds(_ seconds: Int64) -> String {
        var days = seconds / 86_400
        var remainder = seconds % 86_400
        if remainder < 0 {
            remainder += 86_400
            days -= 1
        }
        let date = CivilTime.civilFromDays(Int(days))
        let year = date.year < 0 ? "-" + Timestamp.pad(-date.year, 4) : Timestamp.pad(date.year, 4)
        let time = Int(remainder)
        return year + "-" + Timestamp.pad(date.month, 2) + "-" + Timestamp.pad(date.day, 2) + "T"
            + Timestamp.pad(time / 3600, 2) + ":" + Timestamp.pad(time / 60 % 60, 2) + ":"
            + Timestamp.pad(time % 60, 2)
    }
}
