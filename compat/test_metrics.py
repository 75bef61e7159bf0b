"""GET /metrics read by Prometheus' own Python parser: Flipt's metric families with Flipt's names,
labels, help texts and counts (spec observability §1.2-§1.6), OPA's HTTP histogram, OpenMetrics."""
import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

import hoist_api

NS = "metrics-compat"
API = f"/api/v1/namespaces/{NS}"


@pytest.fixture(scope="module")
def scraped(hoist_url):
    """Seeds a namespace, evaluates through every evaluation API, then scrapes once per format."""
    a = hoist_api.HoistAPI(hoist_url)
    a.call("POST", "/api/v1/namespaces", {"key": NS, "name": NS})
    a.call("POST", f"{API}/segments", {"key": "all", "name": "all", "matchType": "ALL_MATCH_TYPE"})
    a.call("POST", f"{API}/flags", {"key": "color", "name": "color", "enabled": True})
    blue = a.json("POST", f"{API}/flags/color/variants", {"key": "blue"})["id"]
    rule = a.json("POST", f"{API}/flags/color/rules", {"segmentKey": "all", "rank": 1})["id"]
    a.call("POST", f"{API}/flags/color/rules/{rule}/distributions", {"variantId": blue, "rollout": 100})
    a.call("POST", f"{API}/flags", {"key": "dark", "name": "dark", "enabled": True,
                                    "type": "BOOLEAN_FLAG_TYPE"})
    a.call("POST", f"{API}/flags", {"key": "off", "name": "off", "enabled": False})

    def ev(kind, flag, entity, expect=200):
        a.call("POST", f"/evaluate/v1/{kind}",
               {"namespaceKey": NS, "flagKey": flag, "entityId": entity}, expect=expect)

    for i in range(3):
        ev("variant", "color", f"u{i}")
    ev("boolean", "dark", "u1")
    ev("boolean", "dark", "u2")
    ev("variant", "off", "u1")
    a.call("POST", "/evaluate/v1/batch", {"requests": [
        {"namespaceKey": NS, "flagKey": "color", "entityId": "b1"},
        {"namespaceKey": NS, "flagKey": "dark", "entityId": "b1"},
        {"namespaceKey": NS, "flagKey": "gone", "entityId": "b1"}]})
    a.call("POST", f"{API}/evaluate", {"flagKey": "color", "entityId": "l1"})
    a.call("POST", f"{API}/batch-evaluate", {"requests": [
        {"flagKey": "color", "entityId": "l2"}, {"flagKey": "color", "entityId": "l3"}]})
    # Flipt counts none of these: a missing flag, and flags of the other type.
    ev("variant", "gone", "x", expect=404)
    ev("variant", "dark", "x", expect=400)
    ev("boolean", "color", "x", expect=400)

    prom = a.call("GET", "/metrics")
    om = a.call("GET", "/metrics", headers={
        "Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"})
    return prom, om


def families(text):
    return {f.name: f for f in parse_prometheus(text)}


def value(family, sample_name, labels):
    found = [s.value for s in family.samples if s.name == sample_name and s.labels == labels]
    assert len(found) == 1, f"{sample_name}{labels}: {len(found)} samples in {family.samples}"
    return found[0]


def test_content_types(scraped):
    prom, om = scraped
    assert prom.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert om.headers["content-type"].startswith("application/openmetrics-text; version=1.0.0")
    assert om.text.endswith("# EOF\n")


def test_flipt_families_names_types_help(scraped):
    fams = families(scraped[0].text)
    expected = {
        "flipt_evaluations_requests": ("counter", "The total number of requested evaluations"),
        "flipt_evaluations_results": ("counter", "Count of results including match, flag, segment, "
                                                 "reason and value attributes"),
        "flipt_evaluations_latency_milliseconds": (
            "histogram", "The latency of inidividual evaluations in milliseconds"),
        "flipt_server_errors": ("counter", "The total number of server errors"),
        "flipt_cache_hit": ("counter", "The number of cache hits"),
        "flipt_cache_miss": ("counter", "The number of cache misses"),
        "grpc_server_handled": ("counter", "Total number of RPCs completed on the server, "
                                           "regardless of success or failure."),
        "grpc_server_started": ("counter", "Total number of RPCs started on the server."),
        "grpc_server_handling_seconds": ("histogram", "Histogram of response latency (seconds) of gRPC "
                                                      "that had been application-level handled by the server."),
        "http_request_duration_seconds": ("histogram", "A histogram of duration for requests."),
    }
    for name, (kind, help_text) in expected.items():
        assert name in fams, name
        assert fams[name].type == kind, name
        assert fams[name].documentation == help_text, name


def test_evaluation_counts(scraped):
    fams = families(scraped[0].text)
    requests = fams["flipt_evaluations_requests"]
    results = fams["flipt_evaluations_results"]
    color = {"namespace": NS, "flag": "color"}
    dark = {"namespace": NS, "flag": "dark"}
    off = {"namespace": NS, "flag": "off"}
    # v2 variant x3, v2 batch x1, legacy evaluate x1, legacy batch-evaluate x2
    assert value(requests, "flipt_evaluations_requests_total", color) == 7
    assert value(results, "flipt_evaluations_results_total", {
        **color, "match": "true", "segment": "all", "reason": "MATCH_EVALUATION_REASON",
        "value": "blue", "type": "variant"}) == 7
    assert value(requests, "flipt_evaluations_requests_total", dark) == 3
    assert value(results, "flipt_evaluations_results_total", {
        **dark, "value": "true", "reason": "DEFAULT_EVALUATION_REASON", "type": "boolean"}) == 3
    assert value(results, "flipt_evaluations_results_total", {
        **off, "match": "false", "segment": "", "reason": "FLAG_DISABLED_EVALUATION_REASON",
        "value": "", "type": "variant"}) == 1
    latency = fams["flipt_evaluations_latency_milliseconds"]
    assert value(latency, "flipt_evaluations_latency_milliseconds_count", color) == 7
    assert value(latency, "flipt_evaluations_latency_milliseconds_bucket", {**color, "le": "+Inf"}) == 7
    bounds = [float(s.labels["le"]) for s in latency.samples
              if s.name.endswith("_bucket") and s.labels["flag"] == "color" and s.labels["namespace"] == NS]
    assert bounds == [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000, float("inf")]
    ours = [s for f in fams.values() for s in f.samples if s.labels.get("namespace") == NS]
    assert not [s for s in ours if s.labels.get("flag") == "gone"]
    assert "flipt_evaluations_errors" not in fams or not [
        s for s in fams["flipt_evaluations_errors"].samples if s.labels.get("namespace") == NS]


def test_grpc_and_http_series(scraped):
    fams = families(scraped[0].text)
    handled = fams["grpc_server_handled"]
    variant = {"grpc_service": "flipt.evaluation.EvaluationService", "grpc_method": "Variant",
               "grpc_type": "unary"}
    assert value(handled, "grpc_server_handled_total", {**variant, "grpc_code": "OK"}) >= 4
    assert value(handled, "grpc_server_handled_total", {**variant, "grpc_code": "NotFound"}) >= 1
    assert value(handled, "grpc_server_handled_total", {**variant, "grpc_code": "InvalidArgument"}) >= 1
    assert value(handled, "grpc_server_handled_total", {
        "grpc_service": "flipt.Flipt", "grpc_method": "CreateFlag", "grpc_type": "unary",
        "grpc_code": "OK"}) >= 3
    assert value(fams["flipt_server_errors"], "flipt_server_errors_total", {}) >= 3
    # Pre-initialised at zero as go-grpc-prometheus does: every code of every method has a series.
    assert value(handled, "grpc_server_handled_total", {**variant, "grpc_code": "Unauthenticated"}) == 0
    started = {tuple(sorted(s.labels.items())) for s in fams["grpc_server_started"].samples}
    assert len(started) >= 40
    assert len(handled.samples) == 17 * len(started)
    timed = {tuple(sorted(s.labels.items())) for s in fams["grpc_server_handling_seconds"].samples
             if s.name == "grpc_server_handling_seconds_count"}
    assert timed == started  # a handling-time histogram for every method, called or not
    http = fams["http_request_duration_seconds"]
    handlers = {s.labels["handler"] for s in http.samples}
    assert "/evaluate/v1/variant" in handlers
    assert "/api/v1/namespaces/{namespaceKey}/flags" in handlers
    assert not [h for h in handlers if NS in h], handlers  # templates, never raw paths
    assert {s.labels["method"] for s in http.samples} <= {"get", "post", "put", "delete"}
    bounds = sorted({float(s.labels["le"]) for s in http.samples if s.name.endswith("_bucket")})
    assert bounds == [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 0.01, 0.1, 1, float("inf")]


def test_process_and_snapshot_metrics(scraped):
    fams = families(scraped[0].text)
    for name in ["process_cpu_seconds", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                 "process_open_fds", "process_max_fds", "process_start_time_seconds"]:
        assert name in fams, name
        assert fams[name].samples[0].value > 0, name
    info = [s for s in fams["hoist_build_info"].samples]
    assert len(info) == 1 and info[0].value == 1
    assert set(info[0].labels) == {"version", "commit", "swift_version"}
    revisions = [s for s in fams["hoist_snapshot_revision_info"].samples if s.labels["namespace"] == NS]
    assert len(revisions) == 1 and len(revisions[0].labels["revision"]) == 40
    assert value(fams["hoist_snapshot_flags"], "hoist_snapshot_flags", {"namespace": NS}) == 3


def test_openmetrics_parses(scraped):
    fams = {f.name: f for f in parse_openmetrics(scraped[1].text)}
    assert fams["flipt_evaluations_requests"].type == "counter"
    assert fams["flipt_evaluations_latency_milliseconds"].type == "histogram"
    assert fams["process_cpu_seconds"].type == "counter"
    color = [s for s in fams["flipt_evaluations_requests"].samples if s.labels.get("namespace") == NS]
    assert {s.labels["flag"]: s.value for s in color}["color"] == 7
