#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hook through which tracing attaches trace ids to latency observations.
///
/// The tracing layer (a later issue) binds the current trace id around request handling:
/// `ExemplarContext.$traceID.withValue(span.traceID) { … }`. Every latency histogram observation
/// made inside reads it once and, when set, stores it as that bucket's exemplar, rendered only in
/// OpenMetrics output. Recorders also take an explicit `traceID:` parameter defaulting to this value.
public enum ExemplarContext {
    /// Hex trace id of the traced request being served, or `nil` (untraced: no exemplar).
    @TaskLocal public static var traceID: String?
}

/// Wall-clock and monotonic time readings used by the metrics code.
public enum WallClock {
    /// Unix time in seconds.
    @Sendable public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Monotonic nanoseconds, for measuring durations without `Duration` arithmetic.
    @inline(__always)
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
