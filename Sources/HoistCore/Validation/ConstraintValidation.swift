/// Constraint type/operator/value rules of Flipt v1 (`CreateConstraintRequest.Validate`) plus the
/// normalisation its SQL store applies (lower-cased operator, cleared value, UTC datetimes).
extension Validation {
    public static let noValueOperators: Set<String> = ["true", "false", "empty", "notempty", "present", "notpresent"]

    static func operators(for type: ComparisonType) -> Set<String> {
        switch type {
        case .string: ["eq", "neq", "empty", "notempty", "prefix", "suffix", "isoneof", "isnotoneof", "contains",
                       "notcontains"]
        case .number, .datetime: ["eq", "neq", "lt", "lte", "gt", "gte", "present", "notpresent", "isoneof",
                                  "isnotoneof"]
        case .boolean: ["true", "false", "present", "notpresent"]
        case .entityId: ["eq", "neq", "isoneof", "isnotoneof", "contains", "notcontains"]
        case .unknown: []
        }
    }

    /// Validates a create/update constraint request and returns it normalised for storage.
    /// - Parameter normalizeDatetime: turns an RFC 3339 or date-only value into Flipt's stored form, nil if invalid.
    public static func validatedConstraint(
        _ r: ConstraintRequest, updating: Bool, normalizeDatetime: (String) -> String?
    ) throws(HoistError) -> ConstraintRequest {
        if updating { try requireNonEmpty(r.id, "id") }
        try requireNonEmpty(r.segmentKey, "segmentKey")
        try requireNonEmpty(r.property, "property")
        try requireNonEmpty(r.operator, "operator")
        let op = asciiLowercased(r.operator)
        if r.type == .unknown { throw .invalid("invalid constraint type: \"UNKNOWN_COMPARISON_TYPE\"") }
        guard operators(for: r.type).contains(op) else {
            throw .invalid("constraint operator \"\(r.operator)\" is not valid for type \(r.type.shortName)")
        }
        if r.type == .entityId && r.property != "entityId" {
            throw .invalid("property is \(r.property) instead of \"entityId\"")
        }
        var out = r
        out.operator = op
        if noValueOperators.contains(op) {
            out.value = ""
            return out
        }
        if r.value.isEmpty { throw .emptyField("value") }
        if r.type == .datetime {
            guard let normalized = normalizeDatetime(r.value) else {
                throw .invalid("parsing datetime from \"\(r.value)\"")
            }
            out.value = normalized
            return out
        }
        if op == "isoneof" || op == "isnotoneof" {
            try validateArray(r.value, type: r.type, property: r.property)
        }
        return out
    }

    static func validateArray(_ value: String, type: ComparisonType, property: String) throws(HoistError) {
        let invalid = HoistError.invalid(
            "invalid value provided for property \"\(property)\" of type \(type.shortName)")
        guard case .array(let items)? = try? JSONParser.parse(value) else { throw invalid }
        let wantNumbers = type == .number
        for item in items {
            switch item {
            case .number where wantNumbers: continue
            case .string where !wantNumbers: continue
            default: throw invalid
            }
        }
        if items.count > maximumArrayItems {
            throw .invalid(
                "too many values provided for property \"\(property)\" of type \(type.shortName) (maximum \(maximumArrayItems))")
        }
    }

    static func asciiLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
