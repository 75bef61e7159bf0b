"""A real Prometheus server (Debian's `prometheus`) scrapes a running Hoist on 127.0.0.1 and answers
Flipt's own analytics query (spec observability §1.8) with the number of evaluations made."""
import os
import shutil
import subprocess
import time
import urllib.parse

import pytest
import requests

from conftest import _free_port

NS = "prom-server"
API = f"/api/v1/namespaces/{NS}"
FLAG = "checkout"
N = 40


def prometheus_query(base, query, at=None):
    params = {"query": query}
    if at is not None:
        params["time"] = str(at)
    r = requests.get(f"{base}/api/v1/query?" + urllib.parse.urlencode(params), timeout=10)
    r.raise_for_status()
    body = r.json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    for _ in range(int(seconds / 0.25) + 1):  # bounded in count and time
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            break
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture()
def prometheus(hoist_url, tmp_path):
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus is not installed (.ci/run installs Debian's prometheus package)", pytrace=False)
    port = _free_port()
    target = hoist_url.removeprefix("http://")
    (tmp_path / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        f"scrape_configs:\n  - job_name: hoist\n    static_configs:\n      - targets: ['{target}']\n")
    log = open(tmp_path / "prometheus.log", "wb")
    proc = subprocess.Popen(
        [binary, f"--config.file={tmp_path / 'prometheus.yml'}", f"--storage.tsdb.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        def ready():
            if proc.poll() is not None:
                pytest.fail(f"prometheus exited: {(tmp_path / 'prometheus.log').read_text()[-2000:]}")
            try:
                return requests.get(f"{base}/-/ready", timeout=1).status_code == 200
            except requests.RequestException:
                return False
        wait_for(ready, 30, "prometheus to be ready")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_flipt_analytics_query_counts_evaluations(hoist_url, prometheus):
    post = lambda path, body: requests.post(hoist_url + path, json=body, timeout=10)  # noqa: E731
    assert post("/api/v1/namespaces", {"key": NS, "name": NS}).status_code == 200
    assert post(f"{API}/flags", {"key": FLAG, "name": FLAG, "enabled": True}).status_code == 200
    series = f'flipt_evaluations_requests_total{{namespace="{NS}", flag="{FLAG}"}}'

    # One evaluation makes the series exist; let Prometheus scrape it a few times at that value.
    assert post("/evaluate/v1/variant", {"namespaceKey": NS, "flagKey": FLAG, "entityId": "u0"}).status_code == 200
    wait_for(lambda: prometheus_query(prometheus, series), 30, "the first scrape of the series")
    time.sleep(3)
    for i in range(N):
        assert post("/evaluate/v1/variant", {"namespaceKey": NS, "flagKey": FLAG, "entityId": f"u{i + 1}"}).status_code == 200

    def scraped_all():
        result = prometheus_query(prometheus, series)
        return result if result and float(result[0]["value"][1]) == N + 1 else None
    sample = wait_for(scraped_all, 30, f"a scrape showing {N + 1} evaluations")
    at = sample[0]["value"][0]

    # Flipt's analytics query, as its Prometheus backend sends it (internal/server/analytics/prometheus).
    flipt_query = f'sum(increase({series}[1m])) or vector(0)'
    result = prometheus_query(prometheus, flipt_query, at=at)
    assert len(result) == 1
    increase = float(result[0]["value"][1])
    # increase() extrapolates to the window edges, so it reads slightly above the raw delta of N;
    # Flipt rounds the value to an integer.
    print(f"Flipt analytics query: increase over 1m = {increase:.2f} for {N} evaluations")
    assert N <= round(increase) <= N * 1.25, increase
