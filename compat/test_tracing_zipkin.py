"""Tracing end to end with the Zipkin exporter: span names, parent/child links, the caller's trace id
(W3C traceparent and B3), Flipt's flag attributes, and the Zipkin v2 span model."""
import re
import time

import pytest
import requests

from tracing_support import batch, create_flags, evaluate, zipkin_receiver

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
HEX = re.compile(r"^[0-9a-f]+$")


@pytest.fixture()
def zipkin():
    r = zipkin_receiver()
    yield r
    r.close()


def check_zipkin_model(span):
    assert HEX.match(span["traceId"]) and len(span["traceId"]) in (16, 32), span
    assert HEX.match(span["id"]) and len(span["id"]) == 16, span
    if "parentId" in span:
        assert HEX.match(span["parentId"]) and len(span["parentId"]) == 16, span
    assert span.get("kind", "SERVER") in ("CLIENT", "SERVER", "PRODUCER", "CONSUMER"), span
    now_us = time.time() * 1e6
    assert isinstance(span["timestamp"], int) and abs(now_us - span["timestamp"]) < 300e6, span
    assert isinstance(span["duration"], int) and 1 <= span["duration"] < 60e6, span
    assert span["localEndpoint"]["serviceName"] == "flipt"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in span.get("tags", {}).items()), span


def by_trace(spans, trace_id):
    return [s for s in spans if s["traceId"] == trace_id]


def test_zipkin_spans_links_and_flag_attributes(hoist_factory, zipkin):
    url, _, log = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
        "FLIPT_TRACING_ZIPKIN_ENDPOINT": zipkin.url, "FLIPT_TRACING_PROPAGATORS": "tracecontext baggage b3",
    })
    create_flags(url)
    evaluate(url, "variant", "color", headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}, request_id="req-v")
    b3_trace = "a3ce929d0e0e4736a3ce929d0e0e4736"
    evaluate(url, "boolean", "dark", headers={"b3": f"{b3_trace}-{PARENT}-1"}, request_id="req-b")
    batch_body = batch(url, request_id="req-batch")
    assert len(batch_body["responses"]) == 2
    requests.get(url + "/health", timeout=5)
    requests.get(url + "/metrics", timeout=5)

    spans = zipkin.wait_for(lambda s: sum(x["name"] == "POST /evaluate/v1/batch" for x in s) >= 1
                            and len(by_trace(s, TRACE)) >= 2 and len(by_trace(s, b3_trace)) >= 2)
    for s in spans:
        check_zipkin_model(s)
    names = {s["name"] for s in spans}
    assert not any("health" in n or "metrics" in n for n in names), names
    assert "POST /api/v1/namespaces/{namespaceKey}/flags" in names
    # Writes rebuild the namespace snapshot inside the write's trace.
    create = next(s for s in spans if s["name"] == "POST /api/v1/namespaces/{namespaceKey}/flags")
    rebuild = [s for s in spans if s["name"] == "snapshot.rebuild" and s.get("parentId") == create["id"]]
    assert rebuild and rebuild[0]["tags"]["flipt.namespace"] == "default"
    # The store's write and the rebuild's read are client spans of their own.
    store = [s for s in spans if s["name"] == "store.createFlag" and s.get("parentId") == create["id"]]
    assert store and store[0]["kind"] == "CLIENT" and store[0]["tags"]["db.system.name"] == "sqlite"
    assert [s for s in spans if s["name"] == "store.namespaceState" and s.get("parentId") == rebuild[0]["id"]]

    # Variant: server span continues the caller's trace; the evaluation span is its child.
    server, child = sorted(by_trace(spans, TRACE), key=lambda s: s.get("kind") != "SERVER")
    assert server["name"] == "POST /evaluate/v1/variant" and server["kind"] == "SERVER"
    assert server["parentId"] == PARENT
    assert child["name"] == "evaluation.variant" and child["parentId"] == server["id"] and "kind" not in child
    for span in (server, child):
        tags = span["tags"]
        assert tags["flipt.namespace"] == "default" and tags["flipt.flag"] == "color"
        assert tags["flipt.entity_id"] == "user-1" and tags["flipt.request_id"] == "req-v"
        assert tags["decision_id"] == "req-v"
        assert tags["flipt.match"] == "true" and tags["flipt.value"] == "red"
        assert tags["flipt.reason"] == "MATCH_EVALUATION_REASON"
        assert tags["flipt.segments"] == '["everyone"]'
        assert tags["feature_flag.key"] == "color" and tags["feature_flag.provider.name"] == "Flipt"
        assert tags["feature_flag.result.variant"] == "red"
    st = server["tags"]
    assert st["http.request.method"] == "POST" and st["http.route"] == "/evaluate/v1/variant"
    assert st["http.response.status_code"] == "200" and st["url.path"] == "/evaluate/v1/variant"

    # Boolean via B3 single header.
    server, child = sorted(by_trace(spans, b3_trace), key=lambda s: s.get("kind") != "SERVER")
    assert server["name"] == "POST /evaluate/v1/boolean" and server["parentId"] == PARENT
    assert child["name"] == "evaluation.boolean" and child["parentId"] == server["id"]
    assert child["tags"]["flipt.value"] == "true" and child["tags"]["feature_flag.result.variant"] == "true"
    assert child["tags"]["flipt.reason"] == "DEFAULT_EVALUATION_REASON"
    assert child["tags"]["flipt.request_id"] == "req-b"

    # Batch: a child span per flag; the server span carries no flag attributes (as in Flipt).
    bserver = next(s for s in spans if s["name"] == "POST /evaluate/v1/batch")
    assert "parentId" not in bserver and len(bserver["traceId"]) == 32
    children = [s for s in spans if s.get("parentId") == bserver["id"]]
    assert sorted(c["name"] for c in children) == ["evaluation.boolean", "evaluation.variant"]
    assert {c["tags"]["flipt.flag"] for c in children} == {"color", "dark"}
    assert all(c["tags"]["flipt.request_id"] == "req-batch" for c in children)
    assert "flipt.flag" not in bserver.get("tags", {})


def test_zipkin_errors_and_sampling(hoist_factory, zipkin):
    url, _, _ = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
        "FLIPT_TRACING_ZIPKIN_ENDPOINT": zipkin.url, "FLIPT_TRACING_SAMPLING_RATIO": "0",
    })
    # Ratio 0: nothing sampled, except a caller's sampled parent (parent-based, unlike Flipt).
    r = requests.post(url + "/evaluate/v1/variant", json={"flagKey": "missing", "entityId": "e"}, timeout=5)
    assert r.status_code == 404
    r = requests.post(url + "/evaluate/v1/variant", json={"flagKey": "missing", "entityId": "e"},
                      headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}, timeout=5)
    assert r.status_code == 404
    r = requests.post(url + "/evaluate/v1/variant", json={"flagKey": "missing", "entityId": "e"},
                      headers={"traceparent": f"00-{'1' * 32}-{PARENT}-00"}, timeout=5)
    spans = zipkin.wait_for(lambda s: len(s) >= 1, timeout=4)
    time.sleep(1.5)
    spans = list(zipkin.spans)
    assert {s["traceId"] for s in spans} == {TRACE}, spans
    server = next(s for s in spans if s["name"] == "POST /evaluate/v1/variant")
    assert server["tags"]["http.response.status_code"] == "404"
    assert "error" not in server["tags"]  # 4xx is not a server-span error


def test_zipkin_flush_on_shutdown(hoist_factory, zipkin):
    url, proc, _ = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
        "FLIPT_TRACING_ZIPKIN_ENDPOINT": zipkin.url,
    })
    r = requests.post(url + "/evaluate/v1/variant", json={"flagKey": "nope", "entityId": "e"},
                      headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}, timeout=5)
    assert r.status_code == 404
    proc.terminate()  # before the 1 s batch timeout: the span must be flushed on the way out
    assert proc.wait(timeout=15) in (0, -15, 143)
    assert any(s["traceId"] == TRACE for s in zipkin.spans), zipkin.spans


def _sampled_fraction(url, receiver, n=400):
    """Sends n untraced evaluations and returns how many server spans arrived."""
    session = requests.Session()
    for i in range(n):
        r = session.post(url + "/evaluate/v1/variant", json={"flagKey": "missing", "entityId": f"e{i}"}, timeout=5)
        assert r.status_code == 404
    time.sleep(2.5)  # more than the 1 s batch timeout
    return sum(1 for s in receiver.spans if s["name"] == "POST /evaluate/v1/variant")


def test_zipkin_sampling_ratio_is_applied_once(hoist_factory, zipkin):
    """At ratio 0.5 about half of the requests are traced (not a quarter: the ratio is drawn once)."""
    url, _, _ = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
        "FLIPT_TRACING_ZIPKIN_ENDPOINT": zipkin.url, "FLIPT_TRACING_SAMPLING_RATIO": "0.5",
    })
    traced = _sampled_fraction(url, zipkin)
    # Binomial(400, 0.5): mean 200, sd 10; applying the ratio twice would give about 100.
    assert 150 <= traced <= 250, traced
