#!/usr/bin/env bash
# Compatibility suite: Hoist vs Flipt's client engine, Flipt's REST SDK and a reference model.
# Usage: bash compat/run.sh [pytest args...]
#   HOIST_BIN=/path/to/hoist   server binary (default /work/main/.build/debug/hoist)
#   HOIST_URL=http://...       test an already running server instead
#   HOIST_DIFF_SEED=N          seed of the differential generator
#   FLIPT_CLIENT_SPEC=flipt-client==1.4.5   run against another flipt-client (engine) release
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
py="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    if ! "$py" -m venv "$venv"; then
        rm -rf "$venv"
        if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
            "$py" -m venv "$venv"
        else
            echo "compat/run.sh: '$py -m venv' failed (install python3-venv)" >&2
            exit 1
        fi
    fi
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
if [ -n "${FLIPT_CLIENT_SPEC:-}" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$FLIPT_CLIENT_SPEC"
fi

export RUST_LIB_BACKTRACE=0   # flipt-client's Rust library aborts on its first error otherwise
cd "$here/.."
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider compat "$@"
