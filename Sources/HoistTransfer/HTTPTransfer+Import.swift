import HoistCore
import HoistDocuments
import HoistStorage
import NIOHTTP1

/// Flipt's import algorithm (spec §6.4) as REST requests.
extension HTTPTransfer {
    public func importBatch(_ batch: ImportBatch, drop: Bool, progress: @escaping @Sendable (Int, Int) -> Void)
        async throws -> ImportSummary
    {
        if drop { try await dropAll() }
        var run = HTTPImportRun(transfer: self, total: batch.entityCount, progress: progress)
        for namespace in batch.namespaces {
            try await run.importNamespace(namespace, skipExisting: batch.skipExisting)
        }
        progress(run.done, run.total)
        return run.summary
    }

    /// `--drop` over HTTP: force-delete every namespace (including `default`), then re-create `default`.
    func dropAll() async throws {
        do {
            for namespace in try await allNamespaces() {
                _ = try await send(.DELETE, Self.namespacePath(namespace.key) + "?force=true")
            }
            _ = try await send(.POST, Self.namespacesPath, body: .object([
                ("key", .string("default")), ("name", .string("Default")), ("description", .string("Default namespace")),
            ]))
        } catch let error as APIError {
            throw TransferError("dropping namespaces: \(error.message)")
        }
    }
}

struct HTTPImportRun {
    let transfer: HTTPTransfer
    let total: Int
    let progress: @Sendable (Int, Int) -> Void
    var done = 0
    var summary = ImportSummary()

    init(transfer: HTTPTransfer, total: Int, progress: @escaping @Sendable (Int, Int) -> Void) {
        self.transfer = transfer
        self.total = total
        self.progress = progress
    }

    mutating func step(_ count: Int = 1) {
        done += count
        if done % 25 == 0 { progress(done, total) }
    }

    func call(_ ns: NamespaceImport, _ subject: String, _ method: HTTPMethodName, _ path: String,
              _ body: JSONValue? = nil) async throws -> JSONValue {
        do {
            return try await transfer.send(method.nio, path, body: body)
        } catch let error as HTTPTransfer.APIError {
            throw ImportFailure(documentIndex: ns.documentIndex, namespace: ns.namespace.key, subject: subject,
                                underlying: error.hoistError)
        }
    }

    static func object(_ members: [(String, JSONValue?)]) -> JSONValue {
        .object(members.compactMap { key, value in value.map { (key, $0) } })
    }

    mutating func importNamespace(_ ns: NamespaceImport, skipExisting: Bool) async throws {
        let key = ns.namespace.key
        let nsPath = HTTPTransfer.namespacePath(key)
        if key != Namespace.defaultKey {
            do {
                _ = try await transfer.send(.GET, nsPath)
            } catch let error as HTTPTransfer.APIError where error.status == 404 {
                _ = try await call(ns, "", .post, HTTPTransfer.namespacesPath, Self.object([
                    ("key", .string(key)), ("name", .string(ns.namespace.name)),
                    ("description", .string(ns.namespace.description)),
                ]))
                summary.namespacesCreated += 1
            }
        }
        step()
        var existingFlags = Set<String>(), existingSegments = Set<String>()
        if skipExisting {
            existingFlags = Set(try await transfer.listAll("\(nsPath)/flags", arrayKey: "flags").map { WireEntities.string($0, "key") })
            existingSegments = Set(try await transfer.listAll("\(nsPath)/segments", arrayKey: "segments").map { WireEntities.string($0, "key") })
        }
        var imported: [(FlagImport, [String: String])] = []
        for flag in ns.flags {
            if existingFlags.contains(flag.flag.key) {
                summary.flagsSkipped += 1
                step(1 + flag.variants.count + flag.rollouts.count + flag.rules.reduce(0) { $0 + 1 + $1.distributions.count })
                continue
            }
            imported.append((flag, try await createFlag(flag, in: ns)))
        }
        for segment in ns.segments {
            if existingSegments.contains(segment.segment.key) {
                summary.segmentsSkipped += 1
                step(1 + segment.constraints.count)
                continue
            }
            try await createSegment(segment, in: ns)
        }
        for (flag, variantIDs) in imported {
            try await createTargeting(flag, variantIDs: variantIDs, in: ns)
        }
    }

    /// Creates the flag and its variants, sets the default; returns variant ids by key.
    mutating func createFlag(_ flag: FlagImport, in ns: NamespaceImport) async throws -> [String: String] {
        let f = flag.flag
        let flagsPath = HTTPTransfer.namespacePath(ns.namespace.key) + "/flags"
        let subject = "flag \"\(f.key)\""
        _ = try await call(ns, subject, .post, flagsPath, Self.object([
            ("key", .string(f.key)), ("name", .string(f.name)), ("description", .string(f.description)),
            ("enabled", .bool(f.enabled)), ("type", .string(f.type.wireName)), ("metadata", f.metadata),
        ]))
        step()
        let flagPath = "\(flagsPath)/\(HTTPTransfer.escape(f.key))"
        var ids: [String: String] = [:]
        for variant in flag.variants {
            let created = try await call(ns, "\(subject), variant \"\(variant.key)\"", .post, "\(flagPath)/variants",
                Self.object([
                    ("key", .string(variant.key)), ("name", .string(variant.name)),
                    ("description", .string(variant.description)), ("attachment", .string(variant.attachment)),
                ]))
            ids[variant.key] = WireEntities.string(created, "id")
            step()
        }
        if let defaultKey = flag.defaultVariantKey, let id = ids[defaultKey] {
            _ = try await call(ns, "\(subject), variant \"\(defaultKey)\"", .put, flagPath, Self.object([
                ("key", .string(f.key)), ("name", .string(f.name)), ("description", .string(f.description)),
                ("enabled", .bool(f.enabled)), ("defaultVariantId", .string(id)), ("metadata", f.metadata),
            ]))
        }
        summary.flagsCreated += 1
        return ids
    }

    mutating func createSegment(_ segment: SegmentImport, in ns: NamespaceImport) async throws {
        let s = segment.segment
        let segmentsPath = HTTPTransfer.namespacePath(ns.namespace.key) + "/segments"
        let subject = "segment \"\(s.key)\""
        _ = try await call(ns, subject, .post, segmentsPath, Self.object([
            ("key", .string(s.key)), ("name", .string(s.name)), ("description", .string(s.description)),
            ("matchType", .string(s.matchType.wireName)),
        ]))
        step()
        for (index, c) in segment.constraints.enumerated() {
            _ = try await call(ns, "\(subject), constraint \(index + 1)", .post,
                "\(segmentsPath)/\(HTTPTransfer.escape(s.key))/constraints", Self.object([
                    ("type", .string(c.type.wireName)), ("property", .string(c.property)),
                    ("operator", .string(c.operator)), ("value", .string(c.value)),
                    ("description", c.description.isEmpty ? nil : .string(c.description)),
                ]))
            step()
        }
        summary.segmentsCreated += 1
    }

    static func segmentFields(key: String, keys: [String], op: SegmentOperator) -> [(String, JSONValue?)] {
        key.isEmpty
            ? [("segmentKeys", .array(keys.map(JSONValue.string))), ("segmentOperator", .string(op.wireName))]
            : [("segmentKey", .string(key))]
    }

    mutating func createTargeting(_ flag: FlagImport, variantIDs: [String: String], in ns: NamespaceImport) async throws {
        let flagKey = flag.flag.key
        let flagPath = HTTPTransfer.namespacePath(ns.namespace.key) + "/flags/\(HTTPTransfer.escape(flagKey))"
        for (index, rule) in flag.rules.enumerated() {
            let r = rule.rule
            let subject = "flag \"\(flagKey)\", rule \(index + 1)"
            let created = try await call(ns, subject, .post, "\(flagPath)/rules", Self.object(
                Self.segmentFields(key: r.segmentKey, keys: r.segmentKeys, op: r.segmentOperator)
                    + [("rank", .number(Double(r.rank), text: String(r.rank)))]))
            step()
            let ruleID = WireEntities.string(created, "id")
            for (position, distribution) in rule.distributions.enumerated() {
                let distributionSubject = "\(subject), distribution \(position + 1)"
                guard let variantID = variantIDs[distribution.variantKey] else {
                    throw ImportFailure.unknownVariant(
                        distribution.variantKey, flagKey: flagKey, in: ns, subject: distributionSubject)
                }
                _ = try await call(ns, distributionSubject, .post, "\(flagPath)/rules/\(ruleID)/distributions",
                    Self.object([("variantId", .string(variantID)), ("rollout", DocumentEncoder.float(distribution.rollout))]))
                step()
            }
        }
        for (index, rollout) in flag.rollouts.enumerated() {
            var fields: [(String, JSONValue?)] = [
                ("rank", .number(Double(rollout.rank), text: String(rollout.rank))),
                ("description", .string(rollout.description)),
            ]
            switch rollout.member {
            case .segment(let key, let keys, let op, let value)?:
                fields.append(("segment", Self.object(Self.segmentFields(key: key, keys: keys, op: op) + [("value", .bool(value))])))
            case .threshold(let percentage, let value)?:
                fields.append(("threshold", .object([("percentage", DocumentEncoder.float(percentage)), ("value", .bool(value))])))
            case nil: break
            }
            _ = try await call(ns, "flag \"\(flagKey)\", rollout \(index + 1)", .post, "\(flagPath)/rollouts", Self.object(fields))
            step()
        }
    }
}

/// The few HTTP methods the import uses (keeps NIO's type out of the call sites).
enum HTTPMethodName {
    case post, put

    var nio: NIOHTTP1.HTTPMethod { self == .post ? .POST : .PUT }
}
