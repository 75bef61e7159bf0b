"""Tracing with an exporter that cannot deliver: requests keep succeeding at full speed, spans are
dropped and counted (`hoist_tracing_spans_dropped_total`), the warning is rate-limited, and the
process does not grow file descriptors."""
import os
import socket
import time

import requests

from tracing_support import create_flags


def _fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed_evaluations(url, n):
    s = requests.Session()
    body = {"namespaceKey": "default", "flagKey": "color", "entityId": "u", "context": {}}
    started = time.monotonic()
    for _ in range(n):
        r = s.post(url + "/evaluate/v1/variant", json=body, timeout=5)
        assert r.status_code == 200
    return time.monotonic() - started


def _metric(url, name):
    total = 0.0
    for line in requests.get(url + "/metrics", timeout=5).text.splitlines():
        if line.startswith(name):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_dead_zipkin_endpoint(hoist_factory):
    # A listener that never accepts: exports hang until their timeout (the worst case).
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(0)
    try:
        baseline_url, _, _ = hoist_factory({})
        create_flags(baseline_url)
        url, proc, log = hoist_factory({
            "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
            "FLIPT_TRACING_ZIPKIN_ENDPOINT": f"http://127.0.0.1:{_closed_port()}/api/v2/spans",
        })
        create_flags(url)
        _timed_evaluations(url, 50)
        fds_before = _fds(proc.pid)
        untraced = _timed_evaluations(baseline_url, 400)
        traced = _timed_evaluations(url, 400)
        # Same order of speed as an untraced server (generous bound: shared, loaded CI cores).
        assert traced < untraced * 2 + 1.0, (traced, untraced)
        # async-http-client retries the refused connection until the 10 s export timeout, and
        # batches (≤ 512 spans) are exported one at a time: wait for the first full batch.
        deadline = time.monotonic() + 30
        dropped = 0
        while time.monotonic() < deadline and dropped < 512:
            time.sleep(0.5)
            dropped = _metric(url, "hoist_tracing_spans_dropped_total")
        assert dropped >= 512, dropped
        assert _fds(proc.pid) <= fds_before + 8
        text = open(log).read()
        assert text.count("dropping trace spans") == 1, text[-2000:]

        url2, proc2, _ = hoist_factory({
            "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
            "FLIPT_TRACING_ZIPKIN_ENDPOINT": f"http://127.0.0.1:{blackhole.getsockname()[1]}/api/v2/spans",
        })
        create_flags(url2)
        slow = _timed_evaluations(url2, 400)
        assert slow < untraced * 2 + 1.0, (slow, untraced)
    finally:
        blackhole.close()


def test_dead_otlp_endpoint_counts_drops(hoist_factory):
    """swift-otel's losses (failed exports) reach hoist_tracing_spans_dropped_total too."""
    url, proc, log = hoist_factory({
        "FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
        "FLIPT_TRACING_OTLP_ENDPOINT": f"http://127.0.0.1:{_closed_port()}",
    })
    create_flags(url)
    fds_before = _fds(proc.pid)
    _timed_evaluations(url, 200)
    deadline = time.monotonic() + 30
    dropped = 0
    while time.monotonic() < deadline and dropped < 400:
        time.sleep(0.5)
        dropped = _metric(url, 'hoist_tracing_spans_dropped_total{reason="export_failed"}')
    # 200 evaluations make 400 spans (server + evaluation), plus the setup's write spans.
    assert dropped >= 400, (dropped, open(log).read()[-2000:])
    assert _fds(proc.pid) <= fds_before + 8
    _timed_evaluations(url, 50)
    assert open(log).read().count("dropping trace spans") == 1
