/// One cell of the evaluation analytics: how many evaluations of one flag ended with one
/// reason and value during one UTC minute.
public struct EvaluationCount: Sendable, Hashable {
    /// Start of the minute, in seconds since the Unix epoch (a multiple of 60).
    public var minute: Int64
    public var namespaceKey: String
    public var flagKey: String
    /// The evaluation reason's wire name (`MATCH_EVALUATION_REASON`, …), or `ERROR` when the
    /// evaluator failed.
    public var reason: String
    /// The variant key (variant flags; `""` when none), `true`/`false` (boolean flags), or `""`
    /// for errors.
    public var value: String
    public var count: Int64

    public init(minute: Int64, namespaceKey: String, flagKey: String, reason: String, value: String, count: Int64) {
        self.minute = minute
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.reason = reason
        self.value = value
        self.count = count
    }
}

/// Where per-minute evaluation counts are kept (issue 7, built-in analytics). Implemented by the
/// SQLite store; writes never touch namespace versions (no snapshot rebuilds).
public protocol EvaluationCountStore: Sendable {
    /// Adds each count to the stored count of its (minute, namespace, flag, reason, value) cell,
    /// creating the cell when missing, all in one transaction.
    func addEvaluationCounts(_ counts: [EvaluationCount]) async throws
    /// The total count per minute of one flag for minutes in `fromMinute...toMinute` (epoch
    /// seconds), ascending; minutes without evaluations are absent.
    func evaluationCountsPerMinute(
        namespaceKey: String, flagKey: String, fromMinute: Int64, toMinute: Int64
    ) async throws -> [(minute: Int64, count: Int64)]
    /// Every stored cell of one flag in the range, for breakdowns by reason and value.
    func evaluationCounts(
        namespaceKey: String, flagKey: String, fromMinute: Int64, toMinute: Int64
    ) async throws -> [EvaluationCount]
    /// Deletes cells of minutes before `minute`; returns how many were deleted.
    func deleteEvaluationCounts(before minute: Int64) async throws -> Int
}
