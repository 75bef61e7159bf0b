#!/usr/bin/env bash
# Full run of the in-process benchmarks (BENCHMARKS.md §1): release build of Benchmarks/, every
# benchmark at its configured duration, then the Markdown summary (median, p99, mallocs/op).
#
#   bash scripts/bench-inprocess.sh               # everything (~3 min of runs after the build)
#   bash scripts/bench-inprocess.sh 'Variant.*'   # only benchmarks whose whole name matches the regex
set -euo pipefail
cd "$(dirname "$0")/.."
out=".build-bench/inprocess-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
filter=()
if [ $# -gt 0 ]; then filter=(--filter "$1"); fi
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown); load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/machine.txt"
(cd Benchmarks && swift package --disable-sandbox benchmark --no-progress "${filter[@]}") | tee "$out/output.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
python3 scripts/bench-summary.py < "$out/output.txt" | tee "$out/summary.md"
