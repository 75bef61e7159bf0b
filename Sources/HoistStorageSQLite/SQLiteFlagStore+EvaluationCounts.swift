import GRDB
public import HoistStorage

/// Built-in evaluation analytics (table of migration 0003). These writes bypass ``write(_:namespace:audit:constraint:_:)``:
/// they change no namespace version and record no audit event.
extension SQLiteFlagStore: EvaluationCountStore {
    public func addEvaluationCounts(_ counts: [EvaluationCount]) async throws {
        guard !counts.isEmpty else { return }
        do {
            try await pool.write { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO evaluation_counts (minute, namespace_key, flag_key, reason, "value", "count")
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (namespace_key, flag_key, minute, reason, "value")
                    DO UPDATE SET "count" = evaluation_counts."count" + excluded."count"
                    """)
                for cell in counts {
                    try statement.execute(arguments: [
                        cell.minute, cell.namespaceKey, cell.flagKey, cell.reason, cell.value, cell.count,
                    ])
                }
            }
        } catch {
            throw Self.mapError(error, operation: "addEvaluationCounts")
        }
    }

    public func evaluationCountsPerMinute(
        namespaceKey: String, flagKey: String, fromMinute: Int64, toMinute: Int64
    ) async throws -> [(minute: Int64, count: Int64)] {
        let rows = try await read("evaluationCountsPerMinute", namespace: namespaceKey) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT minute, SUM("count") FROM evaluation_counts
                    WHERE namespace_key = ? AND flag_key = ? AND minute >= ? AND minute <= ?
                    GROUP BY minute ORDER BY minute
                    """,
                arguments: [namespaceKey, flagKey, fromMinute, toMinute]
            ).map { row -> [Int64] in [row[0], row[1]] }
        }
        return rows.map { (minute: $0[0], count: $0[1]) }
    }

    public func evaluationCounts(
        namespaceKey: String, flagKey: String, fromMinute: Int64, toMinute: Int64
    ) async throws -> [EvaluationCount] {
        try await read("evaluationCounts", namespace: namespaceKey) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT minute, reason, "value", "count" FROM evaluation_counts
                    WHERE namespace_key = ? AND flag_key = ? AND minute >= ? AND minute <= ?
                    ORDER BY minute, reason, "value"
                    """,
                arguments: [namespaceKey, flagKey, fromMinute, toMinute]
            ).map { row in
                EvaluationCount(
                    minute: row[0], namespaceKey: namespaceKey, flagKey: flagKey, reason: row[1], value: row[2],
                    count: row[3])
            }
        }
    }

    public func deleteEvaluationCounts(before minute: Int64) async throws -> Int {
        do {
            return try await pool.write { db in
                try db.execute(sql: "DELETE FROM evaluation_counts WHERE minute < ?", arguments: [minute])
                return db.changesCount
            }
        } catch {
            throw Self.mapError(error, operation: "deleteEvaluationCounts")
        }
    }
}
