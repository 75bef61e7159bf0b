import GRDB
public import HoistCore
public import HoistStorage

/// The outbox side of audit: what the dispatcher and the history API read (tables of migration 0002).
extension SQLiteFlagStore: AuditOutbox {
    public func auditEvents(after: Int64, limit: Int) async throws -> [AuditRecord] {
        try await read("auditEvents") { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.auditColumns) FROM audit_events WHERE \"sequence\" > ? ORDER BY \"sequence\" LIMIT ?",
                arguments: [after, limit]
            ).map(Self.auditRecord)
        }
    }

    public func newestAuditSequence() async throws -> Int64 {
        try await read("newestAuditSequence") { db in try Self.newestSequence(db) }
    }

    static func newestSequence(_ db: Database) throws -> Int64 {
        // sqlite_sequence survives deletes, so a pruned outbox still yields the right high-water mark.
        let fromSequence = try Int64.fetchOne(
            db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'") ?? 0
        let fromTable = try Int64.fetchOne(db, sql: #"SELECT MAX("sequence") FROM audit_events"#) ?? 0
        return max(fromSequence, fromTable)
    }

    public func auditCursor(sink: String) async throws -> Int64 {
        let clock = self.clock
        return try await pool.write { db in
            if let cursor = try Int64.fetchOne(
                db, sql: #"SELECT "sequence" FROM audit_cursors WHERE sink = ?"#, arguments: [sink]) {
                return cursor
            }
            let newest = try Self.newestSequence(db)
            try db.execute(
                sql: #"INSERT INTO audit_cursors (sink, "sequence", updated_at) VALUES (?, ?, ?)"#,
                arguments: [sink, newest, clock.now().microseconds])
            return newest
        }
    }

    public func setAuditCursor(sink: String, sequence: Int64) async throws {
        let clock = self.clock
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_cursors (sink, "sequence", updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (sink) DO UPDATE SET "sequence" = excluded."sequence", updated_at = excluded.updated_at
                    """,
                arguments: [sink, sequence, clock.now().microseconds])
        }
    }

    public func recordAuditFailure(_ failure: AuditFailure) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_failures (event_sequence, event_id, sink, message, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [failure.sequence, failure.eventId, failure.sink, failure.message, failure.createdAt])
        }
    }

    public func auditFailures(limit: Int) async throws -> [AuditFailure] {
        try await read("auditFailures") { db in
            try Row.fetchAll(
                db, sql: "SELECT event_sequence, event_id, sink, message, created_at FROM audit_failures ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map { AuditFailure(sequence: $0[0], eventId: $0[1], sink: $0[2], message: $0[3], createdAt: $0[4]) }
        }
    }

    public func pruneAuditEvents(sinks: [String], beforeMicros: Int64) async throws -> Int {
        try await pool.write { db in
            var delivered = Int64.max
            for sink in sinks {
                let cursor = try Int64.fetchOne(
                    db, sql: #"SELECT "sequence" FROM audit_cursors WHERE sink = ?"#, arguments: [sink]) ?? 0
                delivered = min(delivered, cursor)
            }
            if sinks.isEmpty { delivered = try Self.newestSequence(db) }
            try db.execute(
                sql: #"DELETE FROM audit_events WHERE "sequence" <= ? AND created_at < ?"#,
                arguments: [delivered, beforeMicros])
            return db.changesCount
        }
    }

    public func listAuditEvents(_ query: AuditQuery) async throws -> Page<AuditRecord> {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let type = query.type { conditions.append(#""type" = ?"#); arguments += [type] }
        if let action = query.action { conditions.append("action = ?"); arguments += [action] }
        if let ns = query.namespaceKey { conditions.append("namespace_key = ?"); arguments += [ns] }
        if let from = query.fromMicros { conditions.append("created_at >= ?"); arguments += [from] }
        if let to = query.toMicros { conditions.append("created_at <= ?"); arguments += [to] }
        let filter = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
        let window = try PageWindow(query.page)
        let tail = #"ORDER BY "sequence" DESC LIMIT ? OFFSET ?"#
        let tailArguments: StatementArguments = [window.sqlLimit, window.sqlOffset]
        let filterArguments = arguments
        return try await read("listAuditEvents") { db in
            let total = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE \(filter)",
                                           arguments: filterArguments) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.auditColumns) FROM audit_events WHERE \(filter) \(tail)",
                arguments: filterArguments + tailArguments)
            return window.page(rows.map(Self.auditRecord), total: total) { String($0.sequence) }
        }
    }
}
