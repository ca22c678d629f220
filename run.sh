#!/usr/bin/env bash
# Set up and run rocksearch: install it into .venv, bring the index up to date with
# corpus/ (built on the first run, incremental after), then run a sample search.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/rocksearch index
.venv/bin/rocksearch search "${@:-write this on a rock}"
