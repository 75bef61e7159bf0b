extension HoistConfiguration {
    /// The `storage` section (Flipt `internal/config/storage.go`): the database, or a local
    /// directory of declarative files.
    public struct Storage: HoistConfigurationSection, Equatable {
        public static let key = "storage"

        /// `storage.type` values Flipt knows.
        public enum StorageType: String, Sendable, Equatable, CaseIterable {
            case database, local, git, object, oci
        }

        /// `storage.type` — `FLIPT_STORAGE_TYPE`, default `database`. `local` serves flags read-only
        /// from `storage.local.path`; `git`, `object` and `oci` are a start-up error "not supported
        /// yet"; any other value is an error too.
        public var type: StorageType
        /// `storage.read_only` — `FLIPT_STORAGE_READ_ONLY`, default `false`: reject writes through
        /// the API (the UI/API become read-only). Always true in effect for `local`.
        public var readOnly: Bool
        /// `storage.local.path` — `FLIPT_STORAGE_LOCAL_PATH`, default `.`: the directory searched
        /// recursively for `features.yml`/`*.features.yml` (and `.yaml`) files when `type` is `local`.
        public var localPath: String

        public init(readOnly: Bool = false) {
            self.type = .database
            self.readOnly = readOnly
            self.localPath = "."
        }

        /// Declarative storage on `path`.
        public static func local(path: String) -> Storage {
            var storage = Storage()
            storage.type = .local
            storage.localPath = path
            return storage
        }

        public init(reader: FliptConfigReader) throws {
            let name = try reader.string("type", default: "database")
            switch StorageType(rawValue: name.lowercased()) {
            case .database?:
                type = .database
            case .local?:
                type = .local
            case let other?:
                throw ConfigurationError(
                    key: reader.path("type"),
                    "storage type \"\(other.rawValue)\" is not supported yet (only database and local are supported)")
            case nil:
                throw ConfigurationError(
                    key: reader.path("type"),
                    "unknown storage type \"\(name)\" (expected database, local, git, object or oci)")
            }
            readOnly = try reader.bool("read_only", default: false)
            localPath = try reader.string("local.path", default: ".")
            if type == .local && localPath.isEmpty {
                throw ConfigurationError(key: reader.path("local.path"), "must not be empty for storage type local")
            }
        }
    }
}
