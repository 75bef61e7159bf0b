import GRDB
public import HoistCore
import HoistStorage

extension SQLiteFlagStore {
    static func ruleNotFound(_ namespaceKey: String, _ id: String) -> HoistError {
        .notFound("rule \(goQuote("\(namespaceKey)/\(id)")) not found")
    }

    static func fetchRule(_ db: Database, _ namespaceKey: String, _ id: String) throws -> Rule {
        let selection = Selection(filter: "namespace_key = ? AND id = ?", arguments: [namespaceKey, id],
                                  order: #""rank", created_at, rowid"#)
        guard let rule = try fetchRules(db, selection).first else { throw ruleNotFound(namespaceKey, id) }
        return rule
    }

    public func getRule(namespaceKey: String, id: String) async throws -> Rule {
        try await read("getRule", namespace: namespaceKey) { db in try Self.fetchRule(db, namespaceKey, id) }
    }

    public func listRules(namespaceKey: String, flagKey: String, page: PageRequest) async throws -> Page<Rule> {
        let window = try PageWindow(page)
        return try await read("listRules", namespace: namespaceKey) { db in
            let total = try Int64.fetchOne(
                db, sql: "SELECT COUNT(*) FROM rules WHERE namespace_key = ? AND flag_key = ?",
                arguments: [namespaceKey, flagKey]) ?? 0
            let rules = try Self.fetchRules(
                db, Selection(filter: "namespace_key = ? AND flag_key = ?", arguments: [namespaceKey, flagKey],
                              order: #""rank", created_at, rowid"#, window: window))
            return window.page(rules, total: total) { $0.id }
        }
    }

    static func insertRuleSegments(_ db: Database, ruleId: String, namespaceKey: String, keys: [String]) throws {
        for (position, key) in keys.enumerated() {
            try db.execute(
                sql: "INSERT INTO rule_segments (rule_id, namespace_key, segment_key, position) VALUES (?, ?, ?, ?)",
                arguments: [ruleId, namespaceKey, key, position])
        }
    }

    public func createRule(_ request: RuleRequest) async throws -> Rule {
        let ns = request.namespaceKey
        let missing = HoistError.notFound(
            "flag \"\(ns)/\(request.flagKey)\" or segment \"\(ns)/\(request.segmentKey)\" not found")
        return try await write("createRule", namespace: ns,
            audit: .created("rule", AuditPayloads.rule), constraint: { _ in missing }) { db, now in
            try Self.insertRule(db, request, now: now)
        }
    }

    /// The body of ``createRule(_:)``, shared with the batch import.
    static func insertRule(_ db: Database, _ request: RuleRequest, now: Timestamp) throws -> Rule {
        let ns = request.namespaceKey
        let missing = HoistError.notFound(
            "flag \"\(ns)/\(request.flagKey)\" or segment \"\(ns)/\(request.segmentKey)\" not found")
        let keys = request.resolvedSegmentKeys
        guard try Self.flagExists(db, ns, request.flagKey) else { throw missing }
        for key in keys {
            guard try Self.segmentExists(db, ns, key) else { throw missing }
        }
        let op: SegmentOperator = keys.count == 1 ? .or : request.segmentOperator
        let id = Identifiers.make()
        try db.execute(
            sql: """
                INSERT INTO rules (id, namespace_key, flag_key, "rank", segment_operator, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, ns, request.flagKey, request.rank, op.rawValue, now.microseconds, now.microseconds])
        try Self.insertRuleSegments(db, ruleId: id, namespaceKey: ns, keys: keys)
        return Rule(id: id, namespaceKey: ns, flagKey: request.flagKey, segmentKeys: keys, segmentOperator: op,
                    rank: request.rank, createdAt: now, updatedAt: now)
    }

    public func updateRule(_ request: RuleRequest) async throws -> Rule {
        let ns = request.namespaceKey
        // Flipt (SQLite) reports a missing rule and a missing segment alike.
        let missing = Self.ruleNotFound(ns, request.id)
        return try await write("updateRule", namespace: ns,
            audit: .updated("rule", AuditPayloads.rule), constraint: { _ in missing }) { db, now in
            let keys = request.resolvedSegmentKeys
            let op: SegmentOperator = keys.count == 1 ? .or : request.segmentOperator
            try db.execute(
                sql: "UPDATE rules SET segment_operator = ?, updated_at = ? WHERE id = ? AND namespace_key = ? AND flag_key = ?",
                arguments: [op.rawValue, now.microseconds, request.id, ns, request.flagKey])
            guard db.changesCount == 1 else { throw missing }
            for key in keys {
                guard try Self.segmentExists(db, ns, key) else { throw missing }
            }
            try db.execute(sql: "DELETE FROM rule_segments WHERE rule_id = ?", arguments: [request.id])
            try Self.insertRuleSegments(db, ruleId: request.id, namespaceKey: ns, keys: keys)
            return try Self.fetchRule(db, ns, request.id)
        }
    }

    /// Ranks `ids` 1…n (ids of other flags are ignored), all with the same `updatedAt`.
    static func rank(_ db: Database, table: String, namespaceKey: String, flagKey: String, ids: [String], now: Timestamp)
        throws
    {
        let statement = try db.cachedStatement(
            sql: #"UPDATE \#(table) SET "rank" = ?, updated_at = ? WHERE id = ? AND namespace_key = ? AND flag_key = ?"#)
        for (index, id) in ids.enumerated() {
            try statement.execute(arguments: [index + 1, now.microseconds, id, namespaceKey, flagKey])
        }
    }

    /// Deletes one rule or rollout and renumbers the remaining ones of the flag in their current order.
    static func deleteRanked(_ db: Database, table: String, namespaceKey: String, flagKey: String, id: String,
                             now: Timestamp) throws
    {
        try db.execute(
            sql: "DELETE FROM \(table) WHERE id = ? AND namespace_key = ? AND flag_key = ?",
            arguments: [id, namespaceKey, flagKey])
        let remaining = try String.fetchAll(
            db, sql: #"SELECT id FROM \#(table) WHERE namespace_key = ? AND flag_key = ? ORDER BY "rank", created_at, rowid"#,
            arguments: [namespaceKey, flagKey])
        try rank(db, table: table, namespaceKey: namespaceKey, flagKey: flagKey, ids: remaining, now: now)
    }

    public func deleteRule(namespaceKey: String, flagKey: String, id: String) async throws {
        try await write("deleteRule", namespace: namespaceKey,
            audit: .deleted("rule", capture: { db in (try? Self.fetchRule(db, namespaceKey, id)).map(AuditPayloads.rule) }, fallback: AuditPayloads.request([("id", id), ("flag_key", flagKey), ("namespace_key", namespaceKey)]))) { db, now in
            try Self.deleteRanked(db, table: "rules", namespaceKey: namespaceKey, flagKey: flagKey, id: id, now: now)
        }
    }

    public func orderRules(_ request: OrderRequest) async throws {
        try await write("orderRules", namespace: request.namespaceKey,
            audit: AuditEntry(type: "rule", action: "updated", capture: nil, payload: { _, _, _ in AuditPayloads.orderRules(request) })) { db, now in
            try Self.rank(db, table: "rules", namespaceKey: request.namespaceKey, flagKey: request.flagKey,
                          ids: request.ids, now: now)
        }
    }

    // MARK: - Distributions

    /// Flipt's check: in the namespace, the rule, the variant and the flag each exist (not that they belong together).
    static func checkDistributionParents(_ db: Database, _ request: DistributionRequest) throws {
        let ns = request.namespaceKey
        let found = try Bool.fetchOne(
            db,
            sql: """
                SELECT 1 WHERE EXISTS (SELECT 1 FROM rules WHERE id = ? AND namespace_key = ?)
                AND EXISTS (SELECT 1 FROM variants WHERE id = ? AND namespace_key = ?)
                AND EXISTS (SELECT 1 FROM flags WHERE "key" = ? AND namespace_key = ?)
                """,
            arguments: [request.ruleId, ns, request.variantId, ns, request.flagKey, ns]) != nil
        if !found { throw distributionParentsMissing(request) }
    }

    static func distributionParentsMissing(_ r: DistributionRequest) -> HoistError {
        .notFound("variant \(goQuote(r.variantId)), rule \(goQuote(r.ruleId)), flag \(goQuote(r.flagKey)) in namespace \(goQuote(r.namespaceKey)) not found")
    }

    public func createDistribution(_ request: DistributionRequest) async throws -> Distribution {
        let missing = Self.distributionParentsMissing(request)
        return try await write("createDistribution", namespace: request.namespaceKey,
            audit: .created("distribution", AuditPayloads.distribution), constraint: { _ in missing }) {
            db, now in
            try Self.insertDistribution(db, request, now: now)
        }
    }

    /// The body of ``createDistribution(_:)``, shared with the batch import.
    static func insertDistribution(_ db: Database, _ request: DistributionRequest, now: Timestamp) throws -> Distribution {
        try Self.checkDistributionParents(db, request)
        let id = Identifiers.make()
        try db.execute(
            sql: """
                INSERT INTO distributions (id, rule_id, variant_id, rollout, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, request.ruleId, request.variantId, Double(request.rollout), now.microseconds,
                        now.microseconds])
        return Distribution(id: id, ruleId: request.ruleId, variantId: request.variantId, rollout: request.rollout,
                            createdAt: now, updatedAt: now)
    }

    public func updateDistribution(_ request: DistributionRequest) async throws -> Distribution {
        let missing = Self.distributionParentsMissing(request)
        return try await write("updateDistribution", namespace: request.namespaceKey,
            audit: .updated("distribution", AuditPayloads.distribution), constraint: { _ in missing }) {
            db, now in
            try Self.checkDistributionParents(db, request)
            try db.execute(
                sql: "UPDATE distributions SET rollout = ?, variant_id = ?, updated_at = ? WHERE id = ? AND rule_id = ?",
                arguments: [Double(request.rollout), request.variantId, now.microseconds, request.id, request.ruleId])
            guard db.changesCount == 1,
                  let row = try Row.fetchOne(
                    db, sql: "SELECT \(Columns.distribution) FROM distributions WHERE id = ? AND rule_id = ?",
                    arguments: [request.id, request.ruleId])
            else { throw HoistError.notFound("distribution \(goQuote(request.id)) not found") }
            return Self.distribution(row)
        }
    }

    public func deleteDistribution(namespaceKey: String, flagKey: String, ruleId: String, id: String, variantId: String)
        async throws
    {
        try await write("deleteDistribution", namespace: namespaceKey,
            audit: .deleted("distribution", AuditPayloads.request([("id", id), ("flag_key", flagKey), ("rule_id", ruleId), ("variant_id", variantId), ("namespace_key", namespaceKey)]))) { db, _ in
            try db.execute(
                sql: "DELETE FROM distributions WHERE id = ? AND rule_id = ? AND variant_id = ?",
                arguments: [id, ruleId, variantId])
        }
    }
}
