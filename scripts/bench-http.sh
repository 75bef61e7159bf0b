#!/usr/bin/env bash
# HTTP, scale, resource and write-path benchmarks (BENCHMARKS.md §2–§5).
#
#   bash scripts/bench-http.sh                 # full run: release build, then ~8 min of scripts/bench-http/run.py
#   bash scripts/bench-http.sh --quick         # 2 s runs, 1,000 flags: checks the script, not a measurement
#   HOIST_BIN=/path/to/hoist bash scripts/bench-http.sh --profile   # skip the build; add a perf profile
#
# Needs Debian's wrk and nginx (and linux-perf for --profile):
#   apt-get update && apt-get install -y wrk nginx linux-perf
# Loopback only; every process started is stopped at the end; results go to .build-bench/http-<date>/.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in wrk nginx python3 strip; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk nginx linux-perf" >&2; exit 1; }
done

if [ -z "${HOIST_BIN:-}" ]; then
    echo "== swift build -c release --product hoist"
    swift build -c release --product hoist
    HOIST_BIN="$(swift build -c release --show-bin-path)/hoist"
fi

out=".build-bench/http-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty tree)')"
    echo "nproc: $(nproc)"
    lscpu | grep -E '^(Model name|Thread|Core|Socket|CPU MHz)' || true
    free -m | sed -n 2p
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    { wrk -v 2>&1 || true; } | head -1
    nginx -v 2>&1 || true
    echo "hoist binary: $HOIST_BIN ($(stat -c %y "$HOIST_BIN" | cut -d. -f1))"
} | tee "$out/machine.txt"

# Bounded: the whole run stops after 40 minutes whatever happens.
timeout 2400 python3 scripts/bench-http/run.py --hoist "$HOIST_BIN" --out "$out" "$@" 2>&1 | tee "$out/log.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
echo "results: $out/results.json, $out/log.txt"
