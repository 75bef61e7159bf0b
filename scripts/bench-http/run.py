#!/usr/bin/env python3
"""HTTP, scale, resource and write-path benchmarks of a release Hoist binary (issue 3).

Started by scripts/bench-http.sh, which builds the binary first. Loopback only; every process this
script starts is killed when it ends; every load run is bounded in time.

Phases (all in one run, so the ratios compare like with like on a shared, noisy machine):
  1. cold start to /health = 200 and idle RSS on an empty database;
  2. write path: flag + variant + rule + distribution creates through the REST API on SQLite
     (namespace "small" with the 10 benchmark flags, then 100 more flags in namespace "writes");
  3. the 10,000-flag namespace "large" bulk-loaded straight into the SQLite file while Hoist is stopped
     (the same rows the REST API writes; a 10-flag copy "smallsql" loaded the same way is checked to
     evaluate exactly like the REST-created "small"), then cold start and RSS at 10,000 flags;
  4. nginx (Debian) on another port returning fixed replies of Hoist's own reply sizes: the ceiling;
  5. variant / boolean / batch throughput and latency at fixed concurrency, Hoist and nginx alternating;
  6. scale: variant throughput on the 10-flag vs the 10,000-flag namespace, alternating;
  7. fixed-rate runs (paced wrk) at 1k and 10k req/s;
  8. write latency and write-to-served time at 10,000 flags;
  9. optional perf profile of Hoist under variant load.
Results: a JSON file and a Markdown summary (--out DIR).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PROCS = []  # every process we start, killed in cleanup()


# ---------------------------------------------------------------- processes

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cleanup():
    for p in PROCS:
        if p.poll() is None:
            try:
                p.terminate()
                p.wait(timeout=5)
            except Exception:
                p.kill()
    PROCS.clear()


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in PROCS:
        PROCS.remove(p)


def rss_kb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:", "Threads:")):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0])
    return out


class Hoist:
    def __init__(self, binary, db, port, log):
        self.binary, self.db, self.port, self.log = binary, db, port, log
        self.proc = None

    def start(self, timeout=30.0):
        """Starts Hoist and returns milliseconds from spawn to the first 200 on /health."""
        env = dict(os.environ)
        env.update({
            "FLIPT_SERVER_HOST": "127.0.0.1",
            "FLIPT_SERVER_HTTP_PORT": str(self.port),
            "FLIPT_DB_URL": f"file:{self.db}",
            "FLIPT_LOG_LEVEL": "error",
        })
        logf = open(self.log, "ab")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([self.binary], env=env, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        PROCS.append(self.proc)
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hoist exited with {self.proc.returncode}; see {self.log}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/health")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                pass
            time.sleep(0.001)
        raise RuntimeError("hoist did not become healthy in time")

    def stop(self):
        if self.proc:
            stop(self.proc)
            self.proc = None

    @property
    def pid(self):
        return self.proc.pid


class Client:
    """A keep-alive JSON client for the REST API."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, expect=200):
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
                r = self.conn.getresponse()
                payload = r.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 1:
                    raise
        if r.status != expect:
            raise RuntimeError(f"{method} {path} -> {r.status}: {payload[:300]!r}")
        return json.loads(payload) if payload else None


# ---------------------------------------------------------------- the benchmark configuration

CONTEXT_SEGMENTS = [
    # key, match type, constraints (type, property, operator, value)
    ("enterprise", "ALL_MATCH_TYPE", [("STRING_COMPARISON_TYPE", "plan", "eq", "enterprise")]),
    ("eu", "ALL_MATCH_TYPE", [("STRING_COMPARISON_TYPE", "country", "isoneof", '["DE","FR","NL","ES","IT"]')]),
    ("big-accounts", "ALL_MATCH_TYPE", [("NUMBER_COMPARISON_TYPE", "seats", "gte", "100")]),
    ("beta", "ALL_MATCH_TYPE", [("BOOLEAN_COMPARISON_TYPE", "beta", "true", "")]),
    ("recent", "ALL_MATCH_TYPE", [("DATETIME_COMPARISON_TYPE", "signup", "gte", "2024-01-01T00:00:00Z")]),
    ("staff", "ALL_MATCH_TYPE", [("ENTITY_ID_COMPARISON_TYPE", "entityId", "isoneof", json.dumps([f"staff-{i}" for i in range(1, 101)]))]),
    ("eu-enterprise", "ALL_MATCH_TYPE", [
        ("STRING_COMPARISON_TYPE", "plan", "eq", "enterprise"),
        ("STRING_COMPARISON_TYPE", "country", "isoneof", '["DE","FR","NL","ES","IT"]'),
        ("NUMBER_COMPARISON_TYPE", "seats", "gte", "50"),
    ]),
    ("mobile", "ANY_MATCH_TYPE", [
        ("STRING_COMPARISON_TYPE", "platform", "eq", "ios"),
        ("STRING_COMPARISON_TYPE", "platform", "eq", "android"),
    ]),
]
TYPE_NUMBERS = {"STRING_COMPARISON_TYPE": 1, "NUMBER_COMPARISON_TYPE": 2, "BOOLEAN_COMPARISON_TYPE": 3,
                "DATETIME_COMPARISON_TYPE": 4, "ENTITY_ID_COMPARISON_TYPE": 5}


def flag_plan(nvariant, nboolean):
    """The targeting of every flag: a list of (kind, index, spec)."""
    flags = []
    for i in range(nvariant):
        nv = 2 + i % 2
        rules = [
            (["eu-enterprise"], "OR_SEGMENT_OPERATOR", [100.0 / nv] * nv),
            (["beta", "recent"], "AND_SEGMENT_OPERATOR", [0.0] * (nv - 1) + [100.0]),
            (["big-accounts", "mobile"], "OR_SEGMENT_OPERATOR", [50.0, 50.0] + [0.0] * (nv - 2)),
        ][: 1 + i % 3]
        flags.append(("variant", i, {"variants": nv, "rules": rules}))
    for i in range(nboolean):
        rollouts = [
            ("segment", (["staff"], "OR_SEGMENT_OPERATOR", True)),
            ("segment", (["eu", "mobile"], "AND_SEGMENT_OPERATOR", True)),
            ("threshold", (float(10 + (i * 7) % 80), True)),
        ]
        flags.append(("boolean", i, {"rollouts": rollouts}))
    return flags


def attachment(i):
    return json.dumps({"color": ["blue", "green", "red"][i % 3], "limit": 10 * (i + 1), "copy": "Try the new checkout"})


def populate_rest(client, ns, nvariant, nboolean, create_namespace=True, timings=None):
    """Creates the namespace, segments and flags through the REST API. Returns writes made."""
    writes = 0
    timings = timings if timings is not None else {}

    def w(kind, method, path, body):
        nonlocal writes
        t = time.perf_counter()
        out = client.call(method, path, body)
        timings.setdefault(kind, []).append(time.perf_counter() - t)
        writes += 1
        return out

    base = f"/api/v1/namespaces/{ns}"
    if create_namespace:
        w("namespace", "POST", "/api/v1/namespaces", {"key": ns, "name": ns})
        for key, match, constraints in CONTEXT_SEGMENTS:
            w("segment", "POST", f"{base}/segments", {"key": key, "name": key, "matchType": match})
            for t, prop, op, value in constraints:
                w("constraint", "POST", f"{base}/segments/{key}/constraints",
                  {"type": t, "property": prop, "operator": op, "value": value})
    for kind, i, spec in flag_plan(nvariant, nboolean):
        key = f"{kind}-{i}"
        if kind == "variant":
            w("flag", "POST", f"{base}/flags", {"key": key, "name": key, "type": "VARIANT_FLAG_TYPE", "enabled": True})
            ids = []
            for v in range(spec["variants"]):
                ids.append(w("variant", "POST", f"{base}/flags/{key}/variants",
                             {"key": f"v{v}", "name": f"Variant {v}", "attachment": attachment(v)})["id"])
            w("flag-default", "PUT", f"{base}/flags/{key}",
              {"name": key, "enabled": True, "defaultVariantId": ids[0]})
            for rank, (segs, op, rollouts) in enumerate(spec["rules"], start=1):
                rule = w("rule", "POST", f"{base}/flags/{key}/rules",
                         {"segmentKeys": segs, "segmentOperator": op, "rank": rank})
                for vid, rollout in zip(ids, rollouts):
                    if rollout > 0:
                        w("distribution", "POST", f"{base}/flags/{key}/rules/{rule['id']}/distributions",
                          {"variantId": vid, "rollout": rollout})
        else:
            w("flag", "POST", f"{base}/flags", {"key": key, "name": key, "type": "BOOLEAN_FLAG_TYPE", "enabled": False})
            for rank, (rtype, spec_) in enumerate(spec["rollouts"], start=1):
                if rtype == "segment":
                    segs, op, value = spec_
                    body = {"rank": rank, "segment": {"segmentKeys": segs, "segmentOperator": op, "value": value}}
                else:
                    pct, value = spec_
                    body = {"rank": rank, "threshold": {"percentage": pct, "value": value}}
                w("rollout", "POST", f"{base}/flags/{key}/rollouts", body)
    return writes


def bulk_load(db_path, ns, nvariant, nboolean):
    """Inserts a namespace with the same rows the REST API would write, in one transaction."""
    now = int(time.time() * 1_000_000)
    tick = [now]

    def ts():
        tick[0] += 1
        return tick[0]

    con = sqlite3.connect(db_path)
    con.execute("PRAGMA foreign_keys = ON")
    cur = con.cursor()
    cur.execute('INSERT INTO namespaces ("key", name, description, protected, created_at, updated_at, state_modified_at) '
                "VALUES (?, ?, '', 0, ?, ?, ?)", (ns, ns, now, now, now))
    for key, match, constraints in CONTEXT_SEGMENTS:
        t = ts()
        cur.execute('INSERT INTO segments (namespace_key, "key", name, description, match_type, created_at, updated_at) '
                    "VALUES (?, ?, ?, '', ?, ?, ?)", (ns, key, key, 0 if match == "ALL_MATCH_TYPE" else 1, t, t))
        for ctype, prop, op, value in constraints:
            t = ts()
            cur.execute('INSERT INTO constraints (id, namespace_key, segment_key, "type", property, operator, "value", '
                        "description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
                        (str(uuid.uuid4()), ns, key, TYPE_NUMBERS[ctype], prop, op, value, t, t))
    for kind, i, spec in flag_plan(nvariant, nboolean):
        key = f"{kind}-{i}"
        t = ts()
        if kind == "variant":
            cur.execute('INSERT INTO flags (namespace_key, "key", name, description, enabled, "type", metadata, '
                        "default_variant_id, created_at, updated_at) VALUES (?, ?, ?, '', 1, 0, NULL, NULL, ?, ?)",
                        (ns, key, key, t, t))
            ids = []
            for v in range(spec["variants"]):
                vid, t = str(uuid.uuid4()), ts()
                ids.append(vid)
                cur.execute('INSERT INTO variants (id, namespace_key, flag_key, "key", name, description, attachment, '
                            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)",
                            (vid, ns, key, f"v{v}", f"Variant {v}", attachment(v), t, t))
            cur.execute('UPDATE flags SET default_variant_id = ? WHERE namespace_key = ? AND "key" = ?', (ids[0], ns, key))
            for rank, (segs, op, rollouts) in enumerate(spec["rules"], start=1):
                rid, t = str(uuid.uuid4()), ts()
                cur.execute('INSERT INTO rules (id, namespace_key, flag_key, "rank", segment_operator, created_at, '
                            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (rid, ns, key, rank, 1 if op == "AND_SEGMENT_OPERATOR" else 0, t, t))
                for pos, seg in enumerate(segs):
                    cur.execute("INSERT INTO rule_segments (rule_id, namespace_key, segment_key, position) "
                                "VALUES (?, ?, ?, ?)", (rid, ns, seg, pos))
                for vid, rollout in zip(ids, rollouts):
                    if rollout > 0:
                        t = ts()
                        cur.execute("INSERT INTO distributions (id, rule_id, variant_id, rollout, created_at, updated_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?)", (str(uuid.uuid4()), rid, vid, rollout, t, t))
        else:
            cur.execute('INSERT INTO flags (namespace_key, "key", name, description, enabled, "type", metadata, '
                        "default_variant_id, created_at, updated_at) VALUES (?, ?, ?, '', 0, 1, NULL, NULL, ?, ?)",
                        (ns, key, key, t, t))
            for rank, (rtype, spec_) in enumerate(spec["rollouts"], start=1):
                rid, t = str(uuid.uuid4()), ts()
                cur.execute('INSERT INTO rollouts (id, namespace_key, flag_key, "type", "rank", description, created_at, '
                            "updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
                            (rid, ns, key, 1 if rtype == "segment" else 2, rank, t, t))
                if rtype == "segment":
                    segs, op, value = spec_
                    sid = str(uuid.uuid4())
                    cur.execute('INSERT INTO rollout_segments (id, rollout_id, "value", segment_operator) VALUES (?, ?, ?, ?)',
                                (sid, rid, 1 if value else 0, 1 if op == "AND_SEGMENT_OPERATOR" else 0))
                    for pos, seg in enumerate(segs):
                        cur.execute("INSERT INTO rollout_segment_references (rollout_segment_id, namespace_key, "
                                    "segment_key, position) VALUES (?, ?, ?, ?)", (sid, ns, seg, pos))
                else:
                    pct, value = spec_
                    cur.execute('INSERT INTO rollout_thresholds (id, rollout_id, percentage, "value") VALUES (?, ?, ?, ?)',
                                (str(uuid.uuid4()), rid, pct, 1 if value else 0))
    con.commit()
    con.close()


# ---------------------------------------------------------------- load generation

def wrk(port, mode, ns, nvariant, nboolean, conns, seconds, script, pace_ms=0, timeout_extra=30):
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "5s", "-s", script,
           f"http://127.0.0.1:{port}", "--", mode, ns, str(nvariant), str(nboolean), str(pace_ms)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout_extra)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            r = json.loads(line[7:])
            r["cmd"] = " ".join(cmd)
            return r
    raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")


def fmt_us(us):
    return f"{us / 1000:.2f}" if us >= 1000 else f"{us / 1000:.3f}"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def strip_volatile(body):
    d = json.loads(body)

    def scrub(x):
        if isinstance(x, dict):
            return {k: scrub(v) for k, v in x.items() if k not in ("requestId", "requestDurationMillis", "timestamp")}
        if isinstance(x, list):
            return [scrub(v) for v in x]
        return x
    return scrub(d)


def post(port, path, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hoist", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--duration", type=int, default=10, help="seconds per load run")
    ap.add_argument("--rounds", type=int, default=2, help="alternating Hoist/nginx rounds per cell")
    ap.add_argument("--connections", default="32,64")
    ap.add_argument("--large-flags", type=int, default=10_000)
    ap.add_argument("--write-flags", type=int, default=100, help="flags created through REST for the write rate")
    ap.add_argument("--profile", action="store_true", help="perf record Hoist under variant load")
    ap.add_argument("--quick", action="store_true", help="short runs to check the script itself")
    a = ap.parse_args()
    if a.quick:
        a.duration, a.rounds, a.connections, a.large_flags, a.write_flags = 2, 1, "32", 1000, 10

    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="hoist-bench-http.")
    results = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "config": vars(a).copy()}
    script = os.path.join(HERE, "eval.lua")
    paced = os.path.join(tmp, "paced.lua")
    with open(script) as f, open(paced, "w") as g:
        g.write(f.read() + "\nfunction delay()\n  return pace\nend\n")

    def log(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    def save():
        with open(os.path.join(a.out, "results.json"), "w") as f:
            json.dump(results, f, indent=2)

    db = os.path.join(tmp, "bench.db")
    hoist = Hoist(a.hoist, db, free_port(), os.path.join(tmp, "hoist.log"))
    nginx_proc = None
    try:
        # ---- binary
        size = os.path.getsize(a.hoist)
        stripped = os.path.join(tmp, "hoist-stripped")
        subprocess.run(["strip", "-o", stripped, a.hoist], check=True)
        results["binary"] = {"bytes": size, "stripped_bytes": os.path.getsize(stripped)}
        os.remove(stripped)
        log(f"binary {size / 1e6:.1f} MB, stripped {results['binary']['stripped_bytes'] / 1e6:.1f} MB")

        # ---- cold start, empty database (first start runs the migrations; not counted)
        hoist.start()
        hoist.stop()
        starts = []
        for _ in range(5):
            starts.append(hoist.start())
            time.sleep(1.0)
            idle = rss_kb(hoist.pid)
            hoist.stop()
        results["cold_start_empty_ms"] = starts
        results["idle_rss_empty_kb"] = idle
        log(f"cold start (empty db) median {median(starts):.1f} ms {['%.0f' % s for s in starts]}; idle RSS {idle['VmRSS'] / 1024:.1f} MB")

        # ---- write path through REST
        hoist.start()
        client = Client(hoist.port)
        timings = {}
        t0 = time.perf_counter()
        n = populate_rest(client, "small", 6, 4, timings=timings)
        small_s = time.perf_counter() - t0
        log(f"namespace small: {n} REST writes in {small_s:.2f} s ({n / small_s:.0f} writes/s)")
        timings = {}
        t0 = time.perf_counter()
        n = populate_rest(client, "writes", a.write_flags // 2, a.write_flags // 2, timings=timings)
        write_s = time.perf_counter() - t0
        results["write_path"] = {
            "namespace_flags_end": a.write_flags, "writes": n, "seconds": write_s, "writes_per_s": n / write_s,
            "by_kind_ms": {k: {"n": len(v), "median": median(v) * 1000, "max": max(v) * 1000} for k, v in timings.items()},
        }
        log(f"write path: {n} writes in {write_s:.2f} s = {n / write_s:.0f} writes/s; "
            + ", ".join(f"{k} {median(v) * 1000:.2f} ms" for k, v in timings.items()))

        # concurrent writers (4 clients, each its own flags) in namespace "writes"
        def writer(idx, count, out):
            c = Client(hoist.port)
            tm = {}
            made = 0
            for j in range(count):
                key = f"cw-{idx}-{j}"
                base = "/api/v1/namespaces/writes"
                t = time.perf_counter(); c.call("POST", f"{base}/flags", {"key": key, "name": key, "enabled": True}); tm.setdefault("flag", []).append(time.perf_counter() - t)
                t = time.perf_counter(); v = c.call("POST", f"{base}/flags/{key}/variants", {"key": "on"}); tm.setdefault("variant", []).append(time.perf_counter() - t)
                t = time.perf_counter(); r = c.call("POST", f"{base}/flags/{key}/rules", {"segmentKey": "beta", "rank": 1}); tm.setdefault("rule", []).append(time.perf_counter() - t)
                made += 3
            out[idx] = (made, tm)
        outs = {}
        threads = [threading.Thread(target=writer, args=(i, max(5, a.write_flags // 8), outs)) for i in range(4)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cw_s = time.perf_counter() - t0
        cw_n = sum(m for m, _ in outs.values())
        results["write_path"]["concurrent4"] = {"writes": cw_n, "seconds": cw_s, "writes_per_s": cw_n / cw_s}
        log(f"write path, 4 concurrent clients: {cw_n} writes in {cw_s:.2f} s = {cw_n / cw_s:.0f} writes/s")
        hoist.stop()

        # ---- bulk load the large namespace (+ a 10-flag copy to check the loader against REST)
        t0 = time.perf_counter()
        bulk_load(db, "smallsql", 6, 4)
        nlarge_v, nlarge_b = a.large_flags * 6 // 10, a.large_flags * 4 // 10
        bulk_load(db, "large", nlarge_v, nlarge_b)
        results["bulk_load_s"] = time.perf_counter() - t0
        log(f"bulk-loaded namespace large ({a.large_flags} flags) in {results['bulk_load_s']:.1f} s")

        starts = []
        for _ in range(3):
            starts.append(hoist.start(timeout=120))
            time.sleep(1.0)
            idle_large = rss_kb(hoist.pid)
            hoist.stop()
        results["cold_start_large_ms"] = starts
        results["idle_rss_large_kb"] = idle_large
        log(f"cold start with {a.large_flags} flags median {median(starts):.0f} ms; idle RSS {idle_large['VmRSS'] / 1024:.1f} MB")
        hoist.start(timeout=120)

        # check: the bulk-loaded copy evaluates exactly like the REST-created namespace
        import random
        rng = random.Random(7)
        mismatches = 0
        for k in range(200):
            kind = "variant" if k % 2 == 0 else "boolean"
            i = rng.randrange(6 if kind == "variant" else 4)
            ctx = {"plan": rng.choice(["free", "pro", "enterprise"]), "country": rng.choice(["DE", "US", "FR"]),
                   "seats": str(rng.randrange(1, 300)), "beta": rng.choice(["true", "false"]),
                   "signup": rng.choice(["2023-05-01T00:00:00Z", "2024-05-01T00:00:00Z"]),
                   "platform": rng.choice(["ios", "web"])}
            ent = rng.choice(["staff-1", f"user-{k}"])
            bodies = [json.dumps({"namespaceKey": ns, "flagKey": f"{kind}-{i}", "entityId": ent, "context": ctx})
                      for ns in ("small", "smallsql")]
            r1 = post(hoist.port, f"/evaluate/v1/{kind}", bodies[0])
            r2 = post(hoist.port, f"/evaluate/v1/{kind}", bodies[1])
            if r1[0] != 200 or strip_volatile(r1[1]) != strip_volatile(r2[1]):
                mismatches += 1
        results["bulk_vs_rest_mismatches"] = mismatches
        log(f"bulk-loaded vs REST-created namespace: {mismatches} mismatches in 200 evaluations")
        if mismatches:
            raise RuntimeError("the bulk loader does not reproduce the REST-created namespace")

        # ---- nginx with fixed replies of Hoist's own sizes
        replies = {}
        for mode, ns_args in (("variant", ("small", 6, 4)), ("boolean", ("small", 6, 4)), ("batch", ("small", 6, 4))):
            if mode == "batch":
                items = [{"namespaceKey": "small", "flagKey": f"variant-{i % 6}", "entityId": "user-1",
                          "context": {"plan": "enterprise", "country": "DE", "seats": "250"}} for i in range(12)]
                items += [{"namespaceKey": "small", "flagKey": f"boolean-{i % 4}", "entityId": "user-1",
                           "context": {"plan": "enterprise", "country": "DE", "seats": "250"}} for i in range(8)]
                body = json.dumps({"requests": items})
            else:
                body = json.dumps({"namespaceKey": "small", "flagKey": f"{mode}-0", "entityId": "user-1",
                                   "context": {"plan": "enterprise", "country": "DE", "seats": "250", "platform": "ios"}})
            status, data = post(hoist.port, f"/evaluate/v1/{mode}", body)
            assert status == 200, data
            replies[mode] = data.decode()
        results["reply_bytes"] = {k: len(v) for k, v in replies.items()}
        nginx_port = free_port()
        ngx = os.path.join(tmp, "nginx")
        os.makedirs(os.path.join(ngx, "logs"), exist_ok=True)
        def ngx_quote(text):  # nginx processes backslash escapes inside quoted strings
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
        def ngx_location(m):  # a config token is limited to ~4 KB: concatenate variables of 2,000 bytes
            text = replies[m]
            chunks = [text[i:i + 2000] for i in range(0, len(text), 2000)]
            sets = " ".join(f"set $r{j} {ngx_quote(c)};" for j, c in enumerate(chunks))
            value = "".join(f"${{r{j}}}" for j in range(len(chunks)))
            return (f"        location = /evaluate/v1/{m} {{ default_type application/json; {sets} "
                    f"return 200 \"{value}\"; }}")
        locations = "\n".join(ngx_location(m) for m in replies)
        conf = f"""worker_processes auto;
daemon off;
pid {ngx}/nginx.pid;
error_log {ngx}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_temp_path {ngx}/body;
    proxy_temp_path {ngx}/proxy;
    fastcgi_temp_path {ngx}/fastcgi;
    uwsgi_temp_path {ngx}/uwsgi;
    scgi_temp_path {ngx}/scgi;
    server {{
        listen 127.0.0.1:{nginx_port};
{locations}
    }}
}}
"""
        with open(os.path.join(ngx, "nginx.conf"), "w") as f:
            f.write(conf)
        nginx_proc = subprocess.Popen(["nginx", "-p", ngx, "-c", os.path.join(ngx, "nginx.conf"), "-e",
                                       os.path.join(ngx, "logs", "error.log")],
                                      stdout=subprocess.DEVNULL, stderr=open(os.path.join(ngx, "stderr.log"), "wb"))
        PROCS.append(nginx_proc)
        for _ in range(250):
            try:
                status, data = post(nginx_port, "/evaluate/v1/variant", "{}")
                if status == 200:
                    for m in replies:
                        if post(nginx_port, f"/evaluate/v1/{m}", "{}")[1].decode() != replies[m]:
                            raise RuntimeError(f"nginx does not return Hoist's {m} reply byte for byte")
                    break
            except OSError:
                time.sleep(0.02)
        else:
            raise RuntimeError("nginx did not start: " + open(os.path.join(ngx, "stderr.log")).read()
                               + open(os.path.join(ngx, "logs", "error.log")).read())
        results["nginx"] = {"version": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
                            "worker_processes": "auto (2)"}

        # ---- warm-up
        for port in (hoist.port, nginx_port):
            for mode in ("variant", "boolean", "batch"):
                wrk(port, mode, "small", 6, 4, 32, 2, script)

        # ---- throughput matrix
        matrix = []
        peak_rss = {}
        conns = [int(c) for c in a.connections.split(",")]
        for mode in ("variant", "boolean", "batch"):
            for c in conns:
                cell = {"mode": mode, "connections": c, "hoist": [], "nginx": []}
                for rnd in range(a.rounds):
                    cell["hoist"].append(wrk(hoist.port, mode, "small", 6, 4, c, a.duration, script))
                    peak_rss = rss_kb(hoist.pid)
                    cell["nginx"].append(wrk(nginx_port, mode, "small", 6, 4, c, a.duration, script))
                h = median([r["rps"] for r in cell["hoist"]])
                n = median([r["rps"] for r in cell["nginx"]])
                cell["ratio"] = h / n
                matrix.append(cell)
                hp = cell["hoist"][-1]["latency_us"]
                log(f"{mode:7} c={c:3}: hoist {h:9.0f} req/s (p50 {fmt_us(hp['p50'])} p99 {fmt_us(hp['p99'])} "
                    f"p99.9 {fmt_us(hp['p999'])} ms) nginx {n:9.0f} req/s  ratio {h / n:.2f}")
                results["matrix"] = matrix
                save()
        results["rss_under_load_kb"] = peak_rss
        log(f"RSS after load: {peak_rss['VmRSS'] / 1024:.1f} MB (peak {peak_rss['VmHWM'] / 1024:.1f} MB, {peak_rss['Threads']} threads)")

        # ---- scale: 10 vs N flags
        scale = {"small": [], "large": []}
        for rnd in range(a.rounds):
            scale["small"].append(wrk(hoist.port, "variant", "small", 6, 4, 64, a.duration, script))
            scale["large"].append(wrk(hoist.port, "variant", "large", nlarge_v, nlarge_b, 64, a.duration, script))
        results["scale"] = scale
        rss_large_load = rss_kb(hoist.pid)
        results["rss_large_after_load_kb"] = rss_large_load
        s_rps = median([r["rps"] for r in scale["small"]])
        l_rps = median([r["rps"] for r in scale["large"]])
        log(f"scale (variant, c=64): 10 flags {s_rps:.0f} req/s p99 {fmt_us(scale['small'][-1]['latency_us']['p99'])} ms; "
            f"{a.large_flags} flags {l_rps:.0f} req/s p99 {fmt_us(scale['large'][-1]['latency_us']['p99'])} ms; "
            f"RSS {rss_large_load['VmRSS'] / 1024:.1f} MB")
        save()

        # ---- fixed rate (paced wrk: each connection waits pace ms between response and next request)
        fixed = []
        # wrk paces in whole milliseconds and only after each response, so the connection count that
        # reaches a target rate depends on latency: calibrate it with a 3 s run, then measure.
        for rate, pace in ((1000, 10), (10000, 10)):
            for name, port in (("hoist", hoist.port), ("nginx", nginx_port)):
                c = max(1, rate * pace // 1000)
                probe = wrk(port, "variant", "small", 6, 4, c, 3, paced, pace_ms=pace)
                c = max(1, round(c * rate / max(probe["rps"], 1)))
                r = wrk(port, "variant", "small", 6, 4, c, a.duration, paced, pace_ms=pace)
                r.update({"target_rps": rate, "server": name, "connections": c, "pace_ms": pace})
                fixed.append(r)
                log(f"fixed rate {rate} req/s target ({name}, {c} connections paced {pace} ms): achieved {r['rps']:.0f} req/s, "
                    f"p50 {fmt_us(r['latency_us']['p50'])} p99 {fmt_us(r['latency_us']['p99'])} "
                    f"p99.9 {fmt_us(r['latency_us']['p999'])} ms")
        results["fixed_rate"] = fixed
        save()

        # ---- write latency and write-to-served at N flags (profiled with --profile)
        wperf = None
        if a.profile and shutil.which("perf"):
            wdata = os.path.join(a.out, "perf-write-large.data")
            wperf = subprocess.Popen(["perf", "record", "-F", "999", "-e", "cpu-clock", "-g", "-o", wdata,
                                      "-p", str(hoist.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            PROCS.append(wperf)
            time.sleep(0.5)
        client = Client(hoist.port)
        lat, visible = [], []
        key = "variant-0"
        base = "/api/v1/namespaces/large"
        body = json.dumps({"namespaceKey": "large", "flagKey": key, "entityId": "user-1", "context": {}})
        for k in range(10):
            enabled = k % 2 == 1
            t0 = time.perf_counter()
            client.call("PUT", f"{base}/flags/{key}", {"name": key, "enabled": enabled})
            t1 = time.perf_counter()
            want = "FLAG_DISABLED_EVALUATION_REASON" if not enabled else None
            while True:
                _, data = post(hoist.port, "/evaluate/v1/variant", body)
                reason = json.loads(data)["reason"]
                if (reason == "FLAG_DISABLED_EVALUATION_REASON") == (want is not None):
                    break
                if time.perf_counter() - t0 > 30:
                    raise RuntimeError("write never became visible")
            t2 = time.perf_counter()
            lat.append((t1 - t0) * 1000)
            visible.append((t2 - t0) * 1000)
        creates = []
        for k in range(20):
            t0 = time.perf_counter()
            client.call("POST", f"{base}/flags", {"key": f"late-{k}", "name": "late", "enabled": True})
            creates.append((time.perf_counter() - t0) * 1000)
        results["large_writes"] = {"update_ms": lat, "write_to_served_ms": visible, "flag_create_ms": creates}
        if wperf:
            wperf.send_signal(signal.SIGINT)
            wperf.wait(timeout=60)
            PROCS.remove(wperf)
            with open(os.path.join(a.out, "perf-write-large-children.txt"), "w") as f:
                subprocess.run(["perf", "report", "-i", wdata, "--children", "--stdio", "--percent-limit", "1.5",
                                "-g", "none", "--sort", "symbol"], stdout=f, stderr=subprocess.DEVNULL, timeout=600)
        log(f"{a.large_flags} flags: flag update {median(lat):.0f} ms median (max {max(lat):.0f}); write-to-served "
            f"{median(visible):.0f} ms median (max {max(visible):.0f}); flag create {median(creates):.0f} ms median "
            f"= {1000 / median(creates):.1f} creates/s")
        save()

        # ---- profile
        if a.profile and shutil.which("perf"):
            pdata = os.path.join(a.out, "perf-variant.data")
            perf = subprocess.Popen(["perf", "record", "-F", "999", "-e", "cpu-clock", "-g", "-o", pdata,
                                     "-p", str(hoist.pid), "--", "sleep", str(a.duration)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            PROCS.append(perf)
            wrk(hoist.port, "variant", "small", 6, 4, 64, a.duration, script)
            perf.wait(timeout=60)
            PROCS.remove(perf)
            with open(os.path.join(a.out, "perf-variant-flat.txt"), "w") as f:
                subprocess.run(["perf", "report", "-i", pdata, "--no-children", "--stdio", "--percent-limit", "0.7",
                                "-g", "none", "--sort", "dso,symbol"], stdout=f, stderr=subprocess.DEVNULL, timeout=600)
            with open(os.path.join(a.out, "perf-variant-children.txt"), "w") as f:
                subprocess.run(["perf", "report", "-i", pdata, "--children", "--stdio", "--percent-limit", "3",
                                "-g", "none", "--sort", "symbol"], stdout=f, stderr=subprocess.DEVNULL, timeout=600)
            log(f"profile written to {a.out}/perf-variant-*.txt")
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        save()
    finally:
        hoist.stop()
        if nginx_proc:
            stop(nginx_proc)
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), sys.exit(1)))
    try:
        main()
    finally:
        cleanup()
