public import HoistCore

/// One evaluation request as decoded from JSON (`flipt.evaluation.EvaluationRequest`).
public struct EvaluationInput: Sendable {
    public var requestId: String
    /// As sent; empty means `default`.
    public var namespaceKey: String
    public var flagKey: String
    public var entityId: String
    public var context: [String: String]

    public var effectiveNamespace: String { namespaceKey.isEmpty ? Namespace.defaultKey : namespaceKey }

    /// Decodes the request fields; context values must be strings (`null` reads as `""`).
    public init(_ b: BodyFields) throws(HoistError) {
        requestId = try b.string("requestId", "request_id")
        namespaceKey = try b.string("namespaceKey", "namespace_key")
        flagKey = try b.string("flagKey", "flag_key")
        entityId = try b.string("entityId", "entity_id")
        context = [:]
        if let value = b.value("context") {
            guard case .object(let members) = value else { throw .invalid(BodyFields.wrongTypeMessage) }
            context.reserveCapacity(members.count)
            for (key, member) in members {
                switch member {
                case .string(let s): context[key] = s
                case .null: context[key] = ""
                default: throw .invalid(BodyFields.wrongTypeMessage)
                }
            }
        }
    }
}
