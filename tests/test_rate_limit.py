"""The API's rate limit holds for the server as a whole, across gunicorn's workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ARTICLES, ROOT, index_of
from tests.test_browser import free_port

pytestmark = pytest.mark.slow


def test_a_limit_of_30_a_minute_lets_30_through_across_two_workers(tmp_path):
    index_of(tmp_path, ARTICLES)
    port = free_port()
    env = {**os.environ, "ROCKSEARCH_INDEX": str(tmp_path / "index"),
           "ROCKSEARCH_RATE_LIMIT": "30/minute"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "rocksearch_cli", "serve", "--port", str(port), "--workers", "2",
         "--threads", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:  # the site's pages are not limited: wait on one of them
            try:
                urllib.request.urlopen(base + "/maxims", timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.1)
        statuses = []
        for n in range(60):  # a new connection each: gunicorn spreads them over workers
            try:
                with urllib.request.urlopen(f"{base}/api/search?q=cash&n={n}", timeout=10) as r:
                    statuses.append(r.status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
                assert exc.headers["Retry-After"]
        assert statuses.count(200) == 30, statuses
        assert statuses.count(429) == 30
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()
