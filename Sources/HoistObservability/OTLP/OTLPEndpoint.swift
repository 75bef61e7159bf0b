/// Where and how to send OTLP data, from Flipt's endpoint string (`metrics.otlp.endpoint`,
/// `tracing.otlp.endpoint`; spec observability §1.1):
/// * `https://host[:port][/path]` → OTLP/HTTP with TLS;
/// * `http://host[:port][/path]` → OTLP/HTTP without TLS;
/// * `grpc://host:port` → OTLP/gRPC without TLS;
/// * anything else (`otel-collector:4317`) → the whole string is `host:port` for OTLP/gRPC without TLS.
public struct OTLPEndpoint: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        case http
        case grpc
    }

    public var transport: Transport
    public var tls: Bool
    /// `host[:port]`.
    public var address: String
    /// The URL path for OTLP/HTTP (empty when none was given); always empty for gRPC.
    public var path: String

    public init(transport: Transport, tls: Bool, address: String, path: String = "") {
        self.transport = transport
        self.tls = tls
        self.address = address
        self.path = path
    }

    /// Interprets an endpoint string with Flipt's scheme rules.
    public init(parsing endpoint: String) {
        guard let colon = endpoint.firstIndex(of: ":"), endpoint[colon...].hasPrefix("://") else {
            self.init(transport: .grpc, tls: false, address: endpoint)
            return
        }
        let scheme = endpoint[..<colon].lowercased()
        let rest = endpoint[endpoint.index(colon, offsetBy: 3)...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let address = String(rest[..<slash])
        let path = String(rest[slash...])
        switch scheme {
        case "https": self.init(transport: .http, tls: true, address: address, path: path)
        case "http": self.init(transport: .http, tls: false, address: address, path: path)
        case "grpc": self.init(transport: .grpc, tls: false, address: address)
        default: self.init(transport: .grpc, tls: false, address: endpoint)
        }
    }

    /// The endpoint as swift-otel's exporters want it: for OTLP/HTTP the full URL, with
    /// `defaultPath` (`/v1/traces`, `/v1/metrics`) when none or `/` was given; for OTLP/gRPC
    /// `http://host:port`.
    public func exportTarget(defaultPath: String) -> (endpoint: String, grpc: Bool) {
        switch transport {
        case .http:
            let path = path.isEmpty || path == "/" ? defaultPath : path
            return ("\(tls ? "https" : "http")://\(address)\(path)", false)
        case .grpc:
            return ("http://\(address)", true)
        }
    }
}
