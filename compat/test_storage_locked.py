"""Evaluation reads only memory: while another process holds an exclusive lock on Hoist's SQLite
file, evaluations keep answering, and a write fails cleanly (no 200, nothing lost) until the lock
is released."""
import sqlite3
import time

import requests


def post(url, path, body):
    r = requests.post(url + path, json=body, timeout=30)
    return r.status_code, r.json()


def test_evaluations_answer_while_database_is_locked(private_server):
    url, db = private_server
    api = "/api/v1/namespaces/default"
    assert post(url, api + "/flags", {"key": "f", "name": "F", "enabled": True})[0] == 200
    status, variant = post(url, api + "/flags/f/variants", {"key": "on"})
    assert status == 200
    status, rule = post(url, api + "/segments", {"key": "all", "name": "All"})
    assert status == 200
    status, rule = post(url, api + "/flags/f/rules", {"segmentKey": "all", "rank": 1})
    assert status == 200
    assert post(url, api + f"/flags/f/rules/{rule['id']}/distributions",
                {"variantId": variant["id"], "rollout": 100})[0] == 200

    locker = sqlite3.connect(db, timeout=1, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        for i in range(200):  # bounded
            status, body = post(url, "/evaluate/v1/variant", {"flagKey": "f", "entityId": f"user-{i}"})
            assert status == 200, body
            assert body["variantKey"] == "on" and body["match"] is True
        assert time.monotonic() - started < 20, "evaluations were slowed down by the database lock"

        # A write cannot commit while the file is locked: it must fail cleanly, never claim success.
        status, body = post(url, api + "/flags", {"key": "blocked", "name": "Blocked"})
        assert status != 200
        assert set(body) == {"code", "message", "details"}
    finally:
        locker.execute("ROLLBACK")
        locker.close()

    # The lock is gone: writes work again and nothing half-written remains.
    status, flags = requests.get(url + api + "/flags", timeout=10).status_code, \
        requests.get(url + api + "/flags", timeout=10).json()
    assert status == 200 and [f["key"] for f in flags["flags"]] == ["f"]
    assert post(url, api + "/flags", {"key": "after", "name": "After"})[0] == 200
