public import HoistCore

/// Builds export documents from stored entities, the way Flipt's exporter does (spec §6.5).
public enum DocumentExport {
    /// One namespace's document.
    /// - Parameters:
    ///   - includeVersion: true for the first document of a file only (it carries `version: "1.4"`).
    ///   - sortByKey: `--sort-by-key`: flags, segments and variants by key (rules and rollouts keep rank order).
    public static func document(
        namespace: Namespace, flags: [Flag], rules: [String: [Rule]], rollouts: [String: [Rollout]],
        segments: [Segment], includeVersion: Bool, sortByKey: Bool
    ) -> FliptDocument {
        var document = FliptDocument(
            version: includeVersion ? DocumentVersion.latest.description : nil,
            namespace: DocumentNamespace(
                key: namespace.key, name: namespace.name, description: namespace.description, isExplicit: true))
        let orderedFlags = sortByKey ? flags.sorted { $0.key < $1.key } : flags
        document.flags = orderedFlags.map { flag in
            exportFlag(flag, rules: rules[flag.key] ?? [], rollouts: rollouts[flag.key] ?? [], sortByKey: sortByKey)
        }
        let orderedSegments = sortByKey ? segments.sorted { $0.key < $1.key } : segments
        document.segments = orderedSegments.map { segment in
            DocumentSegment(
                key: segment.key, name: segment.name, description: segment.description, matchType: segment.matchType,
                constraints: segment.constraints.map { c in
                    DocumentConstraint(type: c.type, property: c.property, operator: c.operator, value: c.value,
                                       description: c.description)
                })
        }
        return document
    }

    /// The document of a whole ``NamespaceState`` (flags in creation order, segments by creation time).
    public static func document(namespace: Namespace, state: NamespaceState, segmentOrder: [String]? = nil,
                                includeVersion: Bool, sortByKey: Bool) -> FliptDocument {
        let segments = (segmentOrder ?? state.segments.values.sorted { ($0.createdAt, $0.key) < ($1.createdAt, $1.key) }.map(\.key))
            .compactMap { state.segments[$0] }
        return document(namespace: namespace, flags: state.flags, rules: state.rules, rollouts: state.rollouts,
                        segments: segments, includeVersion: includeVersion, sortByKey: sortByKey)
    }

    static func exportFlag(_ flag: Flag, rules: [Rule], rollouts: [Rollout], sortByKey: Bool) -> DocumentFlag {
        var exported = DocumentFlag(
            key: flag.key, name: flag.name, type: flag.type, description: flag.description, enabled: flag.enabled)
        if case .object(let members)? = flag.metadata, !members.isEmpty { exported.metadata = flag.metadata }
        let variants = sortByKey ? flag.variants.sorted { $0.key < $1.key } : flag.variants
        exported.variants = variants.map { variant in
            DocumentVariant(
                isDefault: variant.id == flag.defaultVariant?.id, key: variant.key, name: variant.name,
                description: variant.description,
                attachment: variant.attachment.isEmpty ? nil : (try? JSONParser.parse(variant.attachment)))
        }
        let variantKeys = Dictionary(flag.variants.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
        exported.rules = rules.sorted { $0.rank < $1.rank }.map { rule in
            DocumentRule(
                segment: DocumentSegmentReference(keys: rule.segmentKeys, segmentOperator: rule.segmentOperator),
                distributions: rule.distributions.map {
                    DocumentDistribution(variantKey: variantKeys[$0.variantId] ?? $0.variantId, rollout: $0.rollout)
                })
        }
        exported.rollouts = rollouts.sorted { $0.rank < $1.rank }.map { rollout in
            switch rollout.rule {
            case .segment(let segment):
                DocumentRollout(
                    description: rollout.description,
                    target: .segment(
                        DocumentSegmentReference(keys: segment.segmentKeys, segmentOperator: segment.segmentOperator),
                        value: segment.value))
            case .threshold(let threshold):
                DocumentRollout(
                    description: rollout.description,
                    target: .threshold(percentage: threshold.percentage, value: threshold.value))
            }
        }
        return exported
    }
}
