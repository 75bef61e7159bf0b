extension HoistConfiguration {
    /// The `db` section (Flipt `internal/config/database.go`). Hoist stores data in SQLite only.
    public struct Database: HoistConfigurationSection, Equatable {
        public static let key = "db"

        /// `db.url` — `FLIPT_DB_URL`. SQLite forms: `file:/path/flipt.db`, `file:///path/flipt.db`,
        /// `file:relative.db`, `sqlite:…`/`sqlite3:…`, or a plain path; a `?query` is dropped.
        /// `postgres://`, `postgresql://`, `pg://`, `mysql://`, `cockroachdb://`, `libsql://`… are
        /// recognised and rejected ("not supported yet"). `nil` when unset.
        ///
        /// Default (unset or empty): `$XDG_DATA_HOME/hoist/hoist.db` when `XDG_DATA_HOME` is an
        /// absolute path, else `$HOME/.local/share/hoist/hoist.db` (XDG base-directory rules);
        /// with neither variable set, loading fails and asks for `db.url`.
        public var url: String?
        /// The SQLite database file Hoist opens (resolved from ``url`` or the default).
        public var sqlitePath: String
        /// `db.max_idle_conn` — `FLIPT_DB_MAX_IDLE_CONN`, default `2`. Accepted (≥ 0).
        public var maxIdleConn: Int
        /// `db.max_open_conn` — `FLIPT_DB_MAX_OPEN_CONN`, default `0` (unlimited). Accepted (≥ 0).
        public var maxOpenConn: Int
        /// `db.conn_max_lifetime` — `FLIPT_DB_CONN_MAX_LIFETIME`, default `0` (forever). Duration.
        public var connMaxLifetime: Duration
        /// `db.prepared_statements_enabled` — `FLIPT_DB_PREPARED_STATEMENTS_ENABLED`, default `true`.
        public var preparedStatementsEnabled: Bool

        /// Schemes that name a database server Hoist cannot use yet.
        static let serverSchemes: Set<String> = [
            "postgres", "postgresql", "pg", "mysql", "my", "cockroach", "cockroachdb", "crdb",
            "libsql", "http", "https",
        ]

        public init(sqlitePath: String) {
            self.url = nil
            self.sqlitePath = sqlitePath
            self.maxIdleConn = 2
            self.maxOpenConn = 0
            self.connMaxLifetime = .zero
            self.preparedStatementsEnabled = true
        }

        public init(reader: FliptConfigReader) throws {
            let url = try reader.string("url", default: "")
            self.url = url.isEmpty ? nil : url
            if url.isEmpty {
                let protocolName = try reader.string("protocol", default: "")
                guard protocolName.isEmpty else {
                    throw ConfigurationError(
                        key: reader.path("protocol"),
                        "connection fields (protocol, host, port, name, user, password) are not supported yet; "
                            + "set db.url to a SQLite file")
                }
                guard let path = Self.defaultSQLitePath(environment: reader.environment) else {
                    throw ConfigurationError(
                        key: reader.path("url"),
                        "no default database location: neither XDG_DATA_HOME nor HOME is set; set db.url")
                }
                sqlitePath = path
            } else {
                sqlitePath = try Self.sqlitePath(fromURL: url, key: reader.path("url"))
            }
            maxIdleConn = try reader.int("max_idle_conn", default: 2, range: 0...Int.max)
            maxOpenConn = try reader.int("max_open_conn", default: 0, range: 0...Int.max)
            connMaxLifetime = try reader.duration("conn_max_lifetime", default: .zero)
            preparedStatementsEnabled = try reader.bool("prepared_statements_enabled", default: true)
        }

        /// `$XDG_DATA_HOME/hoist/hoist.db`, else `$HOME/.local/share/hoist/hoist.db`, else `nil`.
        public static func defaultSQLitePath(environment: [String: String]) -> String? {
            if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
                return joinPath(dataHome, "hoist/hoist.db")
            }
            if let home = environment["HOME"], !home.isEmpty {
                return joinPath(home, ".local/share/hoist/hoist.db")
            }
            return nil
        }

        /// The SQLite file named by a Flipt `db.url`; throws for server databases and unknown schemes.
        public static func sqlitePath(fromURL url: String, key: String = "db.url") throws -> String {
            var rest = Substring(url)
            if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
                let scheme = rest[..<colon].lowercased()
                if serverSchemes.contains(scheme) {
                    throw ConfigurationError(
                        key: key, "database \"\(scheme)\" is not supported yet (Hoist supports SQLite only)")
                }
                guard ["file", "sqlite", "sqlite3"].contains(scheme) else {
                    throw ConfigurationError(key: key, "unsupported database URL scheme \"\(scheme)\"")
                }
                rest = rest[rest.index(after: colon)...]
                if rest.hasPrefix("//") {
                    // file:///abs/path or file://localhost/abs/path
                    rest = rest.dropFirst(2)
                    if let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
                }
            }
            if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
            let path = String(rest).removingPercentEncodingIfPossible()
            guard !path.isEmpty else { throw ConfigurationError(key: key, "no database file in \"\(url)\"") }
            return path
        }

        private static func joinPath(_ base: String, _ relative: String) -> String {
            base.hasSuffix("/") ? base + relative : base + "/" + relative
        }
    }
}

extension String {
    /// Decodes `%XX` escapes (URL paths); returns `self` when malformed.
    fileprivate func removingPercentEncodingIfPossible() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return self }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
