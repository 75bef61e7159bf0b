/// Decides whether a new span is recorded and exported (`tracing.sampling_ratio`,
/// `FLIPT_TRACING_SAMPLING_RATIO`, default `1`).
///
/// Root spans use OTel's trace-id-ratio rule (the lower 64 bits of the trace id, shifted right by
/// one, compared with `ratio × 2⁶³`), so every service using the same ratio agrees on a trace.
/// Unlike Flipt, whose sampler ignores the parent, a caller's **sampled** remote parent forces
/// sampling (parent-based), and a local parent's decision is always inherited so traces stay whole.
/// An unsampled remote parent falls back to the ratio (as in Flipt).
public struct TraceSampler: Sendable, Equatable {
    public let ratio: Double
    let bound: UInt64

    public init(ratio: Double) {
        self.ratio = ratio
        if ratio >= 1 {
            bound = .max
        } else if ratio <= 0 {
            bound = 0
        } else {
            bound = UInt64(ratio * 9_223_372_036_854_775_808.0)  // 2^63
        }
    }

    public func shouldSample(traceID: TraceID, parent: HoistSpanContext?) -> Bool {
        if let parent {
            if !parent.isRemote || parent.sampled { return parent.sampled }
        }
        return Self.ratioSampled(traceID, bound: bound)
    }

    static func ratioSampled(_ traceID: TraceID, bound: UInt64) -> Bool {
        if bound == .max { return true }
        return (traceID.low >> 1) < bound
    }
}
