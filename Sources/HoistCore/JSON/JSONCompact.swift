/// Removes insignificant white space from valid JSON text, keeping every literal byte for byte
/// (Go's `json.Compact`, which Flipt uses on variant attachments).
public enum JSONCompact {
    public static func compact(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var inString = false
        var escaped = false
        for b in text.utf8 {
            if inString {
                out.append(b)
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "\""):
                inString = true
                out.append(b)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `text` is one syntactically valid JSON document.
    public static func isValid(_ text: String) -> Bool {
        (try? JSONParser.parse(text)) != nil
    }
}
