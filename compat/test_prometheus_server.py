"""A real Prometheus server (Debian's `prometheus`) scrapes a running Hoist on 127.0.0.1 and answers
Flipt's own analytics query (spec observability §1.8) with the number of evaluations made."""
import time

import pytest
import requests

from prometheus_support import PrometheusServer, prometheus_query, wait_for

NS = "prom-server"
API = f"/api/v1/namespaces/{NS}"
FLAG = "checkout"
N = 40


@pytest.fixture()
def prometheus(hoist_url, tmp_path):
    server = PrometheusServer(tmp_path)
    try:
        yield server.start(hoist_url.removeprefix("http://"))
    finally:
        server.stop()


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
