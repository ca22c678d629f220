"""HTTP caching stays true: an ETag names the generation that actually answered, and an
answer cut short by the time limit is never cached."""

from __future__ import annotations

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
