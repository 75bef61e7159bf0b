import HoistCore
import Prometheus

@testable import HoistObservability

/// A fixed `/proc` reading, so exposition tests don't depend on the machine.
let fixedProcess = ProcessSample(
    cpuSeconds: 1.5, residentMemoryBytes: 1024, virtualMemoryBytes: 4096, virtualMemoryMaxBytes: 8192,
    openFDs: 7, maxFDs: 1024, startTimeSeconds: 1_700_000_000)

/// A `HoistMetrics` over its own registry, with a fixed clock and process reading.
func makeMetrics(enabled: Bool = true) -> HoistMetrics {
    HoistMetrics(
        options: .init(fliptEnabled: enabled, buildInfo: BuildInfo(version: "9.9.9", commit: "", swiftVersion: "6.3")),
        registry: PrometheusCollectorRegistry(),
        clock: { 1_700_000_123.456 },
        processSource: { fixedProcess })
}

extension HoistMetrics {
    func text(_ format: MetricsExpositionFormat = .prometheus, snapshots: [SnapshotStatus] = []) -> String {
        String(decoding: exposition(format: format, snapshots: snapshots), as: UTF8.self)
    }
}

/// The exposition split into lines, for exact-line assertions.
func lines(_ text: String) -> Set<String> {
    Set(text.split(separator: "\n").map(String.init))
}

func variantResult(
    flag: String = "f", match: Bool = true, segments: [String] = ["s1", "s2"], reason: EvaluationReason = .match,
    variant: String = "blue"
) -> VariantEvaluation {
    VariantEvaluation(
        flagKey: flag, match: match, reason: reason, variantKey: variant, variantAttachment: "", segmentKeys: segments)
}
