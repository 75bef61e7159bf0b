"""Health and readiness against a real server and a real SQLite file: `/health/ready` fails naming
the database while another process holds its write lock, and recovers when the lock is released;
`/health` stays Flipt-compatible throughout."""
import sqlite3
import time

import requests



def get(url, path):
    r = requests.get(url + path, timeout=10)
    return r.status_code, r.json()


def test_ready_follows_database_availability(private_server):
    url, db = private_server
    assert get(url, "/health") == (200, {"status": "SERVING"})
    assert get(url, "/health/live") == (200, {})
    assert get(url, "/health/ready") == (200, {})
    status, plugins = get(url, "/health?plugins")
    assert status == 200
    assert plugins["plugins"]["storage"] == {"state": "OK"}
    assert plugins["plugins"]["snapshots"] == {"state": "OK"}

    locker = sqlite3.connect(db, timeout=1, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        status, body = get(url, "/health/ready")
        assert status == 500
        assert body["error"].startswith("storage: database unavailable"), body
        status, plugins = get(url, "/health?plugins")
        assert status == 500 and plugins["error"] == "not all plugins in OK state"
        assert plugins["plugins"]["storage"]["state"] == "ERROR"
        # Flipt's /health is a liveness signal and does not check the database.
        assert get(url, "/health") == (200, {"status": "SERVING"})
    finally:
        locker.execute("ROLLBACK")
        locker.close()

    deadline = time.monotonic() + 10
    for _ in range(100):  # bounded in count and time
        if get(url, "/health/ready") == (200, {}) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert get(url, "/health/ready") == (200, {})
