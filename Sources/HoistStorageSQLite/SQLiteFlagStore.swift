import Foundation
import GRDB
import HoistCore
public import HoistStorage
public import Logging

/// The SQLite implementation of `FlagStore` (GRDB `DatabasePool`, WAL mode).
///
/// Every write runs in one immediate transaction that also bumps its namespace's `state_modified_at`;
/// reads run in snapshot transactions. Errors are always `HoistError` (Flipt's messages).
public final class SQLiteFlagStore: FlagStore {
    let pool: DatabasePool
    /// A separate connection with a short busy timeout, used only by `ping()` so that health probes
    /// never queue behind (or hold up) the pool's writer.
    let probe: DatabaseQueue
    let logger: Logger
    let clock: MonotonicClock
    /// Which audit events to record in the outbox, and whom to tell after commit (issue 6).
    let audit: AuditPolicy
    /// Told of every read and write transaction (tracing spans); nil watches nothing.
    let instrumentation: (any StoreInstrumentation)?

    /// Opens (creating parent directories and the file when missing) and migrates the database at `path`.
    /// - Parameter instrumentation: wraps each operation (the server passes its store tracing when
    ///   `tracing.enabled` is true); nil by default.
    public init(
        path: String, logger: Logger = Logger(label: "hoist.storage.sqlite"), audit: AuditPolicy = .disabled,
        instrumentation: (any StoreInstrumentation)? = nil
    ) throws {
        self.logger = logger
        self.audit = audit
        self.instrumentation = instrumentation
        let clock = MonotonicClock()
        self.clock = clock
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HoistError.internal("creating database directory for \(path): \(error)")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "hoist.sqlite"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            var probeConfiguration = Configuration()
            probeConfiguration.busyMode = .timeout(0.5)
            probeConfiguration.label = "hoist.sqlite.probe"
            probe = try DatabaseQueue(path: path, configuration: probeConfiguration)
            let migrator = Migrations.migrator(now: { clock.now() })
            try migrator.migrate(pool)
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            // Versions must keep increasing even if the wall clock went back since the last run.
            let newest = try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT MAX(state_modified_at) FROM namespaces") ?? 0
            }
            clock.advance(past: newest)
            logger.info(
                "sqlite store opened",
                metadata: ["hoist.path": .string(path), "hoist.migrations": .string(applied.sorted().joined(separator: ","))]
            )
        } catch let error as HoistError {
            throw error
        } catch {
            logger.error("sqlite store open failed", metadata: ["hoist.path": .string(path), "hoist.error": .string("\(error)")])
            throw Self.mapError(error, operation: "open")
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a write transaction with a fresh "now", then bumps `namespace`'s version.
    /// `constraint` maps SQLite constraint violations (which explicit checks make unlikely) to Flipt's message.
    /// `audit` (when the policy allows its `type:action`) inserts the change's audit event into the
    /// outbox in the same transaction, with the actor of the current request (``AuditContext``).
    func write<T: Sendable>(
        _ operation: String,
        namespace: String?,
        audit entry: AuditEntry<T>? = nil,
        constraint: (@Sendable (DatabaseError) -> HoistError?)? = nil,
        _ body: @escaping @Sendable (Database, Timestamp) throws -> T
    ) async throws -> T {
        guard let instrumentation else {
            return try await performWrite(operation, namespace: namespace, audit: entry, constraint: constraint, body)
        }
        return try await instrumentation.measure(operation, access: .write, namespace: namespace) {
            try await performWrite(operation, namespace: namespace, audit: entry, constraint: constraint, body)
        }
    }

    private func performWrite<T: Sendable>(
        _ operation: String,
        namespace: String?,
        audit entry: AuditEntry<T>?,
        constraint: (@Sendable (DatabaseError) -> HoistError?)?,
        _ body: @escaping @Sendable (Database, Timestamp) throws -> T
    ) async throws -> T {
        let clock = self.clock
        let entry = entry.flatMap { audit.allows($0.type, $0.action) ? $0 : nil }
        let actor = AuditContext.actor
        do {
            let (result, now) = try await pool.write { db in
                let now = clock.now()
                let captured = try entry?.capture?(db)
                let result = try body(db, now)
                if let namespace {
                    try db.execute(
                        sql: #"UPDATE namespaces SET state_modified_at = ? WHERE "key" = ?"#,
                        arguments: [now.microseconds, namespace]
                    )
                }
                if let entry {
                    let payload = try entry.payload(db, result, captured)
                    try Self.insertAuditEvent(
                        db, type: entry.type, action: entry.action,
                        namespaceKey: namespace ?? payload["key"]?.stringValue ?? "", actor: actor, payload: payload,
                        now: now)
                }
                return (result, now)
            }
            if let entry { audit.committed([(entry.type, entry.action)]) }
            logger.debug("sqlite write committed", metadata: [
                "hoist.operation": .string(operation),
                "hoist.namespace": .string(namespace ?? ""),
                "hoist.version": .string(Self.version(now.microseconds)),
            ])
            return result
        } catch let error as HoistError {
            throw error
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_CONSTRAINT, let mapped = constraint?(error) { throw mapped }
            throw report(error, operation: operation, namespace: namespace)
        } catch {
            throw report(error, operation: operation, namespace: namespace)
        }
    }

    /// Runs `body` in a read (snapshot) transaction.
    func read<T: Sendable>(
        _ operation: String,
        namespace: String? = nil,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        guard let instrumentation else { return try await performRead(operation, namespace: namespace, body) }
        return try await instrumentation.measure(operation, access: .read, namespace: namespace) {
            try await performRead(operation, namespace: namespace, body)
        }
    }

    private func performRead<T: Sendable>(
        _ operation: String, namespace: String?, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as HoistError {
            throw error
        } catch {
            throw report(error, operation: operation, namespace: namespace)
        }
    }

    private func report(_ error: any Error, operation: String, namespace: String?) -> HoistError {
        let mapped = Self.mapError(error, operation: operation)
        var metadata: Logger.Metadata = ["hoist.operation": .string(operation), "hoist.error": .string("\(error)")]
        if let namespace { metadata["hoist.namespace"] = .string(namespace) }
        if mapped.kind == .unavailable {
            logger.warning("sqlite database busy", metadata: metadata)
        } else {
            logger.error("sqlite operation failed", metadata: metadata)
        }
        return mapped
    }

    static func mapError(_ error: any Error, operation: String) -> HoistError {
        if let error = error as? HoistError { return error }
        if error is CancellationError { return HoistError(.internal, "context canceled") }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return HoistError(.unavailable, "database is busy: \(error.message ?? "locked")")
            case .SQLITE_INTERRUPT:
                return HoistError(.internal, "context canceled")
            default:
                return HoistError(.internal, "\(operation): \(error.message ?? "\(error.resultCode)")")
            }
        }
        return HoistError(.internal, "\(operation): \(error)")
    }

    // MARK: - Health and versions

    /// Checks that the database file is readable and that its write lock can be taken within 0.5 s
    /// (another process holding it, a read-only or broken file all fail), through the probe connection.
    public func ping() async throws {
        do {
            try await probe.writeWithoutTransaction { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM namespaces")
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
        } catch let error as DatabaseError {
            throw HoistError(.unavailable, "database unavailable: \(error.message ?? "\(error.resultCode)")")
        } catch {
            throw report(error, operation: "ping", namespace: nil)
        }
    }

    public func namespaceVersions() async throws -> [String: String] {
        try await read("namespaceVersions") { db in
            var versions: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: #"SELECT "key", state_modified_at FROM namespaces"#)
            while let row = try rows.next() {
                versions[row[0]] = Self.version(row[1])
            }
            return versions
        }
    }

    static func version(_ stateModifiedAt: Int64) -> String { String(stateModifiedAt) }

    // MARK: - Shared existence checks

    static func namespaceExists(_ db: Database, _ key: String) throws -> Bool {
        try Bool.fetchOne(db, sql: #"SELECT 1 FROM namespaces WHERE "key" = ?"#, arguments: [key]) != nil
    }

    static func flagExists(_ db: Database, _ namespaceKey: String, _ key: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: #"SELECT 1 FROM flags WHERE namespace_key = ? AND "key" = ?"#, arguments: [namespaceKey, key]
        ) != nil
    }

    static func segmentExists(_ db: Database, _ namespaceKey: String, _ key: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: #"SELECT 1 FROM segments WHERE namespace_key = ? AND "key" = ?"#, arguments: [namespaceKey, key]
        ) != nil
    }

    /// De-duplicated segment keys, first occurrence kept.
    static func dedupe(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// `?, ?, ?` for an `IN (…)` list.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
