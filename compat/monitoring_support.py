"""A control plane on loopback for the status and decision-log tests: it records every POST
(path, headers, gunzipped JSON body, raw size) and can be stopped and restarted on the same port to
play a service that is down for a while. Every wait is bounded in count and time."""
import gzip
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ControlPlane:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.posts = []  # dicts: path, headers, raw_size, body (decoded JSON)
        self.server = None

    def start(self):
        plane = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                data = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
                with plane.lock:
                    plane.posts.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                        "raw_size": len(raw), "body": json.loads(data)})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def received(self, path_prefix):
        with self.lock:
            return [p for p in self.posts if p["path"].startswith(path_prefix)]

    def decisions(self):
        return [event for post in self.received("/logs") for event in post["body"]]

    def wait_for(self, predicate, timeout=15.0, what="condition"):
        deadline = time.monotonic() + timeout
        for _ in range(int(timeout / 0.05) + 1):  # bounded in count and time
            with self.lock:
                posts = list(self.posts)
            if predicate(posts):
                return posts
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; received {len(posts)} posts: "
                             f"{[p['path'] for p in posts][-20:]}")


def metric(url, name, labels=""):
    """The sum of a metric's samples whose label text contains `labels`."""
    import requests
    total = 0.0
    for line in requests.get(url + "/metrics", timeout=5).text.splitlines():
        if line.startswith(name) and (line[len(name)] in "{ ") and labels in line:
            total += float(line.rsplit(" ", 1)[1])
    return total
