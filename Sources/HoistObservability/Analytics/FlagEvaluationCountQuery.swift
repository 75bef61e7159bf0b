public import HoistCore

/// A request of `GET /internal/v1/analytics/namespaces/{ns}/flags/{flag}?from=…&to=…` with Flipt's
/// parsing and step rules (spec observability §1.8, flipt `internal/server/analytics/analytics.go`).
public struct FlagEvaluationCountQuery: Sendable, Equatable {
    public var namespaceKey: String
    public var flagKey: String
    /// Seconds since the Unix epoch.
    public var from: Int64
    public var to: Int64
    /// Bucket width: 30 min for ranges of 24 h or more, 15 for 12 h, 5 for 4 h, else 1.
    public var stepMinutes: Int

    /// Most buckets one answer may hold (10 000 half-hours is more than 200 days).
    public static let maximumBuckets: Int64 = 10_000

    public init(namespaceKey: String, flagKey: String, from: Int64, to: Int64) {
        self.namespaceKey = namespaceKey
        self.flagKey = flagKey
        self.from = from
        self.to = to
        self.stepMinutes = Self.stepMinutes(forSeconds: to - from)
    }

    /// Parses `from`/`to` as Go's `time.RFC3339` or `time.DateTime` (`2006-01-02 15:04:05`, UTC).
    /// - Throws: `.invalid` naming the parameter when it is missing or unparsable, when `to` is
    ///   before `from`, or when the range needs more than ``maximumBuckets`` buckets.
    public init(namespaceKey: String, flagKey: String, from: String?, to: String?) throws(HoistError) {
        let start = try Self.parseTime(from, name: "from")
        let end = try Self.parseTime(to, name: "to")
        guard end >= start else { throw .invalid("to must not be before from") }
        self.init(namespaceKey: namespaceKey, flagKey: flagKey, from: start, to: end)
        guard (bucketEnd - bucketStart) / stepSeconds + 1 <= Self.maximumBuckets else {
            throw .invalid("time range too large: at most \(Self.maximumBuckets) buckets of \(stepMinutes) minutes")
        }
    }

    public static func stepMinutes(forSeconds seconds: Int64) -> Int {
        switch seconds {
        case (24 * 3600)...: 30
        case (12 * 3600)...: 15
        case (4 * 3600)...: 5
        default: 1
        }
    }

    public var stepSeconds: Int64 { Int64(stepMinutes) * 60 }
    /// Start of the bucket holding `from` (buckets are aligned to multiples of the step since the epoch).
    public var bucketStart: Int64 { Self.floor(from, stepSeconds) }
    /// Start of the bucket holding `to`, the last bucket of the answer.
    public var bucketEnd: Int64 { Self.floor(to, stepSeconds) }

    static func floor(_ value: Int64, _ step: Int64) -> Int64 { value - ((value % step) + step) % step }

    static func parseTime(_ text: String?, name: String) throws(HoistError) -> Int64 {
        guard let text, !text.isEmpty else { throw .invalid("\(name) is required (RFC 3339 or YYYY-MM-DD HH:MM:SS)") }
        if let instant = GoDateTime.parseRFC3339(text) { return instant.seconds }
        // time.DateTime: exactly "2006-01-02 15:04:05", read as UTC.
        let bytes = Array(text.utf8)
        if bytes.count == 19, bytes[10] == UInt8(ascii: " ") {
            let rfc = String(decoding: bytes[..<10], as: UTF8.self) + "T" + String(decoding: bytes[11...], as: UTF8.self) + "Z"
            if let instant = GoDateTime.parseRFC3339(rfc) { return instant.seconds }
        }
        throw .invalid("\(name) is not a valid time (RFC 3339 or YYYY-MM-DD HH:MM:SS): \(text)")
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the timestamp form of Flipt's answers.
    public static func rfc3339(_ seconds: Int64) -> String {
        CivilTime.format(secondsSinceEpoch: seconds) + "Z"
    }
}

/// Flipt's `GetFlagEvaluationsCountResponse`: parallel arrays of bucket start times and counts.
public struct FlagEvaluationCounts: Sendable, Equatable {
    public var timestamps: [String]
    public var values: [Float]

    public init(timestamps: [String], values: [Float]) {
        self.timestamps = timestamps
        self.values = values
    }
}

/// Answers the analytics endpoint: Hoist's database (``StoredEvaluationCounts``) or Prometheus
/// (``PrometheusEvaluationCounts``).
public protocol EvaluationCountSource: Sendable {
    /// Name reported by `/meta/info` and telemetry (`database`, `prometheus`).
    var name: String { get }
    func flagEvaluationCounts(_ query: FlagEvaluationCountQuery) async throws -> FlagEvaluationCounts
}
