"""The stored-fields files beside each segment (indexer/stored_copies.py): what a search
reads of a post is what Whoosh stored, after builds, parallel builds and updates, and a
missing or torn file changes no answer."""

from __future__ import annotations

from pathlib import Path

from indexer.build import build_index
from indexer.store import open_current
from indexer.stored_copies import MAGIC, StoredFile, add_missing_stored, file_name
from search.engine import search
from search.state import IndexState, get_state
from tests.conftest import index_of, write_jsonl

POSTS = [
    {"id": "rock", "title": "Write this on a rock", "date": "2021-05-04",
     "categories": ["Customer Care"], "tags": ["customers"],
     "body": "Opening words.\n\nCustomers are the reason you’re in business. Write this "
             "on a rock.", "maxim": "Customers are the reason you’re in business."},
    {"id": "cash", "title": "Cash flow", "date": "2019-11-20",
     "body": "Profit is an opinion, cash is a fact. Résumé, naïve, 2,500 €."},
    {"id": "undated", "title": "Networking", "date": None,
     "body": "Meet people before you need them."},
]  # fmt: skip


def whoosh_stored(state: IndexState) -> list[dict]:
    """Every document's stored fields as Whoosh's own reader gives them."""
    return [dict(leaf.stored_fields(d)) for leaf, _ in state.reader.leaf_readers()
            for d in range(leaf.doc_count_all())]  # fmt: skip


def copies(state: IndexState) -> list[dict]:
    out = []
    for n, (leaf, _) in enumerate(state.reader.leaf_readers()):
        file = state.stored_file(n)
        assert file is not None, n
        out += [file.fields(d) for d in range(leaf.doc_count_all())]
    return out


def test_each_segments_copy_is_what_whoosh_stored(tmp_path):
    folder = index_of(tmp_path, POSTS)
    state = IndexState(open_current(folder))
    assert copies(state) == whoosh_stored(state)
    assert {h["id"]: h["snippet"] for h in search(state, "customers").hits} == {
        "rock": "<mark>Customers</mark> are the reason you’re in business. Write this on a rock."
    }


def test_a_parallel_build_and_an_update_write_a_copy_for_every_segment(tmp_path, monkeypatch):
    from indexer import writer

    monkeypatch.setattr(writer, "PARALLEL_MIN_DOCS", 10)
    posts = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Words of post {n}: marker{n}x."}
             for n in range(30)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "c.jsonl", posts)
    build_index(corpus, tmp_path / "index", processes=2)
    state = get_state(tmp_path / "index", wait=True)
    assert len(state.reader.leaf_readers()) == 2
    assert copies(state) == whoosh_stored(state)
    posts[3] = {**posts[3], "body": "Changed words: a new marker3y."}
    write_jsonl(corpus, posts)
    build_index(corpus, tmp_path / "index")
    state = get_state(tmp_path / "index", wait=True)
    assert len(state.reader.leaf_readers()) == 3  # the changed post's own segment
    assert copies(state) == whoosh_stored(state)
    (hit,) = search(state, "marker3y").hits
    assert hit["id"] == "p3" and "<mark>marker3y</mark>" in hit["snippet"]
    assert search(state, "marker3x").total == 0


def test_a_missing_or_torn_copy_changes_no_answer(tmp_path):
    folder = index_of(tmp_path, POSTS)
    queries = ["customers", "cash fact", "resume", "people", "write this on a rock"]
    expected = [search(folder, q).to_dict()["hits"] for q in queries]
    (path,) = Path(folder).glob("gen-*/*.stored")
    torn = path.read_bytes()[:-3]
    for damage in (torn, MAGIC, b"", None):
        if damage is None:
            path.unlink()
        else:
            path.write_bytes(damage)
        state = IndexState(open_current(folder))  # a fresh load each time
        assert state.stored_file(0) is None
        assert [search(state, q).to_dict()["hits"] for q in queries] == expected


def test_a_segment_without_a_copy_gets_one_when_the_index_is_written(tmp_path):
    folder = index_of(tmp_path, POSTS)
    generation = open_current(folder)
    (path,) = generation.path.glob("*.stored")
    path.unlink()  # as an older version left it
    ix = generation.open()
    with ix.reader() as reader:
        segment = reader.leaf_readers()[0][0].segment().segment_id()
    assert add_missing_stored(ix, known={segment}) == 0  # known: taken to have one
    assert add_missing_stored(ix) == 1
    assert (generation.path / file_name(segment)).exists()
    assert add_missing_stored(ix) == 0
    state = IndexState(open_current(folder))
    assert copies(state) == whoosh_stored(state)
    assert StoredFile.open(generation.path, segment, len(POSTS) + 1) is None  # another count


def test_an_update_of_an_older_versions_index_gives_every_segment_its_copy(tmp_path):
    """An index an older version wrote has no stored-fields files, and its metadata no
    mark of them: the next update writes one for every segment, its own new one and
    the old ones, as a fresh build has."""
    import json

    folder = index_of(tmp_path, POSTS)
    generation = open_current(folder)
    for path in generation.path.glob("*.stored"):
        path.unlink()
    meta = generation.path / "rocksearch.json"
    data = json.loads(meta.read_text())
    del data["segment_files"]
    meta.write_text(json.dumps(data))
    write_jsonl(tmp_path / "articles.jsonl", [*POSTS, {"id": "new", "title": "New",
                "date": "2022-01-01", "body": "A new post on cash."}])  # fmt: skip
    build_index(tmp_path / "articles.jsonl", folder)
    state = get_state(folder, wait=True)
    assert len(state.reader.leaf_readers()) == 2
    assert copies(state) == whoosh_stored(state)
    assert open_current(folder).meta["segment_files"] == 1
