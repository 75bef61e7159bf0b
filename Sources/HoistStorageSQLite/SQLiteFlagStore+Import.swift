import GRDB
import HoistCore
public import HoistStorage
import Logging

/// The whole-file import (`hoist import` against the database): one write transaction, so a file
/// is imported completely or not at all. Uses the same insert code as the single-entity API.
///
/// Audit events are not recorded for batch imports (Flipt's direct-database import records none either).
extension SQLiteFlagStore: BatchImportingStore {
    public func importBatch(
        _ batch: ImportBatch, dropExisting: Bool, progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> ImportSummary {
        let clock = self.clock
        do {
            let summary = try await pool.write { db in
                var run = BatchRun(db: db, clock: clock, total: batch.entityCount, progress: progress)
                if dropExisting { try Self.dropEverything(db, now: clock.now()) }
                for namespace in batch.namespaces {
                    try run.importNamespace(namespace, skipExisting: batch.skipExisting)
                }
                progress(run.done, run.total)
                return run.summary
            }
            logger.info("batch import committed", metadata: [
                "hoist.namespaces": .stringConvertible(batch.namespaces.count),
                "hoist.flags": .stringConvertible(summary.flagsCreated),
                "hoist.segments": .stringConvertible(summary.segmentsCreated),
                "hoist.drop": .stringConvertible(dropExisting),
            ])
            return summary
        } catch let failure as ImportFailure {
            logger.warning("batch import rolled back", metadata: ["hoist.error": .string(failure.description)])
            throw failure
        } catch {
            throw Self.mapError(error, operation: "importBatch")
        }
    }

    /// Leaves what a freshly migrated database holds: the protected `default` namespace only.
    static func dropEverything(_ db: Database, now: Timestamp) throws {
        try db.execute(sql: "DELETE FROM flags")
        try db.execute(sql: "DELETE FROM segments")
        try db.execute(sql: "DELETE FROM namespaces")
        try db.execute(
            sql: """
                INSERT INTO namespaces ("key", name, description, protected, created_at, updated_at, state_modified_at)
                VALUES ('default', 'Default', 'Default namespace', TRUE, ?, ?, ?)
                """,
            arguments: [now.microseconds, now.microseconds, now.microseconds])
    }
}

/// State of one batch transaction: progress, summary and the element being written (for errors).
struct BatchRun {
    let db: Database
    let clock: MonotonicClock
    let total: Int
    let progress: @Sendable (Int, Int) -> Void
    var done = 0
    var summary = ImportSummary()

    init(db: Database, clock: MonotonicClock, total: Int, progress: @escaping @Sendable (Int, Int) -> Void) {
        self.db = db
        self.clock = clock
        self.total = total
        self.progress = progress
    }

    mutating func step(_ count: Int = 1) {
        let before = done / 100
        done += count
        if done / 100 != before { progress(done, total) }
    }

    /// Runs one write, turning its error into an ``ImportFailure`` naming the element.
    func attempt<T>(_ namespace: NamespaceImport, _ subject: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ImportFailure(
                documentIndex: namespace.documentIndex, namespace: namespace.namespace.key, subject: subject,
                underlying: SQLiteFlagStore.mapError(error, operation: "import"))
        }
    }

    func existingKeys(_ table: String, _ namespaceKey: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: #"SELECT "key" FROM \#(table) WHERE namespace_key = ?"#, arguments: [namespaceKey]))
    }

    mutating func importNamespace(_ ns: NamespaceImport, skipExisting: Bool) throws {
        let key = ns.namespace.key
        let db = self.db, clock = self.clock
        let created = try attempt(ns, "") { () throws -> Bool in
            if try SQLiteFlagStore.namespaceExists(db, key) { return false }
            _ = try SQLiteFlagStore.insertNamespace(db, ns.namespace, now: clock.now())
            return true
        }
        if created { summary.namespacesCreated += 1 }
        step()
        let existingFlags = skipExisting ? try existingKeys("flags", key) : []
        let existingSegments = skipExisting ? try existingKeys("segments", key) : []
        var variantIDs: [String: [String: String]] = [:]
        var importedFlags: [FlagImport] = []
        for flag in ns.flags {
            let flagKey = flag.flag.key
            if existingFlags.contains(flagKey) {
                summary.flagsSkipped += 1
                step(1 + flag.variants.count + flag.rollouts.count + flag.rules.reduce(0) { $0 + 1 + $1.distributions.count })
                continue
            }
            let subject = "flag \"\(flagKey)\""
            _ = try attempt(ns, subject) { try SQLiteFlagStore.insertFlag(db, flag.flag, now: clock.now()) }
            step()
            for variant in flag.variants {
                let created = try attempt(ns, "\(subject), variant \"\(variant.key)\"") {
                    try SQLiteFlagStore.insertVariant(db, variant, now: clock.now())
                }
                variantIDs[flagKey, default: [:]][variant.key] = created.id
                step()
            }
            if let defaultKey = flag.defaultVariantKey, let id = variantIDs[flagKey]?[defaultKey] {
                try attempt(ns, "\(subject), variant \"\(defaultKey)\"") {
                    try db.execute(
                        sql: #"UPDATE flags SET default_variant_id = ? WHERE namespace_key = ? AND "key" = ?"#,
                        arguments: [id, key, flagKey])
                }
            }
            importedFlags.append(flag)
            summary.flagsCreated += 1
        }
        for segment in ns.segments {
            let segmentKey = segment.segment.key
            if existingSegments.contains(segmentKey) {
                summary.segmentsSkipped += 1
                step(1 + segment.constraints.count)
                continue
            }
            let subject = "segment \"\(segmentKey)\""
            _ = try attempt(ns, subject) { try SQLiteFlagStore.insertSegment(db, segment.segment, now: clock.now()) }
            step()
            for (index, constraint) in segment.constraints.enumerated() {
                _ = try attempt(ns, "\(subject), constraint \(index + 1)") {
                    try SQLiteFlagStore.insertConstraint(db, constraint, now: clock.now())
                }
                step()
            }
            summary.segmentsCreated += 1
        }
        for flag in importedFlags {
            try importTargeting(flag, in: ns, variantIDs: variantIDs[flag.flag.key] ?? [:])
        }
        try attempt(ns, "") {
            try db.execute(
                sql: #"UPDATE namespaces SET state_modified_at = ? WHERE "key" = ?"#,
                arguments: [clock.now().microseconds, key])
        }
    }

    mutating func importTargeting(_ flag: FlagImport, in ns: NamespaceImport, variantIDs: [String: String]) throws {
        let flagKey = flag.flag.key
        let db = self.db, clock = self.clock
        for (index, rule) in flag.rules.enumerated() {
            let subject = "flag \"\(flagKey)\", rule \(index + 1)"
            let created = try attempt(ns, subject) { try SQLiteFlagStore.insertRule(db, rule.rule, now: clock.now()) }
            step()
            for (position, distribution) in rule.distributions.enumerated() {
                let distributionSubject = "\(subject), distribution \(position + 1)"
                guard let variantID = variantIDs[distribution.variantKey] else {
                    throw ImportFailure.unknownVariant(
                        distribution.variantKey, flagKey: flagKey, in: ns, subject: distributionSubject)
                }
                let request = DistributionRequest(
                    namespaceKey: ns.namespace.key, flagKey: flagKey, ruleId: created.id, variantId: variantID,
                    rollout: distribution.rollout)
                _ = try attempt(ns, distributionSubject) {
                    try SQLiteFlagStore.insertDistribution(db, request, now: clock.now())
                }
                step()
            }
        }
        for (index, rollout) in flag.rollouts.enumerated() {
            _ = try attempt(ns, "flag \"\(flagKey)\", rollout \(index + 1)") {
                try SQLiteFlagStore.insertRollout(db, rollout, now: clock.now())
            }
            step()
        }
    }
}
