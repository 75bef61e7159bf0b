#!/usr/bin/env python3
"""Write throughput with audit off / log sink / webhook sink (issue 6; figures for BENCHMARKS.md).

    python3 scripts/bench-audit.py [--bin .build/release/hoist] [--count 2000] [--workers 4]

For each mode: a fresh Hoist (own SQLite file) on 127.0.0.1, `workers` threads creating `count`
flags in total (POST /api/v1/namespaces/default/flags, keep-alive sessions). Reports creates/s
and, for the sinks, how long after the last acknowledged write the last event was delivered.
Needs `requests` (compat/.venv has it). Every wait is bounded.
"""
import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "compat"))
import requests  # noqa: E402

from audit_support import Hoist, Receiver, free_port  # noqa: E402


def run(binary, mode, count, workers):
    tmp = Path(tempfile.mkdtemp(prefix=f"hoist-bench-audit-{mode}-"))
    env = {}
    receiver = None
    log_file = tmp / "audit.log"
    if mode == "log":
        env = {"FLIPT_AUDIT_SINKS_LOG_ENABLED": "true", "FLIPT_AUDIT_SINKS_LOG_FILE": str(log_file),
               "FLIPT_AUDIT_SINKS_LOG_ENCODING": "json"}
    elif mode == "webhook":
        receiver = Receiver(free_port(), "bench")
        receiver.start()
        env = {"FLIPT_AUDIT_SINKS_WEBHOOK_ENABLED": "true",
               "FLIPT_AUDIT_SINKS_WEBHOOK_URL": f"http://127.0.0.1:{receiver.port}/audit",
               "FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET": "bench"}
    os.environ["HOIST_BIN"] = binary
    hoist = Hoist(tmp, env).start()
    per = count // workers
    errors = []

    def worker(w):
        s = requests.Session()
        for i in range(per):
            r = s.post(hoist.url + "/api/v1/namespaces/default/flags",
                       json={"key": f"w{w}-{i}", "name": "n", "type": "BOOLEAN_FLAG_TYPE"}, timeout=10)
            if r.status_code != 200:
                errors.append(r.status_code)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.monotonic() - start
    drained = None
    total = per * workers
    for _ in range(6000):  # ≤ 60 s
        if mode == "log":
            n = sum(1 for _ in open(log_file)) if log_file.exists() else 0
        elif mode == "webhook":
            n = len(receiver.snapshot())
        else:
            break
        if n >= total:
            drained = time.monotonic() - start - elapsed
            break
        time.sleep(0.01)
    hoist.stop()
    if receiver:
        receiver.stop()
    return total / elapsed, drained, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="/work/main/.build/debug/hoist")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print(f"binary {args.bin}, {args.count} flag creates, {args.workers} client threads")
    for mode in ["off", "log", "webhook"]:
        rate, drained, errors = run(args.bin, mode, args.count, args.workers)
        tail = "" if drained is None else f", last event delivered {drained * 1000:.0f} ms after the last write"
        print(f"audit {mode:8s} {rate:8.0f} creates/s{tail}{'  ERRORS ' + str(len(errors)) if errors else ''}")


if __name__ == "__main__":
    main()
