#!/usr/bin/env python3
"""CPU cost of decision logs per evaluation: Hoist's own CPU time (utime + stime from /proc) per request
with decision logs off ("metrics (default)") and on (every decision uploaded to a local keep-alive
receiver), for one or more release binaries, round-robin in one run.

On a machine shared with other work, throughput ratios swing with the neighbours' load; Hoist's CPU
per request moves much less, so the difference "on - off" in microseconds is the figure to compare
between builds (BENCHMARKS.md §6.4). The machine's busy time per request (all processes) is printed too.

    python3 scripts/bench-http/decision_log_cpu.py --hoist A[,B,...] [--duration 6 --rounds 3]
"""
import argparse
import http.server
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402
from observability import DecisionLogSink  # noqa: E402


def process_cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy():
    values = list(map(int, open("/proc/stat").readline().split()[1:]))
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hoist", required=True, help="comma-separated release binaries")
    ap.add_argument("--duration", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DecisionLogSink)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="hoist-bench-dlcpu.")
    logs = {"FLIPT_DECISION_LOGS_ENABLED": "true",
            "FLIPT_DECISION_LOGS_SERVICE": f"http://127.0.0.1:{receiver.server_address[1]}",
            "FLIPT_DECISION_LOGS_MIN_DELAY": "1s", "FLIPT_DECISION_LOGS_MAX_DELAY": "2s",
            "FLIPT_META_STATE_DIRECTORY": os.path.join(tmp, "state")}
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "eval.lua")
    servers = []
    try:
        for binary in a.hoist.split(","):
            for label, env in (("off", {}), ("on", logs)):
                saved = dict(os.environ)
                os.environ.update(env)
                try:
                    h = bench.Hoist(binary, os.path.join(tmp, f"{len(servers)}.db"), bench.free_port(),
                                    os.path.join(tmp, f"{len(servers)}.log"))
                    h.start()
                finally:
                    os.environ.clear()
                    os.environ.update(saved)
                bench.populate_rest(bench.Client(h.port), "small", 6, 4)
                servers.append((binary, label, h))
        for _, _, h in servers:  # warm-up
            bench.wrk(h.port, "variant", "small", 6, 4, 32, 2, script)
        for r in range(a.rounds):
            us = {}
            for binary, label, h in servers:
                time.sleep(2)  # the previous server's uploader finishes its last flush
                cpu, busy = process_cpu(h.pid), machine_busy()
                res = bench.wrk(h.port, "variant", "small", 6, 4, 32, a.duration, script)
                n = res["rps"] * a.duration
                us[(binary, label)] = 1e6 * (process_cpu(h.pid) - cpu) / n
                print(f"[round {r + 1}] {binary} decision logs {label}: {res['rps']:,.0f} req/s, "
                      f"Hoist {us[(binary, label)]:.1f} us/req, machine busy {1e6 * (machine_busy() - busy) / n:.1f} us/req",
                      flush=True)
            for binary in a.hoist.split(","):
                print(f"[round {r + 1}] {binary}: decision logs cost {us[(binary, 'on')] - us[(binary, 'off')]:+.1f} us "
                      f"of Hoist CPU per evaluation", flush=True)
        print(f"decision-log uploads received: {DecisionLogSink.uploads}, {DecisionLogSink.bytes / 1e6:.1f} MB gzip")
    finally:
        for _, _, h in servers:
            h.stop()
        bench.cleanup()
        receiver.shutdown()


if __name__ == "__main__":
    main()
