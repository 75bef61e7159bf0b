import HoistCore

/// A small block-style YAML emitter for ordered trees, shaped like yaml.v2's output.
/// Strings are written plain when that reads back as the same string (YAML 1.1 and 1.2), else
/// double-quoted with JSON escapes (valid YAML).
enum YAMLWriter {
    static func render(_ value: JSONValue) -> String {
        var lines: [String] = []
        emit(value, indent: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Appends the lines of a mapping or list body at `indent`.
    static func emit(_ value: JSONValue, indent: String, into lines: inout [String]) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                let head = indent + scalar(.string(key)) + ":"
                switch member {
                case .object(let inner) where !inner.isEmpty:
                    lines.append(head)
                    emit(member, indent: indent + "  ", into: &lines)
                case .array(let items) where !items.isEmpty:
                    lines.append(head)
                    emit(member, indent: indent, into: &lines)
                default:
                    lines.append(head + " " + scalar(member))
                }
            }
        case .array(let items):
            for item in items {
                if isNonEmptyCollection(item) {
                    var nested: [String] = []
                    emit(item, indent: "", into: &nested)
                    for (index, line) in nested.enumerated() {
                        lines.append(indent + (index == 0 ? "- " : "  ") + line)
                    }
                } else {
                    lines.append(indent + "- " + scalar(item))
                }
            }
        default:
            lines.append(indent + scalar(value))
        }
    }

    static func isNonEmptyCollection(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): !members.isEmpty
        case .array(let items): !items.isEmpty
        default: false
        }
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let number, let text): return text.isEmpty ? JSONWriter.formatDouble(number) : text
        case .string(let s): return isPlainSafe(s) ? s : quoted(s)
        case .object: return "{}"
        case .array: return "[]"
        }
    }

    static func quoted(_ s: String) -> String {
        var writer = JSONWriter()
        writer.string(s)
        return writer.string
    }

    /// YAML 1.1 words yaml.v2 would read as booleans or null.
    static let reservedWords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
    ]

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if reservedWords.contains(s) || ScalarResolution.kind(ofPlain: s) != .string { return false }
        if s.hasPrefix(".") || s.hasPrefix("+") || s.hasPrefix("-") {
            // `.5`, `-1_000`, `- x`, `---`: leave the guessing to nobody.
            if s.unicodeScalars.dropFirst().first.map({ $0 == " " || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }) ?? true {
                return false
            }
        }
        if first == " " || last == " " || last == ":" { return false }
        if "!&*?|>'\"%@`#,[]{}:".unicodeScalars.contains(first) { return false }
        if s.contains(": ") || s.contains(" #") { return false }
        if s.first?.isNumber == true { return false }  // dates, times, 1_000, 0x… : always quoted
        for scalar in s.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0)
                || scalar.value == 0xFEFF || scalar.value == 0x2028 || scalar.value == 0x2029 {
                return false
            }
        }
        return true
    }
}
