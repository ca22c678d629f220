"""The API's rate limit holds for the server as a whole, across gunicorn's workers."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.conftest import ARTICLES, index_of
from tests.servers import running_server

pytestmark = pytest.mark.slow


def test_a_limit_of_30_a_minute_lets_30_through_across_two_workers(tmp_path):
    index_of(tmp_path, ARTICLES)
    env = {"ROCKSEARCH_RATE_LIMIT": "30/minute"}
    # The site's pages are not limited: the server is ready when /maxims answers.
    with running_server(tmp_path / "index", workers=2, threads=2, env=env) as base:
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
