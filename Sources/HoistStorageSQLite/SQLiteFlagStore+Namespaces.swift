import GRDB
import Logging
public import HoistCore
import HoistStorage

extension SQLiteFlagStore {
    static func namespaceNotFound(_ key: String) -> HoistError { .notFound("namespace \(goQuote(key)) not found") }

    static func fetchNamespace(_ db: Database, _ key: String) throws -> Namespace? {
        try Row.fetchOne(db, sql: #"SELECT \#(Columns.namespace) FROM namespaces WHERE "key" = ?"#, arguments: [key])
            .map(namespace)
    }

    public func getNamespace(key: String) async throws -> Namespace {
        try await read("getNamespace", namespace: key) { db in
            guard let namespace = try Self.fetchNamespace(db, key) else { throw Self.namespaceNotFound(key) }
            return namespace
        }
    }

    public func listNamespaces(page: PageRequest) async throws -> Page<Namespace> {
        let window = try PageWindow(page)
        return try await read("listNamespaces") { db in
            let total = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM namespaces") ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(Columns.namespace) FROM namespaces ORDER BY created_at, rowid LIMIT ? OFFSET ?",
                arguments: [window.sqlLimit, window.sqlOffset])
            return window.page(rows.map(Self.namespace), total: total) { $0.key }
        }
    }

    public func createNamespace(_ request: CreateNamespaceRequest) async throws -> Namespace {
        let key = request.key
        let duplicate = HoistError.invalid("namespace \"\(key)\" is not unique")
        return try await write("createNamespace", namespace: nil,
            audit: .created("namespace", AuditPayloads.namespace), constraint: { _ in duplicate }) { db, now in
            try Self.insertNamespace(db, request, now: now)
        }
    }

    /// The body of ``createNamespace(_:)``, shared with the batch import.
    static func insertNamespace(_ db: Database, _ request: CreateNamespaceRequest, now: Timestamp) throws -> Namespace {
        let key = request.key
        if try Self.namespaceExists(db, key) { throw HoistError.invalid("namespace \"\(key)\" is not unique") }
        try db.execute(
            sql: """
                INSERT INTO namespaces ("key", name, description, protected, created_at, updated_at, state_modified_at)
                VALUES (?, ?, ?, FALSE, ?, ?, ?)
                """,
            arguments: [key, request.name, request.description, now.microseconds, now.microseconds, now.microseconds])
        return Namespace(key: key, name: request.name, description: request.description, protected: false,
                         createdAt: now, updatedAt: now)
    }

    public func updateNamespace(_ request: UpdateNamespaceRequest) async throws -> Namespace {
        try await write("updateNamespace", namespace: request.key,
            audit: .updated("namespace", AuditPayloads.namespace)) { db, now in
            try db.execute(
                sql: #"UPDATE namespaces SET name = ?, description = ?, updated_at = ? WHERE "key" = ?"#,
                arguments: [request.name, request.description, now.microseconds, request.key])
            guard db.changesCount == 1, let namespace = try Self.fetchNamespace(db, request.key) else {
                throw Self.namespaceNotFound(request.key)
            }
            return namespace
        }
    }

    public func deleteNamespace(key: String, force: Bool) async throws {
        try await write("deleteNamespace", namespace: nil,
            audit: .deleted("namespace", AuditPayloads.request([("key", key)], flags: [("force", force)]))) { db, _ in
            guard let namespace = try Self.fetchNamespace(db, key) else { throw Self.namespaceNotFound(key) }
            if !force {
                if namespace.protected { throw HoistError.invalid("namespace \(goQuote(key)) is protected") }
                let flags = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM flags WHERE namespace_key = ?", arguments: [key]) ?? 0
                if flags > 0 {
                    throw HoistError.invalid("namespace \(goQuote(key)) cannot be deleted; flags must be deleted first")
                }
            }
            // Flags first: their rules and rollouts hold the (restricted) references to the segments.
            try db.execute(sql: "DELETE FROM flags WHERE namespace_key = ?", arguments: [key])
            try db.execute(sql: #"DELETE FROM namespaces WHERE "key" = ?"#, arguments: [key])
        }
        logger.info("namespace deleted", metadata: ["hoist.namespace": .string(key), "hoist.force": .stringConvertible(force)])
    }

    public func namespaceState(key: String) async throws -> NamespaceState {
        try await read("namespaceState", namespace: key) { db in
            guard let version = try Int64.fetchOne(
                db, sql: #"SELECT state_modified_at FROM namespaces WHERE "key" = ?"#, arguments: [key])
            else { throw Self.namespaceNotFound(key) }
            let flags = try Self.fetchFlags(
                db, .namespace(key, order: "created_at, rowid"), compact: true, listMetadata: false)
            let segments = try Self.fetchSegments(db, .namespace(key, order: "created_at, rowid"))
            let rules = try Self.fetchRules(db, .namespace(key, order: #"flag_key, "rank", created_at, rowid"#))
            let rollouts = try Self.fetchRollouts(
                db, .namespace(key, column: "r.namespace_key", order: #"r.flag_key, r."rank", r.created_at, r.rowid"#))
            return NamespaceState(
                namespaceKey: key, version: Self.version(version), flags: flags,
                rules: Dictionary(grouping: rules, by: \.flagKey),
                rollouts: Dictionary(grouping: rollouts, by: \.flagKey),
                segments: Dictionary(segments.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}
