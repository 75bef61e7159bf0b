"""Evaluation analytics (spec observability §1.8, issue 7) against the real binary: Flipt's
`GET /internal/v1/analytics/namespaces/{ns}/flags/{flag}` answered from Hoist's own database
(counts kept across a restart, written by the shutdown flush) and, with
`analytics.storage.prometheus.enabled`, from a real Prometheus server with Flipt's query."""
import datetime
import time

import pytest
import requests

from prometheus_support import PrometheusServer, prometheus_query, wait_for

NS = "analytics"
N_VARIANT = 7
N_BOOLEAN = 4


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def minute_of(t):
    return t.replace(second=0, microsecond=0)


def setup_flags(url):
    post = lambda path, body: requests.post(url + path, json=body, timeout=10)  # noqa: E731
    assert post("/api/v1/namespaces", {"key": NS, "name": NS}).status_code == 200
    assert post(f"/api/v1/namespaces/{NS}/flags", {"key": "checkout", "name": "c", "enabled": True}).status_code == 200
    assert post(f"/api/v1/namespaces/{NS}/flags",
                {"key": "dark", "name": "d", "type": "BOOLEAN_FLAG_TYPE", "enabled": True}).status_code == 200


def evaluate(url, flag, kind, n):
    for i in range(n):
        r = requests.post(f"{url}/evaluate/v1/{kind}",
                          json={"namespaceKey": NS, "flagKey": flag, "entityId": f"u{i}"}, timeout=10)
        assert r.status_code == 200, r.text


def analytics(url, flag, start, end):
    r = requests.get(f"{url}/internal/v1/analytics/namespaces/{NS}/flags/{flag}",
                     params={"from": iso(start), "to": iso(end)}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"timestamps", "values"}
    assert len(body["timestamps"]) == len(body["values"])
    return dict(zip(body["timestamps"], body["values"]))


def test_builtin_counts_per_minute_survive_a_restart(hoist_factory, tmp_path):
    # A flush period far beyond the test: what survives the restart was written by the shutdown flush.
    env = {"FLIPT_DB_URL": f"file:{tmp_path / 'analytics.db'}", "FLIPT_ANALYTICS_BUFFER_FLUSH_PERIOD": "1h"}
    url, proc, _ = hoist_factory(env)
    setup_flags(url)
    first = datetime.datetime.now(datetime.timezone.utc)
    evaluate(url, "checkout", "variant", N_VARIANT)
    evaluate(url, "dark", "boolean", N_BOOLEAN)
    last = datetime.datetime.now(datetime.timezone.utc)
    minutes = {iso(minute_of(first)), iso(minute_of(last))}  # one, or two if a minute turned meanwhile
    start, end = minute_of(first) - datetime.timedelta(minutes=3), minute_of(last) + datetime.timedelta(minutes=2)

    def check(answer, expected):
        assert len(answer) == 6 or len(answer) == 7  # 1-minute buckets from `from` to `to`
        assert sum(answer.values()) == expected, answer
        assert {ts for ts, v in answer.items() if v} <= minutes, answer

    check(analytics(url, "checkout", start, end), N_VARIANT)
    check(analytics(url, "dark", start, end), N_BOOLEAN)
    proc.terminate()
    assert proc.wait(timeout=15) in (0, -15, 143)

    url, proc, _ = hoist_factory(env)
    check(analytics(url, "checkout", start, end), N_VARIANT)
    check(analytics(url, "dark", start, end), N_BOOLEAN)
    r = requests.get(f"{url}/internal/v1/analytics/namespaces/{NS}/flags/checkout", params={"from": "soon"}, timeout=10)
    assert r.status_code == 400 and r.json()["code"] == 3


@pytest.fixture()
def prometheus_server(tmp_path):
    server = PrometheusServer(tmp_path)
    yield server
    server.stop()


def test_prometheus_backed_endpoint_answers_with_flipts_query(hoist_factory, prometheus_server):
    url, _, _ = hoist_factory({
        "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_ENABLED": "true",
        "FLIPT_ANALYTICS_STORAGE_PROMETHEUS_URL": prometheus_server.url,
    })
    prometheus = prometheus_server.start(url.removeprefix("http://"))
    setup_flags(url)
    series = f'flipt_evaluations_requests_total{{namespace="{NS}", flag="checkout"}}'
    evaluate(url, "checkout", "variant", 1)
    wait_for(lambda: prometheus_query(prometheus, series), 30, "the first scrape of the series")
    time.sleep(2)
    evaluate(url, "checkout", "variant", N_VARIANT)
    wait_for(lambda: (r := prometheus_query(prometheus, series)) and float(r[0]["value"][1]) == N_VARIANT + 1,
             30, "a scrape with every evaluation")
    time.sleep(2)  # `now`, truncated to the second, must fall after that scrape

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    start, end = now - datetime.timedelta(minutes=3), now
    answer = analytics(url, "checkout", start, end)
    # Flipt's range query, sent by the test itself: start = from, end = to + step, step = 1 minute.
    r = requests.get(f"{prometheus}/api/v1/query_range", timeout=10, params={
        "query": f"sum(increase({series}[1m])) or vector(0)",
        "start": int(start.timestamp()), "end": int(end.timestamp()) + 60, "step": 60})
    values = r.json()["data"]["result"][-1]["values"]
    expected = {iso(datetime.datetime.fromtimestamp(t, datetime.timezone.utc)): float(round(float(v))) for t, v in values}
    # Same buckets (Prometheus' step times, `from` itself first: not minute-aligned like the built-in
    # store's), same rounded values; a scrape between the two queries may move the extrapolation of
    # the newest windows by one.
    assert list(answer) == list(expected)
    assert list(answer)[0] == iso(start)
    assert all(abs(answer[ts] - expected[ts]) <= 1 for ts in answer), (answer, expected)
    assert all(v == int(v) for v in answer.values())
    assert max(answer.values()) >= N_VARIANT  # increase() extrapolates, so at least the evaluations made
