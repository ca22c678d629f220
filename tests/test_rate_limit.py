"""The rate limits: the API's holds for the server as a whole, across gunicorn's workers;
each endpoint counts against its own limits, and a failing counter store lets readers
through."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.conftest import ARTICLES, index_of
from tests.servers import running_server
from web import create_app


@pytest.mark.slow
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


def test_the_tightest_of_several_limits_is_shown_and_refuses(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    client = create_app({"index": str(index), "rate_limit": "100/hour;2/minute",
                         "rate_limit_storage": "memory://"}).test_client()  # fmt: skip
    answers = [client.get(f"/api/search?q=cash&n={n}") for n in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert [a.headers["X-RateLimit-Limit"] for a in answers] == ["2", "2", "2"]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["1", "0", "0"]
    assert answers[2].get_json()["error"] == (
        "Too many requests: the limit is 2 per 1 minute. Retry later."
    )
    assert 0 < int(answers[2].headers["Retry-After"]) <= 60


def test_only_limited_endpoints_count_and_carry_the_headers(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    client = create_app({"index": str(index), "rate_limit": "1/minute",
                         "rate_limit_storage": "memory://"}).test_client()  # fmt: skip
    for path in ("/maxims", "/editor/login", "/static/style.css", "/api/nowhere"):
        for _ in range(3):
            with client.get(path) as response:  # (a file's answer is closed)
                assert response.status_code in (200, 404), path
                assert "X-RateLimit-Limit" not in response.headers, path
    # The login form's GETs above were not counted: its limit is on POSTs.
    assert client.get("/api/search?q=cash").status_code == 200  # (the API's own count)
    assert client.get("/search?q=cash").status_code == 200  # (the site's, apart)
    assert client.get("/api/maxims").status_code == 429


def test_turned_off_nothing_is_counted(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    client = create_app({"index": str(index), "rate_limit": "1/minute",
                         "RATELIMIT_ENABLED": False}).test_client()  # fmt: skip
    answers = [client.get("/api/search?q=cash") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "X-RateLimit-Limit" not in answers[0].headers


def test_a_counter_store_that_fails_lets_readers_through_and_says_so(tmp_path, monkeypatch, caplog):
    from limits.storage import MemoryStorage

    index = index_of(tmp_path, ARTICLES)
    client = create_app({"index": str(index), "rate_limit": "1/minute",
                         "rate_limit_storage": "memory://"}).test_client()  # fmt: skip

    def down(*args, **kwargs):
        raise ValueError("the counters are down")  # (MemoryStorage's base exception)

    monkeypatch.setattr(MemoryStorage, "incr", down)
    answers = [client.get("/api/search?q=cash") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "X-RateLimit-Limit" not in answers[0].headers
    warnings = [r.getMessage() for r in caplog.records if "rate limits" in r.getMessage()]
    assert warnings == ["rate limits: the counters' storage failed (the counters are down); "
                        "requests are let through uncounted until it answers"]  # fmt: skip


@pytest.fixture
def shared_file(tmp_path):
    """The counters' SQLite file, as the workers of one server share it."""
    from web.ratelimit_store import SCHEME, SQLiteStorage

    return SQLiteStorage(f"{SCHEME}://{tmp_path / 'rate-limits.sqlite3'}")


def test_workers_add_their_counts_in_batches_and_count_exactly_near_the_limit(shared_file):
    """Two workers (two Batches on one shared file) counting one client: far from the
    limit each writes a batch at a time; near it every request, so exactly the limit
    gets through, the rest refused, and the shown remaining count goes down by one."""
    from limits import parse

    from web.rate_batches import Batches

    workers = [Batches(shared_file), Batches(shared_file)]
    limit = parse("640/minute")  # batches of 10; every request written past 480
    key = limit.key_for("1.2.3.4", "api")
    answers = [workers[n % 2].hit(limit, "1.2.3.4", "api") for n in range(100)]
    # Each worker wrote its first request, then ten at a time: 9 each not yet written.
    assert shared_file.get(key) == 100 - 2 * 9
    answers += [workers[n % 2].hit(limit, "1.2.3.4", "api") for n in range(100, 800)]
    assert [allowed for allowed, _, _ in answers] == [True] * 640 + [False] * 160
    assert shared_file.get(key) == 800  # refused requests count too, as in `limits`
    remaining = [r for _, r, _ in answers[500:645]]
    assert remaining == [*range(139, -1, -1), 0, 0, 0, 0, 0]
    resets = {reset for _, _, reset in answers}
    assert resets == {shared_file.get_expiry(key)}  # one window, the shared counter's


def test_a_window_that_ended_starts_again(shared_file, monkeypatch):
    import time

    from limits import parse

    from web.rate_batches import Batches

    batches = Batches(shared_file)
    limit = parse("2/second")
    assert [batches.hit(limit, "ip")[0] for _ in range(3)] == [True, True, False]
    later = time.time() + 2
    monkeypatch.setattr(time, "time", lambda: later)
    assert [batches.hit(limit, "ip")[:2] for _ in range(3)] == [(True, 1), (True, 0), (False, 0)]
