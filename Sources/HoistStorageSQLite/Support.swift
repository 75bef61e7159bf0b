import Foundation
import HoistCore
import HoistStorage
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "Now" rounded to microseconds, strictly increasing within the process so that creation order is
/// total (ties would make `ORDER BY created_at` ambiguous) and every write yields a new namespace version.
final class MonotonicClock: Sendable {
    private let last: Mutex<Int64>

    init(floor: Int64 = 0) { last = Mutex(floor) }

    /// Raises the floor (e.g. to the largest version already stored, in case the wall clock went back).
    func advance(past value: Int64) {
        last.withLock { if value > $0 { $0 = value } }
    }

    func now() -> Timestamp {
        let wall = Self.wallClockMicroseconds()
        return Timestamp(microseconds: last.withLock { last in
            last = max(wall, last + 1)
            return last
        })
    }

    static func wallClockMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + (Int64(ts.tv_nsec) + 500) / 1000
    }
}

enum Identifiers {
    /// A lowercase UUID v4.
    static func make() -> String { UUID().uuidString.lowercased() }
}


/// Constraint normalisation shared by create and update (spec §2.6, §4.3): lower-case operator, value
/// cleared for no-value operators, datetime values in canonical UTC form.
enum ConstraintNormalizer {
    static let noValueOperators: Set<String> = ["true", "false", "empty", "notempty", "present", "notpresent"]

    static func normalize(type: ComparisonType, operator op: String, value: String) -> (String, String) {
        let lowered = op.lowercased()
        if noValueOperators.contains(lowered) { return (lowered, "") }
        if type == .datetime, let normalized = normalizeDateTime(value) { return (lowered, normalized) }
        return (lowered, value)
    }

    /// RFC 3339 (`2021-01-01T10:00:00.5+02:00`) → `2021-01-01T08:00:00Z`; `YYYY-MM-DD` unchanged;
    /// anything else → nil (left as is).
    static func normalizeDateTime(_ value: String) -> String? {
        let b = Array(value.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var n = 0
            for i in start..<(start + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D,
              let day = digits(8, 2), (1...12).contains(month),
              (1...CivilTime.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        if b.count == 10 { return value }
        guard b.count >= 20, b[10] == 0x54 || b[10] == 0x74, let hour = digits(11, 2), b[13] == 0x3A,
              let minute = digits(14, 2), b[16] == 0x3A, let second = digits(17, 2),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        if b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = digits(i + 4, 2),
                  oh < 24, om < 60
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return CivilTime.format(secondsSinceEpoch: seconds) + "Z"
    }
}
