import GRDB
public import HoistCore
import HoistStorage

extension SQLiteFlagStore {
    static func flagNotFound(_ namespaceKey: String, _ key: String) -> HoistError {
        .notFound("flag \(goQuote("\(namespaceKey)/\(key)")) not found")
    }

    static func flagSelection(_ namespaceKey: String, key: String? = nil, window: PageWindow? = nil) -> Selection {
        if let key {
            return Selection(filter: #"namespace_key = ? AND "key" = ?"#, arguments: [namespaceKey, key],
                             order: "created_at, rowid", window: window)
        }
        return Selection(filter: "namespace_key = ?", arguments: [namespaceKey], order: "created_at, rowid",
                         window: window)
    }

    /// Metadata column value: non-empty objects are stored as compact JSON, anything else as NULL.
    static func metadataText(_ metadata: JSONValue?) -> String? {
        guard let metadata, case .object(let members) = metadata, !members.isEmpty else { return nil }
        return metadata.compactText
    }

    static func fetchFlag(_ db: Database, _ namespaceKey: String, _ key: String) throws -> Flag {
        guard let flag = try fetchFlags(db, flagSelection(namespaceKey, key: key), compact: true, listMetadata: false)
            .first
        else { throw flagNotFound(namespaceKey, key) }
        return flag
    }

    public func getFlag(namespaceKey: String, key: String) async throws -> Flag {
        try await read("getFlag", namespace: namespaceKey) { db in try Self.fetchFlag(db, namespaceKey, key) }
    }

    public func listFlags(namespaceKey: String, page: PageRequest) async throws -> Page<Flag> {
        let window = try PageWindow(page)
        return try await read("listFlags", namespace: namespaceKey) { db in
            let total = try Int64.fetchOne(
                db, sql: "SELECT COUNT(*) FROM flags WHERE namespace_key = ?", arguments: [namespaceKey]) ?? 0
            let flags = try Self.fetchFlags(
                db, Self.flagSelection(namespaceKey, window: window), compact: false, listMetadata: true)
            return window.page(flags, total: total) { $0.key }
        }
    }

    public func createFlag(_ request: CreateFlagRequest) async throws -> Flag {
        let ns = request.namespaceKey
        let duplicate = HoistError.invalid("flag \"\(ns)/\(request.key)\" is not unique")
        return try await write("createFlag", namespace: ns,
            audit: .created("flag", AuditPayloads.flag), constraint: { error in
            error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY ? Self.namespaceNotFound(ns) : duplicate
        }) { db, now in
            try Self.insertFlag(db, request, now: now)
        }
    }

    /// The body of ``createFlag(_:)``, shared with the batch import.
    static func insertFlag(_ db: Database, _ request: CreateFlagRequest, now: Timestamp) throws -> Flag {
        let ns = request.namespaceKey
        guard try Self.namespaceExists(db, ns) else { throw Self.namespaceNotFound(ns) }
        if try Self.flagExists(db, ns, request.key) { throw HoistError.invalid("flag \"\(ns)/\(request.key)\" is not unique") }
        try db.execute(
            sql: """
                INSERT INTO flags (namespace_key, "key", name, description, enabled, "type", metadata, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [ns, request.key, request.name, request.description, request.enabled, request.type.rawValue,
                        Self.metadataText(request.metadata), now.microseconds, now.microseconds])
        return Flag(namespaceKey: ns, key: request.key, name: request.name, description: request.description,
                    enabled: request.enabled, type: request.type, createdAt: now, updatedAt: now,
                    metadata: request.metadata)
    }

    public func updateFlag(_ request: UpdateFlagRequest) async throws -> Flag {
        let ns = request.namespaceKey, key = request.key
        let badDefault = HoistError.invalid(
            "variant \(goQuote(request.defaultVariantId)) not found for flag \"\(ns)/\(key)\"")
        return try await write("updateFlag", namespace: ns,
            audit: .updated("flag", AuditPayloads.flag), constraint: { _ in badDefault }) { db, now in
            let defaultId: String? = request.defaultVariantId.isEmpty ? nil : request.defaultVariantId
            if let defaultId {
                let found = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM variants WHERE id = ? AND namespace_key = ? AND flag_key = ?",
                    arguments: [defaultId, ns, key]) != nil
                if !found { throw badDefault }
            }
            var sql = "UPDATE flags SET name = ?, description = ?, enabled = ?, default_variant_id = ?, updated_at = ?"
            var arguments: StatementArguments = [request.name, request.description, request.enabled, defaultId,
                                                 now.microseconds]
            if request.metadata != nil {
                sql += ", metadata = ?"
                arguments += [Self.metadataText(request.metadata)]
            }
            sql += #" WHERE namespace_key = ? AND "key" = ?"#
            arguments += [ns, key]
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else { throw Self.flagNotFound(ns, key) }
            return try Self.fetchFlag(db, ns, key)
        }
    }

    public func deleteFlag(namespaceKey: String, key: String) async throws {
        try await write("deleteFlag", namespace: namespaceKey,
            audit: .deleted("flag", AuditPayloads.request([("key", key), ("namespace_key", namespaceKey)]))) { db, _ in
            try db.execute(sql: #"DELETE FROM flags WHERE namespace_key = ? AND "key" = ?"#, arguments: [namespaceKey, key])
        }
    }

    // MARK: - Variants

    static func variantNotUnique(_ key: String, _ ns: String, _ flagKey: String) -> HoistError {
        .invalid("variant \(goQuote(key)) is not unique for flag \"\(ns)/\(flagKey)\"")
    }

    static func variantKeyTaken(_ db: Database, _ ns: String, _ flagKey: String, _ key: String, except id: String?)
        throws -> Bool
    {
        try Bool.fetchOne(
            db,
            sql: #"SELECT 1 FROM variants WHERE namespace_key = ? AND flag_key = ? AND "key" = ? AND id <> ?"#,
            arguments: [ns, flagKey, key, id ?? ""]) != nil
    }

    public func createVariant(_ request: CreateVariantRequest) async throws -> Variant {
        let ns = request.namespaceKey, flagKey = request.flagKey
        let notUnique = Self.variantNotUnique(request.key, ns, flagKey)
        let missingFlag = HoistError.notFound("flag \"\(ns)/\(flagKey)\" not found")
        return try await write("createVariant", namespace: ns,
            audit: .created("variant", AuditPayloads.variant), constraint: { error in
            error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY ? missingFlag : notUnique
        }) { db, now in
            try Self.insertVariant(db, request, now: now)
        }
    }

    /// The body of ``createVariant(_:)``, shared with the batch import.
    static func insertVariant(_ db: Database, _ request: CreateVariantRequest, now: Timestamp) throws -> Variant {
        let ns = request.namespaceKey, flagKey = request.flagKey
        guard try Self.flagExists(db, ns, flagKey) else { throw HoistError.notFound("flag \"\(ns)/\(flagKey)\" not found") }
        if try Self.variantKeyTaken(db, ns, flagKey, request.key, except: nil) {
            throw Self.variantNotUnique(request.key, ns, flagKey)
        }
        let id = Identifiers.make()
        try db.execute(
            sql: """
                INSERT INTO variants (id, namespace_key, flag_key, "key", name, description, attachment, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, ns, flagKey, request.key, request.name, request.description,
                        request.attachment.isEmpty ? nil : request.attachment, now.microseconds, now.microseconds])
        return Variant(id: id, namespaceKey: ns, flagKey: flagKey, key: request.key, name: request.name,
                       description: request.description, attachment: JSONCompact.compact(request.attachment),
                       createdAt: now, updatedAt: now)
    }

    public func updateVariant(_ request: UpdateVariantRequest) async throws -> Variant {
        let ns = request.namespaceKey, flagKey = request.flagKey
        let notUnique = Self.variantNotUnique(request.key, ns, flagKey)
        return try await write("updateVariant", namespace: ns,
            audit: .updated("variant", AuditPayloads.variant), constraint: { _ in notUnique }) { db, now in
            let scope = "id = ? AND namespace_key = ? AND flag_key = ?"
            let scopeArguments: StatementArguments = [request.id, ns, flagKey]
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM variants WHERE \(scope)", arguments: scopeArguments) != nil
            else { throw HoistError.notFound("variant \(goQuote(request.key)) not found") }
            if try Self.variantKeyTaken(db, ns, flagKey, request.key, except: request.id) { throw notUnique }
            try db.execute(
                sql: #"UPDATE variants SET "key" = ?, name = ?, description = ?, attachment = ?, updated_at = ? WHERE "#
                    + scope,
                arguments: [request.key, request.name, request.description,
                            request.attachment.isEmpty ? nil : request.attachment, now.microseconds] + scopeArguments)
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Columns.variant) FROM variants WHERE \(scope)", arguments: scopeArguments)
            else { throw HoistError.notFound("variant \(goQuote(request.key)) not found") }
            return Self.variant(row, compact: true)
        }
    }

    public func deleteVariant(namespaceKey: String, flagKey: String, id: String) async throws {
        try await write("deleteVariant", namespace: namespaceKey,
            audit: .deleted("variant", AuditPayloads.request([("id", id), ("flag_key", flagKey), ("namespace_key", namespaceKey)]))) { db, _ in
            try db.execute(
                sql: "DELETE FROM variants WHERE id = ? AND namespace_key = ? AND flag_key = ?",
                arguments: [id, namespaceKey, flagKey])
        }
    }
}
