public import HoistCore

/// protojson encodings of the management entities: camelCase, proto field order, defaults emitted,
/// optional messages omitted when unset.
extension JSONWriter {
    public mutating func namespace(_ n: Namespace) {
        raw("{")
        field("key", first: true); string(n.key)
        field("name"); string(n.name)
        field("description"); string(n.description)
        field("protected"); bool(n.protected)
        field("createdAt"); string(n.createdAt.rfc3339)
        field("updatedAt"); string(n.updatedAt.rfc3339)
        raw("}")
    }

    public mutating func flag(_ f: Flag, compactAttachments: Bool = true) {
        raw("{")
        field("key", first: true); string(f.key)
        field("name"); string(f.name)
        field("description"); string(f.description)
        field("enabled"); bool(f.enabled)
        field("createdAt"); string(f.createdAt.rfc3339)
        field("updatedAt"); string(f.updatedAt.rfc3339)
        field("variants"); array(f.variants) { w, v in w.variant(v) }
        field("namespaceKey"); string(f.namespaceKey)
        field("type"); string(f.type.wireName)
        if let d = f.defaultVariant {
            field("defaultVariant"); variant(d)
        }
        if let m = f.metadata {
            field("metadata"); value(m)
        }
        raw("}")
    }

    public mutating func variant(_ v: Variant) {
        raw("{")
        field("id", first: true); string(v.id)
        field("flagKey"); string(v.flagKey)
        field("key"); string(v.key)
        field("name"); string(v.name)
        field("description"); string(v.description)
        field("createdAt"); string(v.createdAt.rfc3339)
        field("updatedAt"); string(v.updatedAt.rfc3339)
        field("attachment"); string(v.attachment)
        field("namespaceKey"); string(v.namespaceKey)
        raw("}")
    }

    public mutating func segment(_ s: Segment) {
        raw("{")
        field("key", first: true); string(s.key)
        field("name"); string(s.name)
        field("description"); string(s.description)
        field("createdAt"); string(s.createdAt.rfc3339)
        field("updatedAt"); string(s.updatedAt.rfc3339)
        field("constraints"); array(s.constraints) { w, c in w.constraint(c) }
        field("matchType"); string(s.matchType.wireName)
        field("namespaceKey"); string(s.namespaceKey)
        raw("}")
    }

    public mutating func constraint(_ c: Constraint) {
        raw("{")
        field("id", first: true); string(c.id)
        field("segmentKey"); string(c.segmentKey)
        field("type"); string(c.type.wireName)
        field("property"); string(c.property)
        field("operator"); string(c.operator)
        field("value"); string(c.value)
        field("createdAt"); string(c.createdAt.rfc3339)
        field("updatedAt"); string(c.updatedAt.rfc3339)
        field("namespaceKey"); string(c.namespaceKey)
        field("description"); string(c.description)
        raw("}")
    }

    public mutating func rule(_ r: Rule) {
        let single = r.segmentKeys.count == 1
        raw("{")
        field("id", first: true); string(r.id)
        field("flagKey"); string(r.flagKey)
        field("segmentKey"); string(single ? r.segmentKeys[0] : "")
        field("distributions"); array(r.distributions) { w, d in w.distribution(d) }
        field("rank"); int(r.rank)
        field("createdAt"); string(r.createdAt.rfc3339)
        field("updatedAt"); string(r.updatedAt.rfc3339)
        field("namespaceKey"); string(r.namespaceKey)
        field("segmentKeys"); array(single ? [] : r.segmentKeys) { w, k in w.string(k) }
        field("segmentOperator"); string(r.segmentOperator.wireName)
        raw("}")
    }

    public mutating func distribution(_ d: Distribution) {
        raw("{")
        field("id", first: true); string(d.id)
        field("ruleId"); string(d.ruleId)
        field("variantId"); string(d.variantId)
        field("rollout"); float(d.rollout)
        field("createdAt"); string(d.createdAt.rfc3339)
        field("updatedAt"); string(d.updatedAt.rfc3339)
        raw("}")
    }

    public mutating func rollout(_ r: Rollout) {
        raw("{")
        field("id", first: true); string(r.id)
        field("namespaceKey"); string(r.namespaceKey)
        field("flagKey"); string(r.flagKey)
        field("type"); string(r.type.wireName)
        field("rank"); int(r.rank)
        field("description"); string(r.description)
        field("createdAt"); string(r.createdAt.rfc3339)
        field("updatedAt"); string(r.updatedAt.rfc3339)
        switch r.rule {
        case .segment(let s):
            let single = s.segmentKeys.count == 1
            field("segment"); raw("{")
            field("segmentKey", first: true); string(single ? s.segmentKeys[0] : "")
            field("value"); bool(s.value)
            field("segmentKeys"); array(single ? [] : s.segmentKeys) { w, k in w.string(k) }
            field("segmentOperator"); string(s.segmentOperator.wireName)
            raw("}")
        case .threshold(let t):
            field("threshold"); raw("{")
            field("percentage", first: true); float(t.percentage)
            field("value"); bool(t.value)
            raw("}")
        }
        raw("}")
    }

    /// `{"<arrayName>":[…],"nextPageToken":"…","totalCount":N}`
    public mutating func list<T>(
        _ arrayName: StaticString, _ page: Page<T>, _ element: (inout JSONWriter, T) -> Void
    ) {
        raw("{")
        field(arrayName, first: true); array(page.items, element)
        field("nextPageToken"); string(page.nextPageToken)
        field("totalCount"); int(page.totalCount)
        raw("}")
    }
}
