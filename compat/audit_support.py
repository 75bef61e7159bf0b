"""Helpers for the audit tests: a signature-checking webhook receiver and a Hoist launcher with
audit settings. Everything listens on 127.0.0.1; every wait is bounded in count and time."""
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

DEFAULT_BIN = "/work/main/.build/debug/hoist"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook endpoint. `mode` is 'ok' (200) or an HTTP status to answer instead."""

    def __init__(self, port: int, secret: str):
        self.port = port
        self.secret = secret.encode()
        self.lock = threading.Lock()
        self.requests = []  # (idempotency key, body bytes, signature ok, headers)
        self.truncated = 0  # requests whose body ended before its Content-Length
        self.mode = "ok"
        self.server = None
        self.thread = None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender died mid-request (the SIGKILL tests): nothing was delivered and no
                    # answer can reach it, so this is not an event; it will be sent again.
                    with receiver.lock:
                        receiver.truncated += 1
                    self.close_connection = True
                    return
                mode = receiver.mode
                if mode != "ok":
                    self.send_response(int(mode))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                expected = hmac.new(receiver.secret, body, hashlib.sha256).hexdigest()
                ok = hmac.compare_digest(expected, self.headers.get("x-flipt-webhook-signature", ""))
                with receiver.lock:
                    receiver.requests.append((self.headers.get("Idempotency-Key"), body, ok, dict(self.headers)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def snapshot(self):
        with self.lock:
            return list(self.requests)

    def unique_events(self):
        """Events in first-arrival order, de-duplicated by idempotency key (bodies must agree)."""
        seen = {}
        order = []
        for key, body, ok, _ in self.snapshot():
            if key in seen:
                assert seen[key] == body, f"duplicate {key} with a different body"
                continue
            seen[key] = body
            order.append((key, json.loads(body), ok))
        return order

    def wait_for(self, count: int, timeout: float):
        deadline = time.monotonic() + timeout
        for _ in range(int(timeout / 0.05) + 1):
            if len(self.unique_events()) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return self.unique_events()


class Hoist:
    """A Hoist process with its own database and audit configuration."""

    def __init__(self, tmp, env_extra: dict, db=None, args=()):
        self.tmp = tmp
        self.args = list(args)
        self.port = free_port()
        self.db = db or (tmp / "audit.db")
        self.env = dict(os.environ, FLIPT_SERVER_HOST="127.0.0.1", FLIPT_SERVER_HTTP_PORT=str(self.port),
                        FLIPT_DB_URL=f"file:{self.db}", FLIPT_LOG_LEVEL="error", **env_extra)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log_path = tmp / f"hoist-{self.port}.log"

    def start(self, timeout=30.0):
        binary = os.environ.get("HOIST_BIN", DEFAULT_BIN)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([binary, "serve", *self.args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.tmp)
        deadline = time.monotonic() + timeout
        for _ in range(int(timeout / 0.05) + 1):
            if self.proc.poll() is not None:
                raise AssertionError(f"hoist exited {self.proc.returncode}: {self.log()}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        raise AssertionError(f"hoist not healthy: {self.log()}")

    def log(self):
        try:
            return self.log_path.read_bytes()[-4000:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
