"""A disk that refuses writes (full, read-only, a file-size limit): each command says so in
one sentence that names where, readers are still answered, and nothing is lost.

The commands run as real processes whose file writes are capped (RLIMIT_FSIZE, see
tests/servers.py: largest_file_of): a write past the cap fails as a full disk's does
(EFBIG instead of ENOSPC), for any user, with no file system to fill. A sweep of real
full disks (a 3 MB tmpfs, every 10-50 kB of room from 0 to 1.5 MB) was run by hand with
the same outcomes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from indexer.build import build_index
from indexer.store import generation_names, open_current
from search.engine import search
from tests.conftest import ARTICLES, ROOT, add_editor, index_of, write_jsonl
from tests.servers import free_port, largest_file_of, running_server
from tests.wp_site import WordPressSite

NEW = {"id": "new-4", "title": "The quokka test of service", "date": "2022-01-02",
       "body": "A quokka smiles at every customer who walks in."}  # fmt: skip


def run(args: list[str], largest_file: int | None, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "rocksearch_cli", *args], cwd=ROOT, capture_output=True,
        text=True, input=stdin, timeout=120,
        preexec_fn=None if largest_file is None else largest_file_of(largest_file),
    )  # fmt: skip


def told(result: subprocess.CompletedProcess) -> str:
    """The one sentence a refused run printed (and that it printed nothing else)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("largest_file", [1, 4096, 65536])
@pytest.mark.parametrize("rebuild", [False, True])
def test_an_index_run_the_disk_refuses_publishes_nothing_and_says_so(tmp_path, largest_file,
                                                                     rebuild):  # fmt: skip
    corpus = write_jsonl(tmp_path / "articles.jsonl", ARTICLES)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    before = generation_names(index_dir)
    write_jsonl(corpus, [*ARTICLES, NEW])  # one post added since

    args = ["--index", str(index_dir), "index", "--corpus", str(corpus)]
    refused = run(args + ["--rebuild"] * rebuild, largest_file)

    line = told(refused)
    assert line.startswith(f"rocksearch: Could not write the index in {index_dir}: File too large")
    assert "Nothing was published: the index is as it was before this run" in line
    # Readers see the index as it was; what the run began is gone (no generation, no spool).
    assert generation_names(index_dir) == before
    assert (
        sorted(p.name for p in index_dir.iterdir() if p.name.startswith(("gen-", "spool")))
        == before
    )
    assert search(index_dir, "cash flow").total == 1
    assert search(index_dir, "quokka").total == 0
    # With room again, the next run publishes the post.
    again = run(args, None)
    assert again.returncode == 0, again.stderr
    assert "new-4" in open_current(index_dir).manifest


def test_a_crawl_the_disk_refuses_stops_at_once_and_leaves_no_part_files(tmp_path):
    site = WordPressSite(crawl_delay=0, rest=False)  # (a sitemap: each post a page)
    try:
        whole = run(["crawl", site.root, "--corpus", str(tmp_path / "whole"), "--delay", "0"],
                    None)  # fmt: skip
        assert "17 articles in 17 files" in whole.stdout, whole.stderr  # (and its own faults)
        asked_whole = len(site.requests)
        site.requests.clear()

        corpus = tmp_path / "refused"
        refused = run(["crawl", site.root, "--corpus", str(corpus), "--delay", "0"], 1)

        line = told(refused)
        assert line.startswith("rocksearch: could not save what was fetched: File too large (")
        assert str(corpus) in line  # the file it could not write, named
        assert "The crawl stopped; the files saved before are kept" in line
        # It stopped: not every page asked for and refused one by one.
        assert len(site.requests) < asked_whole / 2, (len(site.requests), asked_whole)
        assert not [p for p in corpus.rglob("*") if p.suffix in (".part", ".tmp")]
    finally:
        site.close()


def test_a_crawl_whose_record_cannot_be_written_says_so_and_keeps_the_pages(tmp_path):
    site = WordPressSite(crawl_delay=0)
    try:
        corpus = tmp_path / "corpus"
        first = run(["crawl", site.root, "--corpus", str(corpus), "--delay", "0"], None)
        assert first.returncode == 0, first.stderr
        record = corpus / ".rocksearch-crawl.json"
        kept = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file() and p != record}
        # Every page answers 304 now (nothing to write) but the record, which is larger
        # than the limit.
        again = run(["crawl", site.root, "--corpus", str(corpus), "--delay", "0"], 100)

        line = told(again)
        assert line.startswith("rocksearch: could not save the crawl's record: File too large")
        assert {p: p.read_bytes() for p in kept} == kept
        assert not [p for p in corpus.rglob("*") if p.suffix in (".part", ".tmp")]
        assert json.loads(record.read_text("utf-8"))["urls"]  # the earlier record, whole
    finally:
        site.close()


def test_editor_add_on_a_disk_that_refuses_it_is_one_sentence(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    result = run(["--index", str(index), "editor", "add", "ed", "--password-stdin"], 1,
                 stdin="a long enough password\n")  # fmt: skip
    assert "the editors' database cannot be used" in told(result)


def test_serve_without_a_key_it_can_keep_says_so_before_starting(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    result = run(["--index", str(index), "serve", "--port", str(free_port())], 1)
    line = told(result)
    assert line.startswith(f"rocksearch: cannot keep the editors' secret key in {index}/secret.key")
    assert "Set ROCKSEARCH_SECRET_KEY" in line
    assert not (index / "secret.key").exists()  # (not left empty for the next start)


@pytest.mark.slow
def test_a_server_whose_disk_refuses_writes_still_answers_readers(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    add_editor(index)  # (its database exists; SQLite cannot open its -shm file beside it)
    env = {"ROCKSEARCH_SECRET_KEY": "k" * 64}
    with running_server(index, workers=2, env=env, largest_file=1) as base:
        for _ in range(3):  # the rate limits count in memory, the pins read before stay
            with urllib.request.urlopen(f"{base}/api/search?q=cash+flow", timeout=10) as r:
                answer = json.load(r)
                assert r.headers["X-RateLimit-Limit"]
            assert [h["id"] for h in answer["hits"]] == ["cash-2"]
            with urllib.request.urlopen(f"{base}/search?q=cash+flow", timeout=10) as r:
                assert "is the oxygen of a small business" in r.read().decode()
        # An editor's request needs the database: a clear 503, not a 500.
        request = urllib.request.Request(f"{base}/api/editor/duplicates",
                                         headers={"Authorization": "Bearer x"})  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 503
        assert refused.value.headers["Retry-After"]
        error = json.load(refused.value)["error"]
        assert error.startswith("The editors' database cannot be used just now")
        assert "Searching still works" in error
