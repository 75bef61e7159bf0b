import HoistCore

extension DocumentCheck {
    mutating func flag(_ flag: DocumentFlag, position: Int, seen: inout Set<String>, knownSegments: Set<String>?) {
        let path = DocumentPath([.key("flags"), .index(position)])
        let namespaceKey = document.namespace.key
        let subject = DocumentDecoder.label("flag", key: flag.key, position: position + 1)
        request(path, subject) { () throws(HoistError) in
            try Validation.validate(
                CreateFlagRequest(namespaceKey: namespaceKey, key: flag.key, name: flag.name))
        }
        if !flag.key.isEmpty && !seen.insert(flag.key).inserted {
            report(path.appending("key"), subject, field: "key", "duplicate flag key \"\(flag.key)\" in namespace")
        }
        if flag.type != nil { gate("flag.type", .v1_1, path.appending("type"), subject, field: "type") }
        if !flag.rollouts.isEmpty { gate("flag.rollouts", .v1_1, path.appending("rollouts"), subject, field: "rollouts") }

        var variantKeys = Set<String>()
        for (index, variant) in flag.variants.enumerated() {
            let variantPath = path.appending("variants").appending(index)
            let variantSubject = DocumentDecoder.joined(
                subject, DocumentDecoder.label("variant", key: variant.key, position: index + 1))
            let attachment = variant.attachment.map(\.compactText) ?? ""
            request(variantPath, variantSubject) { () throws(HoistError) in
                try Validation.validate(CreateVariantRequest(
                    namespaceKey: namespaceKey, flagKey: flag.key.isEmpty ? "-" : flag.key,
                    key: variant.key, attachment: attachment))
            }
            if !variant.key.isEmpty && !variantKeys.insert(variant.key).inserted {
                report(variantPath.appending("key"), variantSubject, field: "key",
                       "duplicate variant key \"\(variant.key)\" in flag")
            }
            if variant.isDefault {
                gate("variant.default", .v1_3, variantPath.appending("default"), variantSubject, field: "default")
            }
        }

        for (index, rule) in flag.rules.enumerated() {
            let rulePath = path.appending("rules").appending(index)
            let ruleSubject = DocumentDecoder.joined(subject, "rule \(index + 1)")
            segmentReference(rule.segment, path: rulePath.appending("segment"), subject: ruleSubject,
                             knownSegments: knownSegments)
            if rule.rank == nil || rule.rank == 0 {
                if version < .v1_1 {
                    report(rulePath, ruleSubject, field: "rank",
                           "rank is required before version 1.1 (implicit rank is supported in version >=1.1, found \(version))")
                }
            } else if let rank = rule.rank, rank < 0 {
                report(rulePath.appending("rank"), ruleSubject, field: "rank", "must be greater than 0")
            }
            for (distributionIndex, distribution) in rule.distributions.enumerated() {
                let distributionPath = rulePath.appending("distributions").appending(distributionIndex)
                let distributionSubject = DocumentDecoder.joined(ruleSubject, "distribution \(distributionIndex + 1)")
                if distribution.variantKey.isEmpty {
                    report(distributionPath.appending("variant"), distributionSubject, field: "variant", "must not be empty")
                } else if !variantKeys.contains(distribution.variantKey) {
                    report(distributionPath.appending("variant"), distributionSubject, field: "variant",
                           "finding variant: \(distribution.variantKey); flag: \(flag.key)")
                }
                if !(distribution.rollout >= 0 && distribution.rollout <= 100) {
                    report(distributionPath.appending("rollout"), distributionSubject, field: "rollout",
                           "must be between 0 and 100")
                }
            }
        }

        for (index, rollout) in flag.rollouts.enumerated() {
            let rolloutPath = path.appending("rollouts").appending(index)
            let rolloutSubject = DocumentDecoder.joined(subject, "rollout \(index + 1)")
            switch rollout.target {
            case .segment(let reference, _):
                if !reference.isSingleKeyForm || reference.keys.count != 1 {
                    gate("rollouts[*].segment.keys", .v1_2, rolloutPath.appending("segment").appending("keys"),
                         rolloutSubject, field: "segment.keys")
                }
                segmentReference(reference, path: rolloutPath.appending("segment"), subject: rolloutSubject,
                                 knownSegments: knownSegments)
            case .threshold(let percentage, _):
                if !(percentage >= 0 && percentage <= 100) {
                    report(rolloutPath.appending("threshold"), rolloutSubject, field: "threshold.percentage",
                           "must be within range [0, 100]")
                }
            }
        }
    }

    mutating func segmentReference(_ reference: DocumentSegmentReference, path: DocumentPath, subject: String,
                                   knownSegments: Set<String>?) {
        if reference.keys.isEmpty || reference.keys.contains(where: \.isEmpty) {
            report(path, subject, field: "segment", "must name at least one segment key")
            return
        }
        guard let knownSegments else { return }
        for key in reference.keys where !knownSegments.contains(key) {
            report(path, subject, field: "segment", "segment \"\(key)\" is not defined in namespace \"\(document.namespace.key)\"")
        }
    }
}
