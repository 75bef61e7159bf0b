import GRDB
public import HoistCore
import HoistStorage

extension SQLiteFlagStore {
    static func segmentNotFound(_ namespaceKey: String, _ key: String) -> HoistError {
        .notFound("segment \(goQuote("\(namespaceKey)/\(key)")) not found")
    }

    static func segmentSelection(_ namespaceKey: String, key: String? = nil, window: PageWindow? = nil) -> Selection {
        if let key {
            return Selection(filter: #"namespace_key = ? AND "key" = ?"#, arguments: [namespaceKey, key],
                             order: "created_at, rowid", window: window)
        }
        return Selection(filter: "namespace_key = ?", arguments: [namespaceKey], order: "created_at, rowid",
                         window: window)
    }

    static func fetchSegment(_ db: Database, _ namespaceKey: String, _ key: String) throws -> Segment {
        guard let segment = try fetchSegments(db, segmentSelection(namespaceKey, key: key)).first else {
            throw segmentNotFound(namespaceKey, key)
        }
        return segment
    }

    public func getSegment(namespaceKey: String, key: String) async throws -> Segment {
        try await read("getSegment", namespace: namespaceKey) { db in try Self.fetchSegment(db, namespaceKey, key) }
    }

    public func listSegments(namespaceKey: String, page: PageRequest) async throws -> Page<Segment> {
        let window = try PageWindow(page)
        return try await read("listSegments", namespace: namespaceKey) { db in
            let total = try Int64.fetchOne(
                db, sql: "SELECT COUNT(*) FROM segments WHERE namespace_key = ?", arguments: [namespaceKey]) ?? 0
            let segments = try Self.fetchSegments(db, Self.segmentSelection(namespaceKey, window: window))
            return window.page(segments, total: total) { $0.key }
        }
    }

    public func createSegment(_ request: CreateSegmentRequest) async throws -> Segment {
        let ns = request.namespaceKey
        let duplicate = HoistError.invalid("segment \"\(ns)/\(request.key)\" is not unique")
        return try await write("createSegment", namespace: ns,
            audit: .created("segment", AuditPayloads.segment), constraint: { error in
            error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY ? Self.namespaceNotFound(ns) : duplicate
        }) { db, now in
            try Self.insertSegment(db, request, now: now)
        }
    }

    /// The body of ``createSegment(_:)``, shared with the batch import.
    static func insertSegment(_ db: Database, _ request: CreateSegmentRequest, now: Timestamp) throws -> Segment {
        let ns = request.namespaceKey
        guard try Self.namespaceExists(db, ns) else { throw Self.namespaceNotFound(ns) }
        if try Self.segmentExists(db, ns, request.key) {
            throw HoistError.invalid("segment \"\(ns)/\(request.key)\" is not unique")
        }
        try db.execute(
            sql: """
                INSERT INTO segments (namespace_key, "key", name, description, match_type, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [ns, request.key, request.name, request.description, request.matchType.rawValue,
                        now.microseconds, now.microseconds])
        return Segment(namespaceKey: ns, key: request.key, name: request.name, description: request.description,
                       matchType: request.matchType, createdAt: now, updatedAt: now)
    }

    public func updateSegment(_ request: UpdateSegmentRequest) async throws -> Segment {
        let ns = request.namespaceKey
        return try await write("updateSegment", namespace: ns,
            audit: .updated("segment", AuditPayloads.segment)) { db, now in
            try db.execute(
                sql: #"UPDATE segments SET name = ?, description = ?, match_type = ?, updated_at = ? WHERE namespace_key = ? AND "key" = ?"#,
                arguments: [request.name, request.description, request.matchType.rawValue, now.microseconds, ns,
                            request.key])
            guard db.changesCount == 1 else { throw Self.segmentNotFound(ns, request.key) }
            return try Self.fetchSegment(db, ns, request.key)
        }
    }

    public func deleteSegment(namespaceKey: String, key: String) async throws {
        let inUse = HoistError.invalid("segment \"\(namespaceKey)/\(key)\" is in use")
        try await write("deleteSegment", namespace: namespaceKey,
            audit: .deleted("segment", AuditPayloads.request([("key", key), ("namespace_key", namespaceKey)])), constraint: { _ in inUse }) { db, _ in
            let referenced = try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 WHERE EXISTS (SELECT 1 FROM rule_segments WHERE namespace_key = ? AND segment_key = ?)
                    OR EXISTS (SELECT 1 FROM rollout_segment_references WHERE namespace_key = ? AND segment_key = ?)
                    """,
                arguments: [namespaceKey, key, namespaceKey, key]) != nil
            if referenced { throw inUse }
            try db.execute(
                sql: #"DELETE FROM segments WHERE namespace_key = ? AND "key" = ?"#, arguments: [namespaceKey, key])
        }
    }

    // MARK: - Constraints

    public func createConstraint(_ request: ConstraintRequest) async throws -> Constraint {
        let ns = request.namespaceKey, segmentKey = request.segmentKey
        let missing = HoistError.notFound("segment \"\(ns)/\(segmentKey)\" not found")
        return try await write("createConstraint", namespace: ns,
            audit: .created("constraint", AuditPayloads.constraint), constraint: { _ in missing }) { db, now in
            try Self.insertConstraint(db, request, now: now)
        }
    }

    /// The body of ``createConstraint(_:)``, shared with the batch import.
    static func insertConstraint(_ db: Database, _ request: ConstraintRequest, now: Timestamp) throws -> Constraint {
        let ns = request.namespaceKey, segmentKey = request.segmentKey
        guard try Self.segmentExists(db, ns, segmentKey) else {
            throw HoistError.notFound("segment \"\(ns)/\(segmentKey)\" not found")
        }
        let (op, value) = ConstraintNormalizer.normalize(
            type: request.type, operator: request.operator, value: request.value)
        let id = Identifiers.make()
        try db.execute(
            sql: """
                INSERT INTO constraints (id, namespace_key, segment_key, "type", property, operator, "value", description, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, ns, segmentKey, request.type.rawValue, request.property, op, value, request.description,
                        now.microseconds, now.microseconds])
        return Constraint(id: id, namespaceKey: ns, segmentKey: segmentKey, type: request.type,
                          property: request.property, operator: op, value: value,
                          description: request.description, createdAt: now, updatedAt: now)
    }

    public func updateConstraint(_ request: ConstraintRequest) async throws -> Constraint {
        let ns = request.namespaceKey
        return try await write("updateConstraint", namespace: ns,
            audit: .updated("constraint", AuditPayloads.constraint)) { db, now in
            let (op, value) = ConstraintNormalizer.normalize(
                type: request.type, operator: request.operator, value: request.value)
            let scope = "id = ? AND namespace_key = ? AND segment_key = ?"
            let scopeArguments: StatementArguments = [request.id, ns, request.segmentKey]
            try db.execute(
                sql: #"UPDATE constraints SET "type" = ?, property = ?, operator = ?, "value" = ?, description = ?, updated_at = ? WHERE "#
                    + scope,
                arguments: [request.type.rawValue, request.property, op, value, request.description, now.microseconds]
                    + scopeArguments)
            guard db.changesCount == 1,
                  let row = try Row.fetchOne(
                    db, sql: "SELECT \(Columns.constraint) FROM constraints WHERE \(scope)", arguments: scopeArguments)
            else { throw HoistError.notFound("constraint \(goQuote(request.id)) not found") }
            return Self.constraint(row)
        }
    }

    public func deleteConstraint(namespaceKey: String, segmentKey: String, id: String) async throws {
        try await write("deleteConstraint", namespace: namespaceKey,
            audit: .deleted("constraint", AuditPayloads.request([("id", id), ("segment_key", segmentKey), ("namespace_key", namespaceKey)]))) { db, _ in
            try db.execute(
                sql: "DELETE FROM constraints WHERE id = ? AND namespace_key = ? AND segment_key = ?",
                arguments: [id, namespaceKey, segmentKey])
        }
    }
}
