"""OPA-style Status API against a real control plane on loopback: an initial report, a report when
the database becomes unavailable (storage ERROR) and one when it recovers, periodic reports, a final
report on SIGTERM, and an instance id that survives a restart and matches GET /api/v1/status."""
import signal
import sqlite3
import uuid

import requests

from monitoring_support import ControlPlane
from tracing_support import create_flags


def reports(posts, trigger=None):
    return [p["body"] for p in posts if p["path"] == "/status/edge" and (trigger is None or p["body"]["trigger"] == trigger)]


def recovered_after_error(posts):
    changes = reports(posts, "change")
    errors = [i for i, r in enumerate(changes) if r["plugins"]["storage"]["state"] == "ERROR"]
    return bool(errors) and any(r["plugins"]["storage"]["state"] == "OK" for r in changes[errors[0] + 1:])


def test_status_reports_follow_component_state(hoist_factory, tmp_path):
    plane = ControlPlane().start()
    db = tmp_path / "status.db"
    env = {
        "FLIPT_DB_URL": f"file:{db}", "FLIPT_META_STATE_DIRECTORY": str(tmp_path / "state"),
        "FLIPT_STATUS_SERVICE": plane.url + "/", "FLIPT_STATUS_PARTITION_NAME": "edge",
        "FLIPT_STATUS_LABELS_REGION": "eu", "FLIPT_STATUS_HEADERS_AUTHORIZATION": "Bearer s3cret",
        "FLIPT_STATUS_INTERVAL": "1500ms", "FLIPT_STATUS_WATCH_INTERVAL": "200ms",
    }
    try:
        url, proc, _ = hoist_factory(env)
        create_flags(url)
        posts = plane.wait_for(lambda ps: reports(ps, "initial"), what="initial report")
        initial = reports(posts, "initial")[0]
        instance = initial["labels"]["id"]
        uuid.UUID(instance)
        assert initial["labels"]["region"] == "eu" and initial["labels"]["version"]
        assert initial["plugins"]["storage"] == {"state": "OK"}
        assert initial["plugins"]["snapshots"] == {"state": "OK"}
        assert set(initial) >= {"labels", "plugins", "namespaces", "metrics", "timestamp"}
        first = next(p for p in posts if p["path"] == "/status/edge")
        assert first["headers"]["authorization"] == "Bearer s3cret"
        assert first["headers"]["content-type"] == "application/json"

        pulled = requests.get(url + "/api/v1/status", timeout=5).json()["result"]
        assert pulled["labels"]["id"] == instance
        assert pulled["namespaces"]["default"]["flags"] == 2
        assert len(pulled["namespaces"]["default"]["active_revision"]) == 40

        locker = sqlite3.connect(db, timeout=1, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            posts = plane.wait_for(
                lambda ps: any(r["plugins"]["storage"]["state"] == "ERROR" for r in reports(ps, "change")),
                what="storage ERROR report")
            down = next(r for r in reports(posts, "change") if r["plugins"]["storage"]["state"] == "ERROR")
            assert down["plugins"]["storage"]["message"]
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        posts = plane.wait_for(recovered_after_error, what="storage recovery report")
        # Nothing changes now: reports keep coming every status.interval.
        before = len(reports(posts, "periodic"))
        plane.wait_for(lambda ps: len(reports(ps, "periodic")) >= before + 2, timeout=10, what="periodic reports")

        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        posts = plane.wait_for(lambda ps: reports(ps, "shutdown"), timeout=5, what="final report")
        assert reports(posts, "shutdown")[0]["labels"]["id"] == instance

        # A restart with the same state directory keeps the instance id.
        url2, _, _ = hoist_factory(dict(env, FLIPT_DB_URL=f"file:{tmp_path / 'second.db'}"))
        posts = plane.wait_for(lambda ps: len(reports(ps, "initial")) >= 2, what="second initial report")
        assert reports(posts, "initial")[1]["labels"]["id"] == instance
        assert requests.get(url2 + "/api/v1/status", timeout=5).json()["result"]["labels"]["id"] == instance
    finally:
        plane.stop()
