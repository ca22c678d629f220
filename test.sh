#!/usr/bin/env bash
# Set up and run every check: install rocksearch with its test tools into .venv, Debian's
# Chromium for the browser tests and the npm checks (axe-core, Lighthouse), lint, then run
# the whole test suite (pytest treats warnings as errors).
set -euo pipefail
cd "$(dirname "$0")"
# (The distribution's Python when it has one: it runs rocksearch 8-15% faster than
# pyenv's default build, scripts/pick-python.)
PYTHON="${PYTHON:-$(scripts/pick-python)}"
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# axe-core (accessibility rules in the browser tests) and Lighthouse, from npm, as locked.
[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# (Python 3.11's own pip, 23.0 to 23.2, does not match jusText's `lxml[html_clean]` to lxml's
# "html-clean" extra and warns; pyproject.toml installs lxml_html_clean itself.) Only
# the filter's status is ignored: a failed install stops here, its error shown.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 \
    | { grep -v -e '^WARNING: Location' -e "does not provide the extra 'html_clean'" || true; }
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
