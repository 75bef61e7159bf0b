public import HoistCore

/// One namespace as declared by documents: what a read-only (declarative) store serves.
public struct DeclaredNamespace: Sendable {
    public var namespace: Namespace
    public var state: NamespaceState

    public init(namespace: Namespace, state: NamespaceState) {
        self.namespace = namespace
        self.state = state
    }
}

/// Builds evaluation state straight from validated documents, without a database.
///
/// Ids are derived from keys and positions (stable across reloads of unchanged files), every
/// timestamp is `now`, constraint values are normalised as the SQL store would, and several
/// documents for the same namespace are merged (their keys must not collide: the validator checks).
public enum DeclaredState {
    public static func namespaces(_ documents: [FliptDocument], version: String, now: Timestamp) -> [DeclaredNamespace] {
        var order: [String] = []
        var merged: [String: DeclaredNamespace] = [:]
        for document in documents {
            let key = document.namespace.key
            if merged[key] == nil {
                order.append(key)
                let isDefault = key == Namespace.defaultKey
                let name = document.namespace.name.flatMap { $0.isEmpty ? nil : $0 } ?? (isDefault ? "Default" : key)
                let description = document.namespace.description ?? (isDefault ? "Default namespace" : "")
                merged[key] = DeclaredNamespace(
                    namespace: Namespace(key: key, name: name, description: description, protected: isDefault,
                                         createdAt: now, updatedAt: now),
                    state: NamespaceState(namespaceKey: key, version: version, flags: [], rules: [:], rollouts: [:],
                                          segments: [:]))
            }
            add(document, to: &merged[key]!.state, now: now)
        }
        return order.compactMap { merged[$0] }
    }

    static func add(_ document: FliptDocument, to state: inout NamespaceState, now: Timestamp) {
        let ns = state.namespaceKey
        for segment in document.segments {
            let constraints = segment.constraints.enumerated().map { index, c in
                let request = ConstraintRequest(
                    namespaceKey: ns, segmentKey: segment.key, type: c.type, property: c.property, operator: c.operator,
                    value: c.value, description: c.description)
                let normalized = (try? Validation.validatedConstraint(
                    request, updating: false, normalizeDatetime: GoDateTime.normalizedConstraintValue)) ?? request
                return Constraint(
                    id: StableID.make(ns, "constraint", segment.key, String(index)), namespaceKey: ns,
                    segmentKey: segment.key, type: c.type, property: c.property, operator: normalized.operator,
                    value: normalized.value, description: c.description, createdAt: now, updatedAt: now)
            }
            state.segments[segment.key] = Segment(
                namespaceKey: ns, key: segment.key, name: segment.name, description: segment.description,
                matchType: segment.matchType, constraints: constraints, createdAt: now, updatedAt: now)
        }
        for flag in document.flags {
            let variants = flag.variants.map { v in
                Variant(id: StableID.make(ns, "variant", flag.key, v.key), namespaceKey: ns, flagKey: flag.key,
                        key: v.key, name: v.name, description: v.description,
                        attachment: v.attachment.map(\.compactText) ?? "", createdAt: now, updatedAt: now)
            }
            let defaultKey = flag.variants.last(where: \.isDefault)?.key
            state.flags.append(Flag(
                namespaceKey: ns, key: flag.key, name: flag.name, description: flag.description,
                enabled: flag.enabled, type: flag.effectiveType, createdAt: now, updatedAt: now, variants: variants,
                defaultVariant: variants.first(where: { $0.key == defaultKey }), metadata: flag.metadata))
            let variantIDs = Dictionary(variants.map { ($0.key, $0.id) }, uniquingKeysWith: { first, _ in first })
            state.rules[flag.key] = flag.rules.enumerated().map { index, rule in
                let ruleID = StableID.make(ns, "rule", flag.key, String(index))
                let keys = dedupe(rule.segment.keys)
                return Rule(
                    id: ruleID, namespaceKey: ns, flagKey: flag.key, segmentKeys: keys,
                    segmentOperator: keys.count == 1 ? .or : rule.segment.segmentOperator,
                    rank: Int32(rule.rank.flatMap { $0 > 0 ? $0 : nil } ?? index + 1),
                    distributions: rule.distributions.enumerated().map { position, d in
                        Distribution(
                            id: StableID.make(ns, "distribution", flag.key, "\(index)/\(position)"), ruleId: ruleID,
                            variantId: variantIDs[d.variantKey] ?? "", rollout: d.rollout, createdAt: now,
                            updatedAt: now)
                    },
                    createdAt: now, updatedAt: now)
            }.sorted { $0.rank < $1.rank }
            state.rollouts[flag.key] = flag.rollouts.enumerated().map { index, rollout in
                let rule: Rollout.Rule
                switch rollout.target {
                case .segment(let reference, let value):
                    let keys = dedupe(reference.keys)
                    rule = .segment(RolloutSegment(
                        segmentKeys: keys, segmentOperator: keys.count == 1 ? .or : reference.segmentOperator,
                        value: value))
                case .threshold(let percentage, let value):
                    rule = .threshold(RolloutThreshold(percentage: percentage, value: value))
                }
                return Rollout(
                    id: StableID.make(ns, "rollout", flag.key, String(index)), namespaceKey: ns, flagKey: flag.key,
                    rank: Int32(index + 1), description: rollout.description, rule: rule, createdAt: now,
                    updatedAt: now)
            }
        }
    }

    static func dedupe(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}

/// UUID-shaped ids derived from their parts (two FNV-1a 64-bit hashes), stable across reloads.
enum StableID {
    static func make(_ parts: String...) -> String {
        let text = parts.joined(separator: "\u{1F}")
        let high = fnv(text, seed: 0xcbf2_9ce4_8422_2325)
        let low = fnv(text, seed: 0x84222325_cbf29ce4)
        let hex = hex16(high) + hex16(low)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }

    static func fnv(_ text: String, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
