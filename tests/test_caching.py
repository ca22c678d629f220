"""HTTP caching stays true: an ETag names the generation that actually answered, and an
answer cut short by the time limit is never cached."""

from __future__ import annotations

import sqlite3
import time

from indexer.build import build_index
from search.state import get_state
from tests.conftest import write_jsonl
from web import create_app

POSTS = [{"id": f"p{n}", "title": f"Customers post {n}", "body": "Customers matter."}
         for n in range(3)]  # fmt: skip


def test_etag_follows_the_generation_that_answered(tmp_path):
    corpus = write_jsonl(tmp_path / "a.jsonl", POSTS)
    build_index(corpus, tmp_path / "index")
    client = create_app({"index": str(tmp_path / "index"), "TESTING": True}).test_client()
    first = client.get("/api/search?q=customers")
    assert first.get_json()["total"] == 3
    old_tag = first.headers["ETag"]

    write_jsonl(corpus, POSTS + [{"id": "p9", "title": "Customers new", "body": "Customers."}])
    build_index(corpus, tmp_path / "index")
    # The new generation is warmed in the background; meanwhile the previous one answers,
    # and its answer must carry its own ETag, not the new generation's.
    during = client.get("/api/search?q=customers")
    assert (during.get_json()["total"] == 3) == (during.headers["ETag"] == old_tag)
    assert client.get("/api/search?q=customers", headers={"If-None-Match": old_tag}).status_code \
        in (200, 304)  # fmt: skip
    get_state(tmp_path / "index", wait=True)
    for _ in range(100):  # the background load finishes
        after = client.get("/api/search?q=customers")
        if after.get_json()["total"] == 4:
            break
        time.sleep(0.05)
    assert after.get_json()["total"] == 4 and after.headers["ETag"] != old_tag
    stale = client.get("/api/search?q=customers", headers={"If-None-Match": old_tag})
    assert stale.status_code == 200 and stale.get_json()["total"] == 4


def test_a_partial_answer_is_marked_and_not_cacheable(tmp_path):
    corpus = write_jsonl(tmp_path / "a.jsonl", POSTS)
    build_index(corpus, tmp_path / "index")
    app = create_app({"index": str(tmp_path / "index"), "TESTING": True})
    # (no setting allows a limit of 0, which would cut every search short: set here so)
    app.config["ROCKSEARCH"]["time_limit"] = 0.0
    response = app.test_client().get("/api/search?q=customers")
    data = response.get_json()
    assert data["partial"] is True
    assert "took too long" in " ".join(data["warnings"])
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


def test_etag_changes_when_duplicate_groups_arrive_in_the_generation(tmp_path):
    """`rocksearch index` finds duplicates after publishing: when they arrive, answers
    collapse copies, so the same URL must get a new ETag, never the old one."""
    from search.duplicate_index import refresh_duplicates

    text = "Cash flow is the oxygen of a small business; watch receivables every week. " * 5
    posts = [{"id": "a", "title": "Cash flow", "body": text},
             {"id": "b", "title": "Cash flow", "body": text}]  # fmt: skip
    build_index(write_jsonl(tmp_path / "a.jsonl", posts), tmp_path / "index")
    client = create_app({"index": str(tmp_path / "index"), "TESTING": True}).test_client()
    before = client.get("/api/search?q=cash")
    assert len(before.get_json()["hits"]) == 2
    refresh_duplicates(tmp_path / "index")
    time.sleep(2.1)  # a server looks for newly found groups every 2 s
    after = client.get("/api/search?q=cash", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert len(after.get_json()["hits"]) == 1 and after.get_json()["collapsed"] == 1
    assert after.headers["ETag"] != before.headers["ETag"]


# --- a worker's cache of answers (web/answer_cache.py) ----------------------------------


def _counting_search(monkeypatch, cut_short: bool = False) -> list:
    """Make web.api's search count its calls (and still search); `cut_short`: mark each
    answer as stopped at the time limit, as the engine does."""
    import web.api

    calls, real = [], web.api.search

    def counted(*args, **kwargs):
        calls.append(kwargs.get("query"))
        results = real(*args, **kwargs)
        results.partial = results.partial or cut_short
        return results

    monkeypatch.setattr(web.api, "search", counted)
    return calls


def _without_time(response) -> dict:
    data = response.get_json()
    assert isinstance(data.pop("took_ms"), float)
    return data


def test_a_repeated_url_is_answered_from_the_cache_and_still_counted(tmp_path, monkeypatch):
    from web.search_context import recorder

    corpus = write_jsonl(tmp_path / "a.jsonl", POSTS)
    build_index(corpus, tmp_path / "index")
    app = create_app({"index": str(tmp_path / "index")})
    client = app.test_client()
    calls = _counting_search(monkeypatch)
    first = client.get("/api/search?q=customers&page=1")
    second = client.get("/api/search?q=customers&page=1")
    assert calls == ["customers"]  # searched once
    assert second.status_code == 200 and second.mimetype == "application/json"
    assert _without_time(second) == _without_time(first)
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    client.get("/api/search?q=customers&page=2")  # another URL, another answer
    assert calls == ["customers", "customers"]
    with app.app_context():
        recorder().flush()
    conn = sqlite3.connect(tmp_path / "index" / "editorial.sqlite3")
    counted = "SELECT count(*) FROM searches WHERE query = 'customers'"
    assert conn.execute(counted).fetchone()[0] == 3


def test_the_cache_follows_generations_pins_and_the_day(tmp_path, monkeypatch):
    import datetime

    import web.api
    from editorial import pins
    from editorial.db import connect
    from web.search_context import pin_board

    corpus = write_jsonl(tmp_path / "a.jsonl", POSTS)
    build_index(corpus, tmp_path / "index")
    app = create_app({"index": str(tmp_path / "index")})
    client = app.test_client()
    assert client.get("/api/search?q=customers").get_json()["total"] == 3
    # A new generation: the same URL is searched there, not copied from before.
    write_jsonl(corpus, POSTS + [{"id": "p9", "title": "Customers new", "body": "Customers."}])
    build_index(corpus, tmp_path / "index")
    get_state(tmp_path / "index", wait=True)
    for _ in range(100):  # the background load finishes
        if client.get("/api/search?q=customers").get_json()["total"] == 4:
            break
        time.sleep(0.05)
    assert client.get("/api/search?q=customers").get_json()["total"] == 4
    # An editor's pin.
    conn = connect(tmp_path / "index" / "editorial.sqlite3")
    pins.set_pins(conn, "customers", ["p2"], [])
    conn.close()
    with app.app_context():
        pin_board().invalidate()  # (as the editors' page does; else read again within seconds)
    pinned = client.get("/api/search?q=customers").get_json()
    assert pinned["hits"][0]["id"] == "p2" and pinned["hits"][0]["pinned"] is True
    # Tomorrow ("posts from this week" is another answer then): another key.
    calls = _counting_search(monkeypatch)
    client.get("/api/search?q=customers")
    assert calls == []

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls):
            return datetime.date.fromordinal(datetime.date.today().toordinal() + 1)

    monkeypatch.setattr(web.api, "datetime", type("m", (), {"date": Tomorrow}))
    client.get("/api/search?q=customers")
    assert calls == ["customers"]


def test_explained_partial_and_failed_answers_are_not_cached(tmp_path, monkeypatch):
    from tests.conftest import log_in

    corpus = write_jsonl(tmp_path / "a.jsonl", POSTS)
    build_index(corpus, tmp_path / "index")
    app = create_app({"index": str(tmp_path / "index"), "TESTING": True})
    client = app.test_client()
    answers = app.extensions["rocksearch.answers"]
    log_in(client, tmp_path / "index")
    calls = _counting_search(monkeypatch)
    for _ in range(2):
        assert client.get("/api/search?q=customers&explain=true").status_code == 200
    assert len(calls) == 2 and len(answers) == 0
    for _ in range(2):
        assert client.get("/api/search?q=customers&page=0").status_code == 400
    assert len(answers) == 0
    calls = _counting_search(monkeypatch, cut_short=True)
    for _ in range(2):
        assert client.get("/api/search?q=customers").get_json()["partial"] is True
    assert len(calls) == 2 and len(answers) == 0


def test_the_cache_can_be_switched_off(tmp_path, monkeypatch):
    corpus = write_jsonl(tmp_path / "a.jsonl", POSTS)
    build_index(corpus, tmp_path / "index")
    monkeypatch.setenv("ROCKSEARCH_ANSWER_CACHE_MB", "0")
    app = create_app({"index": str(tmp_path / "index")})
    assert "rocksearch.answers" not in app.extensions
    calls = _counting_search(monkeypatch)
    client = app.test_client()
    client.get("/api/search?q=customers")
    client.get("/api/search?q=customers")
    assert len(calls) == 2


def test_answer_cache_keeps_the_answer_and_writes_the_new_time():
    import json

    from web.answer_cache import AnswerCache

    cache = AnswerCache(100_000)
    # A query that spells the field itself: its quotes are escaped in the JSON.
    answer = {"ok": True, "query": 'a","took_ms":9,"x', "partial": False, "took_ms": 12.5,
              "did_you_mean": None, "hits": [{"took_ms": 3}]}  # fmt: skip
    body = json.dumps(answer, separators=(",", ":")).encode()
    cache.put("k", body, ("q", {}, 0, 1, None))
    cached = cache.get("k")
    assert json.loads(cached.body(0.3)) == {**answer, "took_ms": 0.3}
    assert json.loads(cached.body(1 / 3))["took_ms"] == 0.33
    assert cached.record == ("q", {}, 0, 1, None)
    assert cache.get("other") is None


def test_answer_cache_drops_the_least_recently_used_past_its_size():
    from web.answer_cache import AnswerCache

    def body(n: int) -> bytes:
        return b'{"ok":true,"took_ms":1.0,"hits":"' + b"x" * 1000 + str(n).encode() + b'"}'

    cache = AnswerCache(12_000)
    for n in range(20):
        cache.put(str(n), body(n), ())
    kept = [n for n in range(20) if cache.get(str(n))]  # (asked oldest first: order kept)
    assert 3 <= len(kept) < 12 and kept == list(range(20 - len(kept), 20))
    cache.get(str(kept[0]))  # used: now the last to go
    cache.put("new", body(20), ())
    assert cache.get(str(kept[0])) and cache.get("new") and not cache.get(str(kept[1]))
    # Not kept: a body without the field where the cache writes the time, and an answer
    # over a tenth of the cache (and so none in a cache of 0 bytes).
    cache.put("odd", b'{"took_ms":1.0,"x":"' + b"x" * 1000 + b'"}', ())
    assert cache.get("odd") is None
    for size in (5000, 0):
        small = AnswerCache(size)
        small.put("n", body(1), ())
        assert len(small) == 0
