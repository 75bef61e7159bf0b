"""Audit events (issue 6): webhook + log sinks fed from the durable outbox.

Each test starts its own Hoist (fresh database) and a real HTTP receiver on 127.0.0.1 that checks
every x-flipt-webhook-signature. Bounded: every wait has a count and a time limit."""
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from audit_support import Hoist, Receiver, free_port

SECRET = "s3cr3t"


def audit_env(receiver_port, **extra):
    env = {
        "FLIPT_AUDIT_SINKS_WEBHOOK_ENABLED": "true",
        "FLIPT_AUDIT_SINKS_WEBHOOK_URL": f"http://127.0.0.1:{receiver_port}/audit",
        "FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET": SECRET,
        "FLIPT_AUDIT_SINKS_WEBHOOK_MAX_BACKOFF_DURATION": "100ms",
    }
    env.update(extra)
    return env


@pytest.fixture()
def receiver():
    r = Receiver(free_port(), SECRET)
    r.start()
    yield r
    r.stop()


def changes(url):
    """Makes one change of every kind; returns the expected (type, action) sequence."""
    s = requests.Session()
    ns = url + "/api/v1/namespaces/audit"
    expected = []

    def call(method, path, body, kind):
        r = s.request(method, path, json=body, timeout=10)
        assert r.status_code == 200, (method, path, r.status_code, r.text)
        expected.append(kind)
        return r.json() if r.content else {}

    call("POST", url + "/api/v1/namespaces", {"key": "audit", "name": "Audit"}, ("namespace", "created"))
    call("PUT", ns, {"name": "Audit <&>"}, ("namespace", "updated"))
    call("POST", ns + "/flags", {"key": "f1", "name": "F1", "type": "VARIANT_FLAG_TYPE"}, ("flag", "created"))
    v = call("POST", ns + "/flags/f1/variants", {"key": "v1", "attachment": "{\"a\":1}"}, ("variant", "created"))
    call("PUT", ns + "/flags/f1", {"name": "F1b", "enabled": True, "defaultVariantId": v["id"]}, ("flag", "updated"))
    call("PUT", ns + "/flags/f1/variants/" + v["id"], {"key": "v1", "name": "V"}, ("variant", "updated"))
    call("POST", ns + "/segments", {"key": "s1", "name": "S1", "matchType": "ANY_MATCH_TYPE"}, ("segment", "created"))
    c = call("POST", ns + "/segments/s1/constraints",
             {"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "eq", "value": "x"},
             ("constraint", "created"))
    call("PUT", ns + "/segments/s1/constraints/" + c["id"],
         {"type": "STRING_COMPARISON_TYPE", "property": "p", "operator": "neq", "value": "y"},
         ("constraint", "updated"))
    call("PUT", ns + "/segments/s1", {"name": "S1b", "matchType": "ALL_MATCH_TYPE"}, ("segment", "updated"))
    r1 = call("POST", ns + "/flags/f1/rules", {"segmentKey": "s1", "rank": 1}, ("rule", "created"))
    r2 = call("POST", ns + "/flags/f1/rules", {"segmentKey": "s1", "rank": 2}, ("rule", "created"))
    d = call("POST", ns + f"/flags/f1/rules/{r1['id']}/distributions", {"variantId": v["id"], "rollout": 33.3},
             ("distribution", "created"))
    call("PUT", ns + f"/flags/f1/rules/{r1['id']}/distributions/{d['id']}", {"variantId": v["id"], "rollout": 50},
         ("distribution", "updated"))
    call("PUT", ns + "/flags/f1/rules/order", {"ruleIds": [r2["id"], r1["id"]]}, ("rule", "updated"))
    call("PUT", ns + f"/flags/f1/rules/{r1['id']}", {"segmentKey": "s1", "rank": 2}, ("rule", "updated"))
    call("DELETE", ns + f"/flags/f1/rules/{r1['id']}/distributions/{d['id']}?variantId={v['id']}", None,
         ("distribution", "deleted"))
    call("DELETE", ns + f"/flags/f1/rules/{r2['id']}", None, ("rule", "deleted"))
    call("POST", ns + "/flags", {"key": "b1", "name": "B1", "type": "BOOLEAN_FLAG_TYPE"}, ("flag", "created"))
    ro = call("POST", ns + "/flags/b1/rollouts", {"rank": 1, "threshold": {"percentage": 12.5, "value": True}},
              ("rollout", "created"))
    call("PUT", ns + "/flags/b1/rollouts/" + ro["id"], {"rank": 1, "threshold": {"percentage": 40, "value": False}},
         ("rollout", "updated"))
    ro2 = call("POST", ns + "/flags/b1/rollouts", {"rank": 2, "segment": {"segmentKey": "s1", "value": True}},
               ("rollout", "created"))
    call("PUT", ns + "/flags/b1/rollouts/order", {"rolloutIds": [ro2["id"], ro["id"]]}, ("rollout", "updated"))
    call("DELETE", ns + "/flags/b1/rollouts/" + ro2["id"], None, ("rollout", "deleted"))
    call("DELETE", ns + "/flags/b1/rollouts/" + ro["id"], None, ("rollout", "deleted"))
    call("DELETE", ns + "/segments/s1/constraints/" + c["id"], None, ("constraint", "deleted"))
    call("DELETE", ns + "/flags/f1/variants/" + v["id"], None, ("variant", "deleted"))
    call("DELETE", ns + "/flags/f1", None, ("flag", "deleted"))
    call("DELETE", ns + "/flags/b1", None, ("flag", "deleted"))
    call("DELETE", ns + "/segments/s1", None, ("segment", "deleted"))
    call("DELETE", ns + "?force=true", None, ("namespace", "deleted"))
    # Reads and evaluations produce nothing.
    s.get(url + "/api/v1/namespaces", timeout=10)
    s.post(url + "/evaluate/v1/boolean", json={"namespaceKey": "default", "flagKey": "nope", "entityId": "e"},
           timeout=10)
    return expected


def test_every_change_one_signed_event_in_order(tmp_path, receiver):
    log_file = tmp_path / "audit" / "audit.log"
    hoist = Hoist(tmp_path, audit_env(receiver.port, FLIPT_AUDIT_SINKS_LOG_ENABLED="true",
                                      FLIPT_AUDIT_SINKS_LOG_FILE=str(log_file),
                                      FLIPT_AUDIT_SINKS_LOG_ENCODING="json")).start()
    try:
        expected = changes(hoist.url)
        events = receiver.wait_for(len(expected), timeout=20)
        time.sleep(0.3)  # nothing extra may arrive
        events = receiver.unique_events()
        assert [(e["type"], e["action"]) for _, e, _ in events] == expected
        assert all(ok for _, _, ok in events), "bad signature"
        for key, e, _ in events:
            assert list(e) == ["version", "type", "action", "metadata", "payload", "timestamp", "status"]
            assert e["version"] == "0.2" and e["status"] == "success"
            assert e["metadata"] == {"actor": {"authentication": "none", "ip": "127.0.0.1"}}
            assert list(e["payload"]) == sorted(e["payload"])
            assert len(key) == 36
        assert events[1][1]["payload"] == {"description": "", "key": "audit", "name": "Audit <&>", "protected": False}
        raw = [b for _, b, _, _ in receiver.snapshot()]
        assert b"Audit \\u003c\\u0026\\u003e" in raw[1]
        assert events[-1][1]["payload"] == {"force": True, "key": "audit"}
        # The log file holds the same events, Flipt's log field order.
        lines = []
        for _ in range(100):
            lines = log_file.read_text().splitlines() if log_file.exists() else []
            if len(lines) >= len(expected):
                break
            time.sleep(0.05)
        assert len(lines) == len(expected)
        first = json.loads(lines[0])
        assert list(first) == ["version", "type", "action", "status", "metadata", "payload", "timestamp"]
        # History API: newest first, filterable, paginated.
        h = requests.get(hoist.url + "/api/v1/audit/events?limit=5", timeout=10).json()
        assert h["totalCount"] == len(expected) and len(h["events"]) == 5 and h["nextPageToken"]
        assert (h["events"][0]["type"], h["events"][0]["action"]) == expected[-1]
        flags = requests.get(hoist.url + "/api/v1/audit/events?type=flag&action=created", timeout=10).json()
        assert flags["totalCount"] == 2
    finally:
        hoist.stop()


def test_outage_then_recovery_loses_nothing(tmp_path):
    port = free_port()
    receiver = Receiver(port, SECRET)  # not listening yet: connections refused
    hoist = Hoist(tmp_path, audit_env(port, FLIPT_AUDIT_BUFFER_CAPACITY="200",
                                      FLIPT_AUDIT_BACKLOG_WARN_THRESHOLD="100")).start()
    try:
        s = requests.Session()
        total = 1000
        for i in range(total):
            r = s.post(hoist.url + "/api/v1/namespaces/default/flags",
                       json={"key": f"f{i}", "name": "n", "type": "BOOLEAN_FLAG_TYPE"}, timeout=10)
            assert r.status_code == 200
            if i == total // 2:
                receiver.mode = "503"
                receiver.start()  # now answering 503
        time.sleep(0.5)
        assert receiver.unique_events() == []
        health = requests.get(hoist.url + "/health?plugins", timeout=10)
        assert health.status_code == 200
        state = health.json()["plugins"]["audit.webhook"]
        assert state["state"] == "WARN" and "not yet delivered" in state["message"], state
        receiver.mode = "ok"
        events = receiver.wait_for(total, timeout=60)
        assert len(events) == total, f"{len(events)} of {total} delivered"
        assert [e["payload"]["key"] for _, e, _ in events] == [f"f{i}" for i in range(total)]
        assert all(ok for _, _, ok in events)
        for _ in range(100):  # the backlog drains to zero (≤ 5 s)
            if requests.get(hoist.url + "/health?plugins", timeout=10).json()["plugins"]["audit.webhook"] == {
                    "state": "OK"}:
                break
            time.sleep(0.05)
        assert requests.get(hoist.url + "/health?plugins", timeout=10).json()["plugins"]["audit.webhook"] == {
            "state": "OK"}
        assert 'hoist_audit_backlog{sink="webhook"} 0' in requests.get(hoist.url + "/metrics", timeout=10).text
    finally:
        hoist.stop()
        receiver.stop()


def test_crash_mid_burst_delivers_every_acknowledged_change(tmp_path, receiver):
    env = audit_env(receiver.port)
    hoist = Hoist(tmp_path, env).start()
    acked = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        s = requests.Session()
        for i in range(2000):
            if stop.is_set():
                return
            key = f"w{worker}-{i}"
            try:
                r = s.post(hoist.url + "/api/v1/namespaces/default/flags",
                           json={"key": key, "name": "n", "type": "BOOLEAN_FLAG_TYPE"}, timeout=5)
            except requests.RequestException:
                return
            if r.status_code == 200:
                with lock:
                    acked.append(key)

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(writer, w) for w in range(4)]
        for _ in range(100):  # until some writes went through (bounded)
            if len(acked) >= 150:
                break
            time.sleep(0.02)
        hoist.kill()
        stop.set()
        for f in futures:
            f.result(timeout=30)
    assert len(acked) >= 1
    restarted = Hoist(tmp_path, env, db=hoist.db)
    restarted.start()
    try:
        # Every committed flag (acknowledged or not) must get its event.
        flags = requests.get(restarted.url + "/api/v1/namespaces/default/flags?limit=10000", timeout=10).json()
        committed = {f["key"] for f in flags["flags"]}
        assert set(acked) <= committed
        deadline = time.monotonic() + 30
        for _ in range(600):
            delivered = {e["payload"]["key"] for _, e, _ in receiver.unique_events()}
            if committed <= delivered or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        events = receiver.unique_events()
        by_key = {}
        for _, e, _ in events:
            by_key.setdefault(e["payload"]["key"], []).append(e)
        missing = [k for k in acked if k not in by_key]
        assert not missing, f"{len(missing)} acknowledged changes without event, e.g. {missing[:3]}"
        assert all(len(v) == 1 for v in by_key.values()), "a change has more than one event"
        # Exactly the committed changes have events.
        assert set(by_key) == committed
    finally:
        restarted.stop()


def test_non_retryable_answer_is_recorded_and_skipped(tmp_path, receiver):
    hoist = Hoist(tmp_path, audit_env(receiver.port)).start()
    try:
        s = requests.Session()
        receiver.mode = "410"
        for i in range(3):
            assert s.post(hoist.url + "/api/v1/namespaces/default/flags",
                          json={"key": f"gone{i}", "name": "n"}, timeout=10).status_code == 200
        failures = []
        for _ in range(200):  # ≤ 10 s
            failures = requests.get(hoist.url + "/api/v1/audit/failures", timeout=10).json()["failures"]
            if len(failures) >= 3:
                break
            time.sleep(0.05)
        assert len(failures) == 3 and all(f["sink"] == "webhook" and "410" in f["message"] for f in failures)
        receiver.mode = "ok"
        assert s.post(hoist.url + "/api/v1/namespaces/default/flags",
                      json={"key": "after", "name": "n"}, timeout=10).status_code == 200
        events = receiver.wait_for(1, timeout=10)
        assert [e["payload"]["key"] for _, e, _ in events] == ["after"]
        metrics = requests.get(hoist.url + "/metrics", timeout=10).text
        assert 'hoist_audit_events_total{type="flag",action="created"} 4' in metrics
        assert 'hoist_audit_deliveries_total{sink="webhook",outcome="failed"} 3' in metrics
        assert 'hoist_audit_deliveries_total{sink="webhook",outcome="success"} 1' in metrics
        assert "hoist_audit_delivery_latency_seconds_bucket" in metrics
        health = requests.get(hoist.url + "/health?plugins", timeout=10).json()
        assert "audit.webhook" in str(health)
    finally:
        hoist.stop()


def test_filter_limits_recorded_events(tmp_path, receiver):
    hoist = Hoist(tmp_path, audit_env(receiver.port, FLIPT_AUDIT_EVENTS="flag:deleted")).start()
    try:
        s = requests.Session()
        s.post(hoist.url + "/api/v1/namespaces/default/flags", json={"key": "x", "name": "n"}, timeout=10)
        s.delete(hoist.url + "/api/v1/namespaces/default/flags/x", headers={"X-Forwarded-For": "10.1.2.3, 10.0.0.1"},
                 timeout=10)
        receiver.wait_for(1, timeout=10)
        time.sleep(0.3)
        events = receiver.unique_events()
        assert [(e["type"], e["action"]) for _, e, _ in events] == [("flag", "deleted")]
        assert events[0][1]["metadata"]["actor"] == {"authentication": "none", "ip": "10.1.2.3"}
    finally:
        hoist.stop()


def test_log_file_reopened_on_sighup(tmp_path):
    import os
    import signal as signals
    log_file = tmp_path / "audit.log"
    hoist = Hoist(tmp_path, {"FLIPT_AUDIT_SINKS_LOG_ENABLED": "true", "FLIPT_AUDIT_SINKS_LOG_FILE": str(log_file),
                             "FLIPT_AUDIT_SINKS_LOG_ENCODING": "json"}).start()
    try:
        s = requests.Session()

        def create(key):
            assert s.post(hoist.url + "/api/v1/namespaces/default/flags", json={"key": key, "name": "n"},
                          timeout=10).status_code == 200

        def wait_lines(path, n):
            for _ in range(200):  # ≤ 10 s
                if path.exists() and len(path.read_text().splitlines()) >= n:
                    break
                time.sleep(0.05)
            return path.read_text().splitlines() if path.exists() else []

        create("before")
        assert len(wait_lines(log_file, 1)) == 1
        rotated = tmp_path / "audit.log.1"
        log_file.rename(rotated)
        os.kill(hoist.proc.pid, signals.SIGHUP)
        time.sleep(0.3)
        create("after")
        lines = wait_lines(log_file, 1)
        assert [json.loads(l)["payload"]["key"] for l in lines] == ["after"]
        assert [json.loads(l)["payload"]["key"] for l in rotated.read_text().splitlines()] == ["before"]
        assert hoist.proc.poll() is None
    finally:
        hoist.stop()


def test_webhook_templates(tmp_path, receiver):
    config = tmp_path / "config.yml"
    config.write_text(f"""
audit:
  sinks:
    webhook:
      enabled: true
      max_backoff_duration: 100ms
      templates:
        - url: http://127.0.0.1:{receiver.port}/slack
          headers:
            X-Team: platform
          body: |
            {{"text": "{{{{ .Type }}}} {{{{ .Action }}}} {{{{ .Payload.key }}}}",
             "on": {{{{ if .Payload.enabled }}}}true{{{{ else }}}}false{{{{ end }}}}, "event": {{{{ toJson . }}}}}}
""")
    hoist = Hoist(tmp_path, {}, args=["--config", str(config)]).start()
    try:
        assert requests.post(hoist.url + "/api/v1/namespaces/default/flags",
                             json={"key": "t1", "name": "n", "enabled": True}, timeout=10).status_code == 200
        receiver.wait_for(1, timeout=10)
        (key, body, _, headers), = receiver.snapshot()
        event = json.loads(body)
        assert event["text"] == "flag created t1" and event["on"] is True
        assert event["event"]["payload"]["key"] == "t1" and event["event"]["version"] == "0.2"
        lowered = {k.lower(): v for k, v in headers.items()}  # (Viper lower-cases config keys too)
        assert lowered["x-team"] == "platform" and lowered["content-type"] == "application/json"
        assert "x-flipt-webhook-signature" not in {h.lower() for h in headers}
    finally:
        hoist.stop()


def test_unsupported_template_action_fails_start(tmp_path):
    import os
    import subprocess
    config = tmp_path / "config.yml"
    config.write_text("""
audit:
  sinks:
    webhook:
      enabled: true
      templates:
        - url: http://127.0.0.1:9/x
          body: '{{ printf "%s" .Type }}'
""")
    binary = os.environ.get("HOIST_BIN", "/work/main/.build/debug/hoist")
    out = subprocess.run([binary, "serve", "--config", str(config)], capture_output=True, timeout=30,
                         env=dict(os.environ, FLIPT_DB_URL=f"file:{tmp_path / 'x.db'}"))
    assert out.returncode != 0
    text = (out.stdout + out.stderr).decode()
    assert "templates[0]" in text and "unsupported action" in text
