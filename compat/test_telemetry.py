"""Anonymous telemetry (spec observability §4, issue 7) against the real binary: a receiver on
127.0.0.1 gets a report with exactly the README's schema, the id survives a restart, and every
opt-out sends nothing and writes no state.

CI runs with CI=true, which is itself an opt-out, so the tests that expect a report clear CI and
DO_NOT_TRACK in the server's environment."""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

NOT_OPTED_OUT = {"CI": "", "DO_NOT_TRACK": "", "FLIPT_TELEMETRY_ENABLED": "", "FLIPT_META_TELEMETRY_ENABLED": ""}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
QUIET_SECONDS = 2.0


class TelemetryReceiver:
    def __init__(self):
        self.lock = threading.Lock()
        self.reports = []  # (path, headers, parsed body)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.reports.append((self.path, dict(self.headers), json.loads(body)))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/collect"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self):
        with self.lock:
            return len(self.reports)

    def wait_for(self, n, seconds=15.0):
        deadline = time.monotonic() + seconds
        for _ in range(int(seconds / 0.05) + 1):  # bounded in count and time
            if self.count() >= n or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        with self.lock:
            assert len(self.reports) >= n, f"expected {n} telemetry report(s), got {len(self.reports)}"
            return list(self.reports)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver():
    r = TelemetryReceiver()
    yield r
    r.close()


def stop(proc):
    proc.terminate()
    proc.wait(timeout=15)


def test_report_has_exactly_the_documented_schema_and_uuid_survives_restart(hoist_factory, receiver, tmp_path):
    state = tmp_path / "state"
    env = dict(NOT_OPTED_OUT, FLIPT_META_TELEMETRY_URL=receiver.url, FLIPT_META_STATE_DIRECTORY=str(state),
               FLIPT_AUDIT_SINKS_LOG_ENABLED="true", FLIPT_AUDIT_SINKS_LOG_FILE=str(tmp_path / "audit.log"),
               FLIPT_DB_URL=f"file:{tmp_path / 'telemetry.db'}")
    _, proc, _ = hoist_factory(env)
    path, headers, report = receiver.wait_for(1)[0]
    assert path == "/collect"
    assert headers["Content-Type"] == "application/json"
    # Exactly the README's schema: nothing more, nothing less.
    assert set(report) == {"version", "uuid", "hoist"}
    assert report["version"] == "1.5"
    assert UUID.match(report["uuid"]), report["uuid"]
    hoist = report["hoist"]
    assert set(hoist) == {"version", "os", "arch", "storage", "audit", "analytics", "experimental"}
    assert re.match(r"^\d+\.\d+\.\d+", hoist["version"])
    assert hoist["os"] in ("linux", "darwin") and hoist["arch"] in ("amd64", "arm64")
    assert hoist["storage"] == {"type": "database", "database": "sqlite", "cache": "memory"}
    assert hoist["audit"] == {"sinks": ["log"]}
    assert hoist["analytics"] == {"storage": "database"}
    assert hoist["experimental"] == {}
    # No path, address or name of this installation appears anywhere in the report.
    text = json.dumps(report)
    for private in (str(tmp_path), "127.0.0.1", "telemetry.db", "audit.log"):
        assert private not in text

    saved = json.loads((state / "telemetry.json").read_text())
    assert saved["uuid"] == report["uuid"] and saved["version"] == "1.5"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", saved["lastTimestamp"])
    assert (state.stat().st_mode & 0o777) == 0o700
    stop(proc)

    _, proc, _ = hoist_factory(env)
    second = receiver.wait_for(2)[1][2]
    assert second["uuid"] == report["uuid"]
    stop(proc)


OPT_OUTS = {
    "FLIPT_META_TELEMETRY_ENABLED": {"FLIPT_META_TELEMETRY_ENABLED": "false"},
    "FLIPT_TELEMETRY_ENABLED": {"FLIPT_TELEMETRY_ENABLED": "false"},
    "DO_NOT_TRACK=1": {"DO_NOT_TRACK": "1"},
    "DO_NOT_TRACK=true": {"DO_NOT_TRACK": "true"},
    "CI=true": {"CI": "true"},
    "CI=1": {"CI": "1"},
    "config file": "config",
    "no telemetry_url": "no-url",
}


@pytest.mark.parametrize("opt_out", OPT_OUTS.values(), ids=OPT_OUTS.keys())
def test_opt_outs_send_nothing_and_write_no_state(hoist_factory, receiver, tmp_path, opt_out):
    state = tmp_path / "state"
    env = dict(NOT_OPTED_OUT, FLIPT_META_TELEMETRY_URL=receiver.url, FLIPT_META_STATE_DIRECTORY=str(state))
    if opt_out == "config":
        config_home = tmp_path / "xdg"
        (config_home / "hoist").mkdir(parents=True)
        (config_home / "hoist" / "config.yml").write_text("meta:\n  telemetry_enabled: false\n")
        env["XDG_CONFIG_HOME"] = str(config_home)
    elif opt_out == "no-url":
        env["FLIPT_META_TELEMETRY_URL"] = ""
    else:
        env.update(opt_out)
    _, proc, _ = hoist_factory(env, log_level="debug")
    time.sleep(QUIET_SECONDS)  # the report would go out at start
    assert receiver.count() == 0
    assert not state.exists()
    stop(proc)
