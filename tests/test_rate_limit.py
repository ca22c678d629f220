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


def test_a_rate_limit_file_that_cannot_be_used_counts_in_memory(tmp_path, caplog):
    from web.ratelimit_store import SCHEME, SQLiteStorage

    where = tmp_path / "rate-limits.sqlite3"
    where.mkdir()  # (a folder where the file must be: SQLite cannot open it, root or not)
    storage = SQLiteStorage(f"{SCHEME}://{where}")
    counts = [storage.incr("ip", 60) for _ in range(3)]
    assert counts == [1, 2, 3]  # counted, in this process's memory, not failed
    assert storage.get("ip") == 3
    assert storage.get_expiry("ip") > 0
    warnings = [r.getMessage() for r in caplog.records if "rate limits" in r.getMessage()]
    assert warnings == [f"rate limits: {where} cannot be used (unable to open database "
                        "file); each worker counts on its own until it can"]  # fmt: skip
    where.rmdir()  # mended: after FALLBACK_SECONDS the file is used again
    storage.failed_at -= 60
    assert storage.incr("ip", 60) == 1  # (a new count: the file's own)
    assert storage.failed_at is None
