import Synchronization

/// The last traced observation of a histogram bucket, shown as an OpenMetrics exemplar
/// (`# {trace_id="…"} <value> <timestamp>`).
public struct Exemplar: Sendable, Equatable {
    public var traceID: String
    public var value: Double
    /// Unix time of the observation, in seconds.
    public var timestamp: Double

    public init(traceID: String, value: Double, timestamp: Double) {
        self.traceID = traceID
        self.value = value
        self.timestamp = timestamp
    }
}

/// One series of a latency histogram that keeps, per bucket, the last exemplar.
///
/// swift-prometheus 2.4.1 histograms cannot carry exemplars, so the latency histograms are Hoist's
/// own. Recording is lock-free: one relaxed atomic increment of the (non-cumulative) bucket and a
/// compare-exchange on the sum's bits; only a traced observation takes the exemplar lock. A scrape
/// reads the buckets one by one and derives `_count` from them, so `_count` always equals the `+Inf`
/// bucket (`_sum` may lag a concurrent observation, as in other Prometheus clients).
public final class ExemplarHistogram: @unchecked Sendable {
    // @unchecked: `counts` is a fixed buffer of atomics (one per bucket, then +Inf), allocated in
    // init and freed in deinit, only ever accessed through atomic operations.
    private let counts: UnsafeMutablePointer<Atomic<UInt64>>
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)
    let exemplars: Mutex<[Exemplar?]>

    let upperBounds: [Double]
    /// `name="value",…` (no braces), empty for an unlabeled series.
    let renderedLabels: String
    let clock: @Sendable () -> Double

    init(upperBounds: [Double], renderedLabels: String, clock: @escaping @Sendable () -> Double) {
        self.upperBounds = upperBounds
        self.renderedLabels = renderedLabels
        self.clock = clock
        counts = .allocate(capacity: upperBounds.count + 1)
        for index in 0...upperBounds.count { (counts + index).initialize(to: Atomic(0)) }
        exemplars = Mutex(Array(repeating: nil, count: upperBounds.count + 1))
    }

    deinit {
        counts.deinitialize(count: upperBounds.count + 1)
        counts.deallocate()
    }

    /// Records one observation; with a trace id, it becomes the exemplar of its bucket.
    public func observe(_ value: Double, traceID: String? = nil) {
        var index = upperBounds.count
        upperBounds.withUnsafeBufferPointer { bounds in
            for i in 0..<bounds.count where value <= bounds[i] {
                index = i
                break
            }
        }
        counts[index].wrappingAdd(1, ordering: .relaxed)
        var bits = sumBits.load(ordering: .relaxed)
        while true {
            let (exchanged, current) = sumBits.compareExchange(
                expected: bits, desired: (Double(bitPattern: bits) + value).bitPattern, ordering: .relaxed)
            if exchanged { break }
            bits = current
        }
        if let traceID {
            let exemplar = Exemplar(traceID: traceID, value: value, timestamp: clock())
            exemplars.withLock { $0[index] = exemplar }
        }
    }

    /// Current cumulative count (for tests).
    public var count: UInt64 { (0...upperBounds.count).reduce(0) { $0 &+ counts[$1].load(ordering: .relaxed) } }
    /// Current sum of observations (for tests).
    public var sum: Double { Double(bitPattern: sumBits.load(ordering: .relaxed)) }

    func render(name: String, format: MetricsExpositionFormat, into out: inout String) {
        let bucketCounts = (0...upperBounds.count).map { counts[$0].load(ordering: .relaxed) }
        let sum = self.sum
        let exemplars = format == .openMetrics ? self.exemplars.withLock { $0 } : []
        let prefix = renderedLabels.isEmpty ? "" : renderedLabels + ","
        var cumulative: UInt64 = 0
        for index in 0...upperBounds.count {
            cumulative &+= bucketCounts[index]
            let le = index == upperBounds.count ? "+Inf" : ExpositionText.goFloat(upperBounds[index])
            out += name + "_bucket{" + prefix + "le=\"" + le + "\"} " + String(cumulative)
            if format == .openMetrics, let exemplar = exemplars[index] {
                out += " # {trace_id=\"" + ExpositionText.escapeLabelValue(exemplar.traceID) + "\"} "
                out += ExpositionText.goFloat(exemplar.value) + " " + Self.timestamp(exemplar.timestamp)
            }
            out += "\n"
        }
        let braced = renderedLabels.isEmpty ? "" : "{" + renderedLabels + "}"
        out += name + "_sum" + braced + " " + ExpositionText.goFloat(sum) + "\n"
        out += name + "_count" + braced + " " + String(cumulative) + "\n"
    }

    /// Seconds with millisecond precision, e.g. `1700000000.123`.
    static func timestamp(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let whole = millis / 1000
        let fraction = millis % 1000
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(whole).\(padded)"
    }
}

/// A histogram metric family (name, help, buckets, label names) and its series.
public final class ExemplarHistogramFamily: Sendable {
    public let name: String
    public let help: String
    public let upperBounds: [Double]
    public let labelNames: [String]
    let clock: @Sendable () -> Double
    let series = Mutex<(byValues: [[String]: ExemplarHistogram], ordered: [ExemplarHistogram])>(([:], []))

    /// - Parameters:
    ///   - labelNames: label names in exposition order.
    ///   - clock: Unix time in seconds, for exemplar timestamps.
    public init(
        name: String, help: String, upperBounds: [Double], labelNames: [String],
        clock: @escaping @Sendable () -> Double = WallClock.seconds
    ) {
        self.name = name
        self.help = help
        self.upperBounds = upperBounds.sorted()
        self.labelNames = labelNames
        self.clock = clock
    }

    /// The series for these label values (in ``labelNames`` order), created on first use.
    /// Takes a lock and hashes the values: callers on a hot path cache the result.
    public func series(_ values: [String]) -> ExemplarHistogram {
        precondition(values.count == labelNames.count, "\(name): expected \(labelNames.count) label values")
        return series.withLock { series in
            if let existing = series.byValues[values] { return existing }
            let histogram = ExemplarHistogram(
                upperBounds: upperBounds,
                renderedLabels: ExpositionText.labels(Array(zip(labelNames, values))),
                clock: clock)
            series.byValues[values] = histogram
            series.ordered.append(histogram)
            return histogram
        }
    }

    /// Appends the family in `format`; nothing when it has no series yet.
    public func render(format: MetricsExpositionFormat, into out: inout String) {
        let all = series.withLock { $0.ordered }
        guard !all.isEmpty else { return }
        out += "# HELP " + name + " " + help + "\n"
        out += "# TYPE " + name + " histogram\n"
        for histogram in all { histogram.render(name: name, format: format, into: &out) }
    }
}
