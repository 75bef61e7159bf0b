extension HoistConfiguration {
    /// The `storage` section (Flipt `internal/config/storage.go`). Only the database backend exists.
    public struct Storage: HoistConfigurationSection, Equatable {
        public static let key = "storage"

        /// `storage.type` values Flipt knows.
        public enum StorageType: String, Sendable, Equatable, CaseIterable {
            case database, local, git, object, oci
        }

        /// `storage.type` — `FLIPT_STORAGE_TYPE`, default `database`. `local`, `git`, `object` and
        /// `oci` are Flipt's declarative backends: start-up error "not supported yet"; any other
        /// value is an error too.
        public var type: StorageType
        /// `storage.read_only` — `FLIPT_STORAGE_READ_ONLY`, default `false`: reject writes through
        /// the API (the UI/API become read-only).
        public var readOnly: Bool

        public init(readOnly: Bool = false) {
            self.type = .database
            self.readOnly = readOnly
        }

        public init(reader: FliptConfigReader) throws {
            let name = try reader.string("type", default: "database")
            switch StorageType(rawValue: name.lowercased()) {
            case .database?:
                type = .database
            case let other?:
                throw ConfigurationError(
                    key: reader.path("type"),
                    "storage type \"\(other.rawValue)\" is not supported yet (only database is supported)")
            case nil:
                throw ConfigurationError(
                    key: reader.path("type"),
                    "unknown storage type \"\(name)\" (expected database, local, git, object or oci)")
            }
            readOnly = try reader.bool("read_only", default: false)
        }
    }
}
