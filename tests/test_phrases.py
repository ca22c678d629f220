"""Exact phrases on the positions files (indexer/positions.py, search/phrases.py),
checked against a brute-force count over the literal articles the index was built from."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from indexer import positions, writer
from indexer.analysis import TextAnalyzer
from indexer.positions import PositionsFile
from indexer.store import open_current
from search.engine import search
from search.phrases import Phrases
from search.state import IndexState, get_state
from tests.conftest import index_of, write_jsonl

WORDS = [
    "the",
    "of",
    "a",
    "rock",
    "customer",
    "said",
    "write",
    "this",
    "on",
    "is",
    "problem",
    "cash",
]
EXACT = TextAnalyzer(stem=False)


def articles(n: int = 60, seed: int = 7) -> list[dict]:
    """Short posts from a dozen words, so that phrases recur, run across the end of one
    post into the next, and repeat words."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 40)))
        out.append({"id": f"p{i}", "title": f"Post {i} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                    "date": "2020-01-01", "body": body})  # fmt: skip
    return out


def brute_force(records: list[dict], field: str, words: list[str]) -> dict[str, int]:
    """{id: how often `words` occur in a row in `field`} by scanning every post."""
    found = {}
    for record in records:
        terms = EXACT.terms(record[field])
        n = sum(terms[i : i + len(words)] == words for i in range(len(terms) - len(words) + 1))
        if n:
            found[record["id"]] = n
    return found


def phrases_of(records: list[dict], seed: int = 3) -> list[list[str]]:
    rng = random.Random(seed)
    out = [["the", "the"], ["of", "a", "rock"], ["rock", "rock", "rock"], ["not", "here"]]
    for _ in range(60):
        terms = EXACT.terms(rng.choice(records)["body"])
        if len(terms) >= 2:
            i = rng.randrange(len(terms) - 1)
            out.append(terms[i : i + rng.choice((2, 3, 4))])
    for a, b in zip(records, records[1:], strict=False):  # across one post into the next
        out.append([*EXACT.terms(a["body"])[-2:], *EXACT.terms(b["body"])[:2]])
    return [p for p in out if len(p) >= 2]


def found_ids(state, field: str, words: list[str]) -> dict[str, int]:
    counts = Phrases(state, time.perf_counter() + 10).docs(f"{field}_exact", words)
    return {state.stored_fields(d)["id"]: n for d, n in counts.items() if d not in state.deleted}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return articles()


@pytest.fixture(scope="module", params=[(1, 64), (42, 64), (10**9, 42), (10**9, 1)],
                ids=["in-file", "mixed", "decoded", "in-blocks"])  # fmt: skip
def state(request, records, tmp_path_factory):
    """The same posts indexed four times: every word's positions in the positions file;
    those of the words in 42 posts or more (half the dozen: most phrases then have words
    of both kinds), the others' postings inlined in their term infos; none in the file,
    the postings of words in fewer than 42 posts inlined and the others' in Whoosh's
    blocks; and none inlined (every word decoded from Whoosh's blocks, as in an index
    written before postings were inlined)."""
    min_df, inline_max = request.param
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(positions, "MIN_DF", min_df)
        patch.setattr(positions, "MIN_DF_FLOOR", min_df)
        patch.setattr(writer, "INLINE_MAX", inline_max)
        patch.setattr(positions, "DENSE", 20)  # a bitmap for every word held
        folder = index_of(tmp_path_factory.mktemp("phrases"), records)
    return get_state(folder, wait=True)


@pytest.mark.parametrize("bit_cost", [0, 10**9], ids=["bits", "search"])
def test_phrases_are_found_exactly_as_often_as_they_occur(state, records, monkeypatch, bit_cost):
    # Each way of testing a word's places is forced in turn: bit tests (where the file
    # has bitmaps) and binary searches in the word's list.
    monkeypatch.setattr("search.phrases.BIT_COST", bit_cost)
    for words in phrases_of(records):
        for field in ("body", "title"):
            assert found_ids(state, field, words) == brute_force(records, field, words), words


def test_a_words_postings_are_in_the_file_inlined_or_in_blocks_as_written(state, request):
    """Each exact-field word's postings are in the positions file (mapped), inlined in
    its term info (indexer/writer.py: `_inlined`), or in Whoosh's blocks, as the
    fixture's four ways of writing the index meant."""
    _, inline_max = request.node.callspec.params["state"]
    leaf = state.reader.leaf_readers()[0][0]
    file = state.positions_file(0)
    kinds = set()
    for term in leaf.lexicon("body_exact"):
        info = leaf.term_info("body_exact", term)
        held = file.positions("body_exact", term.decode()) is not None
        kinds.add("file" if held else "inlined" if info.is_inlined() else "blocks")
        assert not (held and info.is_inlined())
        below = min(file.min_df, inline_max)  # (as the writer chose)
        assert info.is_inlined() == (info.doc_frequency() < below), term
    expected = {"in-file": {"file"}, "mixed": {"file", "inlined"},
                "decoded": {"inlined", "blocks"}, "in-blocks": {"blocks"}}  # fmt: skip
    assert kinds == expected[request.node.callspec.id]


def test_the_positions_file_holds_what_it_was_built_with(state):
    files = [state.positions_file(n) for n in range(len(state.reader.leaf_readers()))]
    assert all(files)
    # Each field's directory is read where it lies in the map, not copied into the
    # process (server workers share its pages): its arrays own no data.
    for directory in files[0]._fields.values():
        assert not directory.keys.flags.owndata and not directory.table.flags.owndata
        assert isinstance(directory.keys.base, memoryview)
    held = files[0].positions("body_exact", "the")
    if files[0].min_df < 10**9:  # ("the" is in every post)
        assert held is not None and list(held) == sorted(held)
        assert files[0].bitmap("body_exact", "the") is not None
    else:
        assert held is None


def test_a_missing_or_torn_positions_file_changes_no_answer(records, tmp_path):
    folder = index_of(tmp_path, records)
    expected = {tuple(w): brute_force(records, "body", w) for w in phrases_of(records)}
    (pos,) = Path(folder).glob("gen-*/*.pos")
    pos.write_bytes(pos.read_bytes()[:-9])  # torn: the last array is short
    for path in (pos, None):
        state = IndexState(open_current(folder))  # a fresh load each time
        assert state.positions_file(0) is None
        for words, found in expected.items():
            assert found_ids(state, "body", list(words)) == found
        if path:
            path.unlink()


def test_an_update_maps_the_new_segment_and_deleted_posts_are_not_found(records, tmp_path):
    from indexer.build import build_index

    folder = index_of(tmp_path, records)
    new = {"id": "new", "title": "New", "date": "2021-01-01",
           "body": "write this on a stone tablet, said the customer"}  # fmt: skip
    changed = [*records[5:], new]
    write_jsonl(tmp_path / "articles.jsonl", changed)
    build_index(tmp_path / "articles.jsonl", folder)
    state = get_state(folder, wait=True)
    segments = state.reader.leaf_readers()
    assert len(segments) >= 2 or state.deleted == set()
    assert all(state.positions_file(n) for n in range(len(segments)))
    assert found_ids(state, "body", ["a", "stone", "tablet"]) == {"new": 1}
    for words in phrases_of(changed):
        assert found_ids(state, "body", words) == brute_force(changed, "body", words)
    assert [h["id"] for h in search(folder, '"on a stone tablet"').hits] == ["new"]


def test_a_post_longer_than_whooshs_length_byte_keeps_its_phrases_to_itself(tmp_path):
    # Whoosh stores lengths as one byte, exact only below 106,374 words.
    long_body = "cash " * 110_000 + "the end of the long post"
    records = [
        {"id": "long", "title": "Long", "date": "2020-01-01", "body": long_body},
        {"id": "next", "title": "Next", "date": "2020-01-02", "body": "post started here"},
    ]
    state = get_state(index_of(tmp_path, records), wait=True)
    assert found_ids(state, "body", ["long", "post"]) == {"long": 1}
    assert found_ids(state, "body", ["post", "started"]) == {"next": 1}
    assert found_ids(state, "body", ["long", "post", "post"]) == {}
    assert found_ids(state, "body", ["cash", "cash"]) == {"long": 109_999}


def test_segments_whoosh_merges_get_their_file_and_dead_ones_lose_it(tmp_path):
    from indexer.build import build_index

    posts = [{"id": f"a{i}", "title": f"T {i}", "date": "2020-01-01",
              "body": f"the cash flow of post {i} is the oxygen"} for i in range(20)]  # fmt: skip
    merged = False
    for step in range(12):  # the tenth small segment merges them (indexer.writer.merge_tiers)
        posts.append({"id": f"n{step}", "title": f"N {step}", "date": "2021-01-01",
                      "body": f"new post {step} says the cash flow matters"})  # fmt: skip
        posts[step]["body"] += " edited"
        write_jsonl(tmp_path / "articles.jsonl", posts)
        build_index(tmp_path / "articles.jsonl", tmp_path / "index")
        generation = open_current(tmp_path / "index")
        state = IndexState(generation)
        segments = {leaf.segment().segment_id() for leaf, _ in state.reader.leaf_readers()}
        assert {p.stem for p in generation.path.glob("*.pos")} == segments
        merged = merged or len(segments) < step + 1
        assert found_ids(state, "body", ["the", "cash", "flow"]) == {p["id"]: 1 for p in posts}
    assert merged


def whoosh_postings(state, field: str, term: str) -> tuple[list[int], list[float]]:
    """(docnums, weights) of a term through Whoosh's public matcher walk."""
    ids, weights = [], []
    for leaf, offset in state.reader.leaf_readers():
        if (field, term.encode()) not in leaf:
            continue
        matcher = leaf.postings(field, term.encode())
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            weights.append(matcher.weight())
            matcher.next()
    return ids, weights


def test_scoring_reads_the_same_postings_from_the_file_as_from_whoosh(state):
    from search.scoring import postings

    held = 0
    for field in positions.POSTINGS_FIELDS:
        for term in list(state.reader.lexicon(field)):
            word = term.decode()
            file = state.positions_file(0)
            held += file.postings(field, word) is not None
            df, ids, tfs = postings(state, field, word)
            assert (ids.tolist(), tfs.tolist()) == whoosh_postings(state, field, word), word
            assert df == len(ids) == state.reader.doc_frequency(field, word)
    # Words of the stemmed and exact fields are in the file unless min_df is past every
    # word's: the comparison above is of mapped arrays, not of Whoosh against itself.
    assert bool(held) == (state.positions_file(0).min_df < 10**9)


def test_a_long_posts_frequencies_past_one_byte_are_kept_exactly(tmp_path, monkeypatch):
    monkeypatch.setattr(positions, "MIN_DF", 1)
    monkeypatch.setattr(positions, "MIN_DF_FLOOR", 1)
    records = [
        {"id": "long", "title": "Cash", "date": "2020-01-01", "body": "cash " * 70_000},
        {"id": "short", "title": "Cash", "date": "2020-01-02", "body": "cash flow " * 300},
    ]
    state = get_state(index_of(tmp_path, records), wait=True)
    ids, weights = state.positions_file(0).postings("body", "cash")
    assert (weights.format, list(weights)) == ("f", [70_000, 300])  # past 16 bits: as read
    assert state.positions_file(0).postings("body", "flow")[1].format == "H"
    assert state.positions_file(0).postings("title", "cash")[1].format == "B"


def test_mapped_postings_change_no_score(records, tmp_path):
    queries = ["rock", "customer cash", "the problem", '"write this"', "said rock cash",
               "problems", "cus*"]  # fmt: skip
    answers = []
    for min_df in (1, 10**9):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(positions, "MIN_DF", min_df)
            patch.setattr(positions, "MIN_DF_FLOOR", min_df)
            (tmp_path / str(min_df)).mkdir()
            folder = index_of(tmp_path / str(min_df), records)
        state = IndexState(open_current(folder))
        answers.append([[(h["id"], h["score"]) for h in search(state, q, per_page=50).hits]
                        for q in queries])  # fmt: skip
    assert answers[0] == answers[1]
    assert all(answers[0])


def test_a_positions_file_of_an_earlier_layout_is_not_read(records, tmp_path, monkeypatch):
    """Before version 3 each word's place was in the JSON header: such a file is left
    unread (its segment searched from its postings) until an update writes it again."""
    monkeypatch.setattr(positions, "VERSION", positions.LAYOUT - 1)
    folder = index_of(tmp_path, records)
    (pos,) = Path(folder).glob("gen-*/*.pos")
    assert PositionsFile.open(pos.parent, pos.stem) is None
    monkeypatch.setattr(positions, "VERSION", positions.LAYOUT)
    positions.write_positions(IndexState(open_current(folder)).reader.leaf_readers()[0][0],
                              pos.parent)  # fmt: skip
    held = PositionsFile.open(pos.parent, pos.stem)
    assert held is not None and held.postings("body_exact", "the") is not None


def test_an_update_writes_again_a_positions_file_of_an_earlier_version(records, tmp_path):
    from indexer.build import build_index

    folder = index_of(tmp_path, records)
    (old,) = open_current(folder).path.glob("*.pos")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(positions, "VERSION", positions.VERSION + 1)  # the next version
        write_jsonl(tmp_path / "articles.jsonl", [*records, {"id": "new", "title": "New",
                    "date": "2021-01-01", "body": "the cash"}])  # fmt: skip
        build_index(tmp_path / "articles.jsonl", folder)
        generation = open_current(folder)
        files = {p.name: p for p in generation.path.glob("*.pos")}
        state = IndexState(generation)
        versions = [state.positions_file(n).version
                    for n in range(len(state.reader.leaf_readers()))]  # fmt: skip
    assert versions == [positions.VERSION + 1] * len(files) and len(files) >= 2
    # The old segment's file was written anew, not in place: the old generation's
    # hard link still holds the file it had.
    assert files[old.name].stat().st_ino != old.stat().st_ino
    assert PositionsFile.open(old.parent, old.stem).version == positions.VERSION


def test_an_index_run_with_nothing_changed_writes_an_earlier_versions_files_again(
    records, tmp_path
):
    """After an upgrade, the next `rocksearch index` brings an index's positions files to
    this version even when no article changed (a server reads no file of an earlier
    layout: its phrases and common words would be decoded from the postings)."""
    from indexer.build import build_index

    corpus = write_jsonl(tmp_path / "articles.jsonl", records)
    folder = tmp_path / "index"
    build_index(corpus, folder)
    before = open_current(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(positions, "VERSION", positions.VERSION + 1)  # the next version
        summary = build_index(corpus, folder)
        generation = open_current(folder)
        state = IndexState(generation)
        versions = {state.positions_file(n).version
                    for n in range(len(state.reader.leaf_readers()))}  # fmt: skip
        again = build_index(corpus, folder)  # now nothing to do
    assert generation.path != before.path and versions == {positions.VERSION + 1}
    assert (summary.added, summary.updated, summary.deleted) == (0, 0, 0)
    assert again.generation == generation.path.name


def test_an_update_reads_only_the_new_segments_positions_files(records, tmp_path, monkeypatch):
    """A generation this version wrote has every segment's positions file (its metadata
    says so): an update checks only the segments its commit made, not every file's
    header again; a generation without the mark has them all checked."""
    import json

    from indexer.build import build_index

    folder = index_of(tmp_path, records)
    before = {p.stem for p in open_current(folder).path.glob("*.pos")}
    opened: list[str] = []
    real_open = PositionsFile.open.__func__

    def counting(cls, where, segment_id):
        opened.append(segment_id)
        return real_open(cls, where, segment_id)

    monkeypatch.setattr(PositionsFile, "open", classmethod(counting))
    for n in range(2):
        write_jsonl(tmp_path / "articles.jsonl", [*records, *({"id": f"new{m}", "title": "New",
                    "date": "2021-01-01", "body": "the cash"} for m in range(n + 1))])  # fmt: skip
        opened.clear()
        build_index(tmp_path / "articles.jsonl", folder)
        generation = open_current(folder)
        assert generation.meta["positions"] == positions.VERSION
        assert opened and not before & set(opened)  # only the new segment's
        before = {p.stem for p in generation.path.glob("*.pos")}
    meta = generation.path / "rocksearch.json"  # as an older version left it: no mark
    data = json.loads(meta.read_text())
    del data["positions"]
    meta.write_text(json.dumps(data))
    write_jsonl(tmp_path / "articles.jsonl", [*records, *({"id": f"new{m}", "title": "New",
                "date": "2021-01-01", "body": "the cash"} for m in range(3))])  # fmt: skip
    opened.clear()
    build_index(tmp_path / "articles.jsonl", folder)
    assert before <= set(opened)  # every segment's file checked again


def test_a_segment_maps_its_words_in_a_thousandth_of_its_posts():
    assert [positions.min_df_of(n) for n in (10, 5_000, 50_000, 600_000)] == [5, 5, 50, 500]


@pytest.mark.parametrize("spill", [False, True])
def test_the_writers_positions_file_is_the_one_read_from_its_segment(tmp_path, monkeypatch, spill):
    """The writer makes each new segment's positions file from the postings it holds
    (indexer.positions.PositionsBuilder fed by indexer.writer.write_postings): byte
    for byte the file `write_positions` makes from the written segment, for a fresh
    segment and for one that merges another (postings read back by Whoosh's
    add_reader), with a pool that spills or not; and a post longer than the length
    byte holds takes its numbering from its stored text."""
    from whoosh import index as whoosh_index
    from whoosh.reading import SegmentReader

    from indexer.article import Article
    from indexer.schema import make_schema, to_document
    from indexer.writer import FastSegmentWriter

    monkeypatch.setattr(positions, "MIN_DF", 3)
    monkeypatch.setattr(positions, "MIN_DF_FLOOR", 3)
    monkeypatch.setattr(positions, "DENSE", 20)  # bitmaps for the commonest words
    monkeypatch.setattr(positions, "_LONGEST", 30)  # "longer" posts: counted from the text
    records = articles(90, seed=11)

    def merge_all(writer, segments):
        for segment in segments:
            with SegmentReader(writer.storage, writer.schema, segment) as reader:
                writer.add_reader(reader)
        return []

    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    made = []
    for part, merge in ((records[:50], None), (records[50:], merge_all)):
        writer = FastSegmentWriter(ix)
        if spill:
            writer.pool.limit = 20_000  # bytes: several runs on disk
        for r in part:
            writer.add_document(**to_document(Article(**r), "h"))
        writer.commit(mergetype=merge)
        made.append(writer.positions_file)
        with ix.reader() as reader:
            (leaf, _), *others = reader.leaf_readers()
            assert not others
            folder = tmp_path / f"read{len(made)}"
            folder.mkdir()
            read = positions.write_positions(leaf, folder)
            assert made[-1] is not None and made[-1].name == read.name
            assert made[-1].read_bytes() == read.read_bytes()
            file = PositionsFile.open(tmp_path, leaf.segment().segment_id())
            assert file.positions("body_exact", "the") and file.bitmap("body_exact", "the")
            assert file.postings("title", "post")


def test_a_gap_in_a_phrase_stands_for_any_one_word(tmp_path):
    """ "write * * * rock" (None for a word) finds the post that has "write this on a
    rock" and the one with "write it on the rock", not one with the words farther
    apart or the other way round, nor two posts where one ends and the next begins."""
    index = index_of(tmp_path, [
        {"id": "maxim", "title": "One", "body": "Write this on a rock, they said."},
        {"id": "other", "title": "Two", "body": "Write it on the rock."},
        {"id": "far", "title": "Three", "body": "Write it down on a big rock."},
        {"id": "back", "title": "Four", "body": "Rock on a bed, this write."},
        {"id": "end", "title": "Five", "body": "Nothing but write"},
        {"id": "start", "title": "Six", "body": "one two three rock"},
    ])  # fmt: skip
    state = get_state(index, wait=True)
    found = Phrases(state, time.perf_counter() + 10).docs("body_exact", ["write", None, None,
                                                                         None, "rock"])  # fmt: skip
    assert sorted(state.stored_fields(d)["id"] for d in found) == ["maxim", "other"]


def test_a_star_in_a_quoted_phrase_is_any_one_word_the_posts_say_there(tmp_path):
    """A reader who remembers a maxim but one word types `"write * on a rock"`: the
    posts that say it with a word there come first, the commonest such phrase searched,
    the others beside it; not the post with the words apart. The star had been dropped:
    no post says "write on a rock", so the words were searched, with a warning that
    misquoted the reader. A gap no post fills is quoted as typed."""
    index = index_of(tmp_path, [
        {"id": "this", "title": "One", "body": "Write this on a rock: customers come first."},
        {"id": "it", "title": "Two", "body": "Write it on a rock, and keep it."},
        {"id": "this2", "title": "Three", "body": "Again: write this on a rock."},
        {"id": "apart", "title": "Write on a rock", "body": "A rock is where you write."},
    ])  # fmt: skip
    results = search(index, '"write * on a rock"')
    assert sorted(h["id"] for h in results.hits[:3]) == ["it", "this", "this2"]
    assert results.warnings == []
    assert results.parsed == '("write this on a rock" OR "write it on a rock")'
    for hit in results.hits[:3]:
        said = "this" if hit["id"].startswith("this") else "it"
        assert (f"<mark>write</mark> <mark>{said}</mark> <mark>on</mark> <mark>a</mark> "
                "<mark>rock</mark>") in hit["snippet"].lower()  # fmt: skip
    typed = search(index, '"writ * on a rok"')  # (the words corrected, then the gap filled)
    assert typed.parsed == results.parsed
    assert [h["id"] for h in typed.hits] == [h["id"] for h in results.hits]
    nothing = search(index, '"customers * last"')
    assert nothing.warnings[0] == ('No post has the exact phrase "customers * last"; '
                                   "showing posts with its words.")  # fmt: skip


def test_a_word_a_field_lacks_is_looked_up_in_whoosh_once(tmp_path, monkeypatch):
    """Most words are in no title, and a typo in no field: the answer "none" is kept with
    the decoded postings, so the next query with the word asks Whoosh nothing. (A field
    no post has, the maxims of a blog without them, is asked nothing at all.)"""
    import search.scoring
    from search.scoring import postings

    index = index_of(tmp_path, articles(20))
    state = IndexState(open_current(index))
    asked = []
    real = search.scoring.leaf_postings

    def leaf_postings(leaf, field, btext):
        asked.append((field, btext))
        return real(leaf, field, btext)

    monkeypatch.setattr(search.scoring, "leaf_postings", leaf_postings)
    monkeypatch.setattr(state.positions_file(0), "postings", lambda field, word: None)
    for _ in range(3):
        assert postings(state, "title", "zebra")[0] == 0
        assert postings(state, "body", "rock")[0] > 0
        assert postings(state, "maxim", "rock")[0] == 0
    assert asked == [("title", b"zebra"), ("body", b"rock")]
