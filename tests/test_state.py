"""A server keeps answering from the previous generation while it warms up a new one."""

from __future__ import annotations

import time

import pytest

from search.engine import search
from search.state import get_state
from tests.conftest import ARTICLES, index_of


def test_new_generation_is_warmed_in_the_background_then_used(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    old = get_state(index)
    assert search(index, "franchising").total == 0
    index_of(tmp_path, [*ARTICLES, {"id": "f", "title": "Franchising", "body": "A system."}])
    assert get_state(index) is old  # answers at once, from the generation it has
    deadline = time.monotonic() + 20
    while get_state(index) is old:
        assert search(index, "cash").total == 1  # searches go on meanwhile
        assert time.monotonic() < deadline, "the new generation was never swapped in"
        time.sleep(0.01)
    assert search(index, "franchising").total == 1
    assert old.generation.path.exists()  # kept for a while for searches still on it


def test_a_background_load_runs_inside_what_the_server_sets(tmp_path, monkeypatch):
    """A server runs each background load with Python's GIL passed between threads
    every 0.5 ms (so request threads are not held by the warm-up's pure Python), and
    with the default 5 ms at other times (forced switches cost every request)."""
    import contextlib
    import sys

    from search import state
    from web.server import SWITCH_INTERVAL, short_switches

    seen = []

    @contextlib.contextmanager
    def recording():
        with short_switches():
            seen.append(sys.getswitchinterval())
            yield

    monkeypatch.setattr(state, "background_load", recording)
    default = sys.getswitchinterval()
    index = index_of(tmp_path, ARTICLES)
    old = get_state(index)
    index_of(tmp_path, [*ARTICLES, {"id": "f", "title": "Franchising", "body": "A system."}])
    deadline = time.monotonic() + 20
    while get_state(index) is old:
        assert time.monotonic() < deadline, "the new generation was never swapped in"
        time.sleep(0.01)
    assert seen == [SWITCH_INTERVAL]
    assert sys.getswitchinterval() == default == 0.005
    with short_switches():  # two loads at once: short till both have ended
        with short_switches():
            pass
        assert sys.getswitchinterval() == SWITCH_INTERVAL
    assert sys.getswitchinterval() == default


def test_wait_loads_the_new_generation_in_the_caller(tmp_path):
    index = index_of(tmp_path, ARTICLES)
    old = get_state(index)
    index_of(tmp_path, ARTICLES[:1])
    assert get_state(index, wait=True) is not old
    assert search(index, "cash").total == 0


def fresh_state(index):
    from indexer.store import open_current
    from search.state import IndexState

    return IndexState(open_current(index))


def test_the_indexer_keeps_the_warm_up_in_each_generation_it_publishes(tmp_path):
    from indexer.build import build_index
    from search.prepare import prepare_generation
    from search.state import STATE_CACHE
    from tests.conftest import write_jsonl

    corpus = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    build_index(corpus, tmp_path / "index", before_publish=prepare_generation)
    cached = fresh_state(tmp_path / "index")
    assert (cached.generation.path / STATE_CACHE).exists() and cached.load_cache()
    computed = fresh_state(tmp_path / "index")
    (computed.generation.path / STATE_CACHE).unlink()
    computed.warm()
    assert cached.vocabulary.df == computed.vocabulary.df
    assert cached.vocabulary.by_head == computed.vocabulary.by_head
    assert cached.vocabulary.stems == computed.vocabulary.stems
    # Read from the cache, each word is one string, in the lists by head and the stems'
    # keys alike (a copy of each was megabytes in every server worker).
    kept = {id(word) for word in cached.vocabulary.words}
    assert all(id(w) in kept for words in cached.vocabulary.by_head.values() for w in words)
    assert cached.vocabulary.stems and all(id(w) in kept for w in cached.vocabulary.stems)
    assert cached.headings == computed.headings and cached.facets == computed.facets

    # An update: the new generation starts with a hard link to the old cache, which must
    # not be taken for its own; the indexer writes the new one before publishing.
    write_jsonl(corpus, [*ARTICLES, {"id": "f", "title": "Franchising", "body": "A system."}])
    build_index(corpus, tmp_path / "index", before_publish=prepare_generation)
    state = fresh_state(tmp_path / "index")
    assert state.cache_is_current()  # (its stamp alone read)
    assert state.load_cache() and "franchising" in state.vocabulary.df
    assert search(state, "franchising").total == 1

    # A torn or foreign cache is ignored: the state computes what it needs.
    (state.generation.path / STATE_CACHE).write_bytes(b"\x80\x05garbage")
    again = fresh_state(tmp_path / "index")
    assert not again.load_cache() and not again.cache_is_current()
    assert search(again, "franchising").total == 1


def whoosh_view(state):
    """What the state holds, read again straight from Whoosh's whole-index reader."""
    from search.segment_data import EXACT_FIELDS

    reader = state.ix.reader()
    df: dict[str, int] = {}
    for name in EXACT_FIELDS:
        for btext, info in reader.iter_field(name):
            word = btext.decode("utf-8")
            df[word] = max(df.get(word, 0), info.doc_frequency())
    live = list(reader.all_doc_ids())
    categories = {
        b.decode(): sorted(d for d in reader.postings("category", b).all_ids() if d in live)
        for b in reader.lexicon("category")
    }
    titles = {d: stored["title"].lower() for d, stored in reader.iter_docs()}
    lengths = {d: reader.doc_field_length(d, "body_exact") for d in live}
    reader.close()
    return df, {k: v for k, v in categories.items() if v}, titles, lengths


def test_each_segment_keeps_its_data_and_a_generation_is_put_together_from_them(tmp_path):
    from indexer.build import build_index
    from search.bitmasks import docnums_of
    from search.prepare import prepare_generation
    from search.segment_data import SUFFIX
    from tests.conftest import write_jsonl

    records = [{"id": f"p{n}", "title": f"Post {n} about cash", "category": f"c{n % 3}",
                "body": f"Body {n}, word{n} and shared text."} for n in range(30)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    first = fresh_state(index)
    kept = {p.name: p.stat().st_ino for p in first.generation.path.glob(f"*{SUFFIX}")}
    assert kept  # one beside each segment

    # Edit one, delete one, add one: a new small segment and deletions in the old one.
    records[3]["body"] = "Rewritten entirely: franchising."
    del records[7]
    records.append({"id": "new", "title": "New post", "category": "c9", "body": "Novelty."})
    write_jsonl(corpus, records)
    build_index(corpus, index, before_publish=prepare_generation)
    state = fresh_state(index)
    assert state.load_cache()
    now = {p.name: p.stat().st_ino for p in state.generation.path.glob(f"*{SUFFIX}")}
    assert len(now) == len(state.reader.leaf_readers()) > 1
    assert {n: i for n, i in now.items() if n in kept} == kept  # carried over, not redone

    df, categories, titles, lengths = whoosh_view(state)
    assert state.vocabulary.df == df
    assert {v: docnums_of(m) for v, m in state.facets["category"].items()} == categories
    assert {d: state.headings[0][d] for d in titles} == titles
    assert {d: state.lengths("body_exact")[d] for d in lengths} == lengths
    assert search(state, "franchising").total == 1 and search(state, "novelty").total == 1
    assert search(state, "word7").total == 0
    # Each live id to its document, as Whoosh's own term lookup finds it; none for gone ones.
    from whoosh.query import Term

    searcher = state.searcher()
    for record in records:
        [docnum] = list(Term("id", record["id"]).docs(searcher))
        assert state.docnum_of(record["id"]) == docnum
    assert state.docnum_of("p7") is None


def test_the_warm_up_cache_keeps_the_duplicate_groups_until_their_file_is_replaced(
    tmp_path, monkeypatch
):
    import search.duplicate_store
    from indexer.build import build_index
    from search.duplicate_store import DUPLICATES_FILE, load_duplicates, save_groups
    from search.prepare import prepare_generation
    from tests.conftest import write_jsonl

    copy = {**ARTICLES[0], "id": "copy-of-first"}
    corpus = write_jsonl(tmp_path / "a.jsonl", [*ARTICLES, copy])
    build_index(corpus, tmp_path / "index", before_publish=prepare_generation)
    folder = fresh_state(tmp_path / "index").generation.path
    groups = load_duplicates(folder)["groups"]
    assert [sorted(m["id"] for m in g["members"]) for g in groups] == [
        sorted([ARTICLES[0]["id"], "copy-of-first"])
    ]

    def unread(path):
        raise AssertionError("the groups were read from their JSON again")

    monkeypatch.setattr(search.duplicate_store, "load_duplicates", unread)
    cached = fresh_state(tmp_path / "index")
    assert cached.load_cache()
    assert cached.groups["groups"] == groups  # from the cache, not the file
    assert cached.groups["group_of"]  # the docnums of both copies
    monkeypatch.undo()

    # `rocksearch duplicates` may write the file again: then the file is read.
    save_groups(folder, [], 0.0)
    assert (folder / DUPLICATES_FILE).exists()
    again = fresh_state(tmp_path / "index")
    assert again.load_cache() and again.groups["groups"] == []


@pytest.mark.parametrize("count", [0, 1, 3, 40, 2_000, 30_000])
def test_docnums_of_a_mask_sparse_or_dense(count):
    import random

    from search.bitmasks import docnums_of

    docnums = sorted(random.Random(count).sample(range(60_000), count))
    assert docnums_of(sum(1 << d for d in docnums)) == docnums


def test_groups_kept_by_an_earlier_warm_up_cache_are_still_recognised():
    from search.state import _same_copy

    assert _same_copy((64769, 1234, 100, 5), (100, 5))  # device and inode, as kept before
    assert _same_copy((100, 5), (100, 5))
    assert not _same_copy((64769, 1234, 100, 5), (100, 6))
    assert not _same_copy((100, 5), None) and _same_copy(None, None)


@pytest.mark.parametrize("posts", [1, 63, 64, 65, 130])
def test_a_facet_table_lists_each_documents_values_in_value_order(tmp_path, posts):
    """The facet table (each document's values, for counting facets over the matches) is
    what the value masks say, document by document, including documents at the edges
    of the 64-bit words the masks are read by, and none for a deleted document."""
    import random

    from indexer.build import build_index
    from tests.conftest import write_jsonl

    rng = random.Random(posts)
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Words of post {n}.",
                "tags": rng.sample(["red", "green", "blue", "tea", "rock"], rng.randint(0, 3))}
               for n in range(posts)]  # fmt: skip
    corpus = write_jsonl(tmp_path / "a.jsonl", records)
    build_index(corpus, tmp_path / "index")
    write_jsonl(corpus, records[1:])  # the first deleted: its document stays, dead
    build_index(corpus, tmp_path / "index")
    state = fresh_state(tmp_path / "index")
    starts, nums, values = state.facet_table("tag")
    masks = state.facets["tag"]
    assert values == list(masks)
    for d in range(state.doc_count_all):
        expected = [n for n, v in enumerate(values) if masks[v] >> d & 1]
        assert nums[starts[d] : starts[d + 1]].tolist() == expected, d
    tagged = {r["id"] for r in records[1:] if r["tags"]}
    assert sum(bool(starts[d + 1] - starts[d]) for d in range(state.doc_count_all)) == len(tagged)


def _put_together(generation):
    """The generation's data put together from all its segments (none carried)."""
    from search.state import CACHED, IndexState

    state = IndexState(generation)
    state._load_segments()
    for name in state.facets:
        state.facet_table(name)
    return {name: getattr(state, name) for name in CACHED if name not in ("_groups_kept", "_avg")}


def _same_data(carried: dict, fresh: dict) -> None:
    import numpy as np

    vocab, other = carried["_vocab"], fresh["_vocab"]
    assert vocab.df == other.df and vocab.words == other.words
    assert vocab.by_head == other.by_head and vocab.heads == other.heads
    assert vocab.stems == other.stems
    assert vocab.fields.keys() == other.fields.keys()
    for name in vocab.fields:
        assert vocab.fields[name].tolist() == other.fields[name].tolist(), name
    assert carried["_facet_tables"].keys() == fresh["_facet_tables"].keys()
    for name, (starts, nums, values) in carried["_facet_tables"].items():
        fresh_starts, fresh_nums, fresh_values = fresh["_facet_tables"][name]
        assert values == fresh_values, name
        assert starts.tolist() == fresh_starts.tolist() and starts.dtype == fresh_starts.dtype
        assert nums.tolist() == fresh_nums.tolist() and nums.dtype == fresh_nums.dtype
    assert carried["_days"] == fresh["_days"]
    assert carried["_headings"] == fresh["_headings"] and carried["_ids"] == fresh["_ids"]
    assert carried["_lengths"].keys() == fresh["_lengths"].keys()
    for name, lengths in carried["_lengths"].items():
        assert np.array_equal(lengths, fresh["_lengths"][name]), name


def _base_of(generation) -> tuple[str, int, set[str]]:
    """(the generation its warm-up base was made in, the base file's inode, the ids of
    the segments after the base's)."""
    from search import state_cache
    from search.state import IndexState

    made, head, _ = state_cache.read_base(generation.path, None, whole=False)
    after = IndexState(generation)._segment_list()[len(head[state_cache.SEGMENTS]) :]
    inode = (generation.path / state_cache.BASE_FILE).stat().st_ino
    return made, inode, {segment for segment, _ in after}


@pytest.mark.parametrize("share", [1.0, 0.1])
def test_an_update_carries_the_state_forward_as_putting_it_together_would(
    tmp_path, monkeypatch, share
):
    """Adds, edits and deletes, one run after another: each generation's warm-up data,
    loaded from its layer over a base made earlier (search/state_cache.py), is what
    putting it together from all its segments gives. For a layer, neither the indexer
    nor a reader reads the kept data of the base's segments, and the base is the
    previous generation's file; a new base is written once the segments after it hold
    over LAYER_SHARE of the documents (every step at 0.1: a step changes 8 of 40 posts)."""
    import random

    import search.segment_data as segment_data_module
    from indexer.build import build_index
    from search import state_cache
    from search.prepare import prepare_generation
    from search.state import CACHED, STATE_CACHE
    from tests.conftest import write_jsonl

    monkeypatch.setattr(state_cache, "LAYER_SHARE", share)
    rng = random.Random(7)
    words = ["cash", "flow", "rock", "maxim", "tea", "pricing", "ledger", "hiring", "café"]

    def post(n: int, version: int = 0) -> dict:
        picked = rng.sample(words, 3) + [f"word{n}v{version}"]
        return {"id": f"p{n}", "title": f"Post {n} {picked[0]}", "body": " ".join(picked),
                "category": rng.choice(["Money", "People", "Tea"]),
                "tags": rng.sample(["red", "green", "blue", f"only{n}v{version}"], 2),
                "date": f"20{10 + n % 10}-0{1 + n % 9}-1{n % 10}",
                **({"maxim": f"Write {picked[1]} on a rock"} if n % 4 == 0 else {})}  # fmt: skip

    records = {n: post(n) for n in range(40)}
    corpus = tmp_path / "a.jsonl"
    index = tmp_path / "index"
    write_jsonl(corpus, list(records.values()))
    build_index(corpus, index, before_publish=prepare_generation)
    loaded = []  # segments whose kept data was read
    real_load = segment_data_module.load

    def counting(folder, segment_id):
        found = real_load(folder, segment_id)
        loaded.extend([segment_id] if found is not None else [])
        return found

    monkeypatch.setattr(segment_data_module, "load", counting)
    _, inode_before, _ = _base_of(fresh_state(index).generation)
    layers = 0
    for step in range(6):
        for n in rng.sample(sorted(records), 3):  # edits
            records[n] = post(n, step + 1)
        for n in rng.sample(sorted(records), 2):  # deletes
            del records[n]
        for n in range(100 + 3 * step, 100 + 3 * step + 3):  # adds
            records[n] = post(n)
        if step == 3:  # every post with the tag "red" gone: the value goes too
            for n in [n for n, r in records.items() if "red" in r["tags"]]:
                del records[n]
        write_jsonl(corpus, list(records.values()))
        loaded.clear()
        build_index(corpus, index, before_publish=prepare_generation)
        built = set(loaded)
        loaded.clear()
        state = fresh_state(index)
        assert state.load_cache()
        made, inode, after = _base_of(state.generation)
        if made != state.generation.path.name:  # a layer over the previous one's base
            layers += 1
            assert inode == inode_before
            assert built <= after and set(loaded) <= after
        inode_before = inode
        carried = {name: getattr(state, name) for name in CACHED}
        _same_data(carried, _put_together(state.generation))
        assert "red" not in state.facets["tag"] or step != 3
        for record in records.values():  # each found by its own word, and only it
            hits = search(state, record["body"].split()[-1])
            assert [h["id"] for h in hits.hits] == [record["id"]]
        assert (state.generation.path / STATE_CACHE).exists()
    assert layers >= 3 if share == 1.0 else layers == 0


def test_segments_merged_after_the_base_keep_the_layer(tmp_path):
    """One post edited at a time: Whoosh merges the small segments after the base every
    tenth update (indexer/writer.py: merge_tiers), and each generation is still a layer
    over the first generation's base, loaded as putting it together gives."""
    from indexer.build import build_index
    from search.prepare import prepare_generation
    from search.state import CACHED
    from tests.conftest import write_jsonl

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Body of post {n}, word{n}.",
                "tags": [f"t{n % 7}"]} for n in range(200)]  # fmt: skip
    corpus, index = tmp_path / "a.jsonl", tmp_path / "index"
    write_jsonl(corpus, records)
    build_index(corpus, index, before_publish=prepare_generation)
    first = fresh_state(index).generation.path.name
    most = 0
    for n in range(12):
        records[n * 3]["body"] = f"Edited {n}: novelty{n}."
        write_jsonl(corpus, records)
        build_index(corpus, index, before_publish=prepare_generation)
        generation = fresh_state(index).generation
        made, _, after = _base_of(generation)
        assert made == first
        most = max(most, len(after))
    state = fresh_state(index)
    assert state.load_cache() and len(_base_of(state.generation)[2]) < most  # merged
    _same_data({name: getattr(state, name) for name in CACHED}, _put_together(state.generation))
    assert [h["id"] for h in search(state, "novelty11").hits] == ["p33"]


def test_a_torn_base_is_not_used_and_the_next_update_writes_a_new_one(tmp_path):
    from indexer.build import build_index
    from search import state_cache
    from search.prepare import prepare_generation
    from tests.conftest import write_jsonl

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Body {n}."} for n in range(30)]
    corpus, index = write_jsonl(tmp_path / "a.jsonl", records), tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    state = fresh_state(index)
    (state.generation.path / state_cache.BASE_FILE).write_bytes(b"\x80\x05garbage")
    again = fresh_state(index)
    assert not again.cache_is_current() and not again.load_cache()
    assert [h["id"] for h in search(again, "body 7").hits][:1] == ["p7"]  # computed
    records[0]["body"] = "Changed."
    write_jsonl(corpus, records)
    build_index(corpus, index, before_publish=prepare_generation)
    state = fresh_state(index)
    assert _base_of(state.generation)[0] == state.generation.path.name  # a new base
    assert state.cache_is_current() and state.load_cache()
    assert [h["id"] for h in search(state, "changed").hits] == ["p0"]


def test_an_unloaded_state_finds_a_document_by_its_id_as_a_loaded_one(tmp_path):
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Body {n}."} for n in range(20)]
    index = index_of(tmp_path, records)
    index_of(tmp_path, [{**records[3], "body": "New."}, *records[5:]])  # an edit, deletes
    cold, warm = fresh_state(index), fresh_state(index).warm()
    for n in range(22):
        assert cold.docnum_of(f"p{n}") == warm.docnum_of(f"p{n}"), n
    assert cold._ids is None  # (one query each, nothing loaded)
    assert warm.docnum_of("p4") is None and warm.docnum_of("p3") is not None


def test_the_groups_docnums_are_each_members_live_document(tmp_path):
    """The groups' members mapped to docnums at once (and as the arrays collapsing uses)
    are what looking each member up gives."""
    import random

    from indexer.build import build_index
    from search.collapse import group_arrays
    from search.prepare import prepare_generation
    from tests.conftest import write_jsonl

    rng = random.Random(5)
    words = [f"w{n}" for n in range(500)]
    bodies = [" ".join(rng.choice(words) for _ in range(300)) for _ in range(3)]
    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Only {n}. {bodies[n % 3]}"}
               for n in range(12)]  # fmt: skip
    corpus, index = write_jsonl(tmp_path / "a.jsonl", records), tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    records[4]["body"] += " One more line."
    write_jsonl(corpus, [r for r in records if r["id"] != "p7"])  # an edit, a delete
    build_index(corpus, index, before_publish=prepare_generation)
    state = fresh_state(index)
    assert state.load_cache()
    groups = state.groups
    assert len(groups["groups"]) >= 2
    expected = [[d for d in map(state.docnum_of, ids) if d is not None]
                for ids in groups["groups"].ids]  # fmt: skip
    assert [list(ds) for ds in groups["docnums"]] == expected
    assert list(groups["docnums"][-2:]) == expected[-2:] and groups["docnums"][-1] == expected[-1]
    assert groups["group_of"] == {d: n for n, ds in enumerate(expected) for d in ds}
    members, of = group_arrays(groups)
    assert members.tolist() == [d for ds in expected for d in ds]
    assert of.tolist() == [n for n, ds in enumerate(expected) for _ in ds]
    assert state.docnum_of("p7") is None and state.docnum_of("p4") is not None


def test_a_layer_whose_base_is_not_the_one_it_names_is_not_used(tmp_path):
    """The layer names the generation its base was made in; a base of another (a copy
    of the folder mixed up, a base written again) is not taken for it."""
    from indexer.build import build_index
    from search import state_cache
    from search.prepare import prepare_generation
    from tests.conftest import write_jsonl

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"Body {n}."} for n in range(30)]
    corpus, index = write_jsonl(tmp_path / "a.jsonl", records), tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    state = fresh_state(index)
    path = state.generation.path
    assert state.cache_is_current()
    layer, groups = state_cache.read_layer(path, path.name)
    state_cache.write_layer(path, path.name, "gen-999999", layer[state_cache.SEGMENTS], groups)
    again = fresh_state(index)
    assert not again.cache_is_current() and not again.load_cache()
    assert [h["id"] for h in search(again, "body 7").hits][:1] == ["p7"]  # computed


@pytest.mark.parametrize("posts", [3, 30])
def test_an_edit_with_no_new_word_is_carried_forward(tmp_path, posts):
    """An edit whose words the vocabulary has already: its counts are added to the
    base's as read from the cache (the indexer carries the base forward when the layer
    would be too large, 3 posts; a reader when it loads a layer, 30)."""
    from indexer.build import build_index
    from search.prepare import prepare_generation
    from search.state import CACHED
    from tests.conftest import write_jsonl

    records = [{"id": f"p{n}", "title": f"Post {n}", "body": f"cash flow rock tea {n}"}
               for n in range(posts)]  # fmt: skip
    corpus, index = write_jsonl(tmp_path / "a.jsonl", records), tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    records[1]["body"] = "tea rock cash"
    write_jsonl(corpus, records)
    build_index(corpus, index, before_publish=prepare_generation)
    state = fresh_state(index)
    assert state.load_cache()
    _same_data({name: getattr(state, name) for name in CACHED}, _put_together(state.generation))
    assert [h["id"] for h in search(state, "tea rock cash").hits][:1] == ["p1"]


def test_a_vocabulary_pickles_its_words_once_and_drops_a_stem_of_no_word_of_its_own():
    import pickle

    from search.state import Vocabulary

    stems = {"customers": "custom", "caching": "cach", "stray": "stray_"}
    vocab = Vocabulary.build({"customers": 3, "cash": 2, "caching": 1}, stems=stems)
    back = pickle.loads(pickle.dumps(vocab))
    assert back.df == vocab.df and back.words == vocab.words and back.by_head == vocab.by_head
    assert back.stems == {"customers": "custom", "caching": "cach"}
    (cash,) = back.by_head[("c", 4)]
    assert cash == "cash" and cash is back.words[back.words.index("cash")]  # not a copy
