import GRDB
import HoistCore
import HoistStorage

/// A parent-table selection: `WHERE filter ORDER BY order [LIMIT ? OFFSET ?]`. Child rows are loaded with
/// `IN (SELECT id …same selection…)`, so a page costs a fixed number of queries whatever its size.
struct Selection {
    var filter: String
    var arguments: StatementArguments
    var order: String
    var window: PageWindow?
    /// Set when the selection is a whole namespace: children are then read with plain namespace filters.
    var wholeNamespace: String?

    /// Every row of one namespace (`column` is the qualified namespace column of the parent table).
    static func namespace(_ key: String, column: String = "namespace_key", order: String) -> Selection {
        Selection(filter: "\(column) = ?", arguments: [key], order: order, window: nil, wholeNamespace: key)
    }

    var tail: String { window == nil ? "ORDER BY \(order)" : "ORDER BY \(order) LIMIT ? OFFSET ?" }
    var tailArguments: StatementArguments {
        guard let window else { return [] }
        return [window.sqlLimit, window.sqlOffset]
    }

    /// `SELECT <column> FROM <table> WHERE … ORDER BY … LIMIT …`, for `IN (…)` sub-queries.
    func subquery(_ column: String, from table: String) -> String {
        "SELECT \(column) FROM \(table) WHERE \(filter) \(tail)"
    }
    var allArguments: StatementArguments { arguments + tailArguments }
}

enum Columns {
    static let namespace = #""key", name, description, protected, created_at, updated_at"#
    static let flag = #"namespace_key, "key", name, description, enabled, "type", metadata, default_variant_id, created_at, updated_at"#
    static let variant = #"id, namespace_key, flag_key, "key", name, description, attachment, created_at, updated_at"#
    static let segment = #"namespace_key, "key", name, description, match_type, created_at, updated_at"#
    static let constraint = #"id, namespace_key, segment_key, "type", property, operator, "value", description, created_at, updated_at"#
    static let rule = #"id, namespace_key, flag_key, "rank", segment_operator, created_at, updated_at"#
    static let distribution = "id, rule_id, variant_id, rollout, created_at, updated_at"
}

extension SQLiteFlagStore {
    static func ts(_ row: Row, _ index: Int) -> Timestamp { Timestamp(microseconds: row[index]) }

    static func namespace(_ row: Row) -> Namespace {
        Namespace(key: row[0], name: row[1], description: row[2], protected: row[3],
                  createdAt: ts(row, 4), updatedAt: ts(row, 5))
    }

    static func variant(_ row: Row, compact: Bool) -> Variant {
        let stored: String? = row[6]
        let attachment = stored.map { compact ? JSONCompact.compact($0) : $0 } ?? ""
        return Variant(id: row[0], namespaceKey: row[1], flagKey: row[2], key: row[3], name: row[4],
                       description: row[5], attachment: attachment, createdAt: ts(row, 7), updatedAt: ts(row, 8))
    }

    static func constraint(_ row: Row) -> Constraint {
        Constraint(id: row[0], namespaceKey: row[1], segmentKey: row[2],
                   type: ComparisonType(rawValue: row[3]) ?? .unknown, property: row[4], operator: row[5],
                   value: row[6], description: row[7], createdAt: ts(row, 8), updatedAt: ts(row, 9))
    }

    static func distribution(_ row: Row) -> Distribution {
        let rollout: Double = row[3]
        return Distribution(id: row[0], ruleId: row[1], variantId: row[2], rollout: Float(rollout),
                            createdAt: ts(row, 4), updatedAt: ts(row, 5))
    }

    static func metadata(_ text: String?) -> JSONValue? {
        guard let text, let value = try? JSONParser.parse(text) else { return nil }
        return value
    }

    /// Flags of `selection` with their variants (and default variant).
    /// `compact`: attachments compacted (Get/Create/Update and the evaluation state) or as stored (List).
    /// `listMetadata`: a missing metadata becomes `{}` (Flipt's List quirk).
    static func fetchFlags(_ db: Database, _ selection: Selection, compact: Bool, listMetadata: Bool) throws -> [Flag] {
        var flags: [Flag] = []
        var defaults: [String?] = []
        var indexByKey: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(Columns.flag) FROM flags WHERE \(selection.filter) \(selection.tail)",
            arguments: selection.allArguments)
        while let row = try rows.next() {
            var meta = metadata(row[6])
            if meta == nil, listMetadata { meta = .object([]) }
            let flag = Flag(namespaceKey: row[0], key: row[1], name: row[2], description: row[3], enabled: row[4],
                            type: FlagType(rawValue: row[5]) ?? .variant, createdAt: ts(row, 8), updatedAt: ts(row, 9),
                            metadata: meta)
            indexByKey[flag.key] = flags.count
            flags.append(flag)
            defaults.append(row[7])
        }
        guard let namespaceKey = flags.first?.namespaceKey else { return [] }
        let variantRows = selection.wholeNamespace != nil
            ? try Row.fetchCursor(
                db, sql: "SELECT \(Columns.variant) FROM variants WHERE namespace_key = ? ORDER BY created_at, rowid",
                arguments: [namespaceKey])
            : try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Columns.variant) FROM variants
                    WHERE namespace_key = ? AND flag_key IN (\(selection.subquery(#""key""#, from: "flags")))
                    ORDER BY created_at, rowid
                    """,
                arguments: [namespaceKey] + selection.allArguments)
        while let row = try variantRows.next() {
            let variant = variant(row, compact: compact)
            guard let index = indexByKey[variant.flagKey] else { continue }
            flags[index].variants.append(variant)
            if let defaultId = defaults[index], defaultId == variant.id { flags[index].defaultVariant = variant }
        }
        return flags
    }

    /// Segments of `selection` with their constraints.
    static func fetchSegments(_ db: Database, _ selection: Selection) throws -> [Segment] {
        var segments: [Segment] = []
        var indexByKey: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(Columns.segment) FROM segments WHERE \(selection.filter) \(selection.tail)",
            arguments: selection.allArguments)
        while let row = try rows.next() {
            let segment = Segment(namespaceKey: row[0], key: row[1], name: row[2], description: row[3],
                                  matchType: MatchType(rawValue: row[4]) ?? .all, createdAt: ts(row, 5),
                                  updatedAt: ts(row, 6))
            indexByKey[segment.key] = segments.count
            segments.append(segment)
        }
        guard let namespaceKey = segments.first?.namespaceKey else { return [] }
        let constraintRows = selection.wholeNamespace != nil
            ? try Row.fetchCursor(
                db, sql: "SELECT \(Columns.constraint) FROM constraints WHERE namespace_key = ? ORDER BY created_at, rowid",
                arguments: [namespaceKey])
            : try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Columns.constraint) FROM constraints
                    WHERE namespace_key = ? AND segment_key IN (\(selection.subquery(#""key""#, from: "segments")))
                    ORDER BY created_at, rowid
                    """,
                arguments: [namespaceKey] + selection.allArguments)
        while let row = try constraintRows.next() {
            let constraint = constraint(row)
            guard let index = indexByKey[constraint.segmentKey] else { continue }
            segments[index].constraints.append(constraint)
        }
        return segments
    }

    /// Rules of `selection` with segment keys (in given order) and distributions (by creation).
    static func fetchRules(_ db: Database, _ selection: Selection) throws -> [Rule] {
        var rules: [Rule] = []
        var indexById: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(Columns.rule) FROM rules WHERE \(selection.filter) \(selection.tail)",
            arguments: selection.allArguments)
        while let row = try rows.next() {
            let rule = Rule(id: row[0], namespaceKey: row[1], flagKey: row[2], segmentKeys: [],
                            segmentOperator: SegmentOperator(rawValue: row[4]) ?? .or, rank: row[3],
                            createdAt: ts(row, 5), updatedAt: ts(row, 6))
            indexById[rule.id] = rules.count
            rules.append(rule)
        }
        guard !rules.isEmpty else { return [] }
        let ids = selection.subquery("id", from: "rules")
        let segmentRows = if let ns = selection.wholeNamespace {
            try Row.fetchCursor(
                db, sql: "SELECT rule_id, segment_key FROM rule_segments WHERE namespace_key = ? ORDER BY position, rowid",
                arguments: [ns])
        } else {
            try Row.fetchCursor(
                db,
                sql: "SELECT rule_id, segment_key FROM rule_segments WHERE rule_id IN (\(ids)) ORDER BY position, rowid",
                arguments: selection.allArguments)
        }
        while let row = try segmentRows.next() {
            guard let index = indexById[row[0]] else { continue }
            rules[index].segmentKeys.append(row[1])
        }
        let distributionRows = if let ns = selection.wholeNamespace {
            try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.id, d.rule_id, d.variant_id, d.rollout, d.created_at, d.updated_at
                    FROM distributions d JOIN rules r ON r.id = d.rule_id
                    WHERE r.namespace_key = ? ORDER BY d.created_at, d.rowid
                    """,
                arguments: [ns])
        } else {
            try Row.fetchCursor(
                db,
                sql: "SELECT \(Columns.distribution) FROM distributions WHERE rule_id IN (\(ids)) ORDER BY created_at, rowid",
                arguments: selection.allArguments)
        }
        while let row = try distributionRows.next() {
            let distribution = distribution(row)
            guard let index = indexById[distribution.ruleId] else { continue }
            rules[index].distributions.append(distribution)
        }
        return rules
    }

    /// Rollouts of `selection` (filter columns must be qualified with `r.`) with their member.
    static func fetchRollouts(_ db: Database, _ selection: Selection) throws -> [Rollout] {
        var rollouts: [Rollout] = []
        var segmentMembers: [String: (index: Int, value: Bool, op: SegmentOperator)] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT r.id, r.namespace_key, r.flag_key, r."type", r."rank", r.description, r.created_at, r.updated_at,
                       t.percentage, t."value", s.id, s."value", s.segment_operator
                FROM rollouts r
                LEFT JOIN rollout_thresholds t ON t.rollout_id = r.id
                LEFT JOIN rollout_segments s ON s.rollout_id = r.id
                WHERE \(selection.filter) \(selection.tail)
                """,
            arguments: selection.allArguments)
        while let row = try rows.next() {
            let type = RolloutType(rawValue: row[3]) ?? .unknown
            let member: Rollout.Rule
            if type == .segment {
                let op = SegmentOperator(rawValue: row[12] ?? 0) ?? .or
                member = .segment(RolloutSegment(segmentKeys: [], segmentOperator: op, value: row[11] ?? false))
                if let segmentId: String = row[10] {
                    segmentMembers[segmentId] = (rollouts.count, row[11] ?? false, op)
                }
            } else {
                let percentage: Double = row[8] ?? 0
                member = .threshold(RolloutThreshold(percentage: Float(percentage), value: row[9] ?? false))
            }
            rollouts.append(Rollout(id: row[0], namespaceKey: row[1], flagKey: row[2], rank: row[4],
                                    description: row[5], rule: member, createdAt: ts(row, 6), updatedAt: ts(row, 7)))
        }
        guard !segmentMembers.isEmpty else { return rollouts }
        var keys: [Int: [String]] = [:]
        let refRows = if let ns = selection.wholeNamespace {
            try Row.fetchCursor(
                db,
                sql: """
                    SELECT rollout_segment_id, segment_key FROM rollout_segment_references
                    WHERE namespace_key = ? ORDER BY position, rowid
                    """,
                arguments: [ns])
        } else {
            try Row.fetchCursor(
                db,
                sql: """
                    SELECT ref.rollout_segment_id, ref.segment_key FROM rollout_segment_references ref
                    WHERE ref.rollout_segment_id IN (
                        SELECT s.id FROM rollout_segments s WHERE s.rollout_id IN (\(selection.subquery("r.id", from: "rollouts r"))))
                    ORDER BY ref.position, ref.rowid
                    """,
                arguments: selection.allArguments)
        }
        while let row = try refRows.next() {
            guard let member = segmentMembers[row[0]] else { continue }
            keys[member.index, default: []].append(row[1])
        }
        for member in segmentMembers.values {
            rollouts[member.index].rule = .segment(
                RolloutSegment(segmentKeys: keys[member.index] ?? [], segmentOperator: member.op, value: member.value))
        }
        return rollouts
    }
}
