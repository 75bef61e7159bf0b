"""Decision logs against a real control plane on loopback: one record per evaluation (every flag of
a batch) with the right fields and masking; a service that is down for a while then recovers gets
them all, gzip-compressed and chunked under the size limit; a full buffer drops the oldest and
counts them."""
import json
import time
import uuid

import requests

from monitoring_support import ControlPlane, free_port, metric
from tracing_support import create_flags


def monitoring_env(tmp_path, plane_url, **extra):
    env = {
        "FLIPT_META_STATE_DIRECTORY": str(tmp_path / "state"),
        "FLIPT_DECISION_LOGS_ENABLED": "true", "FLIPT_DECISION_LOGS_SERVICE": plane_url,
        "FLIPT_DECISION_LOGS_MIN_DELAY": "200ms", "FLIPT_DECISION_LOGS_MAX_DELAY": "400ms",
    }
    env.update({f"FLIPT_DECISION_LOGS_{k.upper()}": str(v) for k, v in extra.items()})
    return env


def test_one_record_per_evaluation_with_masking(hoist_factory, tmp_path):
    plane = ControlPlane().start()
    try:
        env = monitoring_env(tmp_path, plane.url, mask="email")
        env["FLIPT_STATUS_LABELS_REGION"] = "eu"
        url, _, _ = hoist_factory(env)
        create_flags(url)
        s = requests.Session()
        expected = {}  # decision_id -> (flag, entity)
        for i in range(20):
            body = {"flagKey": "color", "entityId": f"user-{i}", "context": {"email": f"u{i}@example.com", "plan": "pro"}}
            r = s.post(url + "/evaluate/v1/variant", json=body, timeout=5).json()
            expected[r["requestId"]] = [("color", f"user-{i}")]
        r = s.post(url + "/evaluate/v1/boolean", json={"flagKey": "dark", "entityId": "b-1"}, timeout=5).json()
        expected[r["requestId"]] = [("dark", "b-1")]
        batch = {"requestId": "batch-7", "requests": [
            {"flagKey": "color", "entityId": "c-1"}, {"flagKey": "dark", "entityId": "c-1"}, {"flagKey": "nope", "entityId": "c-1"}]}
        assert s.post(url + "/evaluate/v1/batch", json=batch, timeout=5).status_code == 200
        expected["batch-7"] = [("color", "c-1"), ("dark", "c-1")]
        total = sum(len(v) for v in expected.values())

        plane.wait_for(lambda ps: len(plane.decisions()) >= total, what=f"{total} decisions")
        time.sleep(0.5)
        events = plane.decisions()
        assert len(events) == total
        got = {}
        for e in events:
            got.setdefault(e["decision_id"], []).append((e["flag"], e["entity_id"]))
        assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected.items()}

        etag = s.get(url + "/internal/v1/evaluation/snapshot/namespace/default", timeout=5).headers["ETag"].strip('"')
        instance = s.get(url + "/api/v1/status", timeout=5).json()["result"]["labels"]["id"]
        uuid.UUID(instance)
        for e in events:
            assert e["namespace"] == "default" and e["revision"] == etag and e["requested_by"] == "127.0.0.1"
            assert e["labels"]["id"] == instance and e["labels"]["region"] == "eu" and e["labels"]["version"]
            assert e["timestamp"].endswith("Z")
            assert "trace_id" not in e
        variant = next(e for e in events if e["entity_id"] == "user-3")
        assert variant["context"] == {"email": "****", "plan": "pro"}
        assert variant["masked"] == ["context.email"]
        assert variant["result"] == {"match": True, "reason": "MATCH_EVALUATION_REASON", "variant": "red",
                                     "segment_keys": ["everyone"]}
        boolean = next(e for e in events if e["entity_id"] == "b-1")
        assert boolean["result"] == {"enabled": True, "reason": "DEFAULT_EVALUATION_REASON", "segment_keys": []}
        for post in plane.received("/logs"):
            assert post["headers"]["content-encoding"] == "gzip"
            assert post["headers"]["content-type"] == "application/json"
        assert "u3@example.com" not in str(plane.posts)
    finally:
        plane.stop()


def test_service_down_then_recovers_receives_everything_in_chunks(hoist_factory, tmp_path):
    plane = ControlPlane(port=free_port())  # not started: connections are refused
    try:
        url, _, _ = hoist_factory(monitoring_env(tmp_path, plane.url, upload_size_limit_bytes=1024,
                                                 buffer_size_limit_events=5000))
        create_flags(url)
        s = requests.Session()
        n = 300
        for i in range(n):
            body = {"flagKey": "color", "entityId": f"user-{i}", "requestId": f"req-{i}",
                    "context": {"nonce": uuid.uuid4().hex}}
            assert s.post(url + "/evaluate/v1/variant", json=body, timeout=5).status_code == 200
        deadline = time.monotonic() + 10
        while metric(url, "hoist_decision_logs_uploads_total", 'outcome="failure"') < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert metric(url, "hoist_decision_logs_uploads_total", 'outcome="failure"') >= 2
        # While an attempt is in flight its decisions are out of the buffer: sample until all are back.
        deadline = time.monotonic() + 5
        for _ in range(100):  # bounded in count and time
            status = s.get(url + "/api/v1/status", timeout=5).json()["result"]
            if status["decision_logs"]["buffered"] == n or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert status["decision_logs"]["state"] == "ERROR" and status["decision_logs"]["buffered"] == n
        assert status["plugins"]["decision_logs"]["state"] == "WARN"

        plane.start()
        plane.wait_for(lambda ps: len({e["decision_id"] for e in plane.decisions()}) >= n, timeout=20,
                       what=f"{n} decisions after recovery")
        ids = [e["decision_id"] for e in plane.decisions()]
        assert sorted(set(ids)) == sorted(f"req-{i}" for i in range(n))
        assert len(ids) == n, "no decision delivered twice"
        posts = plane.received("/logs")
        assert len(posts) > 3, "the backlog must be split into chunks"
        assert all(p["raw_size"] <= 1024 for p in posts)
        assert metric(url, "hoist_decision_logs_dropped_total") == 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if s.get(url + "/api/v1/status", timeout=5).json()["result"]["decision_logs"]["state"] == "OK":
                break
            time.sleep(0.1)
        assert s.get(url + "/api/v1/status", timeout=5).json()["result"]["decision_logs"]["uploaded_events"] == n
    finally:
        plane.stop()


def test_full_buffer_drops_the_oldest_and_counts_them(hoist_factory, tmp_path):
    plane = ControlPlane(port=free_port())
    try:
        url, _, _ = hoist_factory(monitoring_env(tmp_path, plane.url, buffer_size_limit_events=50))
        create_flags(url)
        s = requests.Session()
        for i in range(80):
            body = {"flagKey": "color", "entityId": f"user-{i}", "requestId": f"req-{i}"}
            assert s.post(url + "/evaluate/v1/variant", json=body, timeout=5).status_code == 200
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and metric(url, "hoist_decision_logs_dropped_total") < 30:
            time.sleep(0.1)
        assert metric(url, "hoist_decision_logs_dropped_total", 'reason="buffer_size_limit_exceeded"') == 30
        assert metric(url, "hoist_decision_logs_recorded_total") == 80

        plane.start()
        plane.wait_for(lambda ps: len(plane.decisions()) >= 50, what="the 50 newest decisions")
        time.sleep(0.5)
        assert sorted(e["entity_id"] for e in plane.decisions()) == sorted(f"user-{i}" for i in range(30, 80))
    finally:
        plane.stop()


def test_traced_decisions_and_uploads_carry_the_trace_context(hoist_factory, tmp_path):
    plane = ControlPlane().start()  # also takes the Zipkin spans (JSON arrays on /api/v2/spans)
    try:
        env = monitoring_env(tmp_path, plane.url)
        env.update({"FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
                    "FLIPT_TRACING_ZIPKIN_ENDPOINT": plane.url + "/api/v2/spans",
                    "FLIPT_STATUS_SERVICE": plane.url, "FLIPT_STATUS_WATCH_INTERVAL": "200ms"})
        url, _, _ = hoist_factory(env)
        create_flags(url)
        trace = uuid.uuid4().hex
        parent = {"traceparent": f"00-{trace}-{'1' * 16}-01"}
        body = {"flagKey": "color", "entityId": "traced", "requestId": "traced-1"}
        assert requests.post(url + "/evaluate/v1/variant", json=body, headers=parent, timeout=5).status_code == 200
        plane.wait_for(lambda ps: any(e["decision_id"] == "traced-1" for e in plane.decisions()), what="traced decision")
        event = next(e for e in plane.decisions() if e["decision_id"] == "traced-1")
        assert event["trace_id"] == trace
        assert len(event["span_id"]) == 16 and event["span_id"] != "1" * 16
        # The requests Hoist makes itself start traces of their own and propagate them.
        for path in ("/logs", "/status"):
            post = plane.received(path)[0]
            assert post["headers"]["traceparent"].startswith("00-"), (path, post["headers"])
    finally:
        plane.stop()


def test_console_mode_logs_decisions_and_status_reports(hoist_factory, tmp_path):
    url, proc, log = hoist_factory({
        "FLIPT_META_STATE_DIRECTORY": str(tmp_path / "state"), "FLIPT_LOG_ENCODING": "json",
        "FLIPT_DECISION_LOGS_ENABLED": "true", "FLIPT_DECISION_LOGS_CONSOLE": "true",
        "FLIPT_DECISION_LOGS_MASK": "email", "FLIPT_DECISION_LOGS_MIN_DELAY": "100ms",
        "FLIPT_DECISION_LOGS_MAX_DELAY": "200ms", "FLIPT_STATUS_CONSOLE": "true",
    }, log_level="info")
    create_flags(url)
    body = {"flagKey": "color", "entityId": "console-user", "requestId": "console-1",
            "context": {"email": "secret@example.com"}}
    assert requests.post(url + "/evaluate/v1/variant", json=body, timeout=5).status_code == 200
    deadline = time.monotonic() + 10
    lines = []
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in open(log) if line.startswith("{")]
        if any(entry.get("M") == "Decision Log" for entry in lines):
            break
        time.sleep(0.1)
    decision = next(entry for entry in lines if entry.get("M") == "Decision Log")
    assert decision["L"] == "INFO" and decision["decision_id"] == "console-1"
    event = json.loads(decision["decision"])
    assert event["entity_id"] == "console-user" and event["context"] == {"email": "****"}
    assert "secret@example.com" not in open(log).read()
    status = next(entry for entry in lines if entry.get("M") == "Status Log")
    assert json.loads(status["status"])["trigger"] == "initial"
