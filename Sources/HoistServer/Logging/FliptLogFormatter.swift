import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds Flipt-style (zap) log lines. A value type with no shared state: safe to use from any thread.
///
/// * `json`: `{"L":"INFO","T":"2024-05-01T12:00:00+02:00","M":"message","key":"value"}` — zap's key
///   order (level, time, message, then fields), key names from `log.keys`.
/// * `console`: `2024-05-01T12:00:00+02:00<TAB>INFO<TAB>message<TAB>{"key": "value"}` — the level
///   wrapped in ANSI colour when ``colorLevels`` (zap's `CapitalColorLevelEncoder`, Flipt's console
///   default); the JSON object (zap's spaced style) only when there are fields.
/// A `log.keys` entry set to `""` omits that element in both encodings, as zap does.
/// Times are RFC 3339 in local time with second precision (`Z` for UTC). Fields are sorted by key;
/// nested metadata renders as JSON objects/arrays; integer, floating-point and boolean values
/// passed as `.stringConvertible` render as JSON numbers/booleans.
public struct FliptLogFormatter: Sendable {
    public var encoding: HoistConfiguration.Log.Encoding
    public var keys: HoistConfiguration.Log.Keys
    public var colorLevels: Bool
    /// Render times in UTC instead of local time (tests).
    public var utc: Bool

    public init(
        encoding: HoistConfiguration.Log.Encoding,
        keys: HoistConfiguration.Log.Keys = .init(),
        colorLevels: Bool = false,
        utc: Bool = false
    ) {
        self.encoding = encoding
        self.keys = keys
        self.colorLevels = colorLevels
        self.utc = utc
    }

    /// One complete line, newline included.
    /// - Parameter time: seconds since the Unix epoch.
    public func format(level: Logger.Level, message: String, metadata: Logger.Metadata, time: Int) -> String {
        let levelName = FliptLogLevel.displayName(for: level)
        var line = ""
        line.reserveCapacity(96 + message.utf8.count)
        switch encoding {
        case .json:
            line.append("{")
            var first = true
            func key(_ name: String) {
                if !first { line.append(",") }
                first = false
                JSONText.appendString(name, to: &line)
                line.append(":")
            }
            if !keys.level.isEmpty {
                key(keys.level)
                JSONText.appendString(levelName, to: &line)
            }
            if !keys.time.isEmpty {
                key(keys.time)
                JSONText.appendString(Self.rfc3339(time, utc: utc), to: &line)
            }
            if !keys.message.isEmpty {
                key(keys.message)
                JSONText.appendString(message, to: &line)
            }
            for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
                key(name)
                JSONText.appendValue(value, to: &line, spaced: false)
            }
            line.append("}\n")
        case .console:
            var elements: [String] = []
            if !keys.time.isEmpty { elements.append(Self.rfc3339(time, utc: utc)) }
            if !keys.level.isEmpty {
                elements.append(
                    colorLevels
                        ? "\u{1B}[\(FliptLogLevel.colorCode(for: level))m\(levelName)\u{1B}[0m" : levelName)
            }
            if !keys.message.isEmpty { elements.append(message) }
            line.append(elements.joined(separator: "\t"))
            if !metadata.isEmpty {
                if !elements.isEmpty { line.append("\t") }
                JSONText.appendValue(.dictionary(metadata), to: &line, spaced: true)
            }
            line.append("\n")
        }
        return line
    }

    /// `2006-01-02T15:04:05Z07:00` (Go's `time.RFC3339`) for `seconds` since the epoch.
    public static func rfc3339(_ seconds: Int, utc: Bool) -> String {
        var t = time_t(seconds)
        var parts = tm()
        if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
        let offset = utc ? 0 : Int(parts.tm_gmtoff)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        var text = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))"
        text += "T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
        if offset == 0 {
            text += "Z"
        } else {
            let minutes = abs(offset) / 60
            text += (offset < 0 ? "-" : "+") + pad(Int32(minutes / 60)) + ":" + pad(Int32(minutes % 60))
        }
        return text
    }
}

/// JSON rendering of strings and swift-log metadata, with zap's escaping
/// (`"`, `\`, control characters; no HTML escaping).
enum JSONText {
    static func appendString(_ string: String, to out: inout String) {
        out.append("\"")
        var needsEscape = false
        for byte in string.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out.append(string)
            out.append("\"")
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    static func appendValue(_ value: Logger.MetadataValue, to out: inout String, spaced: Bool) {
        switch value {
        case .string(let string):
            appendString(string, to: &out)
        case .stringConvertible(let convertible):
            switch convertible {
            case let bool as Bool: out.append(bool ? "true" : "false")
            case let int as any BinaryInteger: out.append(String(describing: int))
            case let double as Double where double.isFinite: out.append(String(describing: double))
            case let float as Float where float.isFinite: out.append(String(describing: float))
            default: appendString(convertible.description, to: &out)
            }
        case .dictionary(let dictionary):
            out.append("{")
            for (index, (key, element)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(spaced ? ", " : ",") }
                appendString(key, to: &out)
                out.append(spaced ? ": " : ":")
                appendValue(element, to: &out, spaced: spaced)
            }
            out.append("}")
        case .array(let array):
            out.append("[")
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(spaced ? ", " : ",") }
                appendValue(element, to: &out, spaced: spaced)
            }
            out.append("]")
        }
    }
}
