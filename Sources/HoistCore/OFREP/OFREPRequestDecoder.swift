/// Decodes OFREP evaluation bodies (`{"context": {"<k>": "<string>", …}}`, evaluation spec §7.1)
/// straight from the body bytes, with the same leniency as ``EvaluationRequestDecoder``: an empty
/// body or `null` is `{}`, a `null` context is empty, a `null` value is `""`, unknown members are
/// skipped. Any other non-string context value is an error (Flipt answers 400 `INVALID_CONTEXT`).
public enum OFREPRequestDecoder {
    /// The evaluation context of an OFREP request body.
    public static func context(_ bytes: UnsafeRawBufferPointer) throws(HoistError) -> [String: String] {
        var reader = EvaluationRequestDecoder.Reader(bytes.bindMemory(to: UInt8.self))
        guard try reader.beginTopLevelObject() else { return [:] }
        var context: [String: String] = [:]
        try reader.members { reader, key throws(HoistError) in
            if key == "context" {
                context = try reader.readContext()
            } else {
                try reader.skipValue()
            }
        }
        try reader.finish()
        return context
    }
}

/// OFREP's vocabulary as Flipt v1.61.1 speaks it (evaluation spec §7).
public enum OFREP {
    /// The context key whose value becomes the entity id.
    public static let targetingKey = "targetingKey"
    /// The context key listing the flags a bulk request evaluates (comma-separated).
    public static let flagsKey = "flags"

    /// `EvaluateReason` for a Flipt evaluation reason.
    public static func reason(_ reason: EvaluationReason) -> StaticString {
        switch reason {
        case .flagDisabled: "DISABLED"
        case .match: "TARGETING_MATCH"
        case .default: "DEFAULT"
        case .unknown: "UNKNOWN"
        }
    }

    /// The entity id of an evaluation: the `targetingKey`, else `""`. Flipt uses a random UUID
    /// when it is absent, so percentage rollouts change on every call; an empty id keeps results
    /// stable (and bulk responses cacheable).
    public static func entityId(_ context: [String: String]) -> String { context[targetingKey] ?? "" }

    /// The flag keys named by a bulk request's `flags` context value, trimmed, in order; nil when
    /// the context has no `flags` key (then every boolean and every enabled variant flag is evaluated).
    public static func requestedFlagKeys(_ context: [String: String]) -> [String]? {
        guard let list = context[flagsKey] else { return nil }
        return list.split(separator: ",", omittingEmptySubsequences: false).map { GoStrings.trimSpace(String($0)) }
    }

    /// The flags a bulk request without a `flags` list evaluates: every boolean flag and every
    /// enabled variant flag, in store listing order.
    public static func defaultBulkFlagKeys(_ snapshot: EvaluationSnapshot) -> [String] {
        snapshot.flags.compactMap { flag in flag.type == .boolean || flag.enabled ? flag.key : nil }
    }
}
