#!/usr/bin/env python3
"""Observability cost (issue 3 §6): variant-evaluation throughput of the same release binary with each
observability feature on, as a ratio to everything off, measured in one run.

Every configuration runs as its own Hoist process on 127.0.0.1 with its own SQLite file and the same
10 benchmark flags (created through the REST API, as in run.py); wrk drives them round-robin, so each
ratio compares runs made minutes apart under the same machine load. Tracing exports OTLP/HTTP to a
local receiver that accepts and discards every batch; decision logs upload (`/logs`, gzip) to a receiver
of their own (keep-alive unless `--decision-log-receiver close`), and the summary gives their ratio to
"metrics (default)". Every process is stopped at the end.

    python3 scripts/bench-http/observability.py --hoist .build/release/hoist [--duration 10 --rounds 3]
        [--only "metrics (default),metrics + decision logs"]   # a subset, by name
        [--only "everything off,analytics counting only,metrics only,metrics (default)"]   # analytics cost

Ratios are to the first configuration run, or to `--baseline NAME`; the summary gives both the ratio
of medians and the median of per-round (paired) ratios. Tracing rows: "metrics + tracing 100 %/1 %/0 %"
(OTLP through swift-otel; 0 % = tracing on, nothing sampled) and "metrics + zipkin 100 %" (Hoist's own
tracer and Zipkin exporter), e.g. `--only "metrics (default),metrics + tracing 1 %" --rounds 8`.

--profile SUBSTR records one more wrk run of the first configuration whose name contains SUBSTR under
`perf record -e cpu-clock -g` and prints the top symbols (self and with children) of its process.
"""
import subprocess
import argparse
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (same helpers as the main HTTP benchmark)


class Discard(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver that reads and drops every export (answers an empty protobuf)."""
    received = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Discard.received += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class DecisionLogSink(Discard):
    """The decision-log receiver: discards each upload like Discard, counts uploads and bytes apart.
    HTTP/1.1 (keep-alive) by default, as a real control plane would be; `--decision-log-receiver close`
    answers HTTP/1.0 and closes every connection (the receiver used before 17:40 UTC, 2026-11-21)."""
    protocol_version = "HTTP/1.1"
    uploads = 0
    bytes = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        DecisionLogSink.uploads += 1
        DecisionLogSink.bytes += length
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


class ClosingDecisionLogSink(DecisionLogSink):
    protocol_version = "HTTP/1.0"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hoist", required=True)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--only", default="", help="comma-separated configuration names (default: all)")
    ap.add_argument("--profile")
    ap.add_argument("--baseline", default="", help="configuration the ratios are to (default: the first one run)")
    ap.add_argument("--decision-log-receiver", choices=["keep-alive", "close"], default="keep-alive")
    a = ap.parse_args()

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Discard)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    otlp = f"http://127.0.0.1:{receiver.server_address[1]}"
    sink = ClosingDecisionLogSink if a.decision_log_receiver == "close" else DecisionLogSink
    dl_receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), sink)
    threading.Thread(target=dl_receiver.serve_forever, daemon=True).start()
    dl_url = f"http://127.0.0.1:{dl_receiver.server_address[1]}"
    tracing = {"FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "otlp",
               "FLIPT_TRACING_OTLP_ENDPOINT": otlp}
    zipkin = {"FLIPT_TRACING_ENABLED": "true", "FLIPT_TRACING_EXPORTER": "zipkin",
              "FLIPT_TRACING_ZIPKIN_ENDPOINT": otlp + "/api/v2/spans"}
    configs = [
        ("everything off", {"FLIPT_METRICS_ENABLED": "false", "FLIPT_ANALYTICS_STORAGE_DATABASE_ENABLED": "false"}),
        ("analytics counting only", {"FLIPT_METRICS_ENABLED": "false"}),
        ("metrics only", {"FLIPT_ANALYTICS_STORAGE_DATABASE_ENABLED": "false"}),
        # The default: Flipt's metrics and the built-in evaluation analytics.
        ("metrics (default)", {}),
        ("metrics + tracing 100 %", dict(tracing, FLIPT_TRACING_SAMPLING_RATIO="1")),
        ("metrics + tracing 1 %", dict(tracing, FLIPT_TRACING_SAMPLING_RATIO="0.01")),
        # Tracing on, nothing ever sampled: the cost of the unsampled path alone.
        ("metrics + tracing 0 %", dict(tracing, FLIPT_TRACING_SAMPLING_RATIO="0")),
        # Hoist's own tracer and exporter (Zipkin v2 JSON to the same discarding receiver).
        ("metrics + zipkin 100 %", dict(zipkin, FLIPT_TRACING_SAMPLING_RATIO="1")),
        # Every evaluation recorded, uploaded gzip-compressed to the local receiver.
        ("metrics + decision logs", {"FLIPT_DECISION_LOGS_ENABLED": "true", "FLIPT_DECISION_LOGS_SERVICE": dl_url,
                                     "FLIPT_DECISION_LOGS_MIN_DELAY": "1s", "FLIPT_DECISION_LOGS_MAX_DELAY": "2s",
                                     "FLIPT_META_STATE_DIRECTORY": tempfile.mkdtemp(prefix="hoist-bench-state.")}),
    ]
    if a.only:
        wanted = [name.strip() for name in a.only.split(",")]
        configs = [c for c in configs if c[0] in wanted]
    tmp = tempfile.mkdtemp(prefix="hoist-bench-obs.")
    servers = []
    try:
        for i, (name, env) in enumerate(configs):
            saved = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            try:
                h = bench.Hoist(a.hoist, os.path.join(tmp, f"{i}.db"), bench.free_port(), os.path.join(tmp, f"{i}.log"))
                h.start()
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
            bench.populate_rest(bench.Client(h.port), "small", 6, 4)
            servers.append((name, h))
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval.lua")
        for _, h in servers:  # warm-up
            bench.wrk(h.port, "variant", "small", 6, 4, a.connections, 2, script)
        rates = {name: [] for name, _ in servers}
        p99 = {name: [] for name, _ in servers}
        for r in range(a.rounds):
            for name, h in servers:
                res = bench.wrk(h.port, "variant", "small", 6, 4, a.connections, a.duration, script)
                rates[name].append(res["rps"])
                p99[name].append(res["latency_us"]["p99"])
                print(f"[round {r + 1}] {name}: {res['rps']:.0f} req/s, p99 {res['latency_us']['p99'] / 1000:.2f} ms",
                      flush=True)
        if a.profile:
            profile(next((n, h) for n, h in servers if a.profile in n), a, script, tmp)
        baseline = a.baseline or configs[0][0]
        base = statistics.median(rates[baseline])
        print(f"\nvariant evaluation, wrk -t1 -c{a.connections} -d{a.duration}s, {a.rounds} rounds round-robin, "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; batches received (OTLP + decision logs): "
              f"{Discard.received}")
        # Paired: each round's rate over the baseline's rate in the same round (minutes apart at most), then
        # the median of those; less sensitive to load that drifts between rounds than a ratio of medians.
        print(f"| configuration | req/s (median) | ratio to '{baseline}' | paired ratio (median of rounds) | p99 (median) |")
        print("|---|---:|---:|---:|---:|")
        for name, _ in servers:
            m = statistics.median(rates[name])
            paired = statistics.median(x / b for x, b in zip(rates[name], rates[baseline]))
            print(f"| {name} | {m:,.0f} | {m / base:.3f} | {paired:.3f} | {statistics.median(p99[name]) / 1000:.2f} ms |")
        if "metrics (default)" in rates and "metrics + decision logs" in rates:
            ratio = statistics.median(rates["metrics + decision logs"]) / statistics.median(rates["metrics (default)"])
            print(f"\ndecision logs: {ratio:.3f} of 'metrics (default)' (goal: >= 0.900); "
                  f"{DecisionLogSink.uploads} uploads, {DecisionLogSink.bytes / 1e6:.1f} MB gzip "
                  f"({a.decision_log_receiver} receiver)")
    finally:
        for _, h in servers:
            h.stop()
        bench.cleanup()
        receiver.shutdown()
        dl_receiver.shutdown()


def profile(server, a, script, tmp):
    """One more wrk run of `server` under perf; prints perf's top symbols for its process."""
    name, h = server
    data = os.path.join(tmp, "perf.data")
    perf = subprocess.Popen(["perf", "record", "-F", "999", "-e", "cpu-clock", "-g", "-o", data,
                             "-p", str(h.pid), "--", "sleep", str(a.duration)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    res = bench.wrk(h.port, "variant", "small", 6, 4, a.connections, a.duration, script)
    perf.wait(timeout=a.duration + 60)
    print(f"\nperf profile of '{name}' ({res['rps']:.0f} req/s during the profile)")
    for mode in (["--no-children"], ["--children"]):
        out = subprocess.run(["perf", "report", "--stdio", "-i", data, "--sort", "symbol", "-g", "none",
                              "--percent-limit", "0.7"] + mode, capture_output=True, text=True, timeout=300)
        lines = [l for l in out.stdout.splitlines() if l.strip() and not l.startswith("#")]
        print(f"-- {'self' if mode == ['--no-children'] else 'inclusive'}:")
        print("\n".join(lines[:45]))


if __name__ == "__main__":
    main()
