/// The `ETag` of an OFREP bulk evaluation (Hoist's addition; Flipt v1 has none): the namespace
/// snapshot's revision plus a digest of the namespace key and the request context. Evaluation is
/// a pure function of those (the entity id is the context's `targetingKey`, or `""`), so an equal
/// tag means an identical response and `If-None-Match` can answer 304.
public enum OFREPBulkETag {
    /// A quoted strong entity tag, `"<revision>-<context digest>"`; nil when the snapshot has no revision.
    public static func make(revision: String, namespaceKey: String, context: [String: String]) -> String? {
        guard !revision.isEmpty else { return nil }
        var hasher = FNV1a64()
        hasher.add(namespaceKey)
        // Byte-wise key order, so the digest does not depend on dictionary order.
        for key in context.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            hasher.add(key)
            hasher.add(context[key]!)
        }
        return "\"\(revision)-\(hex(hasher.value))\""
    }

    /// True when an `If-None-Match` header names `etag`: a comma-separated list of tags, weak
    /// (`W/`) tags compared weakly as RFC 9110 asks of `If-None-Match`. `*` does not match: the
    /// request is a POST, for which it has no useful meaning.
    public static func matches(ifNoneMatch header: String?, etag: String) -> Bool {
        guard let header else { return false }
        for candidate in header.split(separator: ",") {
            var tag = Substring(GoStrings.trimSpace(String(candidate)))
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// 64-bit FNV-1a over length-prefixed strings (so `("ab","c")` and `("a","bc")` differ).
/// Deterministic across processes and replicas, unlike Swift's seeded `Hasher`.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        var length = UInt64(text.utf8.count)
        for _ in 0..<8 {
            byte(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        for b in text.utf8 { byte(b) }
    }

    private mutating func byte(_ b: UInt8) {
        value ^= UInt64(b)
        value = value &* 0x0000_0100_0000_01b3
    }
}
