"""pytest fixtures: a Hoist server on loopback with a fresh SQLite file, for the whole session.

Environment:
  HOIST_BIN           path of the hoist binary (default /work/main/.build/debug/hoist)
  HOIST_URL           use an already running server instead of starting one (e.g. a real Flipt)
  HOIST_ALLOW_MISSING set to 1 to skip (instead of fail) server tests when the binary is missing
"""
import os
import socket
import subprocess
import time

os.environ.setdefault("RUST_LIB_BACKTRACE", "0")  # before flipt_client loads the Rust library

import pytest  # noqa: E402
import requests  # noqa: E402

import diffrun  # noqa: E402

DEFAULT_BIN = "/work/main/.build/debug/hoist"
START_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(path, n=4000) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read()[-n:].decode("utf-8", "replace")
    except OSError:
        return "(no log)"


def _wait_healthy(url, proc, log_path):
    deadline = time.monotonic() + START_TIMEOUT_S
    last = None
    for _ in range(int(START_TIMEOUT_S / 0.1) + 1):  # bounded in count and in time
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"hoist exited with {proc.returncode} before becoming healthy:\n"
                        f"{_log_tail(log_path)}", pytrace=False)
        try:
            r = requests.get(url + "/health", timeout=1)
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}"
        except requests.RequestException as e:
            last = repr(e)
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    pytest.fail(f"hoist not healthy at {url}/health within {START_TIMEOUT_S}s (last: {last})\n"
                f"{_log_tail(log_path)}", pytrace=False)


@pytest.fixture(scope="session")
def hoist_url(tmp_path_factory):
    external = os.environ.get("HOIST_URL")
    if external:
        _wait_healthy(external.rstrip("/"), None, None)
        yield external.rstrip("/")
        return
    binary = os.environ.get("HOIST_BIN", DEFAULT_BIN)
    if not os.access(binary, os.X_OK):
        msg = f"hoist binary not found at {binary} (set HOIST_BIN, or build it first)"
        if os.environ.get("HOIST_ALLOW_MISSING") == "1":
            pytest.skip(msg)
        pytest.fail(msg, pytrace=False)
    tmp = tmp_path_factory.mktemp("hoist")
    port = _free_port()
    env = dict(os.environ, FLIPT_SERVER_HOST="127.0.0.1", FLIPT_SERVER_HTTP_PORT=str(port),
               FLIPT_SERVER_GRPC_PORT=str(_free_port()), FLIPT_DB_URL=f"file:{tmp / 'hoist.db'}",
               FLIPT_LOG_LEVEL=os.environ.get("FLIPT_LOG_LEVEL", "warn"))
    log_path = tmp / "hoist.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([binary, "serve"], env=env, cwd=tmp, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.returncode not in (0, -15, 143):
            print(f"hoist exited with {proc.returncode}; log tail:\n{_log_tail(log_path)}")


def pytest_terminal_summary(terminalreporter):
    for line in diffrun.SUMMARIES:
        terminalreporter.write_line(line)


# A server of the test's own (fresh database), for tests that lock or break its database file.
@pytest.fixture()
def private_server(tmp_path):
    binary = os.environ.get("HOIST_BIN", DEFAULT_BIN)
    if not os.access(binary, os.X_OK):
        pytest.fail(f"hoist binary not found at {binary}", pytrace=False)
    port = _free_port()
    db = tmp_path / "locked.db"
    env = dict(os.environ, FLIPT_SERVER_HOST="127.0.0.1", FLIPT_SERVER_HTTP_PORT=str(port),
               FLIPT_DB_URL=f"file:{db}", FLIPT_LOG_LEVEL="error")
    log_path = tmp_path / "hoist.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log_path)
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# Start servers with extra environment (tracing, …): `start = hoist_factory; url, proc, log = start({...})`.
@pytest.fixture()
def hoist_factory(tmp_path):
    binary = os.environ.get("HOIST_BIN", DEFAULT_BIN)
    if not os.access(binary, os.X_OK):
        pytest.fail(f"hoist binary not found at {binary}", pytrace=False)
    procs = []

    def start(extra_env, log_level="warn"):
        port = _free_port()
        n = len(procs)
        env = dict(os.environ, FLIPT_SERVER_HOST="127.0.0.1", FLIPT_SERVER_HTTP_PORT=str(port),
                   FLIPT_SERVER_GRPC_PORT=str(_free_port()), FLIPT_DB_URL=f"file:{tmp_path / f'hoist{n}.db'}",
                   FLIPT_LOG_LEVEL=log_level)
        env.update(extra_env)
        log_path = tmp_path / f"hoist{n}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([binary, "serve"], env=env, cwd=tmp_path, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, log_path)
        return url, proc, log_path

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
