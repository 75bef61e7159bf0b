import GRDB
public import HoistCore
import HoistStorage

extension SQLiteFlagStore {
    static func rolloutNotFound(_ namespaceKey: String, _ id: String) -> HoistError {
        .notFound("rollout \"\(namespaceKey)/\(id)\" not found")
    }

    static let rolloutOrder = #"r."rank", r.created_at, r.rowid"#

    static func fetchRollout(_ db: Database, _ namespaceKey: String, _ id: String) throws -> Rollout {
        let selection = Selection(filter: "r.namespace_key = ? AND r.id = ?", arguments: [namespaceKey, id],
                                  order: rolloutOrder)
        guard let rollout = try fetchRollouts(db, selection).first else { throw rolloutNotFound(namespaceKey, id) }
        return rollout
    }

    public func getRollout(namespaceKey: String, id: String) async throws -> Rollout {
        try await read("getRollout", namespace: namespaceKey) { db in try Self.fetchRollout(db, namespaceKey, id) }
    }

    public func listRollouts(namespaceKey: String, flagKey: String, page: PageRequest) async throws -> Page<Rollout> {
        let window = try PageWindow(page)
        return try await read("listRollouts", namespace: namespaceKey) { db in
            let total = try Int64.fetchOne(
                db, sql: "SELECT COUNT(*) FROM rollouts WHERE namespace_key = ? AND flag_key = ?",
                arguments: [namespaceKey, flagKey]) ?? 0
            let rollouts = try Self.fetchRollouts(
                db, Selection(filter: "r.namespace_key = ? AND r.flag_key = ?", arguments: [namespaceKey, flagKey],
                              order: Self.rolloutOrder, window: window))
            return window.page(rollouts, total: total) { $0.id }
        }
    }

    static func insertRolloutSegmentReferences(_ db: Database, rolloutSegmentId: String, namespaceKey: String,
                                               keys: [String]) throws
    {
        for (position, key) in keys.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO rollout_segment_references (rollout_segment_id, namespace_key, segment_key, position)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [rolloutSegmentId, namespaceKey, key, position])
        }
    }

    static func rolloutParentMissing(_ request: RolloutRequest) -> HoistError {
        let ns = request.namespaceKey, flagKey = request.flagKey
        if case .segment(let segmentKey, _, _, _) = request.member {
            return .notFound("flag \"\(ns)/\(flagKey) or segment \(segmentKey)\" not found")
        }
        return .notFound("flag \"\(ns)/\(flagKey)\" not found")
    }

    public func createRollout(_ request: RolloutRequest) async throws -> Rollout {
        let missing = Self.rolloutParentMissing(request)
        return try await write("createRollout", namespace: request.namespaceKey,
            audit: .created("rollout", AuditPayloads.rollout), constraint: { _ in missing }) { db, now in
            try Self.insertRollout(db, request, now: now)
        }
    }

    /// The body of ``createRollout(_:)``, shared with the batch import.
    static func insertRollout(_ db: Database, _ request: RolloutRequest, now: Timestamp) throws -> Rollout {
        let ns = request.namespaceKey, flagKey = request.flagKey
        let missing = Self.rolloutParentMissing(request)
        let taken = try Bool.fetchOne(
            db, sql: #"SELECT 1 FROM rollouts WHERE namespace_key = ? AND flag_key = ? AND "rank" = ?"#,
            arguments: [ns, flagKey, request.rank]) != nil
        if taken { throw HoistError.invalid("rank number: \(request.rank) already exists") }
        guard let member = request.member else { throw HoistError.invalid("rollout rule is missing") }
        guard try Self.flagExists(db, ns, flagKey) else { throw missing }
        let id = Identifiers.make()
        let rule: Rollout.Rule
        switch member {
        case .segment(let segmentKey, let segmentKeys, let requestedOperator, let value):
            let keys = segmentKey.isEmpty ? Self.dedupe(segmentKeys) : [segmentKey]
            for key in keys {
                guard try Self.segmentExists(db, ns, key) else { throw missing }
            }
            let op: SegmentOperator = keys.count == 1 ? .or : requestedOperator
            try Self.insertRolloutRow(db, id: id, ns: ns, flagKey: flagKey, type: .segment, request: request, now: now)
            let segmentId = Identifiers.make()
            try db.execute(
                sql: #"INSERT INTO rollout_segments (id, rollout_id, "value", segment_operator) VALUES (?, ?, ?, ?)"#,
                arguments: [segmentId, id, value, op.rawValue])
            try Self.insertRolloutSegmentReferences(db, rolloutSegmentId: segmentId, namespaceKey: ns, keys: keys)
            rule = .segment(RolloutSegment(segmentKeys: keys, segmentOperator: op, value: value))
        case .threshold(let percentage, let value):
            try Self.insertRolloutRow(db, id: id, ns: ns, flagKey: flagKey, type: .threshold, request: request, now: now)
            try db.execute(
                sql: #"INSERT INTO rollout_thresholds (id, rollout_id, percentage, "value") VALUES (?, ?, ?, ?)"#,
                arguments: [Identifiers.make(), id, Double(percentage), value])
            rule = .threshold(RolloutThreshold(percentage: percentage, value: value))
        }
        return Rollout(id: id, namespaceKey: ns, flagKey: flagKey, rank: request.rank,
                       description: request.description, rule: rule, createdAt: now, updatedAt: now)
    }

    private static func insertRolloutRow(_ db: Database, id: String, ns: String, flagKey: String, type: RolloutType,
                                      request: RolloutRequest, now: Timestamp) throws
    {
        try db.execute(
            sql: """
                INSERT INTO rollouts (id, namespace_key, flag_key, "type", "rank", description, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, ns, flagKey, type.rawValue, request.rank, request.description, now.microseconds,
                        now.microseconds])
    }

    public func updateRollout(_ request: RolloutRequest) async throws -> Rollout {
        let ns = request.namespaceKey
        let notFound = Self.rolloutNotFound(ns, request.id)
        return try await write("updateRollout", namespace: ns,
            audit: .updated("rollout", AuditPayloads.rollout)) { db, now in
            let current = try Self.fetchRollout(db, ns, request.id)
            guard current.flagKey == request.flagKey else { throw notFound }
            guard let member = request.member else {
                throw HoistError.invalidField("rule", "invalid rollout rule type")
            }
            let attempted: RolloutType = if case .segment = member { .segment } else { .threshold }
            guard attempted == current.type else {
                throw HoistError.invalid(
                    "cannot change type of rollout: have \"\(current.type.wireName)\" attempted \"\(attempted.wireName)\"")
            }
            try db.execute(
                sql: "UPDATE rollouts SET description = ?, updated_at = ? WHERE id = ? AND namespace_key = ? AND flag_key = ?",
                arguments: [request.description, now.microseconds, request.id, ns, request.flagKey])
            switch member {
            case .segment(let segmentKey, let segmentKeys, let requestedOperator, let value):
                let keys = segmentKey.isEmpty ? Self.dedupe(segmentKeys) : [segmentKey]
                for key in keys {
                    guard try Self.segmentExists(db, ns, key) else { throw Self.segmentNotFound(ns, key) }
                }
                let op: SegmentOperator = keys.count == 1 ? .or : requestedOperator
                try db.execute(
                    sql: #"UPDATE rollout_segments SET "value" = ?, segment_operator = ? WHERE rollout_id = ?"#,
                    arguments: [value, op.rawValue, request.id])
                guard let segmentId = try String.fetchOne(
                    db, sql: "SELECT id FROM rollout_segments WHERE rollout_id = ?", arguments: [request.id])
                else { throw HoistError.internal("rollout \(request.id) has no segment data") }
                try db.execute(
                    sql: "DELETE FROM rollout_segment_references WHERE rollout_segment_id = ?", arguments: [segmentId])
                try Self.insertRolloutSegmentReferences(db, rolloutSegmentId: segmentId, namespaceKey: ns, keys: keys)
            case .threshold(let percentage, let value):
                try db.execute(
                    sql: #"UPDATE rollout_thresholds SET percentage = ?, "value" = ? WHERE rollout_id = ?"#,
                    arguments: [Double(percentage), value, request.id])
            }
            return try Self.fetchRollout(db, ns, request.id)
        }
    }

    public func deleteRollout(namespaceKey: String, flagKey: String, id: String) async throws {
        try await write("deleteRollout", namespace: namespaceKey,
            audit: .deleted("rollout", capture: { db in (try? Self.fetchRollout(db, namespaceKey, id)).map(AuditPayloads.rollout) }, fallback: AuditPayloads.request([("id", id), ("flag_key", flagKey), ("namespace_key", namespaceKey)]))) { db, now in
            try Self.deleteRanked(db, table: "rollouts", namespaceKey: namespaceKey, flagKey: flagKey, id: id, now: now)
        }
    }

    public func orderRollouts(_ request: OrderRequest) async throws {
        try await write("orderRollouts", namespace: request.namespaceKey,
            audit: AuditEntry(type: "rollout", action: "updated", capture: nil, payload: { _, _, _ in AuditPayloads.orderRollouts(request) })) { db, now in
            try Self.rank(db, table: "rollouts", namespaceKey: request.namespaceKey, flagKey: request.flagKey,
                          ids: request.ids, now: now)
        }
    }
}
