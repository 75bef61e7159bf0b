import HoistCore
import Testing

@testable import HoistObservability

@Suite("Metrics exposition")
struct ExpositionTests {
    /// Records one observation of every family.
    func populated(enabled: Bool = true) -> HoistMetrics {
        let metrics = makeMetrics(enabled: enabled)
        metrics.flipt?.recordVariant(namespace: "default", flag: "f", result: variantResult(), milliseconds: 0.2)
        metrics.flipt?.recordBoolean(
            namespace: "default", flag: "b",
            result: BooleanEvaluation(flagKey: "b", enabled: true, reason: .default, segmentKeys: []), milliseconds: 7)
        metrics.flipt?.recordError(namespace: "default", flag: "f", milliseconds: 1)
        metrics.flipt?.recordCacheHit()
        metrics.flipt?.recordCacheMiss()
        let request = RequestMetrics(metrics: metrics) { method, template in
            template == "/evaluate/v1/variant" ? GRPCMethod(service: "flipt.evaluation.EvaluationService", method: "Variant") : nil
        }
        request.record(template: "/evaluate/v1/variant", method: "POST", status: 200, code: .ok, seconds: 0.0003)
        request.record(template: "/evaluate/v1/variant", method: "POST", status: 404, code: .notFound, seconds: 0.0001)
        request.record(template: nil, method: "GET", status: 404, code: .notFound, seconds: 0.00001)
        metrics.snapshots.recordRebuild(namespace: "default", seconds: 0.002)
        return metrics
    }

    static let families: [(name: String, type: String, help: String)] = [
        ("flipt_evaluations_requests_total", "counter", "The total number of requested evaluations"),
        ("flipt_evaluations_errors_total", "counter", "The total number of requested evaluations"),
        ("flipt_evaluations_results_total", "counter", "Count of results including match, flag, segment, reason and value attributes"),
        ("flipt_evaluations_latency_milliseconds", "histogram", "The latency of inidividual evaluations in milliseconds"),
        ("flipt_server_errors_total", "counter", "The total number of server errors"),
        ("flipt_cache_hit_total", "counter", "The number of cache hits"),
        ("flipt_cache_miss_total", "counter", "The number of cache misses"),
        ("flipt_cache_error_total", "counter", "The number of times an error occurred reading or writing to the cache"),
        ("http_request_duration_seconds", "histogram", "A histogram of duration for requests."),
        ("grpc_server_started_total", "counter", "Total number of RPCs started on the server."),
        ("grpc_server_handled_total", "counter", "Total number of RPCs completed on the server, regardless of success or failure."),
        ("grpc_server_msg_received_total", "counter", "Total number of RPC stream messages received on the server."),
        ("grpc_server_msg_sent_total", "counter", "Total number of gRPC stream messages sent by the server."),
        ("grpc_server_handling_seconds", "histogram", "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server."),
        ("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds."),
        ("process_resident_memory_bytes", "gauge", "Resident memory size in bytes."),
        ("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes."),
        ("process_virtual_memory_max_bytes", "gauge", "Maximum amount of virtual memory available in bytes."),
        ("process_open_fds", "gauge", "Number of open file descriptors."),
        ("process_max_fds", "gauge", "Maximum number of open file descriptors."),
        ("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds."),
        ("hoist_build_info", "gauge", "A metric with a constant '1' value labeled by the Hoist version, commit and Swift compiler version."),
        ("hoist_snapshot_revision_info", "gauge", "Revision (ETag) of the namespace snapshot being served; the value is always 1."),
        ("hoist_snapshot_last_rebuild_timestamp_seconds", "gauge", "Unix time at which the namespace snapshot being served was built."),
        ("hoist_snapshot_flags", "gauge", "Number of flags in the namespace snapshot being served."),
        ("hoist_snapshot_rebuild_duration_seconds", "histogram", "Time to rebuild a namespace snapshot from the store, in seconds."),
    ]

    @Test func everyFamilyHasItsHelpAndType() {
        let snapshot = SnapshotStatus(namespace: "default", revision: "abc", builtAtSeconds: 1_700_000_000.5, flagCount: 3)
        let text = lines(populated().text(snapshots: [snapshot]))
        for family in Self.families {
            #expect(text.contains("# HELP \(family.name) \(family.help)"), "\(family.name)")
            #expect(text.contains("# TYPE \(family.name) \(family.type)"), "\(family.name)")
        }
    }

    @Test func fliptSeriesHaveFliptLabels() {
        let text = lines(populated().text())
        let expected = [
            #"flipt_evaluations_requests_total{flag="f",namespace="default"} 2"#,
            #"flipt_evaluations_requests_total{flag="b",namespace="default"} 1"#,
            #"flipt_evaluations_errors_total{flag="f",namespace="default"} 1"#,
            #"flipt_evaluations_results_total{flag="f",match="true",namespace="default",reason="MATCH_EVALUATION_REASON",segment="s1",type="variant",value="blue"} 1"#,
            #"flipt_evaluations_results_total{flag="b",namespace="default",reason="DEFAULT_EVALUATION_REASON",type="boolean",value="true"} 1"#,
            #"flipt_evaluations_latency_milliseconds_bucket{flag="f",namespace="default",le="0"} 0"#,
            #"flipt_evaluations_latency_milliseconds_bucket{flag="f",namespace="default",le="5"} 2"#,
            #"flipt_evaluations_latency_milliseconds_bucket{flag="b",namespace="default",le="5"} 0"#,
            #"flipt_evaluations_latency_milliseconds_bucket{flag="b",namespace="default",le="10"} 1"#,
            #"flipt_evaluations_latency_milliseconds_bucket{flag="b",namespace="default",le="10000"} 1"#,
            #"flipt_evaluations_latency_milliseconds_bucket{flag="b",namespace="default",le="+Inf"} 1"#,
            #"flipt_evaluations_latency_milliseconds_sum{flag="f",namespace="default"} 1.2"#,
            #"flipt_evaluations_latency_milliseconds_count{flag="f",namespace="default"} 2"#,
            #"flipt_cache_hit_total{cache="memory",type="flag"} 1"#,
            #"flipt_cache_miss_total{cache="memory",type="flag"} 1"#,
            #"flipt_cache_error_total{cache="memory",type="flag"} 0"#,
            #"flipt_server_errors_total 1"#,
        ]
        for line in expected { #expect(text.contains(line), "\(line)") }
    }

    @Test func httpAndGRPCSeries() {
        let text = lines(populated().text())
        let expected = [
            #"http_request_duration_seconds_bucket{code="200",handler="/evaluate/v1/variant",method="post",le="1e-06"} 0"#,
            #"http_request_duration_seconds_bucket{code="200",handler="/evaluate/v1/variant",method="post",le="0.0005"} 1"#,
            #"http_request_duration_seconds_bucket{code="404",handler="catchall",method="get",le="1e-05"} 1"#,
            #"http_request_duration_seconds_count{code="404",handler="/evaluate/v1/variant",method="post"} 1"#,
            #"grpc_server_started_total{grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary"} 2"#,
            #"grpc_server_msg_received_total{grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary"} 2"#,
            #"grpc_server_msg_sent_total{grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary"} 1"#,
            #"grpc_server_handled_total{grpc_code="OK",grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary"} 1"#,
            #"grpc_server_handled_total{grpc_code="NotFound",grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary"} 1"#,
            #"grpc_server_handling_seconds_bucket{grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary",le="0.005"} 2"#,
            #"grpc_server_handling_seconds_count{grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary"} 2"#,
        ]
        for line in expected { #expect(text.contains(line), "\(line)") }
        // The catch-all request is not a gRPC call.
        #expect(!text.contains { $0.hasPrefix("grpc_") && $0.contains("catchall") })
    }

    @Test func processAndBuildInfo() {
        let text = lines(makeMetrics().text())
        for line in [
            "process_cpu_seconds_total 1.5", "process_resident_memory_bytes 1024.0", "process_virtual_memory_bytes 4096.0",
            "process_virtual_memory_max_bytes 8192.0", "process_open_fds 7.0", "process_max_fds 1024.0",
            "process_start_time_seconds 1700000000.0",
            #"hoist_build_info{commit="unknown",swift_version="6.3",version="9.9.9"} 1.0"#,
        ] {
            #expect(text.contains(line), "\(line)")
        }
    }

    @Test func disabledFliptFamiliesAreAbsent() {
        let text = populated(enabled: false).text()
        #expect(!text.contains("flipt_"))
        #expect(text.contains("http_request_duration_seconds_count"))
        #expect(text.contains("grpc_server_handled_total"))
        #expect(text.contains("process_cpu_seconds_total"))
    }

    @Test func contentNegotiation() {
        #expect(MetricsExpositionFormat.negotiate(accept: nil) == .prometheus)
        #expect(MetricsExpositionFormat.negotiate(accept: "text/plain;version=0.0.4") == .prometheus)
        let prometheusDefault =
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(MetricsExpositionFormat.negotiate(accept: prometheusDefault) == .openMetrics)
        #expect(MetricsExpositionFormat.prometheus.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(MetricsExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }

    @Test(arguments: [
        (0.0, "0"), (5, "5"), (10000, "10000"), (0.005, "0.005"), (1e-6, "1e-06"), (5e-5, "5e-05"),
        (0.0001, "0.0001"), (2.5, "2.5"), (1_000_000, "1e+06"), (123_456, "123456"), (-3.25, "-3.25"),
        (Double.infinity, "+Inf"),
    ])
    func goFloatFormatting(value: Double, expected: String) {
        #expect(ExpositionText.goFloat(value) == expected)
    }

    @Test func labelValuesAreEscaped() {
        #expect(ExpositionText.labels([("a", #"x"y\z"#), ("b", "line\nbreak")]) == #"a="x\"y\\z",b="line\nbreak""#)
    }
}
