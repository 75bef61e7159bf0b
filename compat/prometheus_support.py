"""Debian's `prometheus` server for the compat tests: scrapes one target on 127.0.0.1 every second.
Used by test_prometheus_server.py (Flipt's analytics query through Prometheus) and test_analytics.py
(Hoist's analytics endpoint backed by Prometheus)."""
import shutil
import subprocess
import time
import urllib.parse

import pytest
import requests

from conftest import _free_port


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


class PrometheusServer:
    """One Prometheus process in `directory`. Its port (and so `url`) is chosen up front, so a Hoist
    configured to query it can start first; `start(target)` then begins scraping `host:port`."""

    def __init__(self, directory):
        self.binary = shutil.which("prometheus")
        if self.binary is None:
            pytest.fail("prometheus is not installed (.ci/run installs Debian's prometheus package)", pytrace=False)
        self.directory = directory
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.proc = None
        self.log = None

    def start(self, target):
        config = self.directory / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            f"scrape_configs:\n  - job_name: hoist\n    static_configs:\n      - targets: ['{target}']\n")
        self.log = open(self.directory / "prometheus.log", "wb")
        self.proc = subprocess.Popen(
            [self.binary, f"--config.file={config}", f"--storage.tsdb.path={self.directory / 'data'}",
             f"--web.listen-address={self.url.removeprefix('http://')}"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

        def ready():
            if self.proc.poll() is not None:
                pytest.fail(f"prometheus exited: {(self.directory / 'prometheus.log').read_text()[-2000:]}")
            try:
                return requests.get(f"{self.url}/-/ready", timeout=1).status_code == 200
            except requests.RequestException:
                return False
        wait_for(ready, 30, "prometheus to be ready")
        return self.url

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None
