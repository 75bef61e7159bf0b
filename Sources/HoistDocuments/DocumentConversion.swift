import HoistCore
public import HoistStorage

/// Converts validated documents into the requests that create them (``ImportBatch``).
public enum DocumentConversion {
    /// The import plan of a validated file (spec §6.4: namespaces, then per document segments with
    /// their constraints, flags with variants and default, rules with distributions, rollouts).
    /// Rule ranks are explicit or positional; rollout ranks are positional.
    public static func importBatch(_ documents: [FliptDocument], skipExisting: Bool = false) -> ImportBatch {
        ImportBatch(
            namespaces: documents.enumerated().map { index, document in
                namespaceImport(document, documentIndex: index + 1)
            },
            skipExisting: skipExisting)
    }

    static func namespaceImport(_ document: FliptDocument, documentIndex: Int) -> NamespaceImport {
        let ns = document.namespace.key
        let name = document.namespace.name.flatMap { $0.isEmpty ? nil : $0 } ?? ns
        return NamespaceImport(
            namespace: CreateNamespaceRequest(key: ns, name: name, description: document.namespace.description ?? ""),
            documentIndex: documentIndex,
            flags: document.flags.map { flagImport($0, namespaceKey: ns) },
            segments: document.segments.map { segment in
                SegmentImport(
                    segment: CreateSegmentRequest(
                        namespaceKey: ns, key: segment.key, name: segment.name, description: segment.description,
                        matchType: segment.matchType),
                    constraints: segment.constraints.map { constraint in
                        ConstraintRequest(
                            namespaceKey: ns, segmentKey: segment.key, type: constraint.type,
                            property: constraint.property, operator: constraint.operator, value: constraint.value,
                            description: constraint.description)
                    })
            })
    }

    static func flagImport(_ flag: DocumentFlag, namespaceKey ns: String) -> FlagImport {
        FlagImport(
            flag: CreateFlagRequest(
                namespaceKey: ns, key: flag.key, name: flag.name, description: flag.description,
                enabled: flag.enabled, type: flag.effectiveType, metadata: flag.metadata),
            variants: flag.variants.map { variant in
                CreateVariantRequest(
                    namespaceKey: ns, flagKey: flag.key, key: variant.key, name: variant.name,
                    description: variant.description, attachment: variant.attachment.map(\.compactText) ?? "")
            },
            defaultVariantKey: flag.variants.last(where: \.isDefault)?.key,
            rules: flag.rules.enumerated().map { index, rule in
                RuleImport(
                    rule: RuleRequest(
                        namespaceKey: ns, flagKey: flag.key,
                        segmentKey: rule.segment.keys.count == 1 ? rule.segment.keys[0] : "",
                        segmentKeys: rule.segment.keys.count == 1 ? [] : rule.segment.keys,
                        segmentOperator: rule.segment.segmentOperator,
                        rank: Int32(rule.rank.flatMap { $0 > 0 ? $0 : nil } ?? index + 1)),
                    distributions: rule.distributions.map {
                        DistributionImport(variantKey: $0.variantKey, rollout: $0.rollout)
                    })
            },
            rollouts: flag.rollouts.enumerated().map { index, rollout in
                let member: RolloutRequest.Member
                switch rollout.target {
                case .segment(let reference, let value):
                    member = .segment(
                        segmentKey: reference.keys.count == 1 ? reference.keys[0] : "",
                        segmentKeys: reference.keys.count == 1 ? [] : reference.keys,
                        segmentOperator: reference.segmentOperator, value: value)
                case .threshold(let percentage, let value):
                    member = .threshold(percentage: percentage, value: value)
                }
                return RolloutRequest(
                    namespaceKey: ns, flagKey: flag.key, rank: Int32(index + 1), description: rollout.description,
                    member: member)
            })
    }
}
