import HoistCore

/// Flipt's SQL page token (spec §3.5): standard padded base64 of `{"key":"…","offset":N}`.
/// Only `offset` is read back.
package enum PageToken {
    package static func encode(key: String, offset: UInt64) -> String {
        var writer = JSONWriter()
        writer.htmlSafe = true  // Go's encoding/json
        writer.raw("{")
        var first = true
        if !key.isEmpty {
            writer.raw("\"key\":")
            writer.string(key)
            first = false
        }
        if offset != 0 {
            if !first { writer.raw(",") }
            writer.raw("\"offset\":")
            writer.int(offset)
        }
        writer.raw("}")
        return base64Encode(writer.bytes)
    }

    /// The offset in `token`, or 400 `pageToken is not valid: "<token>"`.
    package static func decodeOffset(_ token: String) throws(HoistError) -> UInt64 {
        let invalid = HoistError.invalid("pageToken is not valid: \(goQuote(token))")
        guard let bytes = base64Decode(token), let json = try? JSONParser.parse(bytes) else { throw invalid }
        switch json {
        case .null: return 0
        case .object(let members):
            var offset: UInt64 = 0
            // Go's decoder matches field names case-insensitively; the last occurrence wins.
            for (name, value) in members {
                switch name.lowercased() {
                case "key":
                    switch value {
                    case .null, .string: break
                    default: throw invalid
                    }
                case "offset":
                    switch value {
                    case .null: break
                    case .number(_, let text):
                        guard let parsed = UInt64(text) else { throw invalid }
                        offset = parsed
                    default: throw invalid
                    }
                default: break
                }
            }
            return offset
        default:
            throw invalid
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64Encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict standard base64 with padding; CR and LF are ignored, as Go's decoder does.
    static func base64Decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for c in text.utf8 {
            if c == 0x0A || c == 0x0D { continue }
            if c == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return nil }
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            default: return nil
            }
            values.append(v)
        }
        guard (values.count + padding) % 4 == 0 else { return nil }
        switch values.count % 4 {
        case 0: guard padding == 0 else { return nil }
        case 2: guard padding == 2 else { return nil }
        case 3: guard padding == 1 else { return nil }
        default: return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i < values.count {
            let n = min(4, values.count - i)
            let v0 = values[i], v1 = values[i + 1]
            out.append(v0 << 2 | v1 >> 4)
            if n > 2 { out.append(v1 << 4 | values[i + 2] >> 2) }
            if n > 3 { out.append(values[i + 2] << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }
}

/// The slice of a list that a `PageRequest` asks for (shared by every store so tokens interoperate).
package struct PageWindow: Sendable {
    /// Absolute offset of the first item.
    package var offset: UInt64
    /// 0 = everything.
    package var limit: Int64

    package init(_ page: PageRequest) throws(HoistError) {
        if !page.pageToken.isEmpty {
            offset = try PageToken.decodeOffset(page.pageToken)
        } else {
            offset = page.offset > 0 ? UInt64(page.offset) : 0
        }
        limit = page.limit > 0 ? Int64(page.limit) : 0
    }

    /// `LIMIT ? OFFSET ?` values: one extra row to detect a next page; -1 means no limit in SQLite.
    package var sqlLimit: Int64 { limit > 0 ? limit + 1 : -1 }
    package var sqlOffset: Int64 { offset > UInt64(Int64.max) ? Int64.max : Int64(offset) }

    /// Cuts the extra row and builds the envelope.
    package func page<Item: Sendable>(_ fetched: [Item], total: Int64, key: (Item) -> String) -> Page<Item> {
        var items = fetched
        var next = ""
        if limit > 0, items.count > Int(limit) {
            let nextItem = items[Int(limit)]
            items.removeSubrange(Int(limit)...)
            next = PageToken.encode(key: key(nextItem), offset: offset &+ UInt64(items.count))
        }
        return Page(items: items, nextPageToken: next, totalCount: Int32(clamping: total))
    }
}

/// Go's `%q` formatting (`strconv.Quote`), which Flipt uses in many messages.
package func goQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            let v = scalar.value
            if v < 0x20 || v == 0x7F {
                out += "\\x" + hex(v, width: 2)
            } else if (v >= 0x80 && v < 0xA0) || v == 0xAD || v == 0x2028 || v == 0x2029 || v == 0xFEFF {
                out += "\\u" + hex(v, width: 4)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

private func hex(_ v: UInt32, width: Int) -> String {
    let digits = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
