import GRDB
import HoistCore

/// The append-only list of schema migrations. Never edit or reorder a registered migration:
/// add a new `MigrationNNNN…` file and register it at the end.
enum Migrations {
    static func migrator(now: @escaping @Sendable () -> Timestamp) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(Migration0001Initial.identifier) { db in
            try db.execute(sql: Migration0001Initial.schema)
            try db.execute(sql: Migration0001Initial.seed, arguments: ["now": now().microseconds])
        }
        migrator.registerMigration(Migration0002AuditOutbox.identifier) { db in
            try db.execute(sql: Migration0002AuditOutbox.schema)
        }
        migrator.registerMigration(Migration0003EvaluationCounts.identifier) { db in
            try db.execute(sql: Migration0003EvaluationCounts.schema)
        }
        return migrator
    }
}
