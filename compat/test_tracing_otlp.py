"""Tracing end to end with the OTLP/HTTP exporter (swift-otel): a real receiver on loopback decodes
the protobuf with opentelemetry-proto and checks span names, parent/child links, the caller's trace
id, Flipt's flag attributes (variant, boolean, batch) and the resource."""
import pytest
import requests

from tracing_support import batch, create_flags, evaluate, otlp_receiver

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
SERVER, INTERNAL, CLIENT = 2, 1, 3
STATUS_ERROR = 2


@pytest.fixture()
def otlp():
    r = otlp_receiver()
    yield r
    r.close()


def test_otlp_http_spans(hoist_factory, otlp):
    url, _, log = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
        "FLIPT_TRACING_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp.port}",
        "FLIPT_TRACING_OTLP_HEADERS_AUTHORIZATION": "Bearer t",
        "FLIPT_TRACING_PROPAGATORS": "tracecontext baggage jaeger",
        "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test",
    })
    create_flags(url)
    evaluate(url, "variant", "color", headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}, request_id="req-v")
    jaeger_trace = "a3ce929d0e0e4736a3ce929d0e0e4736"
    evaluate(url, "boolean", "dark", headers={"uber-trace-id": f"{jaeger_trace}:{PARENT}:0:1"}, request_id="req-b")
    batch(url, request_id="req-batch")
    requests.get(url + "/health", timeout=5)

    spans = otlp.wait_for(lambda s: any(x["name"] == "POST /evaluate/v1/batch" for x in s)
                          and sum(x["traceId"] == TRACE for x in s) >= 2
                          and sum(x["traceId"] == jaeger_trace for x in s) >= 2, timeout=10)
    assert otlp.requests, open(log).read()[-3000:]
    headers, _ = otlp.requests[0]
    assert headers.get("authorization") == "Bearer t"
    names = {s["name"] for s in spans}
    assert not any("health" in n for n in names), names
    for s in spans:
        assert len(s["traceId"]) == 32 and len(s["id"]) == 16 and s["end"] >= s["start"] > 0
        assert s["resource"]["service.name"] == "flipt"
        assert s["resource"]["deployment.environment"] == "test"

    server = next(s for s in spans if s["traceId"] == TRACE and s["kind"] == SERVER)
    child = next(s for s in spans if s["traceId"] == TRACE and s["kind"] == INTERNAL)
    assert server["name"] == "POST /evaluate/v1/variant" and server["parentId"] == PARENT
    assert child["name"] == "evaluation.variant" and child["parentId"] == server["id"]
    a = child["attributes"]
    assert a["flipt.namespace"] == "default" and a["flipt.flag"] == "color" and a["flipt.entity_id"] == "user-1"
    assert a["flipt.request_id"] == "req-v" and a["decision_id"] == "req-v"
    assert a["flipt.match"] is True and a["flipt.value"] == "red" and a["flipt.segments"] == ["everyone"]
    assert a["flipt.reason"] == "MATCH_EVALUATION_REASON"
    assert a["feature_flag.key"] == "color" and a["feature_flag.provider.name"] == "Flipt"
    assert a["feature_flag.result.variant"] == "red"
    assert server["attributes"]["flipt.flag"] == "color"
    assert server["attributes"]["http.route"] == "/evaluate/v1/variant"
    assert server["attributes"]["http.response.status_code"] == 200

    server = next(s for s in spans if s["traceId"] == jaeger_trace and s["kind"] == SERVER)
    child = next(s for s in spans if s["traceId"] == jaeger_trace and s["kind"] == INTERNAL)
    assert server["parentId"] == PARENT and child["parentId"] == server["id"]
    assert child["attributes"]["flipt.value"] is True
    assert child["attributes"]["feature_flag.result.variant"] == "true"

    bserver = next(s for s in spans if s["name"] == "POST /evaluate/v1/batch")
    children = [s for s in spans if s["parentId"] == bserver["id"]]
    assert sorted(c["name"] for c in children) == ["evaluation.boolean", "evaluation.variant"]
    assert {c["attributes"]["flipt.flag"] for c in children} == {"color", "dark"}
    assert "flipt.flag" not in bserver["attributes"]


def test_otlp_evaluation_events(hoist_factory, otlp):
    url, _, log = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
        "FLIPT_TRACING_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp.port}",
        "FLIPT_TRACING_EVALUATION_EVENTS": "true",
    })
    create_flags(url)
    evaluate(url, "variant", "color", headers={"traceparent": f"00-{TRACE}-{PARENT}-01"})
    evaluate(url, "boolean", "dark")
    r = requests.post(url + "/evaluate/v1/batch", json={"requests": [
        {"flagKey": "color", "entityId": "e2"}, {"flagKey": "dark", "entityId": "e2"}]}, timeout=5)
    assert r.status_code == 200
    spans = otlp.wait_for(lambda s: len([x for x in s if x["name"].startswith("evaluation.")]) >= 4, timeout=10)
    deadline_logs = otlp.wait_for(lambda s: len(otlp.logs) >= 4, timeout=10)
    logs = [r for r in otlp.logs if r["attributes"].get("event.name") == "feature_flag.evaluation"]
    assert len(logs) >= 4, (otlp.logs, open(log).read()[-2000:])
    variant = next(r for r in logs if r["traceId"] == TRACE)
    a = variant["attributes"]
    assert a["feature_flag.key"] == "color" and a["feature_flag.result.variant"] == "red"
    assert a["feature_flag.result.reason"] == "targeting_match"
    assert a["feature_flag.provider.name"] == "Flipt" and a["feature_flag.context.id"] == "user-1"
    assert a["feature_flag.set.id"] == "default" and a["feature_flag.version"]
    eval_span = next(s for s in spans if s["traceId"] == TRACE and s["name"] == "evaluation.variant")
    assert variant["spanId"] == eval_span["id"]
    boolean = next(r for r in logs if r["attributes"]["feature_flag.key"] == "dark")
    assert boolean["attributes"]["feature_flag.result.value"] == "true"
    assert boolean["attributes"]["feature_flag.result.reason"] == "default"


def test_otlp_evaluation_events_split_reason(hoist_factory, otlp):
    """Pseudorandom assignment is `split`: a 50/50 rule and a 50 % threshold rollout."""
    url, _, log = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
        "FLIPT_TRACING_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp.port}",
        "FLIPT_TRACING_EVALUATION_EVENTS": "true",
    })
    create_flags(url)  # `color`: one 100 % distribution → targeting_match
    api = url + "/api/v1/namespaces/default"
    s = requests.Session()

    def post(path, body):
        r = s.post(api + path, json=body, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    post("/flags", {"key": "ab", "name": "ab", "type": "VARIANT_FLAG_TYPE", "enabled": True})
    a = post("/flags/ab/variants", {"key": "a"})
    b = post("/flags/ab/variants", {"key": "b"})
    rule = post("/flags/ab/rules", {"segmentKey": "everyone", "rank": 1})
    for v in (a, b):
        post(f"/flags/ab/rules/{rule['id']}/distributions", {"variantId": v["id"], "rollout": 50})
    post("/flags", {"key": "half", "name": "half", "type": "BOOLEAN_FLAG_TYPE", "enabled": False})
    post("/flags/half/rollouts", {"rank": 1, "threshold": {"percentage": 50, "value": True}})
    for flag in ("ab", "color"):
        evaluate(url, "variant", flag)
    for entity in range(20):
        r = s.post(url + "/evaluate/v1/boolean", json={"flagKey": "half", "entityId": f"e{entity}"}, timeout=5)
        assert r.status_code == 200
    otlp.wait_for(lambda _: len(otlp.logs) >= 22, timeout=10)
    reasons = {}
    for r in otlp.logs:
        key = r["attributes"].get("feature_flag.key")
        reasons.setdefault(key, set()).add(r["attributes"].get("feature_flag.result.reason"))
    assert reasons.get("ab") == {"split"}, (reasons, open(log).read()[-2000:])
    assert reasons.get("color") == {"targeting_match"}
    assert reasons.get("half") == {"split", "default"}  # below the threshold: split; above: default


def test_otlp_store_and_rebuild_spans(hoist_factory, otlp):
    """A write request: the server span has a `store.createFlag` child (client kind, database
    attributes) and a `snapshot.rebuild` child whose store read is its own child."""
    url, _, log = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
        "FLIPT_TRACING_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp.port}",
    })
    r = requests.post(url + "/api/v1/namespaces/default/flags", json={"key": "f1", "name": "f1"},
                      headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}, timeout=10)
    assert r.status_code == 200, r.text
    r = requests.get(url + "/api/v1/namespaces/default/flags/missing",
                     headers={"traceparent": f"00-{TRACE}-{PARENT}-01"}, timeout=10)
    assert r.status_code == 404
    spans = otlp.wait_for(lambda s: sum(x["name"].startswith("store.") for x in s) >= 3, timeout=10)
    mine = [s for s in spans if s["traceId"] == TRACE]
    server = next(s for s in mine if s["name"] == "POST /api/v1/namespaces/{namespaceKey}/flags")
    create = next(s for s in mine if s["name"] == "store.createFlag")
    assert create["parentId"] == server["id"] and create["kind"] == CLIENT, (create, open(log).read()[-2000:])
    a = create["attributes"]
    assert a["db.system.name"] == "sqlite" and a["db.operation.name"] == "createFlag"
    assert a["hoist.store.access"] == "write" and a["flipt.namespace"] == "default"
    rebuild = next(s for s in mine if s["name"] == "snapshot.rebuild")
    assert rebuild["parentId"] == server["id"]
    load = next(s for s in mine if s["name"] == "store.namespaceState")
    assert load["parentId"] == rebuild["id"] and load["attributes"]["hoist.store.access"] == "read"
    missing = next(s for s in mine if s["name"] == "store.getFlag")
    assert missing["status"] == STATUS_ERROR


def test_otlp_sampling_ratio_is_applied_once(hoist_factory, otlp):
    """At ratio 0.5 about half of the requests are traced: the head draw and swift-otel's sampler
    must not both apply the ratio (that would trace a quarter)."""
    url, _, _ = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
        "FLIPT_TRACING_OTLP_ENDPOINT": f"http://127.0.0.1:{otlp.port}", "FLIPT_TRACING_SAMPLING_RATIO": "0.5",
    })
    session = requests.Session()
    for i in range(400):
        r = session.post(url + "/evaluate/v1/variant", json={"flagKey": "missing", "entityId": f"e{i}"}, timeout=5)
        assert r.status_code == 404
    spans = otlp.wait_for(lambda s: False, timeout=2.5)  # past the 1 s batch delay
    traced = sum(1 for s in spans if s["name"] == "POST /evaluate/v1/variant")
    # Binomial(400, 0.5): mean 200, sd 10; applying the ratio twice would give about 100.
    assert 150 <= traced <= 250, traced
