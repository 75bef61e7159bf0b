/// The `audit.events` filter (spec observability §3.4, Flipt `internal/server/audit/checker.go`).
///
/// Config key `audit.events`, env `FLIPT_AUDIT_EVENTS` (space-separated), default `["*:*"]`.
/// Each entry is `noun:verb`; `*` expands to every noun / verb. Errors use Flipt's messages.
public struct AuditEventFilter: Sendable, Equatable {
    /// Every noun Flipt audits, in its order.
    public static let nouns = ["constraint", "distribution", "flag", "namespace", "rollout", "rule", "segment",
                               "token", "variant"]
    public static let verbs = ["created", "updated", "deleted"]

    /// The expanded `type:action` pairs.
    public let pairs: Set<String>

    /// All pairs (`*:*`).
    public static let all = try! AuditEventFilter(["*:*"])

    /// Parses and expands the entries; throws ``AuditConfigurationError`` with Flipt's message.
    public init(_ entries: [String]) throws(AuditConfigurationError) {
        var pairs = Set<String>()
        for entry in entries {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { throw AuditConfigurationError("invalid event pair: \(entry)") }
            let nouns: [String]
            if parts[0] == "*" {
                nouns = Self.nouns
            } else if Self.nouns.contains(parts[0]) {
                nouns = [parts[0]]
            } else {
                throw AuditConfigurationError("invalid noun: \(parts[0])")
            }
            let verbs: [String]
            if parts[1] == "*" {
                verbs = Self.verbs
            } else if Self.verbs.contains(parts[1]) {
                verbs = [parts[1]]
            } else {
                throw AuditConfigurationError("invalid verb: \(parts[1])")
            }
            for noun in nouns {
                for verb in verbs {
                    let pair = "\(noun):\(verb)"
                    guard pairs.insert(pair).inserted else {
                        throw AuditConfigurationError("repeated event pair: \(pair)")
                    }
                }
            }
        }
        guard !pairs.isEmpty else { throw AuditConfigurationError("no event pairs exist") }
        self.pairs = pairs
    }

    /// Whether events of `type` with `action` are recorded.
    public func allows(type: String, action: String) -> Bool { pairs.contains("\(type):\(action)") }
}

/// An invalid audit setting, with the message to show at start-up.
public struct AuditConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
