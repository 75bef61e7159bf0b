/// The small error vocabulary of Hoist, mapped to gRPC codes and HTTP statuses in one place (the API layer).
public struct HoistError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Missing resource: gRPC NotFound (5), HTTP 404.
        case notFound
        /// Bad input, duplicates, "in use", protected namespace: gRPC InvalidArgument (3), HTTP 400.
        case invalid
        /// No or bad credentials: gRPC Unauthenticated (16), HTTP 401.
        case unauthenticated
        /// Policy denied: gRPC PermissionDenied (7), HTTP 403.
        case permissionDenied
        /// Not implemented / method not allowed: gRPC Unimplemented (12), HTTP 501.
        case unimplemented
        /// Temporarily unavailable: gRPC Unavailable (14), HTTP 503.
        case unavailable
        /// Anything else: gRPC Internal (13), HTTP 500.
        case `internal`
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public static func notFound(_ message: String) -> HoistError { .init(.notFound, message) }
    public static func invalid(_ message: String) -> HoistError { .init(.invalid, message) }
    public static func `internal`(_ message: String) -> HoistError { .init(.internal, message) }

    /// `invalid field <field>: must not be empty`
    public static func emptyField(_ field: String) -> HoistError {
        .init(.invalid, "invalid field \(field): must not be empty")
    }

    /// `invalid field <field>: <reason>`
    public static func invalidField(_ field: String, _ reason: String) -> HoistError {
        .init(.invalid, "invalid field \(field): \(reason)")
    }
}
