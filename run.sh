#!/usr/bin/env bash
# Set up and run rocksearch: install it into .venv, bring the index up to date with
# corpus/ (built on the first run, incremental after), then serve the site and API at
# http://127.0.0.1:8000/ (ROCKSEARCH_HOST / ROCKSEARCH_PORT change that). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
# (The distribution's Python when it has one: it runs rocksearch 8-15% faster than
# pyenv's default build, scripts/pick-python.)
PYTHON="${PYTHON:-$(scripts/pick-python)}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# (Python 3.11's own pip, 23.0 to 23.2, does not match jusText's `lxml[html_clean]` to lxml's
# "html-clean" extra and warns; pyproject.toml installs lxml_html_clean itself.) Only
# the filter's status is ignored: a failed install stops here, its error shown.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . 2>&1 \
    | { grep -v -e '^WARNING: Location' -e "does not provide the extra 'html_clean'" || true; }
# pip compiles the packages it installs; an editable install's own modules are compiled
# here, so that a process where PYTHONDONTWRITEBYTECODE is set does not compile them on
# every start (0.1-0.2 s of a cold `rocksearch search`).
.venv/bin/python -m compileall -q search indexer web editorial rocksearch_cli >/dev/null
.venv/bin/rocksearch index
exec .venv/bin/rocksearch serve "$@"
