import HoistCore
import Testing

@testable import HoistObservability

@Suite("OpenMetrics, exemplars, snapshot and process metrics")
struct OpenMetricsTests {
    @Test func countersLoseTotalInMetadataOnly() {
        let metrics = makeMetrics()
        metrics.flipt?.recordVariant(namespace: "default", flag: "f", result: variantResult(), milliseconds: 1)
        let text = metrics.text(.openMetrics)
        let all = lines(text)
        #expect(all.contains("# HELP flipt_evaluations_requests The total number of requested evaluations"))
        #expect(all.contains("# TYPE flipt_evaluations_requests counter"))
        #expect(all.contains(#"flipt_evaluations_requests_total{flag="f",namespace="default"} 1"#))
        #expect(all.contains("# TYPE process_cpu_seconds counter"))
        #expect(all.contains("process_cpu_seconds_total 1.5"))
        #expect(all.contains("# TYPE flipt_evaluations_latency_milliseconds histogram"))
        #expect(!text.contains("# TYPE flipt_evaluations_requests_total"))
        #expect(text.hasSuffix("\n# EOF\n"))
        #expect(text.split(separator: "\n").filter { $0 == "# EOF" }.count == 1)
    }

    @Test func exemplarsOnlyInOpenMetrics() {
        let metrics = makeMetrics()
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        ExemplarContext.$traceID.withValue(traceID) {
            metrics.flipt?.recordVariant(namespace: "default", flag: "f", result: variantResult(), milliseconds: 7.5)
        }
        metrics.flipt?.recordVariant(namespace: "default", flag: "f", result: variantResult(), milliseconds: 60)
        let om = lines(metrics.text(.openMetrics))
        #expect(om.contains(
            #"flipt_evaluations_latency_milliseconds_bucket{flag="f",namespace="default",le="10"} 1 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 7.5 1700000123.456"#))
        // Untraced observations leave their bucket without an exemplar.
        #expect(om.contains(#"flipt_evaluations_latency_milliseconds_bucket{flag="f",namespace="default",le="75"} 2"#))
        let prometheus = metrics.text(.prometheus)
        #expect(!prometheus.contains("trace_id"))
        #expect(lines(prometheus).contains(#"flipt_evaluations_latency_milliseconds_bucket{flag="f",namespace="default",le="10"} 1"#))
    }

    @Test func exemplarKeepsTheLastTracedObservation() {
        let family = ExemplarHistogramFamily(
            name: "x_seconds", help: "h", upperBounds: [1], labelNames: [], clock: { 10 })
        let series = family.series([])
        series.observe(0.5, traceID: "aaa")
        series.observe(0.25, traceID: "bbb")
        series.observe(0.75)
        var out = ""
        family.render(format: .openMetrics, into: &out)
        #expect(out.contains(#"x_seconds_bucket{le="1"} 3 # {trace_id="bbb"} 0.25 10.000"#))
        #expect(out.contains("x_seconds_sum 1.5\nx_seconds_count 3\n"))
        #expect(series.count == 3)
    }

    @Test func requestRecorderPassesTheTraceID() {
        let metrics = makeMetrics()
        let recorder = RequestMetrics(metrics: metrics) { _, _ in GRPCMethod(service: "flipt.Flipt", method: "ListFlags") }
        recorder.record(
            template: "/api/v1/namespaces/{namespaceKey}/flags", method: "GET", status: 200, code: .ok,
            seconds: 0.002, traceID: "cafe")
        let om = metrics.text(.openMetrics)
        #expect(om.contains(#"le="0.01"} 1 # {trace_id="cafe"} 0.002 1700000123.456"#))
        #expect(om.contains(#"grpc_server_handling_seconds_bucket{grpc_method="ListFlags",grpc_service="flipt.Flipt",grpc_type="unary",le="0.005"} 1 # {trace_id="cafe"}"#))
    }

    @Test func snapshotGaugesFollowTheServedSnapshots() {
        let metrics = makeMetrics()
        let first = [
            SnapshotStatus(namespace: "default", revision: "r1", builtAtSeconds: 1_700_000_000.5, flagCount: 3),
            SnapshotStatus(namespace: "team", revision: "t1", builtAtSeconds: 1_700_000_001, flagCount: 0),
        ]
        var text = lines(metrics.text(snapshots: first))
        #expect(text.contains(#"hoist_snapshot_revision_info{namespace="default",revision="r1"} 1.0"#))
        #expect(text.contains(#"hoist_snapshot_flags{namespace="default"} 3.0"#))
        #expect(text.contains(#"hoist_snapshot_last_rebuild_timestamp_seconds{namespace="default"} 1700000000.5"#))
        #expect(text.contains(#"hoist_snapshot_revision_info{namespace="team",revision="t1"} 1.0"#))
        let second = [SnapshotStatus(namespace: "default", revision: "r2", builtAtSeconds: 1_700_000_100, flagCount: 4)]
        text = lines(metrics.text(snapshots: second))
        #expect(text.contains(#"hoist_snapshot_revision_info{namespace="default",revision="r2"} 1.0"#))
        #expect(!text.contains { $0.contains(#"revision="r1""#) })
        #expect(!text.contains { $0.contains(#"namespace="team""#) })
        #expect(text.contains(#"hoist_snapshot_flags{namespace="default"} 4.0"#))
    }

    @Test func rebuildDurationHistogram() {
        let metrics = makeMetrics()
        metrics.snapshots.recordRebuild(namespace: "default", seconds: 0.003)
        metrics.snapshots.recordRebuild(namespace: "default", seconds: 0.2)
        let text = lines(metrics.text())
        #expect(text.contains(#"hoist_snapshot_rebuild_duration_seconds_bucket{namespace="default",le="0.005"} 1"#))
        #expect(text.contains(#"hoist_snapshot_rebuild_duration_seconds_count{namespace="default"} 2"#))
    }

    @Test func processSampleIsReadFromProc() throws {
        #if os(Linux)
        let sample = try #require(ProcessSample.current())
        #expect(sample.cpuSeconds >= 0)
        #expect(sample.residentMemoryBytes > 0)
        #expect(sample.virtualMemoryBytes >= sample.residentMemoryBytes)
        #expect(sample.openFDs >= 3)
        #expect(sample.maxFDs >= sample.openFDs)
        let now = WallClock.seconds()
        #expect(sample.startTimeSeconds > now - 86_400 * 365 && sample.startTimeSeconds <= now + 1)
        let text = HoistMetrics().text()
        #expect(text.contains("\nprocess_open_fds "))
        #expect(text.contains("\nprocess_start_time_seconds "))
        #endif
    }

    @Test func disabledRegistryHasNoFliptSeriesEvenInOpenMetrics() {
        let metrics = makeMetrics(enabled: false)
        #expect(metrics.flipt == nil)
        #expect(!metrics.text(.openMetrics).contains("flipt_"))
    }

    @Test func booleanErrorsAreCountedAsErrors() {
        let metrics = makeMetrics()
        metrics.flipt?.recordError(namespace: "ns", flag: "b", milliseconds: 0.1)
        let text = lines(metrics.text())
        #expect(text.contains(#"flipt_evaluations_errors_total{flag="b",namespace="ns"} 1"#))
        #expect(text.contains(#"flipt_evaluations_requests_total{flag="b",namespace="ns"} 1"#))
        #expect(!text.contains { $0.hasPrefix("flipt_evaluations_results_total") })
    }
}

@Suite("Request metrics cardinality")
struct RequestMetricsCardinalityTests {
    @Test func madeUpMethodsShareOneSeries() {
        let metrics = makeMetrics()
        let recorder = RequestMetrics(metrics: metrics) { _, _ in nil }
        for method in ["BREW", "WHEN", "GET"] {
            recorder.record(template: nil, method: method, status: 404, code: .notFound, seconds: 0.001)
        }
        let text = lines(metrics.text())
        #expect(text.contains(#"http_request_duration_seconds_count{code="404",handler="catchall",method="other"} 2"#))
        #expect(text.contains(#"http_request_duration_seconds_count{code="404",handler="catchall",method="get"} 1"#))
    }
}
