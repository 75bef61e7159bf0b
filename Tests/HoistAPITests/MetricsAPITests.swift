import HoistCore
import HoistObservability
import Hummingbird
import Testing

@Suite("GET /metrics and what the API records")
struct MetricsAPITests {
    /// Series lines of the Prometheus exposition.
    func scrape(_ server: TestServer, accept: String? = nil) async throws -> (TestServer.Reply, Set<String>) {
        var headers: HTTPFields = [:]
        if let accept { headers[.accept] = accept }
        let reply = try await server.call(.get, "/metrics", headers: headers)
        return (reply, Set(reply.body.split(separator: "\n").map(String.init)))
    }

    /// A variant flag `color` (rule on segment `all` → variant `blue`), a boolean flag `dark`.
    func seed(_ server: TestServer) async throws {
        try await server.createFlag("color")
        let blue = try await server.createVariant("color", "blue")
        try await server.createSegment("all")
        let rule = try await server.createRule("color", segment: "all", rank: 1)
        try await server.ok(
            .post, "/api/v1/namespaces/default/flags/color/rules/\(rule)/distributions",
            #"{"variantId":"\#(blue)","rollout":100}"#)
        try await server.createFlag("dark", type: "BOOLEAN_FLAG_TYPE")
    }

    @Test func servedAsPrometheusText() async throws {
        try await TestServer.run { server in
            let (reply, lines) = try await scrape(server)
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(lines.contains("# TYPE process_cpu_seconds_total counter"))
            #expect(lines.contains { $0.hasPrefix("hoist_build_info{") })
            #expect(lines.contains { $0.hasPrefix(#"hoist_snapshot_revision_info{namespace="default",revision=""#) })
        }
    }

    @Test func grpcSeriesStartAtZeroForEveryFliptMethod() async throws {
        try await TestServer.run { server in
            let (_, lines) = try await scrape(server)
            let variant = #"grpc_method="Variant",grpc_service="flipt.evaluation.EvaluationService",grpc_type="unary""#
            for line in [
                #"grpc_server_started_total{\#(variant)} 0"#,
                #"grpc_server_msg_received_total{\#(variant)} 0"#,
                #"grpc_server_msg_sent_total{\#(variant)} 0"#,
                #"grpc_server_handled_total{grpc_code="OK",\#(variant)} 0"#,
                #"grpc_server_handled_total{grpc_code="Unauthenticated",\#(variant)} 0"#,
                #"grpc_server_handling_seconds_count{\#(variant)} 0"#,
                #"grpc_server_handling_seconds_bucket{\#(variant),le="+Inf"} 0"#,
                #"grpc_server_started_total{grpc_method="OrderRollouts",grpc_service="flipt.Flipt",grpc_type="unary"} 0"#,
            ] {
                #expect(lines.contains(line), "\(line)")
            }
            // Every code of every method: 17 handled series per method, none missing.
            let handled = lines.filter { $0.hasPrefix("grpc_server_handled_total{") }
            let methods = Set(lines.filter { $0.hasPrefix("grpc_server_started_total{") })
            #expect(methods.count >= 40)
            #expect(handled.count == methods.count * GRPCStatusCode.allCases.count)

            // A call moves its series off zero; the others stay.
            try await server.createFlag("f1")
            let (_, after) = try await scrape(server)
            #expect(after.contains(#"grpc_server_handled_total{grpc_code="OK",grpc_method="CreateFlag",grpc_service="flipt.Flipt",grpc_type="unary"} 1"#))
            #expect(after.contains(#"grpc_server_handled_total{grpc_code="NotFound",grpc_method="CreateFlag",grpc_service="flipt.Flipt",grpc_type="unary"} 0"#))
        }
    }

    @Test func evaluationsAreCountedAsFliptCountsThem() async throws {
        try await TestServer.run { server in
            try await seed(server)
            try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"color","entityId":"u1"}"#)
            try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"color","entityId":"u2"}"#)
            try await server.ok(.post, "/evaluate/v1/boolean", #"{"flagKey":"dark","entityId":"u1"}"#)
            try await server.ok(
                .post, "/evaluate/v1/batch",
                #"{"requests":[{"flagKey":"color","entityId":"u3"},{"flagKey":"dark","entityId":"u3"},{"flagKey":"gone","entityId":"u3"}]}"#)
            try await server.ok(.post, "/api/v1/evaluate", #"{"flagKey":"color","entityId":"u4"}"#)
            try await server.ok(
                .post, "/api/v1/batch-evaluate",
                #"{"requests":[{"flagKey":"color","entityId":"u5"},{"flagKey":"color","entityId":"u6"}]}"#)
            // Not counted: a missing flag, a flag of the other type.
            #expect(try await server.call(.post, "/evaluate/v1/variant", #"{"flagKey":"gone","entityId":"u"}"#).status == .notFound)
            #expect(try await server.call(.post, "/evaluate/v1/variant", #"{"flagKey":"dark","entityId":"u"}"#).status == .badRequest)
            #expect(try await server.call(.post, "/evaluate/v1/boolean", #"{"flagKey":"color","entityId":"u"}"#).status == .badRequest)

            let (_, lines) = try await scrape(server)
            for line in [
                #"flipt_evaluations_requests_total{flag="color",namespace="default"} 6"#,
                #"flipt_evaluations_results_total{flag="color",match="true",namespace="default",reason="MATCH_EVALUATION_REASON",segment="all",type="variant",value="blue"} 6"#,
                #"flipt_evaluations_requests_total{flag="dark",namespace="default"} 2"#,
                #"flipt_evaluations_results_total{flag="dark",namespace="default",reason="DEFAULT_EVALUATION_REASON",type="boolean",value="true"} 2"#,
                #"flipt_evaluations_latency_milliseconds_count{flag="color",namespace="default"} 6"#,
                #"flipt_evaluations_latency_milliseconds_bucket{flag="dark",namespace="default",le="+Inf"} 2"#,
                #"flipt_server_errors_total 3"#,
            ] {
                #expect(lines.contains(line), "\(line)")
            }
            #expect(!lines.contains { $0.hasPrefix("flipt_evaluations_errors_total") })
            #expect(!lines.contains { $0.contains(#"flag="gone""#) })
            // One hit per snapshot lookup of an evaluation, counted or not (12 lookups above).
            let hits = lines.first { $0.hasPrefix("flipt_cache_hit_total") }
            #expect(hits == #"flipt_cache_hit_total{cache="memory",type="flag"} 12"#)
        }
    }

    @Test func requestsAreRecordedByRouteTemplate() async throws {
        try await TestServer.run { server in
            try await server.createFlag("f1")
            _ = try await server.call(.get, "/api/v1/namespaces/default/flags/f1")
            _ = try await server.call(.get, "/api/v1/namespaces/default/flags/nope")
            _ = try await server.call(.get, "/no/such/path")
            let (_, lines) = try await scrape(server)
            for line in [
                #"http_request_duration_seconds_count{code="200",handler="/api/v1/namespaces/{namespaceKey}/flags/{key}",method="get"} 1"#,
                #"http_request_duration_seconds_count{code="404",handler="/api/v1/namespaces/{namespaceKey}/flags/{key}",method="get"} 1"#,
                #"http_request_duration_seconds_count{code="404",handler="catchall",method="get"} 1"#,
                #"grpc_server_handled_total{grpc_code="OK",grpc_method="GetFlag",grpc_service="flipt.Flipt",grpc_type="unary"} 1"#,
                #"grpc_server_handled_total{grpc_code="NotFound",grpc_method="GetFlag",grpc_service="flipt.Flipt",grpc_type="unary"} 1"#,
                #"grpc_server_started_total{grpc_method="GetFlag",grpc_service="flipt.Flipt",grpc_type="unary"} 2"#,
                #"grpc_server_handled_total{grpc_code="OK",grpc_method="CreateFlag",grpc_service="flipt.Flipt",grpc_type="unary"} 1"#,
                #"flipt_server_errors_total 1"#,
            ] {
                #expect(lines.contains(line), "\(line)")
            }
            #expect(!lines.contains { $0.contains("/flags/f1") || $0.contains("/no/such/path") })
        }
    }

    @Test func openMetricsWithExemplars() async throws {
        try await TestServer.run { server in
            try await seed(server)
            try await ExemplarContext.$traceID.withValue("0af7651916cd43dd8448eb211c80319c") {
                try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"color","entityId":"u1"}"#)
            }
            let (reply, lines) = try await scrape(server, accept: "application/openmetrics-text;version=1.0.0,text/plain;q=0.5")
            #expect(reply.headers[.contentType] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(reply.body.hasSuffix("# EOF\n"))
            #expect(lines.contains("# TYPE flipt_evaluations_requests counter"))
            #expect(lines.contains { $0.hasPrefix("flipt_evaluations_latency_milliseconds_bucket") && $0.contains(#"# {trace_id="0af7651916cd43dd8448eb211c80319c"}"#) })
            #expect(lines.contains { $0.hasPrefix("http_request_duration_seconds_bucket") && $0.contains(#"trace_id="0af7651916cd43dd8448eb211c80319c""#) })
        }
    }

    @Test func disabledMetricsStillServeProcessAndHTTP() async throws {
        try await TestServer.run(metrics: HoistMetrics(options: .init(fliptEnabled: false))) { server in
            try await seed(server)
            try await server.ok(.post, "/evaluate/v1/variant", #"{"flagKey":"color","entityId":"u1"}"#)
            let (reply, lines) = try await scrape(server)
            #expect(reply.status == .ok)
            #expect(!reply.body.contains("flipt_"))
            #expect(lines.contains { $0.hasPrefix(#"http_request_duration_seconds_count{code="200",handler="/evaluate/v1/variant",method="post"}"#) })
            #expect(lines.contains { $0.hasPrefix("process_resident_memory_bytes ") })
            #expect(lines.contains { $0.hasPrefix("hoist_snapshot_flags{") })
        }
    }

    @Test func rebuildsAreCacheMisses() async throws {
        try await TestServer.run { server in
            let start = try await scrape(server).1.first { $0.hasPrefix("flipt_cache_miss_total") }
            #expect(start == #"flipt_cache_miss_total{cache="memory",type="flag"} 1"#)  // the initial load
            try await server.createFlag("f1")
            let after = try await scrape(server).1
            #expect(after.contains(#"flipt_cache_miss_total{cache="memory",type="flag"} 2"#))
            #expect(after.contains(#"hoist_snapshot_rebuild_duration_seconds_count{namespace="default"} 2"#))
            #expect(after.contains(#"hoist_snapshot_flags{namespace="default"} 1.0"#))
        }
    }
}
