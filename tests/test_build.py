"""Building and updating a real index on disk: incremental runs and bad input."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import pytest
from whoosh.query import Term

from indexer.article import KnownRun
from indexer.build import build_index
from indexer.schema import SCHEMA_VERSION
from indexer.sources import CorpusNotFound
from indexer.store import META_FILE, SchemaMismatch, open_current
from search.engine import search
from search.state import get_state
from tests.conftest import ARTICLES, write_jsonl


def stored(index_dir) -> dict[str, dict]:
    ix = open_current(index_dir).open()
    with ix.searcher() as searcher:
        return {doc["id"]: doc for doc in searcher.all_stored_fields()}


def find(index_dir, field, term) -> list[str]:
    ix = open_current(index_dir).open()
    with ix.searcher() as searcher:
        return sorted(hit["id"] for hit in searcher.search(Term(field, term), limit=None))


def test_first_build_indexes_everything(corpus_dir, index_dir):
    summary = build_index(corpus_dir, index_dir)
    assert (summary.added, summary.updated, summary.unchanged, summary.deleted) == (3, 0, 0, 0)
    assert summary.errors == 0 and summary.documents == 3
    docs = stored(index_dir)
    assert docs["rock-1"]["title"] == "Write this on a rock: customers come first"
    assert docs["rock-1"]["category"] == ["Customer Care"]
    assert docs["undated-3"]["year"] == "undated"
    assert find(index_dir, "body", "custom") == ["rock-1"]
    assert find(index_dir, "year", "undated") == ["undated-3"]
    assert find(index_dir, "category", "Finance / Accounting / Taxes") == ["cash-2"]


def test_second_run_with_nothing_changed_writes_nothing(corpus_dir, index_dir):
    first = build_index(corpus_dir, index_dir)
    files_before = sorted(p.name for p in (index_dir / first.generation).iterdir())
    second = build_index(corpus_dir, index_dir)
    assert (second.added, second.updated, second.unchanged, second.deleted) == (0, 0, 3, 0)
    assert second.generation == first.generation
    assert sorted(p.name for p in (index_dir / first.generation).iterdir()) == files_before
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == [
        first.generation
    ]


def test_change_add_and_remove_one_article(corpus_dir, index_dir):
    build_index(corpus_dir, index_dir)
    records = [dict(r) for r in ARTICLES]
    records[1]["body"] = "Receivables decide whether payroll clears on Friday."
    del records[2]
    records.append({"id": "new-4", "title": "Franchising basics", "body": "Buy a system."})
    write_jsonl(corpus_dir / "articles.jsonl", records)
    summary = build_index(corpus_dir, index_dir)
    assert (summary.added, summary.updated, summary.unchanged, summary.deleted) == (1, 1, 1, 1)
    assert sorted(stored(index_dir)) == ["cash-2", "new-4", "rock-1"]
    assert find(index_dir, "body", "receiv") == ["cash-2"]
    assert find(index_dir, "body_exact", "oxygen") == []  # the old text is gone
    assert find(index_dir, "title", "franchis") == ["new-4"]


def test_rebuild_starts_over_and_swaps_in_a_new_generation(corpus_dir, index_dir):
    first = build_index(corpus_dir, index_dir)
    again = build_index(corpus_dir, index_dir, rebuild=True)
    assert again.rebuilt and again.added == 3
    assert again.generation != first.generation
    assert (index_dir / "CURRENT").read_text().strip() == again.generation


def test_bad_input_is_reported_with_file_and_line_and_the_rest_indexed(corpus_dir, index_dir):
    (corpus_dir / "broken.jsonl").write_text(
        json.dumps({"id": "ok-1", "title": "Good one", "body": "Fine text."}) + "\n"
        '{"id": "bad-json", "title": "oops"\n'
        + json.dumps({"id": "no-title", "body": "text"}) + "\n"
        + json.dumps({"id": "no-body", "title": "A title"}) + "\n"
        + json.dumps({"id": "bad-date", "title": "Dated", "body": "b", "date": "March"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    (corpus_dir / "latin1.txt").write_bytes(b"A page title here now\n\nCaf\xe9 body text.\n")
    (corpus_dir / "empty.txt").write_text("", encoding="utf-8")
    (corpus_dir / "gone.jsonl").symlink_to(corpus_dir / "missing-target.jsonl")
    summary = build_index(corpus_dir, index_dir)
    messages = sorted(str(p) for p in summary.problems)
    assert messages == [
        "broken.jsonl:2: is not valid JSON (Expecting ',' delimiter at column 35)",
        "broken.jsonl:3: has no title; article skipped",
        "broken.jsonl:4: has no body; article skipped",
        "broken.jsonl:5: 'date' 'March' is not an ISO date (YYYY-MM-DD); indexed without a date",
        "empty.txt: the file is empty",
        "gone.jsonl: cannot be read: No such file or directory",
        "latin1.txt:3: is not UTF-8 (byte 0xe9); read as Windows-1252 there",
    ]
    kept = stored(index_dir)
    assert sorted(kept) == ["a-page-title-here-now-8249cf33", "bad-date", "cash-2", "ok-1",
                            "rock-1", "undated-3"]  # fmt: skip
    assert kept["a-page-title-here-now-8249cf33"]["body"] == "Café body text."
    assert stored(index_dir)["bad-date"]["year"] == "undated"


def test_missing_corpus_is_one_sentence(index_dir, tmp_path):
    with pytest.raises(CorpusNotFound, match=r"The corpus .*nowhere does not exist: pass --corpus"):
        build_index(tmp_path / "nowhere", index_dir)


def test_index_from_an_older_schema_is_reported_then_rebuilt(corpus_dir, index_dir):
    first = build_index(corpus_dir, index_dir)
    meta_path = index_dir / first.generation / META_FILE
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = 0
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(SchemaMismatch, match=r"rebuild it with `rocksearch index --rebuild`"):
        open_current(index_dir)
    summary = build_index(corpus_dir, index_dir)
    assert summary.rebuilt and summary.added == 3
    assert "schema version 0" in summary.notes[0]
    assert open_current(index_dir).meta["schema_version"] == SCHEMA_VERSION


def test_damaged_index_is_reported_and_rebuilt_from_the_corpus(corpus_dir, index_dir):
    first = build_index(corpus_dir, index_dir)
    for seg in (index_dir / first.generation).glob("*.seg"):
        seg.write_bytes(b"garbage")
    summary = build_index(corpus_dir, index_dir)
    assert summary.rebuilt and summary.added == 3
    assert "cannot be opened" in summary.notes[0]
    assert find(index_dir, "body", "custom") == ["rock-1"]


@pytest.mark.parametrize("damage", ["torn", "missing", "not an object"])
def test_a_damaged_manifest_is_reported_and_the_index_rebuilt(corpus_dir, index_dir, damage):
    """Without the manifest (id -> hash) every article would look new and be added beside
    its indexed copy: a manifest that cannot be read makes the index damaged."""
    first = build_index(corpus_dir, index_dir)
    manifest = index_dir / first.generation / "manifest.json"
    if damage == "missing":
        manifest.unlink()
    else:
        manifest.write_text('{"rock-1": ' if damage == "torn" else "[]", encoding="utf-8")
    summary = build_index(corpus_dir, index_dir)
    assert summary.rebuilt and summary.added == 3
    assert "cannot be opened" in summary.notes[0] and "manifest" in summary.notes[0]
    assert find(index_dir, "body", "custom") == ["rock-1"]
    assert len(stored(index_dir)) == 3


# --- what the last run read is not read again (indexer/read_cache.py) ----------------------


def manifests_agree(corpus, index_dir, tmp_path) -> None:
    """The updated index holds what a fresh build of the same corpus holds."""
    fresh = build_index(corpus, tmp_path / "fresh", rebuild=True)
    assert fresh.errors == 0 or fresh.problems
    assert open_current(index_dir).manifest == open_current(tmp_path / "fresh").manifest

    # The index keeps where an article was first read; the generation, where it is now.
    def content(index):
        return {i: {k: v for k, v in d.items() if k != "source"} for i, d in stored(index).items()}

    assert content(index_dir) == content(tmp_path / "fresh")
    assert (
        open_current(index_dir).places.as_dict()
        == open_current(tmp_path / "fresh").places.as_dict()
    )


def test_only_the_changed_lines_of_a_jsonl_corpus_are_read_again(tmp_path, index_dir):
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}."}
               for n in range(20)]  # fmt: skip
    records[5]["date"] = "last tuesday"  # a note: indexed without a date
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    first = build_index(corpus, index_dir)
    assert first.reused == 0 and [p.line for p in first.problems] == [6]

    records[2]["body"] = "Edited: franchising."
    records.append({"id": "new", "title": "New", "body": "Novelty."})
    write_jsonl(corpus, records)
    second = build_index(corpus, index_dir)
    assert (second.added, second.updated, second.reused) == (1, 1, 19)
    assert [(p.line, p.message) for p in second.problems] == [
        (p.line, p.message) for p in first.problems
    ]  # the note of a line not read again is reported again
    assert find(index_dir, "body", "franchis") == ["p2"]
    manifests_agree(corpus, index_dir, tmp_path)

    # Lines that move (one moved to the top) are read again but not re-indexed: their
    # place is not their content. What readers see as the source is the new place.
    records.insert(0, records.pop())
    write_jsonl(corpus, records)
    third = build_index(corpus, index_dir)
    assert (third.updated, third.unchanged, third.reused) == (0, 21, 0)
    assert any("moved" in note for note in third.notes)
    from search.articles import get_article

    assert get_article(index_dir, "new")["source"] == {"file": "a.jsonl", "line": 1}
    assert get_article(index_dir, "p0")["source"] == {"file": "a.jsonl", "line": 2}
    manifests_agree(corpus, index_dir, tmp_path)


def test_an_edit_reads_only_the_changed_part_of_a_jsonl_file(tmp_path, index_dir, monkeypatch):
    """One post edited in a large JSON Lines file: the file is digested a chunk at a time
    and only the bytes between its unchanged start and end are read, never the whole
    file at once. A file rewritten while it is read is read again whole, as it is
    then, and indexed as a fresh build of it would be."""
    from indexer import file_blocks

    monkeypatch.setattr(file_blocks, "BLOCK", 1024)  # small blocks for a small file
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}. " * 20}
               for n in range(60)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    build_index(corpus, index_dir)
    records[30]["body"] = "Edited in the middle: franchising."
    write_jsonl(corpus, records)
    real_read_bytes = Path.read_bytes

    def never_whole(path: Path) -> bytes:
        assert path != corpus, "the corpus file was read whole"
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", never_whole)
    reads: list[int] = []  # the sizes of the reads of the file's bytes as bytes

    class Counted(io.FileIO):
        def read(self, n: int = -1) -> bytes:
            found = super().read(n)
            reads.append(len(found))
            return found

    from indexer.importers import jsonl

    monkeypatch.setattr(jsonl, "open", lambda path, mode: Counted(path, mode), raising=False)
    summary = build_index(corpus, index_dir)
    monkeypatch.delattr(jsonl, "open")
    assert (summary.updated, summary.unchanged) == (1, 59)
    assert find(index_dir, "body", "franchis") == ["p30"]
    assert max(reads) < corpus.stat().st_size // 4  # (the middle, a few lines: not the file)
    monkeypatch.setattr(Path, "read_bytes", real_read_bytes)

    # Rewritten (in place) between its digests and the reading of its middle.
    real_of_file = file_blocks.Blocks.of_file.__func__

    def rewritten_meanwhile(cls, handle, size):
        found = real_of_file(cls, handle, size)
        records[40]["body"] = "Edited while read: leasing."
        records.append({"id": "late", "title": "Late", "body": "Written while read."})
        write_jsonl(corpus, records)
        return found

    records[10]["body"] = "Edited before: licensing."
    write_jsonl(corpus, records)
    monkeypatch.setattr(file_blocks.Blocks, "of_file", classmethod(rewritten_meanwhile))
    summary = build_index(corpus, index_dir)
    monkeypatch.undo()
    assert (summary.added, summary.updated) == (1, 2)
    assert find(index_dir, "body", "leas") == ["p40"] and find(index_dir, "body", "licens") == [
        "p10"
    ]
    manifests_agree(corpus, index_dir, tmp_path)


def build_counting_parses(monkeypatch, corpus, index_dir) -> tuple:
    """build_index, and the texts it parsed as JSON meanwhile (its lines, and a few files
    of the index): how many lines it read again."""
    parsed: list[str] = []
    real_loads = json.loads
    monkeypatch.setattr(json, "loads", lambda s, *a, **k: parsed.append(s) or real_loads(s))
    try:
        return build_index(corpus, index_dir), parsed
    finally:
        monkeypatch.setattr(json, "loads", real_loads)


def test_the_unchanged_start_and_end_of_a_rewritten_jsonl_file_are_not_read(
    tmp_path, index_dir, monkeypatch
):
    """Lines in the unchanged bytes at the start and at the end of a rewritten JSON Lines
    file come back unread, those at the end numbered as they are now, with the notes
    and problems of their lines; lines that moved are not parsed (counted as reused),
    and the index and its places are what a fresh build of the file gives."""
    from indexer import file_blocks

    monkeypatch.setattr(file_blocks, "BLOCK", 1024)  # small blocks for a small file
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}. " * 20}
               for n in range(60)]  # fmt: skip
    records[3]["date"] = "last tuesday"  # a note, in the start
    records[55]["date"] = "next friday"  # a note, in the end

    def write(records, bad_after: int = 57) -> None:
        lines = [json.dumps(r) for r in records]
        lines.insert(bad_after, "{not json")  # a problem, in the end
        (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", "utf-8")

    write(records)
    corpus = tmp_path / "a.jsonl"
    first = build_index(corpus, index_dir)
    assert [p.line for p in first.problems] == [4, 56, 58]

    # Two posts inserted, the post after them edited: the lines before and after are
    # not parsed, the end's numbered two lines further on.
    records.insert(10, {"id": "new", "title": "New", "body": "Novelty."})
    records.insert(11, dict(records[11], id="copy"))
    records[12]["body"] = "Edited: franchising."
    write(records, bad_after=59)
    second, parsed = build_counting_parses(monkeypatch, corpus, index_dir)
    assert (second.added, second.updated, second.errors) == (2, 1, 3)
    assert [(p.line, p.message) for p in second.problems] == [
        (4, first.problems[0].message), (58, first.problems[1].message),
        (60, first.problems[2].message),
    ]  # fmt: skip
    assert len(parsed) <= 10 and second.reused >= 52, (len(parsed), second.reused)
    assert find(index_dir, "body", "franchis") == ["p10"]
    manifests_agree(corpus, index_dir, tmp_path)

    # A post deleted near the end: the lines after it are one line up.
    del records[-3]
    write(records, bad_after=58)
    third = build_index(corpus, index_dir)
    assert (third.deleted, third.errors) == (1, 3) and third.reused >= 55
    assert [p.line for p in third.problems] == [4, 58, 59]
    manifests_agree(corpus, index_dir, tmp_path)

    # Posts without an id take one from their line (jsonl.article_from_record): lines
    # that moved are read again, so that their ids are what a fresh build gives them.
    for record in records:
        del record["id"]
    write(records)
    build_index(corpus, index_dir)
    records.insert(0, {"title": "First", "body": "On top."})
    write(records)
    moved = build_index(corpus, index_dir)
    assert moved.reused == 0 and moved.added + moved.updated == len(records)
    manifests_agree(corpus, index_dir, tmp_path)


def test_unchanged_files_of_a_folder_are_not_read_again(tmp_path, index_dir):
    import os
    import time

    folder = tmp_path / "site"
    folder.mkdir()
    long_ago = time.time() - 3600
    for n in range(5):
        page = folder / f"post-{n}.md"
        page.write_text(f"---\ntitle: Post {n}\n---\n\nText number {n}.\n", "utf-8")
        os.utime(page, (long_ago, long_ago))
    assert build_index(folder, index_dir).documents == 5
    changed = folder / "post-3.md"
    changed.write_text("---\ntitle: Post 3\n---\n\nEdited: franchising.\n", "utf-8")
    os.utime(changed, (long_ago + 10, long_ago + 10))
    summary = build_index(folder, index_dir)
    assert (summary.updated, summary.reused) == (1, 4)
    [edited] = find(index_dir, "body", "franchis")
    assert stored(index_dir)[edited]["source"]["file"] == "post-3.md"
    manifests_agree(folder, index_dir, tmp_path)

    # Changed within the same clock tick and size as it was recorded ("racily clean"):
    # a file modified that recently is read again, so the change is never missed.
    page = folder / "post-1.md"
    page.write_text("---\ntitle: Post 1\n---\n\nText number 9.\n", "utf-8")
    build_index(folder, index_dir)
    stamp = page.stat().st_mtime_ns
    page.write_text("---\ntitle: Post 1\n---\n\nText number 8.\n", "utf-8")
    os.utime(page, ns=(stamp, stamp))
    build_index(folder, index_dir)
    assert len(find(index_dir, "body", "8")) == 1 and find(index_dir, "body", "9") == []


def test_a_substack_post_edited_in_its_page_alone_is_read_again(tmp_path, index_dir):
    """A Substack export in a folder is read from posts.csv, which opens posts/<id>.html
    beside it: a page edited alone (posts.csv as it was) was not seen, since the read
    cache asked posts.csv only whether it had changed."""
    import os
    import time

    from tests.test_importers import SUBSTACK_POSTS

    folder = tmp_path / "export"
    (folder / "posts").mkdir(parents=True)
    long_ago = time.time() - 3600
    pages = {"posts.csv": SUBSTACK_POSTS,
             "posts/101.cash-is-a-fact.html": "<p>Profit is an opinion, cash is a fact.</p>",
             "posts/104.ask-me-anything.html": "<p>Ask away.</p>",
             "posts/105.episode-12.html": "<p>We talk about hiring.</p>"}  # fmt: skip
    for name, text in pages.items():
        (folder / name).write_text(text, "utf-8")
        os.utime(folder / name, (long_ago, long_ago))
    assert build_index(folder, index_dir).documents == 2
    page = folder / "posts/105.episode-12.html"
    page.write_text("<p>We talk about franchising.</p>", "utf-8")
    os.utime(page, (long_ago + 10, long_ago + 10))
    summary = build_index(folder, index_dir)
    assert (summary.updated, summary.unchanged) == (1, 1)
    assert len(find(index_dir, "body", "franchis")) == 1
    page.unlink()  # (a page gone: its post is said missing, and taken out)
    summary = build_index(folder, index_dir)
    assert (summary.deleted, summary.documents) == (1, 1)


def test_a_torn_read_cache_is_ignored_and_everything_is_read(tmp_path, index_dir):
    from indexer.read_cache import CACHE_FILE

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}."}
               for n in range(5)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    build_index(corpus, index_dir)
    (open_current(index_dir).path / CACHE_FILE).write_bytes(b"\x80\x05torn")
    records[1]["body"] = "Edited: franchising."
    write_jsonl(corpus, records)
    summary = build_index(corpus, index_dir)
    assert (summary.updated, summary.reused, summary.errors) == (1, 0, 0)
    assert find(index_dir, "body", "franchis") == ["p1"]


def test_a_file_an_importer_now_reads_otherwise_is_read_again(tmp_path, index_dir, monkeypatch):
    """A Markdown post indexed before the importer read tables kept its old text in every
    later run: its file had not changed, so the read cache kept what the last run made of
    it. Raising IMPORTERS_VERSION reads such files again; a JSON Lines file is kept."""
    import os

    from markdown_it import MarkdownIt

    from indexer import read_cache
    from indexer.importers import markdown

    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "plans.md").write_text(
        "---\ntitle: Plans\n---\n| Plan | Price |\n|--|--|\n| Gold | $99 |\n"
    )
    write_jsonl(folder / "more.jsonl", [{"id": "p1", "title": "Cash", "body": "Cash flow."}])
    for path in folder.iterdir():  # (not racily clean: the cache may keep them)
        os.utime(path, (time.time() - 60, time.time() - 60))
    markdown._markdown.cache_clear()
    monkeypatch.setattr(markdown, "_markdown", lambda: MarkdownIt("commonmark"))  # as before
    build_index(folder, index_dir)

    def body() -> str:
        return next(d["body"] for d in stored(index_dir).values() if d["title"] == "Plans")

    assert body().startswith("| Plan | Price |")
    monkeypatch.undo()
    markdown._markdown.cache_clear()
    assert build_index(folder, index_dir).updated == 0  # the cache kept the old reading

    monkeypatch.setattr(read_cache, "IMPORTERS_VERSION", read_cache.IMPORTERS_VERSION + 1)
    summary = build_index(folder, index_dir)
    assert (summary.updated, summary.unchanged, summary.reused) == (1, 1, 1)  # JSONL kept
    assert body() == "Plan Price\n\nGold $99"


def test_updates_merge_segments_by_tiers_not_whole_index(tmp_path, index_dir):
    """Pins indexer.writer.merge_tiers (a Whoosh merge policy): each update of one post
    adds a small segment; the tenth small one merges the ten, and the large segment of
    the first build is never rewritten by a small update."""
    from whoosh import index as whoosh_index

    from indexer.writer import MERGE_FACTOR
    from search.engine import search

    posts = [{"id": f"p{n}", "title": f"Post {n}", "date": "2020-01-01",
              "body": f"Body of post {n} about pricing."} for n in range(120)]  # fmt: skip
    write_jsonl(tmp_path / "a.jsonl", posts)
    build_index(tmp_path / "a.jsonl", index_dir)

    def segments() -> list:
        ix = whoosh_index.open_dir(str(open_current(index_dir).path))
        return [(s.segment_id(), s.doc_count_all()) for s in ix._segments()]

    (base,) = segments()
    for n in range(MERGE_FACTOR + 2):
        posts[n]["body"] += f" Edited {n}: inventory."
        write_jsonl(tmp_path / "a.jsonl", posts)
        build_index(tmp_path / "a.jsonl", index_dir)
        assert base in segments(), n  # the first build's segment is kept as it was
    found = segments()
    assert len(found) <= 4, found  # the base, the ten merged into one, and two since
    assert search(index_dir, "inventory", per_page=100).total == MERGE_FACTOR + 2
    assert search(index_dir, "pricing", per_page=100).total == 120


def test_a_large_build_is_split_between_writers_and_loses_nothing(tmp_path, index_dir, monkeypatch):
    """A fresh build past PARALLEL_MIN_DOCS is written by forked writers, each from its
    share of the spooled documents: every article is in the index once, with its own
    words, and no spool is left behind."""
    from indexer import writer

    monkeypatch.setattr(writer, "PARALLEL_MIN_DOCS", 10)
    posts = [
        {"id": f"post-{n}", "title": f"Post number {n}", "body": f"Words of post {n}: marker{n}x."}
        for n in range(41)
    ]
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, posts)
    summary = build_index(corpus, index_dir, processes=2)
    assert summary.added == 41 and summary.errors == 0
    ix = open_current(index_dir).open()
    assert len(ix.reader().leaf_readers()) == 2  # one segment a writer
    assert sorted(stored(index_dir)) == sorted(p["id"] for p in posts)
    for n in (0, 1, 20, 40):
        assert find(index_dir, "body_exact", f"marker{n}x") == [f"post-{n}"]
    assert not list(index_dir.glob(".spool-*"))


def test_the_spool_gives_back_documents_in_order_and_by_share(tmp_path):
    from indexer.spool import DocumentSpool

    docs = [{"id": f"d{n}", "body": "x" * n} for n in range(11)]
    with DocumentSpool(tmp_path, 3) as spool:
        for doc in docs:
            spool.add(doc)
        spool.finish_writing()
        assert len(spool) == 11 and list(spool) == docs
        assert [list(spool.share(k)) for k in range(3)] == [docs[k::3] for k in range(3)]
    assert not list(tmp_path.iterdir())  # closed: removed


def test_a_spool_left_by_a_killed_run_is_removed_by_the_next(corpus_dir, index_dir):
    build_index(corpus_dir, index_dir)
    stale = index_dir / ".spool-killed"
    stale.mkdir()
    (stale / "part-0.pickle").write_bytes(b"\x80")
    build_index(corpus_dir, index_dir)
    assert not stale.exists()


def test_places_keep_every_source_shape(tmp_path):
    """A generation's places give back each source as the indexer had it, the plain
    {file, line} ones kept as arrays and any other shape as it was."""
    from indexer.places import Places

    sources = {
        "a": {"file": "posts.jsonl", "line": 1},
        "b": {"file": "feed.xml", "item": 3},
        "c": {"file": "posts.jsonl", "line": 2**40},
        "d": {"file": "pages/x.html", "line": 7, "url": "http://127.0.0.1/x"},
        "é\x00\n": {"file": "posts.jsonl", "line": 0},
        "f": {},
    }
    places = Places.of(sources)
    places.save(tmp_path)
    kept = Places.load(tmp_path)
    assert kept is not None and kept.as_dict() == sources and len(kept) == len(sources)
    assert {i: kept.get(i) for i in sources} == sources
    assert kept.get("missing") is None
    (tmp_path / "places.pickle").write_bytes(b"torn")
    assert Places.load(tmp_path) is None
    # What the indexer read, in order, runs of a JSON Lines file's lines among them.
    from indexer.article import KnownRun

    run = KnownRun("posts.jsonl", ["r1", "r2", "r3"], ["h1", "h2", "h3"], [4, 5, 9])
    other = KnownRun("more.jsonl", ["s1"], ["h4"], [1])
    placed = [*list(sources.items())[:2], run, *list(sources.items())[2:], other]
    runs = {"r1": 4, "r2": 5, "r3": 9}
    both = {**sources, **{i: {"file": "posts.jsonl", "line": n} for i, n in runs.items()},
            "s1": {"file": "more.jsonl", "line": 1}}  # fmt: skip
    made = Places.of_placed(placed)
    assert made.as_dict() == both and made.ids == Places.of(dict(placed_order(placed))).ids
    assert [known.source for known in run] == [both[i] for i in run.ids]  # (iterated: Known)
    # Compared as what they say, whichever way they were read or in whatever order.
    again = Places.of_placed(placed_order(placed)[::-1])
    assert made.same_as(Places.of_placed(placed)) and made.same_as(again)
    moved = KnownRun("posts.jsonl", ["r1", "r2", "r3"], ["h1", "h2", "h3"], [4, 6, 9])
    assert not made.same_as(Places.of_placed([moved if e is run else e for e in placed]))
    assert not made.same_as(Places.of_placed(placed[:-1]))


def placed_order(placed: list) -> list[tuple[str, dict]]:
    """(id, source) of each article of `placed` (pairs and runs), in order."""
    out = []
    for entry in placed:
        out += [(k.id, k.source) for k in entry] if not isinstance(entry, tuple) else [entry]
    return out


def test_a_generation_of_an_older_version_is_read_and_updated(corpus_dir, index_dir):
    """Generations written before 0.8 keep the manifest and the places in rocksearch.json:
    they are read from there, and the next run writes the new layout without touching
    the old generation's files."""
    from search.engine import search

    first = build_index(corpus_dir, index_dir)
    old = index_dir / first.generation
    current = open_current(index_dir)
    meta = dict(current.meta, manifest=current.manifest, sources=current.places.as_dict())
    (old / META_FILE).write_text(json.dumps(meta))
    (old / "manifest.json").unlink()
    (old / "places.pickle").unlink()
    before = {p.name: p.read_bytes() for p in old.iterdir() if p.is_file()}

    reopened = open_current(index_dir)
    assert reopened.manifest == current.manifest and len(reopened.manifest) == 3
    assert reopened.places.get("rock-1") == {"file": "articles.jsonl", "line": 1}
    assert search(index_dir, "rock").hits[0]["source"] == {"file": "articles.jsonl", "line": 1}

    records = [dict(a) for a in ARTICLES]
    records[1]["body"] += " Edited."
    write_jsonl(corpus_dir / "articles.jsonl", records)
    second = build_index(corpus_dir, index_dir)
    assert (second.updated, second.unchanged) == (1, 2)
    new = open_current(index_dir)
    assert sorted(json.loads((new.path / META_FILE).read_text())) == [
        "built_at", "corpus", "positions", "schema_version", "segment_files"]  # fmt: skip
    assert new.manifest.keys() == current.manifest.keys()
    assert new.places.as_dict() == current.places.as_dict()
    assert {p.name: p.read_bytes() for p in old.iterdir() if p.is_file()} == before


def test_an_unchanged_export_is_not_read_again_and_keeps_its_places_and_notes(tmp_path, index_dir):
    """A file of many posts (a WordPress export: places are item numbers, not lines)
    comes back from the read cache whole: the same articles, places and notes."""
    import os
    import time

    from indexer.article import Article
    from tests.exporters import to_wxr

    articles = [Article(id=f"w{n}", title=f"Post {n}", body=f"Text number {n}.",
                        date=f"2020-01-0{n + 1}") for n in range(4)]  # fmt: skip
    folder = tmp_path / "site"
    folder.mkdir()
    export = folder / "export.xml"
    export.write_text(to_wxr(articles).replace("Text number 2.", "x" * 1_000_001), "utf-8")
    note = folder / "note.md"
    note.write_text("---\ntitle: A note\n---\n\nA short note.\n", "utf-8")
    long_ago = time.time() - 3600
    for path in (export, note):
        os.utime(path, (long_ago, long_ago))
    first = build_index(folder, index_dir)
    assert first.documents == 5 and len(first.problems) == 1  # the over-long post, cut
    places = open_current(index_dir).places.as_dict()
    items = sorted(p["item"] for p in places.values() if p["file"] == "export.xml")
    assert items == [1, 2, 3, 4]

    note.write_text("---\ntitle: A note\n---\n\nEdited: franchising.\n", "utf-8")
    os.utime(note, (long_ago + 10, long_ago + 10))
    second = build_index(folder, index_dir)
    assert (second.updated, second.reused) == (1, 4)
    assert [(p.file, p.line, p.message) for p in second.problems] == [
        (p.file, p.line, p.message) for p in first.problems
    ]
    assert open_current(index_dir).places.as_dict() == places
    manifests_agree(folder, index_dir, tmp_path)


def _posting_blocks(reader, field: str, term: bytes) -> list:
    """A term's W3 posting blocks as stored: (block info, data unpickled, last block?)
    each, the data inflated, and the info without its compression level (the fast
    writer leaves small blocks uncompressed: see `_compressed_sizes`)."""
    import io
    import pickle
    import struct
    import zlib

    info = reader.term_info(field, term)
    offset, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length  # Whoosh reads a tuple
    postfile = reader._terms._postfile
    postfile.seek(offset)
    raw = postfile.read(length)
    assert raw[:4] == b"W3Bl"
    blocks, at = [], 4
    while at < len(raw):
        (size,) = struct.unpack("!i", raw[at : at + 4])
        block = raw[at + 4 : at + 4 + abs(size)]
        at += 4 + abs(size)
        stream = io.BytesIO(block)
        head = pickle.load(stream)
        data = block[stream.tell() :]
        data = zlib.decompress(data) if head[3] else data
        _compressed_sizes.append((head[3], len(data)))
        blocks.append((head[:3] + head[4:], pickle.loads(data), size < 0))
    return blocks


_compressed_sizes: list[tuple[int, int]] = []  # (compression level, pickled size) read


def test_the_fast_writer_writes_what_whooshs_own_writer_writes(tmp_path, monkeypatch):
    """Pins indexer.writer.FastSegmentWriter (its posting pool, its length table, its
    W3 postings writer) and indexer.schema.AnalyzedText against Whoosh's own writer
    over the same documents: every term's statistics and posting blocks as stored
    (postings, weights, positions, block headers), every field length and stored
    field the same; also when the pool spills to disk. Whoosh internals they reach
    into: see indexer/writer.py."""
    from whoosh import index as whoosh_index

    from indexer.article import Article
    from indexer.schema import make_schema, to_document
    from indexer.writer import FastPostingPool, FastSegmentWriter

    words = [
        "rock",
        "write",
        "this",
        "on",
        "a",
        "cash",
        "flow",
        "franchise",
        "market",
        "shares",
        "loses",
        "losses",
    ]
    articles = [
        Article(id=f"a{n}", title=" ".join(words[n % 5 : n % 5 + 3]) + f" only{n}",
                maxim="write this on a rock" if n < 256 else f"once {n}",
                body=" ".join(words[(n * k) % len(words)] for k in range(40 + n))
                + f" single{n} sole{n // 2}",
                categories=["Money"], tags=[f"t{n % 3}"], date=f"2021-0{n % 9 + 1}-01")
        # 300 documents: three blocks of postings; a maxim in 256: two, the last full;
        # words in one document of each field, and in a few (their postings inlined in
        # their term infos by the fast writer: indexer.writer._inlined)
        for n in range(300)
    ]  # fmt: skip

    inlined = []

    def written(folder, writer_of):
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        writer = writer_of(ix)
        for article in articles:
            writer.add_document(**to_document(article, "h"))
        writer.commit()
        out = {}
        with ix.reader() as reader:
            for field, term in reader.all_terms():
                info = reader.term_info(field, term)
                out[(field, term, "info")] = (info.weight(), info.doc_frequency(),
                    info.min_length(), info.max_length(), info.max_weight(),
                    info.min_id(), info.max_id())  # fmt: skip
                if info.doc_frequency() >= INLINE_BELOW:
                    out[(field, term, "blocks")] = _posting_blocks(reader, field, term)
                else:  # (the fast writer's are inlined in the term info: `_inlined`)
                    inlined.append((folder.name, info.is_inlined()))
                postings = reader.postings(field, term)
                out[(field, term)] = list(postings.items_as("weight"))
                if reader.schema[field].format.supports("positions"):
                    postings = reader.postings(field, term)
                    out[(field, term, "p")] = list(postings.items_as("positions"))
            for field in reader.schema.scorable_names():
                out[("length", field)] = [reader.doc_field_length(d, field) for d in range(300)]
            out["stored"] = list(reader.all_stored_fields())
        return out

    pools = []

    def fast_writer(ix):
        pools.append((writer := FastSegmentWriter(ix)).pool)
        return writer

    saved = []

    def spilling_writer(ix):
        writer = FastSegmentWriter(ix)
        pool = writer.pool
        pool.limit = 400_000  # bytes: a few runs on disk, merged when written
        save = pool.save
        pool.save = lambda: (saved.append(len(pool.runs)), save())
        pools.append(pool)
        return writer

    import indexer.writer
    from indexer.writer import COMPRESS_FROM, INLINE_BELOW

    _compressed_sizes.clear()
    fast = written(tmp_path / "fast", fast_writer)
    # small blocks stored as they are, the others compressed as Whoosh does (level 3)
    assert {(level, size >= COMPRESS_FROM) for level, size in _compressed_sizes} == {
        (0, False),
        (3, True),
    }
    monkeypatch.setattr(indexer.writer, "MAX_OPEN_RUNS", 2)  # runs merged two by two first
    spilled = written(tmp_path / "spilled", spilling_writer)
    assert [type(p) for p in pools] == [FastPostingPool, FastPostingPool]
    assert len(saved) > 2
    whoosh = written(tmp_path / "whoosh", lambda ix: ix.writer())
    assert fast == whoosh
    assert spilled == whoosh
    assert len(fast) > 100 and any(len(v) > 1 for v in fast.values())
    assert any(len(blocks) > 1 for key, blocks in fast.items() if key[-1] == "blocks")
    # The same postings, statistics and positions where the fast writer inlines them and
    # Whoosh's writes a block (it cannot inline: see indexer.writer._inlined).
    assert set(inlined) == {("fast", True), ("spilled", True), ("whoosh", False)}
    assert sum(1 for name, _ in inlined if name == "fast") > 300


def test_corpus_files_are_what_a_sorted_rglob_gives(tmp_path):
    """indexer.sources.corpus_files walks with os.scandir: the same files, names and
    order as the sorted Path.rglob it replaced, hidden files and folders left out,
    symbolic links listed (to a file, to a folder, to nothing) and not followed."""
    from indexer.sources import corpus_files

    root = tmp_path / "site"
    for name in ["b.md", "a/z.md", "a/b/c.md", "a-b.md", "a.md", "A.md", "10.md", "9.md",
                 ".hidden.md", ".git/config", "x/.cache/y.md", "x/ok.md", "é.md"]:  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("---\ntitle: T\n---\n\nText.\n", "utf-8")
    (root / "link.md").symlink_to(root / "b.md")
    (root / "folder-link").symlink_to(root / "a")
    (root / "nowhere.md").symlink_to(root / "missing.md")

    old = sorted(p for p in root.rglob("*") if (p.is_file() or p.is_symlink())
                 and not any(x.startswith(".") for x in p.relative_to(root).parts))  # fmt: skip
    assert corpus_files(root) == [(str(p), p.relative_to(root).as_posix()) for p in old]
    assert [name for _, name in corpus_files(root)][:3] == ["10.md", "9.md", "A.md"]
    assert "folder-link" in [name for _, name in corpus_files(root)]
    assert corpus_files(root / "b.md") == [(str(root / "b.md"), "b.md")]


def test_links_in_a_loop_and_pipes_in_the_corpus_cost_only_themselves(tmp_path, index_dir):
    """Two links that point at each other, a pipe, a link to a pipe, one to a device and
    one to a folder are each named as a problem, and the run indexes the rest. Before,
    the loop stopped the whole run with a traceback (ELOOP while listing), and a link to
    a pipe waited for a writer for ever. A corpus that is itself a pipe is one sentence."""
    import os

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(json.dumps({"id": "a", "title": "One", "body": "Text."}))
    (corpus / "loop1").symlink_to(corpus / "loop2")
    (corpus / "loop2").symlink_to(corpus / "loop1")
    os.mkfifo(tmp_path / "pipe.jsonl")
    os.mkfifo(corpus / "pipe-here.jsonl")  # (it was left out without a word)
    (corpus / "to-pipe.jsonl").symlink_to(tmp_path / "pipe.jsonl")
    (corpus / "zero.jsonl").symlink_to("/dev/zero")
    (corpus / "back").symlink_to(corpus)  # (said to be a pipe, a socket or a device)
    summary = build_index(corpus, index_dir)
    assert (summary.added, summary.documents) == (1, 1)
    assert sorted(str(p) for p in summary.problems) == [
        "back: is a link to a folder, which is not followed (give the folder itself); skipped",
        "loop1: cannot be read: Too many levels of symbolic links",
        "loop2: cannot be read: Too many levels of symbolic links",
        "pipe-here.jsonl: is not a regular file (a pipe, a socket or a device); skipped",
        "to-pipe.jsonl: is not a regular file (a pipe, a socket or a device); skipped",
        "zero.jsonl: is not a regular file (a pipe, a socket or a device); skipped",
    ]
    with pytest.raises(CorpusNotFound, match="is neither a file nor a folder"):
        build_index(tmp_path / "pipe.jsonl", tmp_path / "other")


def test_a_file_whose_name_is_not_utf8_is_indexed_and_its_posts_served(tmp_path, index_dir):
    """A name's bytes that are not UTF-8 reached every post's place as a lone surrogate:
    the API answered 500 to any search that found such a post (its JSON cannot hold
    one). The name is now kept with those bytes written as \\xff."""
    import os

    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = os.fsdecode(b"caf\xe9-posts.jsonl")  # (Latin-1 bytes, as an old archive has)
    (corpus / name).write_text(
        json.dumps({"id": "z", "title": "Zanzibar", "body": "Zanzibar spice."}) + "\n{broken\n"
    )
    summary = build_index(corpus, index_dir)
    assert summary.added == 1
    assert [str(p) for p in summary.problems][0].startswith("caf\\xe9-posts.jsonl:2: ")
    assert build_index(corpus, index_dir).unchanged == 1  # (the same name each run)
    client = create_app({"index": str(index_dir), "TESTING": True}).test_client()
    answer = client.get("/api/search", query_string={"q": "zanzibar"})
    assert answer.status_code == 200
    assert answer.get_json()["hits"][0]["source"] == {"file": "caf\\xe9-posts.jsonl", "line": 1}
    assert client.get("/search", query_string={"q": "zanzibar"}).status_code == 200


def test_what_a_run_with_nothing_changed_read_is_not_read_again(tmp_path, index_dir, monkeypatch):
    """A corpus file touched (or a read cache of an older version) is read again once:
    the run finds nothing changed and publishes nothing, but keeps what it read, so the
    next run does not open the file."""
    import os
    import time

    import indexer.sources

    opened, read_file = [], indexer.sources.read_file

    def counted(file, *args, **kwargs):
        opened.append(file.name)
        return read_file(file, *args, **kwargs)

    monkeypatch.setattr(indexer.sources, "read_file", counted)
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}."}
               for n in range(6)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    long_ago = time.time() - 3600
    os.utime(corpus, (long_ago, long_ago))
    first = build_index(corpus, index_dir)
    assert first.added == 6 and opened == ["a.jsonl"]
    build_index(corpus, index_dir)
    assert opened == ["a.jsonl"]  # unchanged since recorded: not opened
    os.utime(corpus, (long_ago + 60, long_ago + 60))  # touched: the same bytes
    touched = build_index(corpus, index_dir)
    assert (touched.unchanged, touched.generation) == (6, first.generation)
    assert opened == ["a.jsonl", "a.jsonl"]  # read again (no line parsed: reused)
    again = build_index(corpus, index_dir)
    assert (again.unchanged, again.reused, again.generation) == (6, 6, first.generation)
    assert opened == ["a.jsonl", "a.jsonl"]  # and not again


def test_the_fast_writer_merges_segments_as_whooshs_own_writer_does(tmp_path):
    """An update that merges segments (indexer.writer.merge_tiers) gives the pool a
    segment's postings through Whoosh's add_reader, as bytes, beside the new documents'
    own (FastPostingPool.add_field, as strings): the merged segment holds what Whoosh's
    own writer makes of the same two commits."""
    from whoosh import index as whoosh_index
    from whoosh.reading import SegmentReader

    from indexer.article import Article
    from indexer.schema import make_schema, to_document
    from indexer.writer import FastSegmentWriter

    words = ["rock", "cash", "flow", "market"]
    articles = [
        Article(id=f"a{n}", title=f"rock cash {n % 7}", maxim="write this on a rock",
                body=" ".join(words[k % 4] + str(k % (n + 2)) for k in range(30 + n)),
                categories=["Money"], tags=["t"], date="2021-01-01")
        for n in range(60)
    ]  # fmt: skip

    def merge_all(writer, segments):
        for segment in segments:
            with SegmentReader(writer.storage, writer.schema, segment) as reader:
                writer.add_reader(reader)
        return []

    def written(folder, writer_of):
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        for part, merge in ((articles[:30], None), (articles[30:], merge_all)):
            writer = writer_of(ix)
            for article in part:
                writer.add_document(**to_document(article, "h"))
            writer.commit(**({"mergetype": merge} if merge else {}))
        out = {}
        with ix.reader() as reader:
            assert len(list(reader.leaf_readers())) == 1
            for field, term in reader.all_terms():
                out[(field, term)] = list(reader.postings(field, term).items_as("weight"))
                if reader.schema[field].format.supports("positions"):
                    positions = reader.postings(field, term).items_as("positions")
                    out[(field, term, "p")] = list(positions)
            out["stored"] = list(reader.all_stored_fields())
        return out

    fast = written(tmp_path / "fast", FastSegmentWriter)
    assert fast == written(tmp_path / "whoosh", lambda ix: ix.writer())
    assert len(fast) > 100


def test_block_digests_find_the_unchanged_start_and_end_without_overlap():
    from indexer.file_blocks import BLOCK, Blocks

    old = bytes(range(256)) * (BLOCK // 256) * 6  # six blocks, each like the others
    assert Blocks.of(old).unchanged(Blocks.of(old)) == (6 * BLOCK, 0)
    edited = old[: 2 * BLOCK + 5] + b"x" + old[2 * BLOCK + 6 :]
    assert Blocks.of(old).unchanged(Blocks.of(edited)) == (2 * BLOCK, 3 * BLOCK)
    # Two blocks cut out: what is equal from each end never covers a byte twice.
    shorter = old[: 4 * BLOCK]
    prefix, suffix = Blocks.of(old).unchanged(Blocks.of(shorter))
    assert prefix == 4 * BLOCK and suffix == 0
    longer = old + b"tail"
    assert Blocks.of(old).unchanged(Blocks.of(longer)) == (6 * BLOCK, 0)


@pytest.mark.parametrize("blocks, extra", [(0, 0), (0, 5), (1, 0), (3, 17), (64, 0), (64, 5),
                                           (130, 77)])  # fmt: skip
def test_block_digests_of_an_open_file_a_chunk_at_a_time_are_those_of_its_bytes(
    tmp_path, blocks, extra
):
    """Blocks.of_file reads the file once through one 4 MB buffer (chunks of 64 blocks:
    64 and 130 blocks cross chunks, and with bytes over a whole block the blocks counted
    from the end start in one chunk and end in the next); its digests are those of the
    bytes read at once."""
    import random

    from indexer.file_blocks import BLOCK, Blocks

    data = random.Random(blocks).randbytes(blocks * BLOCK + extra)
    (tmp_path / "f").write_bytes(data)
    with open(tmp_path / "f", "rb") as handle:
        assert Blocks.of_file(handle, len(data)) == Blocks.of(data)
        with pytest.raises(OSError):  # shorter than said: being rewritten
            Blocks.of_file(handle, len(data) + BLOCK)


def test_rewritten_jsonl_files_read_as_a_fresh_build_reads_them(tmp_path, index_dir, monkeypatch):
    """Random rewrites of a JSON Lines file (lines edited, inserted, deleted, moved, made
    bad, blank lines, CRLF endings, a byte order mark come and gone, posts without ids,
    the file cut short, lines copied: ids seen twice), each indexed over the last: the
    index, its places and the problems reported are a fresh build's every time, whatever
    the unchanged start and end let the reader skip (handed on whole, as a KnownRun, when
    they have no notes, no problems and no id seen before)."""
    import random

    import indexer.build
    from indexer import file_blocks
    from indexer.article import KnownRun

    monkeypatch.setattr(file_blocks, "BLOCK", 256)
    runs = []

    def counting(*args, **kwargs):
        for item in read_corpus(*args, **kwargs):
            runs.append(item.__class__ is KnownRun)
            yield item

    read_corpus = indexer.build.read_corpus
    monkeypatch.setattr(indexer.build, "read_corpus", counting)
    rng = random.Random(2026)
    words = [
        "cash",
        "flow",
        "pricing",
        "customer",
        "rock",
        "maxim",
        "write",
        "plan",
        "growth",
        "margin",
    ]

    def record(n: int) -> str:
        body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 40)))
        post = {"title": f"Post {n} {rng.choice(words)}", "body": body}
        if rng.random() < 0.8:
            post["id"] = f"p{n}"
        if rng.random() < 0.1:
            post["date"] = "someday"  # a note: indexed without a date
        return json.dumps(post)

    lines = [record(n) for n in range(60)]
    corpus = tmp_path / "a.jsonl"
    counter = [60]
    for step in range(30):
        for _ in range(rng.randint(1, 3)):
            actions = ["edit", "insert", "delete", "move", "bad", "blank", "crlf", "copy"]
            action = rng.choice(actions)
            at = rng.randrange(len(lines))
            if action == "edit":
                lines[at] = record(counter[0])
                counter[0] += 1
            elif action == "insert":
                lines.insert(at, record(counter[0]))
                counter[0] += 1
            elif action == "delete" and len(lines) > 5:
                del lines[at]
            elif action == "move":
                lines.insert(rng.randrange(len(lines)), lines.pop(at))
            elif action == "bad":
                lines[at] = lines[at][: len(lines[at]) // 2]  # cut mid-record: not JSON
            elif action == "blank":
                lines.insert(at, "   ")
            elif action == "copy":
                lines.insert(rng.randrange(len(lines)), lines[at])
            else:
                lines[at] = lines[at] + "\r"
        data = "\n".join(lines) + ("\n" if step % 4 else "")
        if step % 7 in (2, 3):
            data = "\ufeff" + data  # a byte order mark, now and then
        if step == 17:
            data = data[: len(data) // 2]  # the file cut short, mid-line
            lines = data.split("\n")
        corpus.write_text(data, "utf-8")
        summary = build_index(corpus, index_dir)
        fresh = build_index(corpus, tmp_path / f"fresh{step}", rebuild=True)
        assert [str(p) for p in summary.problems] == [str(p) for p in fresh.problems], step
        assert open_current(index_dir).manifest == open_current(tmp_path / f"fresh{step}").manifest
        assert (
            open_current(index_dir).places.as_dict()
            == open_current(tmp_path / f"fresh{step}").places.as_dict()
        ), step
    assert any(runs)  # (starts and ends were handed on whole)


def test_a_folder_of_files_kept_moved_and_touched_reads_as_a_fresh_build(tmp_path, monkeypatch):
    """Random folders of JSON Lines files (bad lines, ids in two files, notes), then
    runs over each other with nothing changed, a file touched, edited, renamed, deleted
    or added: after each run the index, its places and the problems reported are a fresh
    build's, whether a file unchanged came back from the read cache as one run of
    columns or item by item."""
    import os
    import random
    import time

    from indexer import read_cache

    whole = []
    items = read_cache._Packed.items

    def counted(packed, name):
        found = items(packed, name)
        whole.append(len(found) == 1 and found[0].__class__ is KnownRun)
        return found

    monkeypatch.setattr(read_cache._Packed, "items", counted)
    rng = random.Random(28)
    words = ["cash", "flow", "pricing", "customer", "rock", "maxim", "write", "plan"]

    def post(n: int) -> str:
        record = {"id": f"p{n}", "title": " ".join(rng.choices(words, k=3)),
                  "body": " ".join(rng.choices(words, k=12))}  # fmt: skip
        if rng.random() < 0.1:
            record["date"] = "someday"  # a note: indexed without a date
        return json.dumps(record)

    def write(path: Path, lines: list[str]) -> None:
        path.write_text("".join(line + "\n" for line in lines), "utf-8")
        past = time.time() - rng.randint(10, 10_000)  # (not racily clean)
        os.utime(path, (past, past))

    for trial in range(5):
        corpus, index_dir = tmp_path / f"c{trial}", tmp_path / f"ix{trial}"
        corpus.mkdir()
        files: dict[str, list[str]] = {}
        count = 0
        for f in range(rng.randint(2, 4)):
            lines = []
            for _ in range(rng.randint(1, 8)):
                if rng.random() < 0.1:
                    lines.append("{bad json")
                elif rng.random() < 0.15 and count:
                    lines.append(post(rng.randrange(count)))  # an id another line has
                else:
                    lines.append(post(count))
                    count += 1
            files[f"f{f}.jsonl"] = lines
            write(corpus / f"f{f}.jsonl", lines)
        build_index(corpus, index_dir)
        for step in range(6):
            action = rng.choice(["none", "none", "touch", "edit", "rename", "delete", "add"])
            name = rng.choice(sorted(files))
            if action == "touch":
                past = time.time() - rng.randint(10, 1000)
                os.utime(corpus / name, (past, past))
            elif action == "edit":
                files[name][rng.randrange(len(files[name]))] = post(rng.randrange(count + 1))
                write(corpus / name, files[name])
            elif action == "rename" and f"r{step}.jsonl" not in files:
                (corpus / name).rename(corpus / f"r{step}.jsonl")
                files[f"r{step}.jsonl"] = files.pop(name)
            elif action == "delete" and len(files) > 1:
                (corpus / name).unlink()
                del files[name]
            elif action == "add":
                files[f"a{step}.jsonl"] = [post(count + n) for n in range(3)]
                count += 3
                write(corpus / f"a{step}.jsonl", files[f"a{step}.jsonl"])
            summary = build_index(corpus, index_dir)
            fresh_dir = tmp_path / f"fresh{trial}-{step}"
            fresh = build_index(corpus, fresh_dir)
            where = (trial, step, action)
            assert [str(p) for p in summary.problems] == [str(p) for p in fresh.problems], where
            kept, made = open_current(index_dir), open_current(fresh_dir)
            assert kept.manifest == made.manifest, where
            assert kept.places.as_dict() == made.places.as_dict(), where
    assert any(whole) and not all(whole)  # (both ways were taken)


def test_a_renamed_jsonl_file_is_not_parsed_again(tmp_path, index_dir, monkeypatch):
    """A JSON Lines corpus moved or renamed (and edited) is matched to the file the last
    run read by its bytes: its unchanged lines are not parsed again, and the index, the
    places and the problems (named by the new file) are a fresh build's. Posts without an
    id of their own take one made from the file's name: those are read again."""
    from indexer import file_blocks

    monkeypatch.setattr(file_blocks, "BLOCK", 512)
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}. " * 12}
               for n in range(80)]  # fmt: skip
    lines = [json.dumps(r) for r in records]
    lines.insert(70, "{not json")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    build_index(tmp_path / "old" / "a.jsonl", index_dir)
    lines[40] = json.dumps(dict(records[40], body="Edited: franchising."))
    (tmp_path / "new").mkdir()
    corpus = tmp_path / "new" / "posts.jsonl"
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "old" / "a.jsonl").unlink()
    summary, parsed = build_counting_parses(monkeypatch, corpus, index_dir)
    assert (summary.updated, summary.added, summary.deleted) == (1, 0, 0)
    assert len(parsed) < 15 and summary.reused >= 65, (len(parsed), summary.reused)
    assert [str(p) for p in summary.problems] == [
        "posts.jsonl:71: is not valid JSON (Expecting property name enclosed in double "
        "quotes at column 2)"
    ]
    assert find(index_dir, "body", "franchis") == ["p40"]
    manifests_agree(corpus, index_dir, tmp_path)

    # Without ids of their own, posts are given ids made from the file's name.
    for record in records:
        del record["id"]
    write_jsonl(corpus, records)
    build_index(corpus, index_dir)
    renamed = write_jsonl(tmp_path / "new" / "renamed.jsonl", records)
    corpus.unlink()
    moved = build_index(renamed, index_dir)
    assert moved.reused == 0 and moved.added == len(records)
    manifests_agree(renamed, index_dir, tmp_path)


@pytest.mark.parametrize("version", [7, 8])
def test_the_read_cache_of_the_version_before_is_read(tmp_path, index_dir, monkeypatch, version):
    """The first run after an upgrade from read cache version 7 (no spans, no block
    digests) or 8 (ids and hashes as lists) still finds the unchanged lines by their
    digests, rather than parsing every line again; what it records is this version's."""
    import pickle

    from indexer import read_cache

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text number {n}."}
               for n in range(30)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    build_index(corpus, index_dir)
    path = open_current(index_dir).path / read_cache.CACHE_FILE
    data = pickle.loads(path.read_bytes())

    def older(self) -> tuple:  # the record as version 7 or 8 pickled it
        more = (self.spans, self.blocks) if version == 8 else ()
        return (self.size, self.mtime_ns, self.recorded_at, self.kinds, self.ids, self.hashes,
                self.lines, self.digests, self.sources or None, self.notes or None,
                self.errors or None, *more)  # fmt: skip

    monkeypatch.setattr(read_cache._Packed, "__getstate__", older)
    key = data["key"].replace(f"({read_cache.CACHE_VERSION},", f"({version},", 1)
    path.write_bytes(pickle.dumps({"key": key, "files": data["files"]}))
    monkeypatch.undo()
    assert f"({version}," in key
    records[12]["body"] = "Edited: franchising."
    write_jsonl(corpus, records)
    summary = build_index(corpus, index_dir)
    assert (summary.updated, summary.reused) == (1, 29)
    assert find(index_dir, "body", "franchis") == ["p12"]
    saved = pickle.loads((open_current(index_dir).path / read_cache.CACHE_FILE).read_bytes())
    assert saved["key"] == data["key"] and saved["files"]["a.jsonl"].blocks is not None


@pytest.mark.parametrize(
    "again, problem",
    [(3, "b.jsonl:10: duplicate id 'p3' (first at b.jsonl:3); skipped"),
     (0, "b.jsonl:10: duplicate id 'p0' (first at a.jsonl:1); skipped")],
)  # fmt: skip
def test_ids_seen_twice_in_the_unchanged_part_of_an_edited_jsonl_file_are_still_reported(
    tmp_path, index_dir, monkeypatch, again, problem
):
    """The unchanged start of an edited JSON Lines file is handed on whole (a KnownRun)
    only when none of its ids was seen before, in it or in an earlier file: else each
    duplicate is reported as a fresh build reports it."""
    from indexer import file_blocks

    monkeypatch.setattr(file_blocks, "BLOCK", 256)  # (blocks smaller than the file)
    body = "cash flow pricing customer " * 60
    posts = [{"id": f"p{n}", "title": f"Post {n}", "body": f"{body} {n}"} for n in range(30)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", [posts[0]])  # (read before b.jsonl)
    # A post of b (p3) or of a (p0) again in b's start, which the edit leaves as it was.
    second = posts[1:10] + [posts[again]] + posts[10:]
    write_jsonl(corpus / "b.jsonl", second)
    build_index(corpus, index_dir)
    second[-1] = {**second[-1], "body": body + " edited"}
    write_jsonl(corpus / "b.jsonl", second)
    summary = build_index(corpus, index_dir)
    fresh = build_index(corpus, tmp_path / "fresh", rebuild=True)
    assert summary.reused > 0 and summary.updated == 1
    assert [str(p) for p in summary.problems] == [str(p) for p in fresh.problems] == [problem]
    assert open_current(index_dir).manifest == open_current(tmp_path / "fresh").manifest


def test_a_corpus_file_written_while_it_is_read_publishes_nothing(corpus_dir, index_dir, capsys):
    """A file that changed between its reading and the publishing (a writer part-way
    through it: a JSON Lines corpus rewritten in place, read half-written, lost most of
    its posts and had them added back by the next run) publishes nothing when the run
    would delete posts: the run says so, `index --watch` goes on watching, and the next
    run publishes what the file holds. Posts appended meanwhile are no reason to refuse
    (the next run reads them), and a first build publishes what it read; both say to
    run again."""
    import indexer.build
    from indexer.store import CorpusChanged, generation_names, read_pointer
    from rocksearch_cli import _index_watched, make_parser
    from search import prepare

    file = corpus_dir / "articles.jsonl"
    records = [dict(r) for r in ARTICLES]
    late = {"id": "late-9", "title": "Late", "body": "Written on."}

    def appending(generation=None):  # a writer adding a post meanwhile
        with open(file, "a", encoding="utf-8") as f:
            f.write(json.dumps(late) + "\n")

    def completing(generation=None):  # a writer finishing the file it was rewriting
        write_jsonl(file, records)

    first = build_index(corpus_dir, index_dir, before_publish=appending)
    assert first.generation and "changed while it was read" in first.notes[-1]
    write_jsonl(file, records)
    build_index(corpus_dir, index_dir)
    published = read_pointer(index_dir)
    records[1]["body"] += " Edited while the rest was written."
    write_jsonl(file, records[:2])  # (as read: the rewrite cut before the third post)
    with pytest.raises(CorpusChanged, match="articles.jsonl changed while it was read"):
        build_index(corpus_dir, index_dir, before_publish=completing)
    assert read_pointer(index_dir) == published  # nothing published
    assert generation_names(index_dir)[-1] == published  # and nothing left behind
    assert "Edited" not in json.dumps(stored(index_dir))
    # Changed as soon as it was read: refused before anything is written.
    real_read = indexer.build.read_corpus

    def read_then_completed(*args, **kwargs):
        yield from real_read(*args, **kwargs)
        completing()

    prepared: list = []
    write_jsonl(file, records[:2])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexer.build, "read_corpus", read_then_completed)
        with pytest.raises(CorpusChanged):
            build_index(corpus_dir, index_dir, before_publish=prepared.append)
    assert prepared == [] and read_pointer(index_dir) == published
    # `index --watch` says it and goes on; its next run publishes the file as it is.
    write_jsonl(file, records[:2])
    real = prepare.prepare_generation

    def meanwhile(generation):
        completing()
        return real(generation)

    args = make_parser().parse_args(["--index", str(index_dir), "index", "--corpus", str(file)])
    settings = {"index": str(index_dir), "corpus": str(file)}
    prepare.prepare_generation = meanwhile
    try:
        assert _index_watched(args, settings) == 2
    finally:
        prepare.prepare_generation = real
    assert "nothing was published" in capsys.readouterr().err
    assert read_pointer(index_dir) == published
    summary = build_index(corpus_dir, index_dir)
    assert summary.updated == 1 and summary.deleted == 0 and read_pointer(index_dir) != published
    assert sorted(stored(index_dir)) == ["cash-2", "rock-1", "undated-3"]
    # A post appended meanwhile, none deleted: published, said, and read by the next run.
    records[0]["body"] += " Edited too."
    write_jsonl(file, records)
    appended = build_index(corpus_dir, index_dir, before_publish=appending)
    assert appended.updated == 1 and "changed while it was read" in appended.notes[-1]
    assert build_index(corpus_dir, index_dir).added == 1
    assert sorted(stored(index_dir)) == ["cash-2", "late-9", "rock-1", "undated-3"]


def test_most_posts_gone_at_once_waits_for_the_file_to_hold_still(tmp_path, index_dir, monkeypatch):
    """A file read while its writer stalled looks like most of its posts deleted: such a
    run gives the files a few seconds more and publishes nothing if one changed (the
    writer went on); a real mass deletion, whose files hold still, is published."""
    import indexer.build
    from indexer.store import CorpusChanged, read_pointer

    monkeypatch.setattr(indexer.build, "MASS_LEAST", 3)
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text {n}."} for n in range(20)]
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    build_index(corpus, index_dir)
    published = read_pointer(index_dir)
    waits: list[float] = []
    # (time.sleep is patched for every thread: another test's analytics flusher, still
    # running in this process, sleeps too, and is left to sleep for real.)
    real_sleep, builder = time.sleep, threading.current_thread()

    def waiting(then=None):
        def sleep(seconds: float) -> None:
            if threading.current_thread() is not builder:
                return real_sleep(seconds)
            waits.append(seconds)
            if then:
                then()

        return sleep

    def writer_goes_on() -> None:  # the rest written during the wait
        write_jsonl(corpus, records)

    write_jsonl(corpus, records[:8])  # (as read: 12 of 20 gone)
    monkeypatch.setattr(indexer.build.time, "sleep", waiting(writer_goes_on))
    prepared: list = []  # (refused before the minutes of writing and grouping)
    with pytest.raises(CorpusChanged):
        build_index(corpus, index_dir, before_publish=prepared.append)
    assert waits == [indexer.build.HOLD_SECONDS] and read_pointer(index_dir) == published
    assert prepared == []
    write_jsonl(corpus, records[:8])  # a real deletion: nothing writes during the wait
    monkeypatch.setattr(indexer.build.time, "sleep", waiting())
    summary = build_index(corpus, index_dir)
    assert summary.deleted == 12 and len(waits) == 2 and read_pointer(index_dir) != published
    write_jsonl(corpus, records[:7])  # one deleted: no wait
    assert build_index(corpus, index_dir).deleted == 1 and len(waits) == 2


def test_a_read_cache_record_keeps_its_ids_and_hashes_as_they_were():
    """A record's ids and hashes are pickled each as one string (0.06 s less of a
    one-post update at 100k): read back as the lists they were, also with no item, or
    with an id that has a line break (then kept as a list)."""
    import pickle

    from indexer.article import Known
    from indexer.read_cache import _Packed

    for ids in ([], ["a"], ["a", "b", ""], ["x\ny", "z"]):
        items = [Known(i, f"h{n}", {"file": "f", "line": n + 1}, ()) for n, i in enumerate(ids)]
        packed = _Packed("f", None, items, {})
        again = pickle.loads(pickle.dumps(packed))
        assert (again.ids, again.hashes) == (ids, [f"h{n}" for n in range(len(ids))])
        assert list(_each(again.items("f"))) == list(_each(packed.items("f"))) == items


def test_an_unchanged_json_lines_file_comes_back_as_one_run(tmp_path):
    """A JSON Lines file unchanged since it was read, with no note and no problem, comes
    back from the read cache as one run of columns (a KnownRun), not an object a post;
    one with a problem line comes back item by item, its problem reported again."""
    import os
    import time

    from indexer.article import Known, SourceError
    from indexer.importers import ImportOptions
    from indexer.read_cache import ReadCache
    from indexer.sources import read_corpus

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Text {n}."} for n in range(5)]
    folder, kept = tmp_path / "corpus", tmp_path / "generation"
    folder.mkdir()
    kept.mkdir()
    corpus = write_jsonl(folder / "a.jsonl", records)
    bad = folder / "b.jsonl"
    bad.write_text(json.dumps(records[0] | {"id": "q"}) + "\n{not json\n", "utf-8")
    for path in (corpus, bad):
        os.utime(path, (time.time() - 3600,) * 2)  # (not racily clean)
    first = ReadCache(ImportOptions())
    read = list(read_corpus(folder, cache=first))
    manifest = {i.id: i.content_hash() for i in read if not isinstance(i, SourceError)}
    first.save(kept)
    cache = ReadCache.load(kept, ImportOptions(), manifest)
    again = list(read_corpus(folder, cache=cache))
    runs = [i for i in again if i.__class__ is KnownRun]
    assert len(runs) == 1 and runs[0].file == "a.jsonl" and runs[0].lines == [1, 2, 3, 4, 5]
    assert runs[0].ids == [f"p{n}" for n in range(5)]
    assert runs[0].hashes == [manifest[f"p{n}"] for n in range(5)]
    rest = [i for i in again if i.__class__ is not KnownRun]
    assert [i.__class__ for i in rest] == [Known, SourceError] and rest[0].id == "q"
    assert rest[1].file == "b.jsonl" and rest[1].line == 2


def _each(items):
    """Items as Known one by one (a KnownRun's articles, each)."""
    for item in items:
        yield from item if item.__class__ is KnownRun else (item,)


def test_a_scheduled_markdown_post_is_indexed_on_its_day_though_its_file_is_unchanged(
    tmp_path, index_dir, monkeypatch
):
    """A post dated in the future is not published yet (Hugo and Jekyll leave it out until
    its day): it was indexed at once. Now it is left out, and its file is not remembered
    as read, so the first run on its day indexes it, though the file did not change."""
    import indexer.importers.markdown as markdown

    corpus = tmp_path / "content"
    corpus.mkdir()
    (corpus / "now.md").write_text("---\ntitle: Out now\ndate: 2026-01-05\n---\nPublished.\n")
    (corpus / "soon.md").write_text(
        "---\ntitle: Coming soon\ndate: 2026-01-01\npublishDate: 2026-03-01\n---\nScheduled.\n"
    )
    monkeypatch.setattr(markdown, "today", lambda: "2026-02-01")
    first = build_index(corpus, index_dir)
    assert (first.added, first.documents, first.problems) == (1, 1, [])
    again = build_index(corpus, index_dir)
    assert (again.added, again.unchanged) == (0, 1)
    monkeypatch.setattr(markdown, "today", lambda: "2026-03-01")
    on_the_day = build_index(corpus, index_dir)
    assert (on_the_day.added, on_the_day.documents) == (1, 2)
    with open_current(index_dir).open().searcher() as searcher:
        titles = sorted(fields["title"] for fields in searcher.all_stored_fields())
    assert titles == ["Coming soon", "Out now"]


def test_an_expiring_markdown_post_leaves_the_index_on_its_day_though_its_file_is_unchanged(
    tmp_path, index_dir, monkeypatch
):
    """Hugo leaves a post out of the site from its `expiryDate` (or `unpublishdate`, any
    case): one already expired was indexed, and one expiring stayed in the index. Now the
    first is left out, and the second's file is read again every run, so it leaves on
    its day."""
    import indexer.importers.markdown as markdown

    corpus = tmp_path / "content"
    corpus.mkdir()
    (corpus / "sale.md").write_text(
        "---\ntitle: Winter sale\ndate: 2026-01-05\nexpiryDate: 2026-03-01\n---\nHalf off.\n"
    )
    (corpus / "old.md").write_text(
        "+++\ntitle = 'Old offer'\ndate = 2025-01-05\nUnpublishDate = 2025-06-01\n+++\nGone.\n"
    )
    monkeypatch.setattr(markdown, "today", lambda: "2026-02-01")
    first = build_index(corpus, index_dir)
    assert (first.added, first.documents, first.problems) == (1, 1, [])
    assert [h["title"] for h in search(index_dir, "sale").hits] == ["Winter sale"]
    again = build_index(corpus, index_dir)
    assert (again.added, again.deleted, again.documents) == (0, 0, 1)
    monkeypatch.setattr(markdown, "today", lambda: "2026-03-01")
    on_the_day = build_index(corpus, index_dir)
    assert (on_the_day.deleted, on_the_day.documents) == (1, 0)
    assert search(get_state(index_dir, wait=True), "sale").hits == []


def test_a_scheduled_wordpress_post_is_indexed_once_its_time_has_come(tmp_path, index_dir,
                                                                      monkeypatch):  # fmt: skip
    """A WordPress export made before a scheduled post's time holds it as `future`;
    WordPress publishes it at that time, and it was never indexed. It is indexed once
    its time has come (its GMT time, else the day after its local day), and until then
    its file is read again by every run, though it did not change."""
    from datetime import UTC, datetime

    import indexer.importers.wxr as wxr
    from indexer.article import Article
    from tests.exporters import to_wxr

    posts = [Article(id="a", title="Spring sale", body="Half off.", date="2026-03-01"),
             Article(id="b", title="Summer sale", body="A third off.", date="2026-06-01"),
             Article(id="c", title="Winter sale", body="All off.", date="2026-01-05")]  # fmt: skip
    export = to_wxr(posts).replace("<![CDATA[publish]]>", "<![CDATA[future]]>", 2)
    # (the summer sale's GMT time not set, as some WordPress versions leave it)
    export = export.replace(
        "<wp:post_date_gmt><![CDATA[2026-06-01 10:00:00]]></wp:post_date_gmt>",
        "<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>"
        "<wp:post_date><![CDATA[2026-06-01 10:00:00]]></wp:post_date>",
    )
    (tmp_path / "export.xml").write_text(export)
    monkeypatch.setattr(wxr, "now", lambda: datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    first = build_index(tmp_path / "export.xml", index_dir)
    assert (first.added, first.problems) == (1, [])  # (the winter sale, published)
    monkeypatch.setattr(wxr, "now", lambda: datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    assert build_index(tmp_path / "export.xml", index_dir).added == 1  # the spring sale
    monkeypatch.setattr(wxr, "now", lambda: datetime(2026, 6, 1, 23, 0, tzinfo=UTC))
    assert build_index(tmp_path / "export.xml", index_dir).added == 0  # (its day, local time)
    monkeypatch.setattr(wxr, "now", lambda: datetime(2026, 6, 2, 0, 0, tzinfo=UTC))
    assert build_index(tmp_path / "export.xml", index_dir).added == 1
    titles = sorted(h["title"] for h in search(get_state(index_dir, wait=True), "sale").hits)
    assert titles == ["Spring sale", "Summer sale", "Winter sale"]


def test_the_term_index_is_written_as_whooshs_own_writer_writes_it():
    """Pins indexer.writer._term_index_adder against Whoosh's OrderedHashWriter.add:
    the same file, byte for byte, keys that do not rise refused as Whoosh refuses them."""
    import io

    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter
    from whoosh.filedb.structfile import StructFile

    from indexer.writer import _term_index_adder

    keys = [bytes([0, f]) + f"w{n:05d}".encode() for f in (0, 1) for n in range(0, 70_000, 7)]

    class Kept(io.BytesIO):  # (its bytes kept when Whoosh closes it)
        def close(self):
            self.kept = self.getvalue()
            super().close()

    def written(adder) -> bytes:
        buffer = Kept()
        writer = OrderedHashWriter(StructFile(buffer))
        add = adder(writer)
        for n, key in enumerate(keys):
            add(key, n.to_bytes(4, "big") * (n % 3))
        with pytest.raises(ValueError, match="Keys must increase"):
            add(keys[5], b"")
        writer.close()
        return buffer.kept

    fast, whoosh = written(_term_index_adder), written(lambda w: w.add)
    assert fast == whoosh
    reader = OrderedHashReader(StructFile(io.BytesIO(fast)), len(fast))
    assert reader[keys[100]] == (100).to_bytes(4, "big")
    assert list(reader.keys()) == keys
