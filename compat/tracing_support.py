"""Trace receivers on loopback for test_tracing*.py: Zipkin v2 JSON and OTLP/HTTP protobuf."""
import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


class Receiver:
    """An HTTP server collecting posted span batches (decoded by `decode`)."""

    def __init__(self, path, decode):
        self.spans = []
        self.logs = []
        self.requests = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                ok = self.path == path
                if self.path == "/v1/logs":
                    with receiver.lock:
                        receiver.logs.extend(_decode_logs(body))
                    ok = False
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if ok:
                    with receiver.lock:
                        receiver.requests.append((dict(self.headers), body))
                        receiver.spans.extend(decode(body))
                self.send_response(202 if ok else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, predicate, timeout=8.0):
        """Polls (bounded) until predicate(spans) is true; returns the spans."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                spans = list(self.spans)
            if predicate(spans):
                return spans
            time.sleep(0.1)
        with self.lock:
            return list(self.spans)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def zipkin_receiver():
    return Receiver("/api/v2/spans", lambda body: json.loads(body))


def create_flags(url):
    """Variant flag `color` (everyone → red), boolean flag `dark` (enabled)."""
    api = url + "/api/v1/namespaces/default"
    s = requests.Session()

    def post(path, body):
        r = s.post(api + path, json=body, timeout=10)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()

    post("/flags", {"key": "color", "name": "color", "type": "VARIANT_FLAG_TYPE", "enabled": True})
    red = post("/flags/color/variants", {"key": "red", "name": "red"})
    post("/segments", {"key": "everyone", "name": "everyone", "matchType": "ALL_MATCH_TYPE"})
    rule = post("/flags/color/rules", {"segmentKey": "everyone", "rank": 1})
    post(f"/flags/color/rules/{rule['id']}/distributions", {"variantId": red["id"], "rollout": 100})
    post("/flags", {"key": "dark", "name": "dark", "type": "BOOLEAN_FLAG_TYPE", "enabled": True})


def evaluate(url, kind, flag, headers=None, request_id="req-1"):
    r = requests.post(f"{url}/evaluate/v1/{kind}", json={
        "namespaceKey": "default", "flagKey": flag, "entityId": "user-1", "context": {"plan": "pro"},
        "requestId": request_id}, headers=headers or {}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def batch(url, headers=None, request_id="batch-1"):
    items = [{"namespaceKey": "default", "flagKey": f, "entityId": "user-1", "context": {}} for f in ("color", "dark")]
    r = requests.post(f"{url}/evaluate/v1/batch", json={"requestId": request_id, "requests": items},
                      headers=headers or {}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _decode_otlp(body):
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
    req = ExportTraceServiceRequest()
    req.ParseFromString(body)
    out = []
    for rs in req.resource_spans:
        resource = {kv.key: _any(kv.value) for kv in rs.resource.attributes}
        for ss in rs.scope_spans:
            for s in ss.spans:
                out.append({
                    "name": s.name, "traceId": s.trace_id.hex(), "id": s.span_id.hex(),
                    "parentId": s.parent_span_id.hex() or None, "kind": s.kind,
                    "start": s.start_time_unix_nano, "end": s.end_time_unix_nano,
                    "attributes": {kv.key: _any(kv.value) for kv in s.attributes},
                    "status": s.status.code, "resource": resource,
                })
    return out


def _any(v):
    kind = v.WhichOneof("value")
    if kind == "array_value":
        return [_any(x) for x in v.array_value.values]
    return getattr(v, kind) if kind else None


def otlp_receiver():
    return Receiver("/v1/traces", _decode_otlp)


def _decode_logs(body):
    from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
    req = ExportLogsServiceRequest()
    req.ParseFromString(body)
    out = []
    for rl in req.resource_logs:
        for sl in rl.scope_logs:
            for r in sl.log_records:
                out.append({"body": _any(r.body), "traceId": r.trace_id.hex(), "spanId": r.span_id.hex(),
                            "eventName": r.event_name,
                            "attributes": {kv.key: _any(kv.value) for kv in r.attributes}})
    return out


class GRPCReceiver:
    """An OTLP/gRPC receiver on 127.0.0.1 (grpcio + opentelemetry-proto): traces by default; pass
    `signal="metrics"` and a decoder for the metrics service. What it decodes collects in `spans`."""

    def __init__(self, signal="trace", decode=None):
        import importlib
        from concurrent import futures

        import grpc

        name = {"trace": "Trace", "metrics": "Metrics"}[signal]
        package = f"opentelemetry.proto.collector.{signal}.v1"
        pb2 = importlib.import_module(f"{package}.{signal}_service_pb2")
        pb2_grpc = importlib.import_module(f"{package}.{signal}_service_pb2_grpc")
        decode = decode or _decode_otlp
        response = getattr(pb2, f"Export{name}ServiceResponse")

        self.spans = []
        self.metadata = []
        self.lock = threading.Lock()
        receiver = self

        class Servicer(getattr(pb2_grpc, f"{name}ServiceServicer")):
            def Export(self, request, context):
                with receiver.lock:
                    receiver.metadata.append(dict(context.invocation_metadata()))
                    receiver.spans.extend(decode(request.SerializeToString()))
                return response()

        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        getattr(pb2_grpc, f"add_{name}ServiceServicer_to_server")(Servicer(), self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    wait_for = Receiver.wait_for

    def close(self):
        self.server.stop(0)
