public import HoistStorage

/// The analytics endpoint answered from Hoist's own database: every bucket from the one holding
/// `from` to the one holding `to` (as Flipt's ClickHouse query fills them), each the sum of its
/// minutes, including counts still in memory.
public struct StoredEvaluationCounts: EvaluationCountSource {
    public let store: any EvaluationCountStore
    /// The live counter, whose not-yet-flushed counts are added; nil when counting is off.
    public let counter: EvaluationCounter?
    public var name: String { "database" }

    public init(store: any EvaluationCountStore, counter: EvaluationCounter?) {
        self.store = store
        self.counter = counter
    }

    public func flagEvaluationCounts(_ query: FlagEvaluationCountQuery) async throws -> FlagEvaluationCounts {
        let step = query.stepSeconds
        let start = query.bucketStart
        let end = query.bucketEnd
        let stored = try await store.evaluationCountsPerMinute(
            namespaceKey: query.namespaceKey, flagKey: query.flagKey, fromMinute: start, toMinute: end + step - 60)
        var perBucket: [Int64: Int64] = [:]
        for (minute, count) in stored {
            perBucket[FlagEvaluationCountQuery.floor(minute, step), default: 0] += count
        }
        if let counter {
            for (minute, count) in counter.unflushedCountsPerMinute(namespace: query.namespaceKey, flag: query.flagKey)
            where minute >= start && minute < end + step {
                perBucket[FlagEvaluationCountQuery.floor(minute, step), default: 0] += count
            }
        }
        var timestamps: [String] = []
        var values: [Float] = []
        var bucket = start
        while bucket <= end {
            timestamps.append(FlagEvaluationCountQuery.rfc3339(bucket))
            values.append(Float(perBucket[bucket] ?? 0))
            bucket += step
        }
        return FlagEvaluationCounts(timestamps: timestamps, values: values)
    }
}
