"""Hoist's Server-Sent Events snapshot stream, read by a plain HTTP client (requests).

GET /internal/v1/evaluation/snapshots/stream?namespace=<ns>: an event with the snapshot document
on connect and on every revision change (API writes, and writes by another process picked up by
the poller), `: heartbeat` comments in between, a bounded number of streams, and a graceful
shutdown that ends open streams instead of waiting for them.
"""
import json
import signal
import time

import requests

STREAM = "/internal/v1/evaluation/snapshots/stream"
SNAPSHOT = "/internal/v1/evaluation/snapshot/namespace/default"
FLAGS = "/api/v1/namespaces/default/flags"
SETTINGS = {"FLIPT_SNAPSHOT_STREAM_HEARTBEAT_INTERVAL": "300ms", "FLIPT_SNAPSHOT_STREAM_MAX_STREAMS": "2"}


class Events:
    """Reads events and comments from a streaming response, one at a time (bounded by timeouts)."""

    def __init__(self, response):
        self.response = response
        self.lines = response.iter_lines(decode_unicode=True)

    def next(self, deadline_s=10.0):
        """The next block: {"comment": text} or {"id": …, "event": …, "data": …}; None at the end."""
        start = time.monotonic()
        block = {}
        for line in self.lines:
            if time.monotonic() - start > deadline_s:
                raise AssertionError("no complete event within the deadline")
            if line == "":
                if block:
                    return block
                continue
            if line.startswith(":"):
                block["comment"] = line[1:].strip()
                continue
            name, _, value = line.partition(":")
            block[name] = block.get(name, "") + (value[1:] if value.startswith(" ") else value)
        return None

    def next_snapshot(self, deadline_s=10.0):
        start = time.monotonic()
        for _ in range(1000):  # heartbeats in between are skipped
            block = self.next(deadline_s)
            if block is None or "comment" not in block:
                return block
            if time.monotonic() - start > deadline_s:
                break
        raise AssertionError("no snapshot event within the deadline")


def open_stream(url, **headers):
    return requests.get(url + STREAM, params={"namespace": "default"}, headers=headers, stream=True,
                        timeout=(5, 5))


def test_stream_pushes_writes_and_respects_the_limit(hoist_factory):
    url, _, _ = hoist_factory(SETTINGS)
    requests.post(url + FLAGS, json={"key": "first", "name": "first"}, timeout=10).raise_for_status()
    snap = requests.get(url + SNAPSHOT, timeout=10)

    with open_stream(url) as r:
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/event-stream"
        events = Events(r)
        first = events.next_snapshot()
        assert first["event"] == "snapshot" and first["id"] == snap.headers["ETag"]
        assert json.loads(first["data"]) == snap.json()

        requests.post(url + FLAGS, json={"key": "second", "name": "second"}, timeout=10).raise_for_status()
        pushed = events.next_snapshot()
        assert pushed["id"] != first["id"]
        assert pushed["id"] == requests.get(url + SNAPSHOT, timeout=10).headers["ETag"]
        assert [f["key"] for f in json.loads(pushed["data"])["flags"]] == ["first", "second"]

        heartbeat = events.next(deadline_s=5)
        assert heartbeat == {"comment": "heartbeat"}

        with open_stream(url, **{"Last-Event-ID": pushed["id"]}) as resumed:
            assert Events(resumed).next(deadline_s=5) == {"comment": "heartbeat"}  # nothing new to send
            refused = requests.get(url + STREAM, timeout=5)
            assert refused.status_code == 503
            assert refused.json() == {"code": 14, "message": "too many snapshot streams (limit 2); retry later",
                                      "details": []}

    # Both clients went away. The server finds out when a heartbeat write fails (the second write
    # after the peer closed, so within about two 300 ms intervals) and frees the slot: after 2 s
    # without probing (a probe would hold a slot of its own), two streams can be open at once again.
    time.sleep(2.0)
    with open_stream(url) as a, open_stream(url) as b:
        assert [a.status_code, b.status_code] == [200, 200]


def test_stream_follows_writes_of_another_process(hoist_factory, tmp_path):
    """Two servers on one database: the reader's poller reloads the writer's change and pushes it."""
    shared = {"FLIPT_DB_URL": f"file:{tmp_path / 'shared.db'}"}
    writer, _, _ = hoist_factory(shared)
    reader, _, _ = hoist_factory({**SETTINGS, **shared})
    with open_stream(reader) as r:
        events = Events(r)
        before = events.next_snapshot()
        requests.post(writer + FLAGS, json={"key": "remote", "name": "remote"}, timeout=10).raise_for_status()
        after = events.next_snapshot(deadline_s=15)  # the poller runs every 5 s
        assert after["id"] != before["id"]
        assert [f["key"] for f in json.loads(after["data"])["flags"]] == ["remote"]


def test_graceful_shutdown_ends_open_streams(hoist_factory):
    url, proc, log = hoist_factory(SETTINGS)
    with open_stream(url) as r:
        events = Events(r)
        assert events.next_snapshot()["event"] == "snapshot"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        for _ in range(100):  # heartbeats may still arrive before the end
            if events.next(deadline_s=10) is None:
                break
        proc.wait(timeout=10)
        assert time.monotonic() - started < 5, "shutdown waited on the open stream"
    assert proc.returncode == 0, log.read_text()[-2000:]
