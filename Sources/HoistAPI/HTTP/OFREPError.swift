import HoistCore
import Hummingbird
import NIOCore

/// An error that renders its own response body instead of Flipt's `{"code","message","details"}`;
/// ``HoistResponder`` still counts it under ``kind`` in the request metrics.
protocol SelfRenderingError: Error {
    var kind: HoistError.Kind { get }
    func response() -> Response
}

/// An OFREP error (evaluation spec §7.4): `{"key"?, "errorCode", "errorDetails"}` with the status
/// Flipt's gateway gives the underlying gRPC code.
struct OFREPError: SelfRenderingError {
    /// The flag the error concerns; empty when unknown (then `key` is left out of the body).
    var key: String
    var kind: HoistError.Kind
    var details: String

    /// 404 `FLAG_NOT_FOUND`, with Flipt's `flag was not found <key>`.
    static func flagNotFound(_ key: String) -> OFREPError {
        OFREPError(key: key, kind: .notFound, details: "flag was not found \(key)")
    }

    /// 400 `INVALID_CONTEXT` without a key: the single-flag path had an empty key.
    static let flagKeyMissing = OFREPError(key: "", kind: .invalid, details: "flag key was not provided")

    /// Maps an error met while evaluating `key`: not found → 404, invalid → 400 with the key,
    /// anything else → its own status with `GENERAL` and no key (Flipt passes those through).
    init(_ error: HoistError, key: String) {
        switch error.kind {
        case .notFound: self = .flagNotFound(key)
        case .invalid: self.init(key: key, kind: .invalid, details: error.message)
        default: self.init(key: "", kind: error.kind, details: error.message)
        }
    }

    init(key: String, kind: HoistError.Kind, details: String) {
        self.key = key
        self.kind = kind
        self.details = details
    }

    var code: StaticString {
        switch kind {
        case .invalid: "INVALID_CONTEXT"
        case .notFound: "FLAG_NOT_FOUND"
        default: "GENERAL"
        }
    }

    func response() -> Response {
        var w = JSONWriter(capacity: 96 + key.utf8.count + details.utf8.count)
        w.ofrepError(key: key, code: code, details: details)
        return HoistAPI.json(bytes: w.bytes, status: APIError.status(kind))
    }
}
