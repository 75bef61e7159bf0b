#!/usr/bin/env python3
"""A minimal Hoist/Flipt audit webhook receiver that verifies signatures.

    SECRET=change-me python3 receiver.py --port 8081

Every event is printed; a bad signature gets 401. Hoist sends `Idempotency-Key: <event id>`: a
retried delivery (after a timeout, a restart…) repeats the key, so duplicates are dropped here.
"""
import argparse
import hashlib
import hmac
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ.get("SECRET", "change-me").encode()
seen = set()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("x-flipt-webhook-signature", "")):
            self.send_response(401)  # a 4xx is recorded by Hoist as a failed delivery
            self.end_headers()
            return
        key = self.headers.get("Idempotency-Key")
        if key not in seen:
            seen.add(key)
            event = json.loads(body)
            print(event["timestamp"], event["type"], event["action"], json.dumps(event["payload"]), flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    HTTPServer((args.host, args.port), Handler).serve_forever()
