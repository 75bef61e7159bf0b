#!/usr/bin/env bash
# The project's test command: Swift unit/API/store tests, then the compatibility suite that drives
# a real Hoist binary with Flipt's official Python clients.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== swift test"
swift build --build-tests
swift test --skip-build --parallel

echo "== compatibility suite (official Flipt clients)"
HOIST_BIN="$(swift build --show-bin-path)/hoist" bash compat/run.sh

echo "== benchmark smoke run (builds and runs every in-process benchmark briefly; no thresholds)"
bash scripts/bench-smoke.sh
