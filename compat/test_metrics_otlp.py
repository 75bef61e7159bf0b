"""metrics.exporter: otlp — Flipt's flipt_* families pushed by swift-otel to a real OTLP receiver on
loopback (OTLP/HTTP and OTLP/gRPC), decoded with the official opentelemetry-proto definitions: raw
instrument names, labels, cumulative monotonic sums, the latency histogram with OTel's default
buckets in ms, the configured headers, and nothing of them left on /metrics."""

import pytest
import requests

from tracing_support import GRPCReceiver, Receiver, create_flags, evaluate

BUCKETS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]


def _attrs(kvs):
    out = {}
    for kv in kvs:
        kind = kv.value.WhichOneof("value")
        out[kv.key] = getattr(kv.value, kind) if kind else None
    return out


def decode_metrics(body):
    """ExportMetricsServiceRequest → one dict per data point (name, kind, unit, labels, value…)."""
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
    req = ExportMetricsServiceRequest()
    req.ParseFromString(body)
    out = []
    for rm in req.resource_metrics:
        resource = _attrs(rm.resource.attributes)
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                kind = m.WhichOneof("data")
                base = {"name": m.name, "kind": kind, "unit": m.unit, "description": m.description,
                        "resource": resource}
                if kind == "sum":
                    for p in m.sum.data_points:
                        value = p.as_int if p.WhichOneof("value") == "as_int" else p.as_double
                        out.append({**base, "labels": _attrs(p.attributes), "value": value,
                                    "monotonic": m.sum.is_monotonic,
                                    "temporality": m.sum.aggregation_temporality})
                elif kind == "histogram":
                    for p in m.histogram.data_points:
                        out.append({**base, "labels": _attrs(p.attributes), "count": p.count, "sum": p.sum,
                                    "bounds": list(p.explicit_bounds), "buckets": list(p.bucket_counts),
                                    "temporality": m.histogram.aggregation_temporality})
    return out


def latest(points, name, labels):
    """The newest data point of a series (exports are cumulative, so the last one holds the total)."""
    found = [p for p in points if p["name"] == name and p["labels"] == labels]
    return found[-1] if found else None


def evaluate_some(url):
    create_flags(url)  # variant `color` (everyone → red), boolean `dark`
    for i in range(3):
        evaluate(url, "variant", "color", request_id=f"v{i}")
    evaluate(url, "boolean", "dark")
    r = requests.post(f"{url}/evaluate/v1/variant", json={"flagKey": "gone", "entityId": "x"}, timeout=5)
    assert r.status_code == 404


def check_points(points):
    color = {"namespace": "default", "flag": "color"}
    dark = {"namespace": "default", "flag": "dark"}
    requests_color = latest(points, "flipt_evaluations_requests", color)
    assert requests_color and requests_color["value"] == 3, points
    assert requests_color["kind"] == "sum" and requests_color["monotonic"]
    assert requests_color["temporality"] == 2  # AGGREGATION_TEMPORALITY_CUMULATIVE
    assert requests_color["description"] == "The total number of requested evaluations"
    assert requests_color["resource"]["service.name"] == "flipt"
    assert latest(points, "flipt_evaluations_requests", dark)["value"] == 1
    result = latest(points, "flipt_evaluations_results", {
        **color, "match": "true", "segment": "everyone", "reason": "MATCH_EVALUATION_REASON", "value": "red",
        "type": "variant"})
    assert result and result["value"] == 3
    assert latest(points, "flipt_evaluations_results", {
        **dark, "value": "true", "reason": "DEFAULT_EVALUATION_REASON", "type": "boolean"})["value"] == 1
    latency = latest(points, "flipt_evaluations_latency", color)
    assert latency and latency["kind"] == "histogram" and latency["count"] == 3, points
    assert latency["unit"] == "ms" and latency["bounds"] == BUCKETS and sum(latency["buckets"]) == 3
    assert latest(points, "flipt_cache_hit", {"cache": "memory", "type": "flag"})["value"] >= 4
    assert not [p for p in points if p["labels"].get("flag") == "gone"]
    # Prometheus names are not exported over OTLP, and no non-Flipt family is pushed.
    assert all(p["name"].startswith("flipt_") and not p["name"].endswith("_total") for p in points)


def check_scrape(url):
    text = requests.get(url + "/metrics", timeout=5).text
    assert "flipt_evaluations_requests_total" not in text  # exported, not scraped (as Flipt)
    assert "http_request_duration_seconds_bucket" in text and "grpc_server_handled_total" in text


def wait_until(receiver, predicate, timeout=10.0):
    return receiver.wait_for(predicate, timeout=timeout)


def has_totals(points):
    p = latest(points, "flipt_evaluations_requests", {"namespace": "default", "flag": "color"})
    h = latest(points, "flipt_evaluations_latency", {"namespace": "default", "flag": "color"})
    return bool(p and p["value"] == 3 and h and h["count"] == 3)


@pytest.fixture()
def http_receiver():
    r = Receiver("/v1/metrics", decode_metrics)
    yield r
    r.close()


def test_otlp_http_metrics(hoist_factory, http_receiver):
    url, _, log = hoist_factory({
        "FLIPT_METRICS_EXPORTER": "otlp",
        "FLIPT_METRICS_OTLP_ENDPOINT": f"http://127.0.0.1:{http_receiver.port}",
        "FLIPT_METRICS_OTLP_HEADERS_AUTHORIZATION": "Bearer m",
        "OTEL_METRIC_EXPORT_INTERVAL": "300",
    })
    evaluate_some(url)
    points = wait_until(http_receiver, has_totals)
    assert http_receiver.requests, open(log).read()[-3000:]
    assert http_receiver.requests[0][0].get("authorization") == "Bearer m"
    check_points(points)
    check_scrape(url)


def test_otlp_grpc_metrics(hoist_factory):
    receiver = GRPCReceiver("metrics", decode_metrics)
    try:
        url, _, log = hoist_factory({
            "FLIPT_METRICS_EXPORTER": "otlp",
            "FLIPT_METRICS_OTLP_ENDPOINT": f"127.0.0.1:{receiver.port}",  # no scheme → OTLP/gRPC
            "FLIPT_METRICS_OTLP_HEADERS_X_TEAM": "flags",
            "OTEL_METRIC_EXPORT_INTERVAL": "300",
        })
        evaluate_some(url)
        points = wait_until(receiver, has_totals)
        assert receiver.metadata, open(log).read()[-3000:]
        assert receiver.metadata[0].get("x_team") == "flags"
        check_points(points)
    finally:
        receiver.close()
