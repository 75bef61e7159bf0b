"""Build a client snapshot document (spec evaluation §6.3) from a Config, and serve it.

Used by test_engine_reference.py to check the reference model against the real Rust engine
without a Hoist server: a tiny loopback HTTP server answers the engine's
GET /internal/v1/evaluation/snapshot/namespace/{ns}. Rules are emitted once (no duplication).
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from model import TYPE_SNAPSHOT, Config


def _segment(cfg: Config, key: str) -> dict:
    s = cfg.segments[key]
    return {"key": s.key, "name": s.key, "description": "",
            "matchType": f"{s.match_type}_SEGMENT_MATCH_TYPE",
            "constraints": [{"id": "", "type": TYPE_SNAPSHOT[c.type], "property": c.property,
                             "operator": c.op, "value": c.stored_value} for c in s.constraints]}


def _variant(flag, key):
    v = flag.variant(key)
    return {"id": f"id-{key}", "key": key, "attachment": v.stored_attachment}


def build(cfg: Config) -> dict:
    flags = []
    for f in cfg.flags:
        doc = {"key": f.key, "name": f.key, "description": f.description, "enabled": f.enabled,
               "type": f"{f.type}_FLAG_TYPE", "rules": [], "rollouts": []}
        for r in sorted(f.rules, key=lambda r: r.rank):
            doc["rules"].append({
                "id": f"{f.key}-{r.rank}", "rank": r.rank,
                "segments": [_segment(cfg, k) for k in r.segment_keys],
                "segmentOperator": (r.operator if len(r.segment_keys) > 1 else "OR") + "_SEGMENT_OPERATOR",
                "distributions": [{"id": "", "ruleId": "", "variantId": f"id-{d.variant_key}",
                                   "variantKey": d.variant_key, "rollout": d.rollout32,
                                   "variantAttachment": f.variant(d.variant_key).stored_attachment}
                                  for d in r.distributions]})
        for r in sorted(f.rollouts, key=lambda r: r.rank):
            if r.kind == "threshold":
                doc["rollouts"].append({"type": "THRESHOLD_ROLLOUT_TYPE", "rank": r.rank,
                                        "threshold": {"percentage": r.percentage32, "value": r.value}})
            else:
                op = (r.operator if len(r.segment_keys) > 1 else "OR") + "_SEGMENT_OPERATOR"
                doc["rollouts"].append({"type": "SEGMENT_ROLLOUT_TYPE", "rank": r.rank, "segment": {
                    "value": r.value, "segmentOperator": op,
                    "segments": [_segment(cfg, k) for k in r.segment_keys]}})
        if f.default_variant is not None:
            doc["defaultVariant"] = _variant(f, f.default_variant)
        flags.append(doc)
    return {"namespace": {"key": cfg.namespace}, "flags": flags}


class SnapshotServer:
    """Loopback-only server for {namespace: snapshot document}. Use as a context manager."""

    PREFIX = "/internal/v1/evaluation/snapshot/namespace/"

    def __init__(self, docs: dict):
        docs_bytes = {ns: json.dumps(d).encode() for ns, d in docs.items()}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                ns = self.path.split("?")[0][len(SnapshotServer.PREFIX):]
                body = docs_bytes.get(ns) if self.path.startswith(SnapshotServer.PREFIX) else None
                if body is None:
                    self.send_response(404)
                    body = b'{"code":5,"message":"not found","details":[]}'
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
