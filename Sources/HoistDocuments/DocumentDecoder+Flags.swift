import HoistCore

extension DocumentDecoder {
    static func label(_ kind: String, key: String?, position: Int) -> String {
        if let key, !key.isEmpty { return "\(kind) \"\(key)\"" }
        return "\(kind) \(position)"
    }

    func decodeFlag(_ node: DocumentNode, path: DocumentPath, position: Int) -> DocumentFlag? {
        guard let fields = members(node, Self.label("flag", key: nil, position: position), field: nil) else { return nil }
        let map = DocumentNode.mapping(fields, node.location)
        locations[path] = node.location
        let key = string(map["key"], Self.label("flag", key: nil, position: position), field: "key") ?? ""
        let subject = Self.label("flag", key: key, position: position)
        var flag = DocumentFlag(key: key, name: string(map["name"], subject, field: "name") ?? "")
        flag.type = enumeration(map["type"], subject, field: "type", FlagType.allCases, name: \.wireName)
        flag.description = string(map["description"], subject, field: "description") ?? ""
        flag.enabled = bool(map["enabled"], subject, field: "enabled") ?? false
        for field in ["type", "rollouts", "metadata", "name", "key"] {
            if let located = map[field] { locations[path.appending(field)] = located.location }
        }
        if let metadata = map["metadata"] {
            switch json(metadata, subject, field: "metadata") {
            case .object(let members)? where !members.isEmpty: flag.metadata = .object(members)
            case .object?, nil: break
            default: fail(metadata.location, subject, field: "metadata", "expected a mapping, found \(metadata.kindName)")
            }
        }
        for (index, item) in items(map["variants"], subject, field: "variants").enumerated() {
            let variantPath = path.appending("variants").appending(index)
            if let variant = decodeVariant(item, flag: subject, path: variantPath, position: index + 1) {
                flag.variants.append(variant)
            }
        }
        for (index, item) in items(map["rules"], subject, field: "rules").enumerated() {
            if let rule = decodeRule(item, flag: subject, path: path.appending("rules").appending(index), position: index + 1) {
                flag.rules.append(rule)
            }
        }
        for (index, item) in items(map["rollouts"], subject, field: "rollouts").enumerated() {
            let rolloutPath = path.appending("rollouts").appending(index)
            if let rollout = decodeRollout(item, flag: subject, path: rolloutPath, position: index + 1) {
                flag.rollouts.append(rollout)
            }
        }
        return flag
    }

    func decodeVariant(_ node: DocumentNode, flag: String, path: DocumentPath, position: Int) -> DocumentVariant? {
        let anonymous = Self.joined(flag, "variant \(position)")
        guard let fields = members(node, anonymous, field: nil) else { return nil }
        let map = DocumentNode.mapping(fields, node.location)
        locations[path] = node.location
        for field in ["default", "key", "attachment"] {
            if let located = map[field] { locations[path.appending(field)] = located.location }
        }
        let key = string(map["key"], anonymous, field: "key") ?? ""
        let subject = Self.joined(flag, Self.label("variant", key: key, position: position))
        return DocumentVariant(
            isDefault: bool(map["default"], subject, field: "default") ?? false, key: key,
            name: string(map["name"], subject, field: "name") ?? "",
            description: string(map["description"], subject, field: "description") ?? "",
            attachment: json(map["attachment"], subject, field: "attachment"))
    }

    /// `segment: key`, `segment: {keys: […], operator: …}` (rules) or `segment: {key|keys, operator, value}` (rollouts).
    func decodeSegmentReference(_ node: DocumentNode, _ subject: String, path: DocumentPath)
        -> (DocumentSegmentReference, value: Bool)?
    {
        locations[path] = node.location
        if case .scalar(let text, let kind, _) = node, kind != .null {
            return (DocumentSegmentReference(keys: [text], isSingleKeyForm: true), false)
        }
        guard let fields = members(node, subject, field: "segment") else { return nil }
        let map = DocumentNode.mapping(fields, node.location)
        let key = string(map["key"], subject, field: "segment.key") ?? ""
        let keyNodes = items(map["keys"], subject, field: "segment.keys")
        let keys = keyNodes.compactMap { string($0, subject, field: "segment.keys") }
        if let keysNode = map["keys"] { locations[path.appending("keys")] = keysNode.location }
        if !key.isEmpty && !keys.isEmpty {
            fail(node.location, subject, field: "segment", "only one of key and keys may be given")
            return nil
        }
        let op = enumeration(map["operator"], subject, field: "segment.operator", SegmentOperator.allCases,
                             name: \.wireName) ?? .or
        let value = bool(map["value"], subject, field: "segment.value") ?? false
        let reference = key.isEmpty
            ? DocumentSegmentReference(keys: keys, segmentOperator: op, isSingleKeyForm: false)
            : DocumentSegmentReference(keys: [key], segmentOperator: op, isSingleKeyForm: true)
        return (reference, value)
    }

    func decodeRule(_ node: DocumentNode, flag: String, path: DocumentPath, position: Int) -> DocumentRule? {
        let subject = Self.joined(flag, "rule \(position)")
        guard let fields = members(node, subject, field: nil) else { return nil }
        let map = DocumentNode.mapping(fields, node.location)
        locations[path] = node.location
        guard let segmentNode = map["segment"] else {
            fail(node.location, subject, field: "segment", "missing segment")
            return nil
        }
        guard let decoded = decodeSegmentReference(segmentNode, subject, path: path.appending("segment"))
        else { return nil }
        var rule = DocumentRule(segment: decoded.0, rank: integer(map["rank"], subject, field: "rank"))
        if let rank = map["rank"] { locations[path.appending("rank")] = rank.location }
        for (index, item) in items(map["distributions"], subject, field: "distributions").enumerated() {
            let distributionSubject = Self.joined(subject, "distribution \(index + 1)")
            let distributionPath = path.appending("distributions").appending(index)
            guard let distributionFields = members(item, distributionSubject, field: nil) else { continue }
            let distribution = DocumentNode.mapping(distributionFields, item.location)
            locations[distributionPath] = item.location
            if let variant = distribution["variant"] { locations[distributionPath.appending("variant")] = variant.location }
            if let rollout = distribution["rollout"] { locations[distributionPath.appending("rollout")] = rollout.location }
            rule.distributions.append(DocumentDistribution(
                variantKey: string(distribution["variant"], distributionSubject, field: "variant") ?? "",
                rollout: Float(number(distribution["rollout"], distributionSubject, field: "rollout") ?? 0)))
        }
        return rule
    }

    func decodeRollout(_ node: DocumentNode, flag: String, path: DocumentPath, position: Int) -> DocumentRollout? {
        let subject = Self.joined(flag, "rollout \(position)")
        guard let fields = members(node, subject, field: nil) else { return nil }
        let map = DocumentNode.mapping(fields, node.location)
        locations[path] = node.location
        let description = string(map["description"], subject, field: "description") ?? ""
        switch (map["segment"], map["threshold"]) {
        case (let segment?, nil):
            guard let decoded = decodeSegmentReference(segment, subject, path: path.appending("segment"))
            else { return nil }
            return DocumentRollout(description: description, target: .segment(decoded.0, value: decoded.value))
        case (nil, let threshold?):
            guard let thresholdFields = members(threshold, subject, field: "threshold") else { return nil }
            let map = DocumentNode.mapping(thresholdFields, threshold.location)
            locations[path.appending("threshold")] = threshold.location
            let percentage = number(map["percentage"], subject, field: "threshold.percentage") ?? 0
            let value = bool(map["value"], subject, field: "threshold.value") ?? false
            return DocumentRollout(description: description, target: .threshold(percentage: Float(percentage), value: value))
        case (_?, _?):
            fail(node.location, subject, field: nil, "a rollout has either segment or threshold, not both")
            return nil
        case (nil, nil):
            fail(node.location, subject, field: nil, "a rollout needs a segment or a threshold")
            return nil
        }
    }

    func decodeSegment(_ node: DocumentNode, path: DocumentPath, position: Int) -> DocumentSegment? {
        guard let fields = members(node, Self.label("segment", key: nil, position: position), field: nil) else { return nil }
        let map = DocumentNode.mapping(fields, node.location)
        locations[path] = node.location
        let key = string(map["key"], Self.label("segment", key: nil, position: position), field: "key") ?? ""
        let subject = Self.label("segment", key: key, position: position)
        var segment = DocumentSegment(
            key: key, name: string(map["name"], subject, field: "name") ?? "",
            description: string(map["description"], subject, field: "description") ?? "",
            matchType: enumeration(map["match_type"], subject, field: "match_type", MatchType.allCases,
                                   name: \.wireName) ?? .all)
        for field in ["key", "name"] {
            if let located = map[field] { locations[path.appending(field)] = located.location }
        }
        for (index, item) in items(map["constraints"], subject, field: "constraints").enumerated() {
            let constraintSubject = Self.joined(subject, "constraint \(index + 1)")
            let constraintPath = path.appending("constraints").appending(index)
            guard let constraintFields = members(item, constraintSubject, field: nil) else { continue }
            let constraint = DocumentNode.mapping(constraintFields, item.location)
            locations[constraintPath] = item.location
            for field in ["type", "property", "operator", "value"] {
                if let located = constraint[field] { locations[constraintPath.appending(field)] = located.location }
            }
            let type = enumeration(constraint["type"], constraintSubject, field: "type", ComparisonType.allCases,
                                   name: \.wireName)
            segment.constraints.append(DocumentConstraint(
                type: type ?? .unknown, property: string(constraint["property"], constraintSubject, field: "property") ?? "",
                operator: string(constraint["operator"], constraintSubject, field: "operator") ?? "",
                value: constraintValue(constraint["value"], constraintSubject),
                description: string(constraint["description"], constraintSubject, field: "description") ?? ""))
        }
        return segment
    }

    /// A constraint value is text; a list (as newer exporters write `isoneof` values) becomes its JSON text.
    func constraintValue(_ node: DocumentNode?, _ subject: String) -> String {
        guard let node else { return "" }
        if case .sequence = node { return json(node, subject, field: "value")?.compactText ?? "" }
        return string(node, subject, field: "value") ?? ""
    }
}
