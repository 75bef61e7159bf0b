/// The state of one server component, with OPA's plugin state names.
public enum ComponentState: String, Sendable, Hashable {
    case ok = "OK"
    case notReady = "NOT_READY"
    case error = "ERROR"
    case warn = "WARN"
}

/// A component's state and an optional human-readable reason.
public struct ComponentStatus: Sendable, Hashable {
    public var state: ComponentState
    public var message: String

    public init(_ state: ComponentState, _ message: String = "") {
        self.state = state
        self.message = message
    }

    public static let ok = ComponentStatus(.ok)
}
