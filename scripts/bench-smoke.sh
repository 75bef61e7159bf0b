#!/usr/bin/env bash
# Smoke mode of the in-process benchmarks (CI): builds the Benchmarks/ package (release, as the
# benchmark plugin always does) and runs every benchmark for a few iterations, with no thresholds,
# so the suite never rots. Figures printed here are NOT measurements; see BENCHMARKS.md / `make bench`.
#
#   bash scripts/bench-smoke.sh            # all benchmarks, 3 iterations each
#   bash scripts/bench-smoke.sh 'Variant.*'  # only those whose whole name matches the regex
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"

filter=()
if [ $# -gt 0 ]; then filter=(--filter "$1"); fi

log="$(mktemp -t hoist-bench-smoke.XXXXXX)"
trap 'rm -f "$log"' EXIT
echo "== benchmarks (smoke mode: HOIST_BENCH_SMOKE=1, 3 iterations, no thresholds)"
start=$(date +%s)
if ! HOIST_BENCH_SMOKE=1 swift package --disable-sandbox benchmark --no-progress "${filter[@]}" >"$log" 2>&1; then
    tail -n 80 "$log"
    echo "benchmarks: 0 passed, 1 failed"
    exit 1
fi
# Each benchmark prints its name on the line above its result table (a line starting with ╒).
names="$(awk '/^╒/ && prev != "" { print prev } { prev = $0 }' "$log")"
ran=$(printf '%s\n' "$names" | grep -c . || true)
printf '%s\n' "$names" | sed 's/^/  ran: /' || true
echo "benchmark smoke run took $(( $(date +%s) - start )) s"
if [ "$ran" -eq 0 ]; then
    tail -n 80 "$log"
    echo "benchmarks: 0 passed, 1 failed"
    exit 1
fi
echo "benchmarks: $ran passed, 0 failed"
