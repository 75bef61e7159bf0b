import HoistCore
import Hummingbird

/// The precomputed bodies of Flipt's `/meta` endpoints, built by the server from its configuration
/// (secrets left out there).
public struct MetaDocuments: Sendable {
    /// `GET /meta/info`: version, build, platform, storage, authentication and analytics flags.
    public var info: [UInt8]
    /// `GET /meta/config`: the effective configuration with Flipt's JSON names.
    public var config: [UInt8]

    public init(info: [UInt8], config: [UInt8]) {
        self.info = info
        self.config = config
    }
}

extension HoistAPI {
    /// `GET /meta/info` and `GET /meta/config` (Flipt `internal/info`, `internal/config`); 404 when
    /// the server was built without ``meta`` (API tests).
    func addMetaRoutes(to table: inout RouteTable) {
        table.add(.get, "/meta/info") { _ in
            guard let meta else { throw HoistError.notFound("meta information is not available") }
            return HoistAPI.json(bytes: meta.info)
        }
        table.add(.get, "/meta/config") { _ in
            guard let meta else { throw HoistError.notFound("meta information is not available") }
            return HoistAPI.json(bytes: meta.config)
        }
    }
}
