import Foundation
import HoistCore
public import HoistObservability

extension HoistApplication {
    /// The metrics of a server with this configuration (`metrics.*`).
    ///
    /// `hoist_build_info{commit}` comes from `HOIST_BUILD_COMMIT` when the build did not stamp one.
    /// - Throws: ``ConfigurationError`` for `metrics.exporter: otlp`, which Hoist cannot export yet.
    public static func makeMetrics(
        configuration: HoistConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> HoistMetrics {
        if configuration.metrics.exporter == .otlp {
            throw ConfigurationError(
                key: "metrics.exporter",
                "otlp is not supported yet: Hoist serves metrics for Prometheus to scrape (GET /metrics); "
                    + "set metrics.exporter to prometheus, or scrape /metrics with an OpenTelemetry Collector")
        }
        var commit = HoistBuild.commit
        if commit == "unknown", let stamped = environment["HOIST_BUILD_COMMIT"], !stamped.isEmpty { commit = stamped }
        return HoistMetrics(
            options: HoistMetrics.Options(
                fliptEnabled: configuration.metrics.enabled, buildInfo: BuildInfo(commit: commit)))
    }
}
