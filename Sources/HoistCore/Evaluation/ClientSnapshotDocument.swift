/// The client snapshot served at `GET /internal/v1/evaluation/snapshot/namespace/{key}` and consumed by
/// the `flipt-client-*` SDKs (spec §6.3, §6.4): protojson with default values emitted, snapshot enum names,
/// segments inlined wherever they are referenced.
///
/// Deliberate difference from Flipt v1.61.1: every rule is emitted **once** with its own distributions
/// (Flipt repeats a k-segment rule k times, each copy with the distributions repeated k times).
public enum ClientSnapshotDocument {
    /// Encodes the snapshot of `state` for a client that understands `acceptServerVersion`:
    /// below 1.38.0 ENTITY_ID constraints are typed `UNKNOWN_CONSTRAINT_COMPARISON_TYPE`, and below
    /// 1.47.0 `defaultVariant` is omitted.
    public static func encode(state: NamespaceState, acceptServerVersion: ServerVersion) -> [UInt8] {
        var encoder = Encoder(state: state, version: acceptServerVersion)
        encoder.document()
        return encoder.writer.bytes
    }

    struct Encoder {
        let state: NamespaceState
        let entityIdConstraintsSupported: Bool
        let defaultVariantSupported: Bool
        var writer = JSONWriter(capacity: 4096)

        init(state: NamespaceState, version: ServerVersion) {
            self.state = state
            entityIdConstraintsSupported = !(version < .entityIdConstraints)
            defaultVariantSupported = !(version < .defaultVariant)
        }

        mutating func document() {
            writer.raw("{\"namespace\":{\"key\":")
            writer.string(state.namespaceKey)
            writer.raw("},\"flags\":[")
            for (index, flag) in state.flags.enumerated() {
                if index > 0 { writer.raw(",") }
                self.flag(flag)
            }
            writer.raw("]}")
        }

        mutating func flag(_ flag: Flag) {
            writer.raw("{\"key\":")
            writer.string(flag.key)
            writer.raw(",\"name\":")
            writer.string(flag.name)
            writer.raw(",\"description\":")
            writer.string(flag.description)
            writer.raw(",\"enabled\":")
            writer.bool(flag.enabled)
            writer.raw(",\"type\":")
            writer.string(flag.type.wireName)
            writer.raw(",\"createdAt\":")
            writer.string(flag.createdAt.rfc3339)
            writer.raw(",\"updatedAt\":")
            writer.string(flag.updatedAt.rfc3339)
            writer.raw(",\"rules\":[")
            if flag.type == .variant {
                var first = true
                for rule in state.rules[flag.key] ?? [] {
                    // Flipt emits a rule from inside its per-segment loop, so a rule without segments never appears.
                    let segments = rule.segmentKeys.compactMap { state.segments[$0] }
                    guard !segments.isEmpty else { continue }
                    if !first { writer.raw(",") }
                    first = false
                    self.rule(rule, segments: segments, variants: flag.variants)
                }
            }
            writer.raw("],\"rollouts\":[")
            if flag.type == .boolean {
                for (index, rollout) in (state.rollouts[flag.key] ?? []).enumerated() {
                    if index > 0 { writer.raw(",") }
                    self.rollout(rollout)
                }
            }
            writer.raw("]")
            if flag.type == .variant, defaultVariantSupported, let variant = flag.defaultVariant {
                writer.raw(",\"defaultVariant\":{\"id\":")
                writer.string(variant.id)
                writer.raw(",\"key\":")
                writer.string(variant.key)
                writer.raw(",\"attachment\":")
                writer.string(variant.attachment)
                writer.raw("}")
            }
            writer.raw("}")
        }

        mutating func rule(_ rule: Rule, segments: [Segment], variants: [Variant]) {
            writer.raw("{\"id\":")
            writer.string(rule.id)
            writer.raw(",\"segments\":")
            self.segments(segments)
            writer.raw(",\"rank\":")
            writer.int(rule.rank)
            writer.raw(",\"segmentOperator\":")
            writer.string(rule.segmentOperator.wireName)
            writer.raw(",\"distributions\":[")
            var first = true
            for distribution in rule.distributions {
                // The store joins distributions with their variants; an orphan would not be listed.
                guard let variant = variants.first(where: { $0.id == distribution.variantId }) else { continue }
                if !first { writer.raw(",") }
                first = false
                writer.raw("{\"id\":\"\",\"ruleId\":\"\",\"variantId\":")
                writer.string(distribution.variantId)
                writer.raw(",\"variantKey\":")
                writer.string(variant.key)
                writer.raw(",\"variantAttachment\":")
                writer.string(variant.attachment)
                writer.raw(",\"rollout\":")
                writer.float(distribution.rollout)
                writer.raw("}")
            }
            writer.raw("]}")
        }

        mutating func rollout(_ rollout: Rollout) {
            writer.raw("{\"type\":")
            writer.string(rollout.type.wireName)
            writer.raw(",\"rank\":")
            writer.int(rollout.rank)
            switch rollout.rule {
            case .threshold(let threshold):
                writer.raw(",\"threshold\":{\"percentage\":")
                writer.float(threshold.percentage)
                writer.raw(",\"value\":")
                writer.bool(threshold.value)
                writer.raw("}")
            case .segment(let segment):
                writer.raw(",\"segment\":{\"value\":")
                writer.bool(segment.value)
                writer.raw(",\"segmentOperator\":")
                writer.string(segment.segmentOperator.wireName)
                writer.raw(",\"segments\":")
                segments(segment.segmentKeys.compactMap { state.segments[$0] })
                writer.raw("}")
            }
            writer.raw("}")
        }

        /// Segments as Flipt's evaluation store sees them: no name, description or timestamps
        /// (unset timestamps are omitted: Flipt's marshaler uses `EmitDefaultValues`, not `EmitUnpopulated`).
        mutating func segments(_ segments: [Segment]) {
            writer.raw("[")
            for (index, segment) in segments.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.raw("{\"key\":")
                writer.string(segment.key)
                writer.raw(",\"name\":\"\",\"description\":\"\",\"matchType\":")
                writer.string(segment.matchType.snapshotName)
                writer.raw(",\"constraints\":[")
                for (constraintIndex, constraint) in segment.constraints.enumerated() {
                    if constraintIndex > 0 { writer.raw(",") }
                    self.constraint(constraint)
                }
                writer.raw("]}")
            }
            writer.raw("]")
        }

        mutating func constraint(_ constraint: Constraint) {
            let type = constraint.type == .entityId && !entityIdConstraintsSupported ? .unknown : constraint.type
            writer.raw("{\"id\":")
            writer.string(constraint.id)
            writer.raw(",\"type\":")
            writer.string(type.snapshotName)
            writer.raw(",\"property\":")
            writer.string(constraint.property)
            writer.raw(",\"operator\":")
            writer.string(constraint.operator)
            writer.raw(",\"value\":")
            writer.string(constraint.value)
            writer.raw("}")
        }
    }
}
