extension HoistConfiguration {
    /// The `server` section (Flipt `internal/config/server.go`).
    ///
    /// Ports accept 0–65535 (0 = any free port, useful in tests).
    public struct Server: HoistConfigurationSection, Equatable {
        public static let key = "server"

        /// `server.protocol` values.
        public enum ProtocolScheme: String, Sendable, Equatable {
            case http
            case https
        }

        /// `server.host` — `FLIPT_SERVER_HOST`, default `0.0.0.0`: address the HTTP server binds.
        public var host: String
        /// `server.http_port` — `FLIPT_SERVER_HTTP_PORT`, default `8080`.
        public var httpPort: Int
        /// `server.https_port` — `FLIPT_SERVER_HTTPS_PORT`, default `443`. Accepted, unused (no TLS yet).
        public var httpsPort: Int
        /// `server.grpc_port` — `FLIPT_SERVER_GRPC_PORT`, default `9000`. Accepted and ignored:
        /// Hoist serves no gRPC.
        public var grpcPort: Int
        /// `server.protocol` — `FLIPT_SERVER_PROTOCOL`, default `http`. Only `http` is supported:
        /// `https` fails at start ("TLS is not supported yet"); other values are errors.
        public var scheme: ProtocolScheme
        /// `server.cert_file` — `FLIPT_SERVER_CERT_FILE`, default empty. Accepted, unused.
        public var certFile: String
        /// `server.cert_key` — `FLIPT_SERVER_CERT_KEY`, default empty. Accepted, unused.
        public var certKey: String

        public init(host: String = "0.0.0.0", httpPort: Int = 8080) {
            self.host = host
            self.httpPort = httpPort
            self.httpsPort = 443
            self.grpcPort = 9000
            self.scheme = .http
            self.certFile = ""
            self.certKey = ""
        }

        public init(reader: FliptConfigReader) throws {
            let ports = 0...65535
            host = try reader.string("host", default: "0.0.0.0")
            httpPort = try reader.int("http_port", default: 8080, range: ports)
            httpsPort = try reader.int("https_port", default: 443, range: ports)
            grpcPort = try reader.int("grpc_port", default: 9000, range: ports)
            certFile = try reader.string("cert_file", default: "")
            certKey = try reader.string("cert_key", default: "")
            let name = try reader.string("protocol", default: "http")
            switch ProtocolScheme(rawValue: name.lowercased()) {
            case .http?:
                scheme = .http
            case .https?:
                throw ConfigurationError(
                    key: reader.path("protocol"),
                    "https is not supported yet: Hoist does not terminate TLS; "
                        + "use protocol http behind a TLS-terminating proxy")
            case nil:
                throw ConfigurationError(
                    key: reader.path("protocol"), "unsupported protocol \"\(name)\" (expected http)")
            }
        }
    }
}
