public import Hummingbird
public import NIOCore

/// Hoist's request context: Hummingbird's basic context plus the client's socket address (for the
/// audit actor's `ip` when no `X-Forwarded-For` is sent).
public struct HoistRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (nil in tests without a socket).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
