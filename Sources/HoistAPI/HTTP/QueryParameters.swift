import Foundation
public import HoistCore

/// A decoded URL query (`+` is a space, percent escapes decoded), with grpc-gateway's typed accessors.
public struct QueryParameters: Sendable {
    var pairs: [(String, String)] = []

    public init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            pairs.append((key, value))
        }
    }

    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    public func contains(_ key: String) -> Bool { pairs.contains { $0.0 == key } }

    /// The first value under the JSON name or the proto name.
    public func value(_ names: String...) -> String? {
        for name in names {
            if let pair = pairs.first(where: { $0.0 == name }) { return pair.1 }
        }
        return nil
    }

    /// Every value of a repeated parameter, in order.
    public func values(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// int32 parse; absent → 0; unparsable (including empty) → 400.
    public func int32(_ names: String...) throws(HoistError) -> Int32 {
        for name in names {
            guard let pair = pairs.first(where: { $0.0 == name }) else { continue }
            guard let v = Int32(pair.1) else {
                throw .invalid("invalid value for query parameter \(name): \"\(pair.1)\"")
            }
            return v
        }
        return 0
    }

    /// Go `ParseBool`; absent → false; unparsable → 400.
    public func bool(_ name: String) throws(HoistError) -> Bool {
        guard let pair = pairs.first(where: { $0.0 == name }) else { return false }
        switch pair.1 {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw .invalid("invalid value for query parameter \(name): \"\(pair.1)\"")
        }
    }

    /// limit / offset / pageToken as Flipt's list requests take them.
    public func page() throws(HoistError) -> PageRequest {
        PageRequest(
            limit: try int32("limit"), offset: try int32("offset"),
            pageToken: value("pageToken", "page_token") ?? "")
    }
}
