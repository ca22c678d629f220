"""Duplicate posts: the groups on the real pages, planted variants, and collapsed search."""

from __future__ import annotations

import json
import pickle
import random
import subprocess

import pytest

from indexer.article import Article
from indexer.build import build_index
from indexer.sources import read_corpus
from search.duplicate_index import refresh_duplicates
from search.duplicates import find_groups
from search.engine import search
from tests.conftest import CORPUS, ROOT, write_jsonl

BIO = "Jim Blasingame is the author of the award-winning book, The Age of the Customer."


def corpus_articles() -> list[dict]:
    return [a.to_dict() for a in read_corpus(CORPUS) if isinstance(a, Article)]


def by_title(groups) -> dict[str, dict[str, str]]:
    """canonical title -> {member title (with file): relation}"""
    out = {}
    for g in groups:
        head = g["members"][0]
        out[head["title"]] = {f"{m['title']} @{m['source']['file'][:3]}": m["relation"]
                              for m in g["members"][1:]}  # fmt: skip
    return out


def test_the_groups_on_the_corpus_pages():
    assert by_title(find_groups(corpus_articles())) == {
        "Celebrate your customers this week": {"Celebrate your customers this week @001": "exact"},
        "Blasingame’s new law of customer relevance":
            {"Bring Your Customer’s Customer Into Focus @000": "excerpt"},
        "You should never have “a customer from hell”":
            {"“Customers from Hell” and the #1 Business Fundamental @000": "excerpt"},
        "The Age of the Customer®, Part 3: The values of online customer communities":
            {"Your values and customer communities @003": "rewrite"},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b"),
    [("“No Problem,” The Vuvuzela Of Customer Service",
      "“Thank you” is golden, “No problem” is a problem"),
     ("VIDEO: Allow customers to see your business’s authentic side",
      "Allow customers to see your authentic side through writing"),
     ("VIDEO: Allow customers to see your business’s authentic side",
      "VIDEO: Differentiating between users and customers"),
     ("Storytelling Gave Birth To The Marketplace",
      "Allow customers to see your authentic side through writing")],
)  # fmt: skip
def test_same_topic_or_shared_blurb_is_not_a_duplicate(a, b):
    together = [{m["title"] for m in g["members"]} for g in find_groups(corpus_articles())]
    assert not any({a, b} <= titles for titles in together)


def test_canonical_is_the_fullest_then_the_earliest():
    base = {"title": "A post", "body": "word " * 200, "source": None}
    groups = find_groups([
        {**base, "id": "late", "date": "2022-01-01"},
        {**base, "id": "early", "date": "2020-01-01"},
        {**base, "id": "short", "date": "2019-01-01", "body": "word " * 100, "excerpt": True},
    ])  # fmt: skip
    assert groups[0]["canonical"] == "early"


# --- planted variants ----------------------------------------------------------------------


def variants(rng: random.Random, article: dict, n: int) -> list[tuple[dict, str]]:
    """Known variants of `article`: (variant, relation it must get)."""
    paragraphs = article["body"].split("\n\n")
    words = article["body"].split(" ")
    vocab = ["market", "customer", "value", "plan", "team", "price", "growth", "trust"]
    edited = [rng.choice(vocab) if rng.random() < 0.1 else w for w in words]
    shuffled = paragraphs[:]
    rng.shuffle(shuffled)
    cut = max(1, int(len(paragraphs) * 0.4))
    made = [
        ({**article, "title": article["title"]}, "exact"),
        ({**article, "title": f"Republished: why {article['title'].lower()} matters"}, "retitled"),
        ({**article, "body": "\n\n".join(paragraphs[:cut]), "excerpt": True}, "excerpt"),
        ({**article, "body": " ".join(edited)}, "edited"),
        ({**article, "body": "\n\n".join(shuffled)}, None),  # same words in another order
        ({**article, "body": article["body"] + f"\n\n{BIO}"}, None),  # boilerplate added
    ]
    return [({**v, "id": f"{article['id']}~{n}-{i}"}, rel) for i, (v, rel) in enumerate(made)]


def test_planted_variants_are_found_with_high_precision_and_recall():
    rng = random.Random(5)
    known = {m["id"] for g in find_groups(corpus_articles()) for m in g["members"]}
    articles = corpus_articles()
    originals = [a for a in articles if a["id"] not in known and len(a["body"].split()) > 120]
    assert len(originals) >= 8
    planted, truth, expected = [], set(), {}
    for n, original in enumerate(originals):
        for variant, rel in variants(rng, original, n):
            planted.append(variant)
            truth.add(frozenset((original["id"], variant["id"])))
            expected[variant["id"]] = rel
    groups = find_groups(articles + planted)
    found = set()
    relation_of = {}
    for g in groups:
        ids = [m["id"] for m in g["members"]]
        found |= {frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :]}
        relation_of.update({m["id"]: m["relation"] for m in g["members"]})
    relevant = {p for p in found if any("~" in x for x in p)}
    # Variants of one original are duplicates of each other too: count those as right.
    right = {p for p in relevant if len({x.split("~")[0] for x in p}) == 1}
    precision = len(right) / len(relevant)
    recall = len(truth & found) / len(truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    labelled = [v for v, rel in expected.items() if rel]
    correct = sum(1 for v in labelled if relation_of.get(v) == expected[v])
    assert correct / len(labelled) >= 0.9, {v: (relation_of.get(v), expected[v]) for v in labelled}


# --- kept with the index, collapsed in search -----------------------------------------------------


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dups")
    records = corpus_articles()
    write_jsonl(folder / "a.jsonl", records)
    build_index(folder / "a.jsonl", folder / "index")
    refresh_duplicates(folder / "index")
    return folder / "index"


def test_search_shows_one_version_per_group_and_keeps_counts_exact(index):
    collapsed = search(index, "celebrate customers this week")
    titles = [h["title"] for h in collapsed.hits]
    assert titles.count("Celebrate your customers this week") == 1
    hit = collapsed.hits[titles.index("Celebrate your customers this week")]
    assert len(hit["other_versions"]) == 1  # the other copy, linked
    assert hit["other_versions"][0]["relation"] in ("canonical", "exact")
    every = search(index, "celebrate customers this week", collapse=False)
    assert [h["title"] for h in every.hits].count("Celebrate your customers this week") == 2
    assert collapsed.total == every.total  # totals count articles either way
    assert collapsed.collapsed == 1 and collapsed.to_dict()["distinct"] == collapsed.total - 1


def test_cli_duplicates_json(index, cli_command):
    result = subprocess.run([*cli_command, "--index", str(index), "duplicates", "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    data = json.loads(result.stdout)
    assert data["ok"] is True and len(data["groups"]) == 4
    member = data["groups"][0]["members"][1]
    assert set(member) >= {"id", "title", "source", "relation", "scores"}
    assert set(member["scores"]) >= {"containment", "similarity", "title"}


def group_ids(index_dir) -> list[list[str]]:
    groups = refresh_duplicates(index_dir)["groups"]
    return sorted(sorted(m["id"] for m in g["members"]) for g in groups)


def test_groups_follow_every_update_as_a_fresh_build_finds_them(tmp_path):
    """Add, edit and delete posts across updates: the groups always equal a fresh build's."""
    text = ("Cash flow is the oxygen of a small business, and every owner learns to watch "
            "receivables weekly, to invoice the day the work is done, and to keep a reserve "
            "for the slow months that always come. ")  # fmt: skip
    other = ("Customers remember how you made them feel long after they forget the price, "
             "so greet them early, thank them and fix mistakes before they ask. ")  # fmt: skip
    posts = [
        {"id": "cash", "title": "Cash flow is oxygen", "body": text * 3},
        {"id": "care", "title": "Customers remember", "body": other * 3},
    ]
    corpus = tmp_path / "a.jsonl"
    steps = [
        posts,
        posts + [{"id": "cash-copy", "title": "Cash flow is oxygen", "body": text * 3}],
        posts + [{"id": "cash-copy", "title": "Cash flow is oxygen", "body": other * 3}],
        [posts[1], {"id": "care-copy", "title": "Customers remember", "body": other * 3}],
    ]
    for n, step in enumerate(steps):
        write_jsonl(corpus, step)
        build_index(corpus, tmp_path / "index")
        build_index(corpus, tmp_path / f"fresh-{n}", rebuild=True)
        assert group_ids(tmp_path / "index") == group_ids(tmp_path / f"fresh-{n}"), n
    assert group_ids(tmp_path / "index") == [["care", "care-copy"]]


CASH = ("Cash flow is the oxygen of a small business, and every owner learns to watch "
        "receivables weekly, to invoice the day the work is done, and to keep a reserve for "
        "the slow months that always come. ")  # fmt: skip
CARE = {
    "id": "care",
    "title": "Customers remember",
    "date": "2021-03-04",
    "body": "Customers remember how you made them feel, long after the price. " * 3,
}


def updated_and_fresh(tmp_path, before: list[dict], after: list[dict]) -> list:
    """An index of `before` updated to `after` (what the update adds comes last in it),
    and a fresh build of `after`, each with its duplicate groups found."""
    corpus = tmp_path / "a.jsonl"
    write_jsonl(corpus, before)
    build_index(corpus, tmp_path / "index")
    write_jsonl(corpus, after)
    build_index(corpus, tmp_path / "index")
    build_index(corpus, tmp_path / "fresh", rebuild=True)
    indexes = [tmp_path / "index", tmp_path / "fresh"]
    for index in indexes:
        refresh_duplicates(index)
    return indexes


def test_of_tied_copies_the_canonical_is_shown_whatever_order_they_were_indexed_in(tmp_path):
    """An update appends a new copy after the old one, where a fresh build reads it
    first: the copy shown must not depend on that (it did: the first in index order)."""
    late = {"id": "b-indexed-first", "title": "Cash flow is oxygen", "date": "2021-03-04",
            "categories": ["Cash Flow"], "body": CASH * 3}  # fmt: skip
    early = {**late, "id": "a-added-later"}  # the same post, its id first: the canonical
    for index in updated_and_fresh(tmp_path, [late, CARE], [late, CARE, early]):
        (group,) = refresh_duplicates(index)["groups"]
        assert group["canonical"] == "a-added-later"
        for query, sort in (("cash flow oxygen", None), ("", "newest"), ("", "oldest")):
            hits = search(index, query, sort=sort).hits
            shown = [h["id"] for h in hits if h["title"] == "Cash flow is oxygen"]
            assert shown == ["a-added-later"], (index.name, query, sort)


def test_of_tied_copies_that_are_not_the_canonical_the_one_the_group_lists_first_is_shown(
    tmp_path,
):
    """The canonical is the full post; two copies of a shorter version match the query
    better and tie: which of the two is shown follows the group's order (date, then id),
    not the order they came into the index."""
    more = ("A banker reads the same numbers: show the bank your plan before you need "
            "the loan, and tell the story of the season as it turns. ")  # fmt: skip
    full = {"id": "full", "title": "Cash flow is oxygen", "date": "2021-03-04",
            "body": (CASH + more) * 3}  # fmt: skip
    short = {"id": "b-indexed-first", "title": "Cash flow is oxygen", "date": "2021-05-06",
             "body": CASH * 3}  # fmt: skip
    later = {**short, "id": "a-added-later"}
    for index in updated_and_fresh(tmp_path, [full, short, CARE], [full, short, CARE, later]):
        (group,) = refresh_duplicates(index)["groups"]
        assert [m["id"] for m in group["members"]] == ["full", "a-added-later",
                                                        "b-indexed-first"]  # fmt: skip
        hits = search(index, "cash flow invoice receivables").hits
        assert [h["id"] for h in hits] == ["a-added-later"], index.name


def test_a_maxim_search_lists_every_maxim_even_of_collapsed_copies(index):
    from search.engine import list_maxims

    maxims = {m["maxim"] for m in list_maxims(index)}
    found = search(index, "write this on a rock", per_page=50)
    assert len(maxims) == 6
    assert {h["maxim"] for h in found.hits} == maxims  # 5 of 6 before: one was a copy's
    # Copies with the same maxim are still shown once.
    assert len(found.hits) == len({h["maxim"] for h in found.hits})


NOTICE = (
    "{name} said its board of directors declared a five-for-four stock split in the "
    "form of a 25 pct stock dividend, payable {day} to shareholders of record on the "
    "date set by the board. {more} The company said the split reflects its confidence "
    "in the growth of its business and its wish to widen the ownership of its shares."
)


def notices() -> list[dict]:
    """Two companies' notices on one template, and a story with its copy under an
    edited headline."""
    story = (
        "Japan warned the United States it may retaliate if Washington imposes tariffs "
        "on Japanese electronics, officials said, as talks between the two sides "
        "failed to settle the semiconductor pact. Tokyo will ask the world trade body "
        "to rule on the tariffs, which it says break the rules both countries agreed."
    )
    return [
        {"id": "york", "title": "YORK FINANCIAL <YFED> SPLITS STOCK",
         "body": NOTICE.format(name="York Financial Corp", day="May 5",
                               more="York Federal Savings and Loan is its main unit.")},
        {"id": "immucor", "title": "IMMUCOR <BLUD> SPLITS STOCK",
         "body": NOTICE.format(name="Immucor Inc", day="April 15",
                               more="Immucor makes blood bank reagents.")},
        {"id": "dispute", "title": "JAPAN WARNS U.S. IT MAY RETALIATE IN TRADE DISPUTE",
         "body": story},
        {"id": "row", "title": "JAPAN WARNS U.S. IT MAY RETALIATE IN TRADE ROW",
         "body": story.replace("failed to settle", "did not settle")},
    ]  # fmt: skip


def test_two_notices_on_one_template_are_not_one_post(tmp_path):
    """Reuters' stock split notices of York Financial and of Immucor, one sentence with
    the names changed, were one group (an "excerpt", containment 0.78): a search for
    stock splits hid one company's notice behind the other's. Each title names what the
    other post never says; a headline with one word put otherwise is still a copy. An
    update that adds the second notice decides as a whole pass does."""
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    def shape(groups) -> list[list[str]]:
        return sorted(sorted(m["id"] for m in g["members"]) for g in groups)

    posts = notices()
    assert shape(find_groups(posts)) == [["dispute", "row"]]
    blog = corpus_articles()  # (beside a blog's posts: a change of two is an update)
    kept: dict = {}
    corpus = tmp_path / "a.jsonl"
    for records in ([*blog, posts[0], posts[2]], [*blog, *posts]):  # a whole pass, an update
        write_jsonl(corpus, records)
        build_index(corpus, tmp_path / "index", before_publish=lambda g: kept.update(
            prepare_generation(g)))  # fmt: skip
    assert kept["updated"]
    fresh = shape(find_groups(articles_of(get_state(tmp_path / "index", wait=True))))
    assert shape(kept["groups"]) == fresh
    assert ["dispute", "row"] in fresh and not any("immucor" in g for g in fresh)


def test_the_indexer_updates_groups_for_changed_posts_as_a_fresh_pass_finds_them(tmp_path):
    """Published with its groups (search/prepare.py), each generation's groups come from
    the previous one's working data, deciding again only what the changes can affect:
    after adds, edits and deletes they are what the whole finder finds."""
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    posts = corpus_articles()
    corpus = tmp_path / "a.jsonl"

    def groups_after(records) -> tuple[dict, list, list]:
        write_jsonl(corpus, records)
        kept: dict = {}

        def prepare(generation):
            kept.update(prepare_generation(generation))

        build_index(corpus, tmp_path / "index", before_publish=prepare)
        fresh = find_groups(articles_of(get_state(tmp_path / "index", wait=True)))

        def shape(groups):
            return sorted((g["canonical"], sorted(m["id"] for m in g["members"])) for g in groups)

        return kept, shape(kept["groups"]), shape(fresh)

    first, updated, fresh = groups_after(posts)
    assert not first["updated"] and updated == fresh and len(fresh) == 4  # a whole pass
    long = [p for p in posts if len(p["body"]) > 1500]
    copy = {**long[2], "id": "copy-of-2"}
    excerpt = {**long[5], "id": "excerpt-of-5", "body": long[5]["body"][:900], "excerpt": True}
    steps = [
        [*posts, copy],  # an exact copy added
        [*posts, copy, excerpt],  # an excerpt added
        [*posts, {**copy, "body": long[8]["body"]}, excerpt],  # the copy edited into another
        [*posts, {**copy, "body": long[8]["body"]}],  # a grouped post (the excerpt) deleted
        # Every member of a group deleted (a file of posts removed): the group went on
        # being listed, its members nowhere, as none of them was left to reach it by.
        [
            *[p for p in posts if not p["title"].startswith("Celebrate your customers")],
            {**copy, "body": long[8]["body"]},
        ],  # fmt: skip
    ]
    for n, records in enumerate(steps):
        kept, updated, fresh = groups_after(records)
        assert kept["updated"], n  # found by an update, not a whole pass
        assert updated == fresh, n
    assert not any("excerpt-of-5" in members for _, members in updated)
    assert not any(canonical.startswith("celebrate-your-customers") for canonical, _ in updated)
    assert [long[8]["id"], "copy-of-2"] in [sorted(members) for _, members in updated]


def test_a_grouped_post_that_moves_down_a_line_shows_its_new_line_in_its_group(
    tmp_path, cli_command
):
    """A member's source is where the post is now: a post written above a group's posts
    moves them a line down without changing them, and every reader of the groups (the
    state a search uses, the groups' file, the CLI) shows the new lines."""
    from search.duplicate_store import load_duplicates
    from search.prepare import prepare_generation
    from search.state import get_state

    posts = [p for p in corpus_articles() if len(p["body"]) > 1500][:6]
    copy = {**posts[0], "id": "copy-of-0"}
    corpus = write_jsonl(tmp_path / "a.jsonl", [*posts, copy])
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)

    def lines_of_group(groups) -> dict[str, int]:
        (group,) = [g for g in groups if "copy-of-0" in {m["id"] for m in g["members"]}]
        return {m["id"]: m["source"]["line"] for m in group["members"]}

    assert lines_of_group(get_state(index, wait=True).groups["groups"]) == {
        posts[0]["id"]: 1,
        "copy-of-0": 7,
    }
    new = {"id": "new-first", "title": "A new post", "body": "Written above the others."}
    write_jsonl(corpus, [new, *posts, copy])
    kept: dict = {}
    summary = build_index(
        corpus, index, before_publish=lambda g: kept.update(prepare_generation(g))
    )
    assert summary.added == 1 and summary.updated == 0 and kept["updated"]
    moved = {posts[0]["id"]: 2, "copy-of-0": 8}
    state = get_state(index, wait=True)
    assert lines_of_group(state.groups["groups"]) == moved
    assert lines_of_group(load_duplicates(state.generation.path)["groups"]) == moved
    fresh = get_state(index, wait=True)
    fresh.forget_duplicates()  # read from the file, as a process without the cache would
    assert lines_of_group(fresh.groups["groups"]) == moved
    out = subprocess.run([*cli_command, "--index", str(index), "duplicates", "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    assert lines_of_group(json.loads(out)["groups"]) == moved


@pytest.mark.parametrize("base_changes", [100, 0])
def test_working_data_read_back_from_its_base_and_changes_is_what_the_update_kept(
    tmp_path, monkeypatch, base_changes
):
    """The working data is kept as a base file that later generations share and each
    generation's changes since it: read back (by a new process, not from memory) it is
    what the update had, array for array, and the groups of updates that read it are a
    fresh pass's. With a new base at each change, each generation has one base."""
    import numpy as np

    import search.duplicate_work as duplicate_work
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    monkeypatch.setattr(duplicate_work, "BASE_CHANGES", base_changes)
    posts = [p for p in corpus_articles() if len(p["body"]) > 1500]
    corpus = tmp_path / "a.jsonl"
    index = tmp_path / "index"
    copy = {**posts[2], "id": "copy-of-2"}
    excerpt = {**posts[5], "id": "excerpt-of-5", "body": posts[5]["body"][:900], "excerpt": True}
    steps = [
        posts,
        [*posts, copy],
        [*posts, copy, excerpt],
        [*posts, {**copy, "body": posts[8]["body"]}, excerpt],
        [*posts[1:], {**copy, "body": posts[8]["body"]}],
    ]
    bases = set()
    for n, records in enumerate(steps):
        monkeypatch.setattr(duplicate_work, "_saved", None)  # as a new process: from disk
        write_jsonl(corpus, records)
        kept: dict = {}
        build_index(corpus, index, before_publish=lambda g, k=kept: k.update(prepare_generation(g)))
        assert kept["updated"] == (n > 0), n
        state = get_state(index, wait=True)
        folder = state.generation.path
        had = duplicate_work._saved[1]
        monkeypatch.setattr(duplicate_work, "_saved", None)
        read = duplicate_work.read_work(folder)
        # The base's hashes, titles and dates are read one at a time where they lie.
        for name in duplicate_work.COLUMNS:
            column = getattr(read.posts, name)
            assert isinstance(column, duplicate_work.BaseColumn), (n, name)
            assert isinstance(column.base, duplicate_work.StringColumn), (n, name)
        for name in ("slots", "hashes", "titles", "dates", "row"):
            assert getattr(read.posts, name) == getattr(had.posts, name), (n, name)
        # Bases written before: all four lists in one pickle, or the three in another.
        data = pickle.loads((folder / duplicate_work.WORK_FILE).read_bytes())
        arrays = dict(data["base"].read(folder))
        slots = pickle.loads(memoryview(arrays[duplicate_work.LISTS]))
        columns = [getattr(read.posts, name).base.all() for name in duplicate_work.COLUMNS]
        for name in duplicate_work.COLUMNS:
            for part in ("values", "offsets", "none"):
                del arrays[f"posts.{name}.{part}"]
        for lists, details in [((slots, *columns), None), (slots, tuple(columns))]:
            arrays[duplicate_work.LISTS] = duplicate_work._pickled(lists)
            if details is not None:
                arrays[duplicate_work.DETAILS] = duplicate_work._pickled(details)
            older = duplicate_work._from_base(data["base"], data["delta"], arrays)
            for name in ("slots", "hashes", "titles", "dates", "row"):
                assert getattr(older.posts, name) == getattr(had.posts, name), (n, name)
        assert np.array_equal(read.posts.live, had.posts.live), n
        for name in ("excerpt", "length", "text_key", "has_shingles"):
            assert np.array_equal(getattr(read.posts, name), getattr(had.posts, name)), n
        for name in ("sampled", "long_keys", "short_keys"):
            a, b = getattr(read.posts, name), getattr(had.posts, name)
            assert np.array_equal(a.values, b.values) and np.array_equal(a.offsets, b.offsets)
        read_postings, had_postings = read.postings.flat(), had.postings.flat()
        assert np.array_equal(read_postings.keys, had_postings.keys), n
        assert np.array_equal(read_postings.owners, had_postings.owners), n
        assert np.array_equal(read.pairs.a, had.pairs.a), n
        assert np.array_equal(read.pairs.b, had.pairs.b), n
        assert np.array_equal(read.pairs.scores, had.pairs.scores, equal_nan=True), n
        assert np.array_equal(read.pairs.pending, had.pairs.pending), n
        assert read.boilerplate == had.boilerplate, n
        assert read.groups.texts == had.groups.texts and read.groups.ids == had.groups.ids, n
        fresh = find_groups(articles_of(state))
        assert sorted(sorted(m["id"] for m in g["members"]) for g in kept["groups"]) == sorted(
            sorted(m["id"] for m in g["members"]) for g in fresh
        ), n
        (base,) = folder.glob(duplicate_work.BASE_PREFIX + "*")
        bases.add(base.name)
    # A pair of the base shown since (its pending scores completed) keeps its new scores.
    later = tmp_path / "gen-later"
    later.mkdir()
    (later / base.name).hardlink_to(base)
    # (a row of the base when each change wrote one; else the pairs came after the base)
    from_base = np.arange(len(read.pairs.rows))  # (the base's rows come first)
    assert len(from_base) == (len(read.pairs) if base_changes == 0 else 0) > 0 or base_changes
    row = int(from_base[0]) if len(from_base) else 0
    read.pairs.set_scores(row, {"containment": 0.25, "score": 0.25})
    duplicate_work.save_work(later, read)
    monkeypatch.setattr(duplicate_work, "_saved", None)
    again = duplicate_work.read_work(later)
    assert again.pairs.scores_of(row) == {"containment": 0.25, "score": 0.25}
    assert np.array_equal(again.pairs.scores, read.pairs.scores, equal_nan=True)
    # Each change past BASE_CHANGES wrote a new base; else the first one is shared.
    assert len(bases) == (len(steps) if base_changes == 0 else 1)


def test_a_paragraph_that_reaches_or_leaves_the_boilerplate_threshold_costs_no_whole_pass(
    tmp_path,
):
    """A short paragraph three posts share is boilerplate (left out of their texts);
    deleting one of them takes it below the threshold, and adding one back brings it
    over again. The posts that have it are prepared again by the update (no whole
    pass), and the groups are a fresh pass's each time."""
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    posts = corpus_articles()  # (enough that three changed posts are not a fifth)
    bio = "Call us any weekday between nine and five for a quote."
    signed = [{**p, "body": p["body"] + f"\n\n{bio}"} for p in posts[:3]]
    copy = {**posts[4], "id": "copy-of-4"}
    corpus = tmp_path / "a.jsonl"
    index = tmp_path / "index"
    steps = [
        [*signed, *posts[3:], copy],
        [*signed[1:], *posts[3:], copy],  # two posts have the paragraph: not boilerplate
        [*signed[1:], *posts[3:], copy, {**posts[5], "id": "signed-5",
                                         "body": posts[5]["body"] + f"\n\n{bio}"}],
    ]  # fmt: skip
    boilerplate = []
    for n, records in enumerate(steps):
        write_jsonl(corpus, records)
        kept: dict = {}
        build_index(corpus, index, before_publish=lambda g, k=kept: k.update(prepare_generation(g)))
        assert kept["updated"] == (n > 0), n  # an update, not a whole pass
        state = get_state(index, wait=True)
        fresh = find_groups(articles_of(state))
        assert sorted(sorted(m["id"] for m in g["members"]) for g in kept["groups"]) == sorted(
            sorted(m["id"] for m in g["members"]) for g in fresh
        ), n
        from search.duplicate_work import read_work

        boilerplate.append(len(read_work(state.generation.path).boilerplate))
    assert boilerplate[0] == boilerplate[2] == boilerplate[1] + 1


@pytest.mark.parametrize("batch", [2, 3, 1_000_000])
def test_an_update_decided_a_batch_of_posts_at_a_time_finds_a_fresh_passs_groups(
    tmp_path, monkeypatch, batch
):
    """However many posts the pairs to decide again span, the update takes them
    BATCH_POSTS at a time, letting go of its lookups between batches, and gives no way to
    a whole pass for it: with batches of two or three posts, its groups after three copies
    are added, one of them edited and their original deleted are a fresh pass's each
    time."""
    import search.duplicate_update as duplicate_update
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    monkeypatch.setattr(duplicate_update, "BATCH_POSTS", batch)
    forgot = []
    real_forget = duplicate_update._forget
    monkeypatch.setattr(duplicate_update, "_forget",
                        lambda *a: forgot.append(1) or real_forget(*a))  # fmt: skip
    posts = corpus_articles()
    corpus = write_jsonl(tmp_path / "a.jsonl", posts)
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    copies = [{**posts[2], "id": f"copy-{n}-of-2"} for n in range(3)]
    edited = {**copies[0], "body": copies[0]["body"] + "\n\nOne more line at the end."}
    steps = [[*posts, *copies], [*posts, edited, *copies[1:]],
             [*posts[:2], *posts[3:], edited, *copies[1:]]]  # fmt: skip
    for n, records in enumerate(steps):
        write_jsonl(corpus, records)
        kept: dict = {}
        build_index(corpus, index, before_publish=lambda g, k=kept: k.update(prepare_generation(g)))
        assert kept["updated"] and kept["whole_pass"] is None, n
        fresh = find_groups(articles_of(get_state(index, wait=True)))
        groups = sorted(sorted(m["id"] for m in g["members"]) for g in kept["groups"])
        assert groups == sorted(sorted(m["id"] for m in g["members"]) for g in fresh), n
        if n < 2:
            assert any({"copy-0-of-2", posts[2]["id"]} <= set(g) for g in groups), n
    # The lookups are let go once the candidates are found (each step), and between
    # batches when there are several.
    assert (len(forgot) > len(steps)) == (batch < 10)


@pytest.mark.parametrize("damaged", ["work", "base"])
def test_damaged_working_data_costs_a_whole_pass_not_the_groups(tmp_path, monkeypatch, damaged):
    """A torn `duplicates.work`, or a base file that is not the one it was written with
    (longer than recorded), is not used: the next update runs the whole finder."""
    import search.duplicate_work as duplicate_work
    from search.prepare import prepare_generation
    from search.state import get_state

    posts = [p for p in corpus_articles() if len(p["body"]) > 1500]
    corpus = write_jsonl(tmp_path / "a.jsonl", posts)
    build_index(corpus, tmp_path / "index", before_publish=prepare_generation)
    folder = get_state(tmp_path / "index", wait=True).generation.path
    if damaged == "work":
        (folder / duplicate_work.WORK_FILE).write_bytes(b"\x80\x05torn")
    else:
        (base,) = folder.glob(duplicate_work.BASE_PREFIX + "*")
        with open(base, "ab") as f:
            f.write(b"more")
    monkeypatch.setattr(duplicate_work, "_saved", None)  # as a new process: from disk
    with pytest.raises(duplicate_work.NoWork):
        duplicate_work.read_work(folder)
    import search.duplicate_update as duplicate_update

    real_pass, held = duplicate_update.full_pass, []
    # What a long-running indexer keeps of the working data it saved last (of another
    # generation here, so not used): a whole pass must not hold it.
    monkeypatch.setattr(duplicate_work, "_saved", (("another",), object()))

    def full_pass(*args):
        held.append(duplicate_work._saved)  # the last saved working data, let go first
        return real_pass(*args)

    monkeypatch.setattr(duplicate_update, "full_pass", full_pass)
    kept: dict = {}
    write_jsonl(corpus, [*posts, {**posts[0], "id": "copy-of-0"}])
    build_index(corpus, tmp_path / "index",
                before_publish=lambda g: kept.update(prepare_generation(g)))  # fmt: skip
    assert not kept["updated"] and held == [None]  # a whole pass, the old data let go
    assert kept["whole_pass"].startswith("the working data kept is unreadable (")
    assert any({posts[0]["id"], "copy-of-0"} <= {m["id"] for m in g["members"]}
               for g in kept["groups"])  # fmt: skip


def test_the_boilerplate_decided_again_for_changed_paragraphs_is_a_fresh_count():
    """An update decides again only the short paragraphs the changed posts have; over
    many random changes that gives what counting every post again gives."""
    import numpy as np

    from search.duplicate_update import _boilerplate
    from search.duplicate_work import Post, Posts
    from search.duplicates import boilerplate_from

    rng = random.Random(7)

    def keys() -> tuple[tuple[int, ...], tuple[int, ...]]:
        short = tuple(rng.sample(range(12), rng.randint(0, 3)))  # a small pool: shared
        return (*short, *rng.sample(range(100, 130), rng.randint(0, 4))), short

    def post(n: int, k) -> Post:
        return Post(f"p{n}", "", "", None, False, 0, k, 0, np.zeros(0, np.uint32), False)

    made = [keys() for _ in range(40)]
    table = Posts.of([post(n, k) for n, k in enumerate(made)])
    was = boilerplate_from(made, [f"p{n}" for n in range(40)])
    assert was  # the pool is small enough for some paragraphs to be boilerplate
    for step in range(200):
        live = np.flatnonzero(table.live).tolist()
        gone = rng.sample(live, rng.randint(0, 3))
        fresh = {f"p{len(table.slots) + n}": keys() for n in range(rng.randint(0, 3))}
        found = _boilerplate(table, gone, fresh, was)
        kept = [s for s in live if s not in gone]
        ids = [table.slots[s] for s in kept] + list(fresh)
        fresh_count = boilerplate_from(table.paragraph_keys(kept) + list(fresh.values()), ids)
        assert found == fresh_count, step
        added = [post(len(table.slots) + n, k) for n, k in enumerate(fresh.values())]
        table, was = table.changed(gone, added), found


def test_the_boilerplate_does_not_depend_on_where_the_posts_are():
    """A paragraph's first MAX_POSTING holders decide whether it is boilerplate, ranked by
    id (holder_rank), not by place: an edited post moves to the end of the collection,
    and that must not change the boilerplate (the update then re-read every holder and
    fell back to a whole pass, 100 s at 100k posts)."""
    from search.duplicates import MAX_POSTING, boilerplate_from

    rng = random.Random(3)
    for trial in range(30):
        posts, ids = [], []
        for n in range(rng.randint(2 * MAX_POSTING, 4 * MAX_POSTING)):
            short = [1] if rng.random() < 0.8 else []  # paragraph 1: held by most posts
            copied = [2] if rng.random() < 0.45 else []  # half of them share paragraph 2
            posts.append(((*short, *copied, 1000 + n), tuple(short)))
            ids.append(f"post-{n}")
        order = list(range(len(posts)))
        found = boilerplate_from(posts, ids)
        for _ in range(5):
            rng.shuffle(order)
            again = boilerplate_from([posts[n] for n in order], [ids[n] for n in order])
            assert again == found, trial


def test_shingles_hashed_in_place_are_the_joined_words_hashes():
    """finish() hashes an ASCII text's runs of words where they lie in its bytes; that
    must give what hashing each run joined anew gives (the working data and the sample
    depend on these values), whatever the words, spaces or accents."""
    import zlib

    from search.duplicates import SHINGLE, shingle_hashes

    rng = random.Random(3)
    vocab = ["a", "the", "cash", "flow", "café", "x", "customer's", "b2b", "naïve", "rock"]
    for _ in range(2000):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12)))
        text += " " if rng.random() < 0.3 else ""  # a cut at MAX_CHARS can end on a space
        words = text.split()
        joined = [
            zlib.crc32(" ".join(words[i : i + SHINGLE]).encode("utf-8"))
            for i in range(max(0, len(words) - SHINGLE + 1))
        ]
        assert shingle_hashes(text, words) == joined, text


def test_pairs_kept_as_rows_of_a_base_and_a_tail_read_as_whole_columns():
    """The accepted pairs as an update keeps them (rows of the base file's columns, the
    scores completed since, the pairs decided since) give what one plain list gives."""
    import numpy as np

    from search.duplicate_work import SCORES, Pairs

    rng = np.random.default_rng(5)
    n = 40
    scores = rng.random((n, len(SCORES)))
    scores[rng.random((n, len(SCORES))) < 0.3] = np.nan
    base = {"a": rng.integers(0, 50, n).astype(np.int32),
            "b": rng.integers(50, 99, n).astype(np.int32),
            "scores": scores, "pending": rng.random(n) < 0.3}  # fmt: skip
    original = {k: v.copy() for k, v in base.items()}

    def plain(row: int) -> dict:
        found = {k: v for k, v in zip(SCORES, scores[row].tolist(), strict=True) if v == v}
        return {**found, "pending": True} if base["pending"][row] else found

    model = [(int(base["a"][r]), int(base["b"][r]), plain(r)) for r in range(n)]
    pairs = Pairs.based(base)
    for step in range(3):
        mask = rng.random(len(pairs)) < 0.8
        mask[2 + step] = step == 0  # (a row whose scores were completed, dropped)
        mask[1] = True  # (one completed at the first step, kept since)
        decided = {(100 + 2 * step, 101 + 2 * step): {"containment": 0.5, "score": 0.5},
                   (120 + step, 130): {"containment": 0.9, "pending": True}}  # fmt: skip
        pairs = pairs.where(mask).plus(Pairs.of(decided))
        model = [m for m, keep in zip(model, mask.tolist(), strict=True) if keep]
        model += [(a, b, dict(s)) for (a, b), s in decided.items()]
        done_rows = (0, 1, 3, len(pairs) - 1) if step == 0 else (0, 3 + step, len(pairs) - 1)
        for row in done_rows:  # base rows and a new one, their scores completed
            done = {"containment": 0.25 + step, "score": 0.5}
            pairs.set_scores(row, done)
            model[row] = (*model[row][:2], done)
        assert pairs.base is base and pairs.fixed  # (kept as layers, not copied)
        assert len(pairs) == len(model)
        assert pairs.a.tolist() == [m[0] for m in model]
        assert pairs.b.tolist() == [m[1] for m in model]
        assert [pairs.scores_of(r) for r in range(len(pairs))] == [m[2] for m in model]
        whole = [{k: v for k, v in zip(SCORES, row, strict=True) if v == v}
                 for row in pairs.scores.tolist()]  # fmt: skip
        assert whole == [{k: v for k, v in m[2].items() if k != "pending"} for m in model]
        assert pairs.pending.tolist() == [bool(m[2].get("pending")) for m in model]
    for name, column in original.items():  # the base itself is never written
        assert np.array_equal(base[name], column, equal_nan=True), name


@pytest.mark.parametrize("new_process, told", [(False, True), (True, True), (False, False)])
def test_rounds_of_changes_across_new_bases_keep_the_groups_a_fresh_pass_finds(
    tmp_path, monkeypatch, new_process, told
):
    """Random rounds of copies added, posts edited into copies of others and deleted,
    with a new base every third change: in one long-running process (the working data
    kept in memory, its layers started again over each new base) and as a new process
    each time (read back from the files), every generation's groups are a fresh pass's;
    whether the update is `told` what the indexer changed or compares every hash."""
    import search.duplicate_work as duplicate_work
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    monkeypatch.setattr(duplicate_work, "BASE_CHANGES", 3)
    monkeypatch.setattr(duplicate_work, "_saved", None)
    compared = []  # (each time every hash was compared)
    hash_of = duplicate_work.Posts.hash_of
    monkeypatch.setattr(duplicate_work.Posts, "hash_of",
                        lambda posts: compared.append(1) or hash_of(posts))  # fmt: skip

    def prepare(generation, kept):
        if not told:
            generation.changes = None
        kept.update(prepare_generation(generation))

    rng = random.Random(8)
    records = {p["id"]: p for p in corpus_articles() if p["body"].strip()}
    corpus = tmp_path / "a.jsonl"
    updated = 0
    for n in range(8):
        if n:
            for _ in range(rng.randint(1, 2)):  # (a few: past a fifth, a whole pass)
                ids, kind = sorted(records), rng.choice(["copy", "edit", "delete"])
                source = records[rng.choice(ids)]
                if kind == "copy":
                    records[f"copy-{n}-{len(records)}"] = {
                        **source,
                        "id": f"copy-{n}-{len(records)}",
                    }
                elif kind == "edit":
                    target = rng.choice(ids)
                    records[target] = {
                        **records[target],
                        "body": source["body"][: rng.choice([900, 5000])] + f" (edit {n})",
                    }
                else:
                    del records[rng.choice(ids)]
        if new_process:
            monkeypatch.setattr(duplicate_work, "_saved", None)
        write_jsonl(corpus, list(records.values()))
        kept: dict = {}
        summary = build_index(
            corpus,
            tmp_path / "index",
            before_publish=lambda g, k=kept: prepare(g, k),
        )
        assert kept, (n, summary.line())  # (each round changed something)
        updated += bool(kept.get("updated"))
        fresh = find_groups(articles_of(get_state(tmp_path / "index", wait=True)))

        def shape(groups):
            return sorted(sorted(m["id"] for m in g["members"]) for g in groups)

        assert shape(kept["groups"]) == shape(fresh), n
    assert updated == 7  # every change was an update, none a whole pass
    assert len(compared) == (0 if told else 7)
    assert len(list((tmp_path / "index").glob("gen-*/" + duplicate_work.BASE_PREFIX + "*"))) >= 1


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_rare_pairs_found_for_many_posts_at_once_are_the_finders_own(monkeypatch, seed):
    """The update finds the finder's second candidate rule (duplicates.rare_pairs) for
    thousands of posts at once in numpy (`_rare_pairs_of`); on random posts whose
    shingles are held by from one post to more than WIDE_POSTING, it gives the same
    pairs, with and without a set of partners to keep."""
    import numpy as np

    import search.duplicate_update as duplicate_update
    import search.duplicates as duplicates

    for module in (duplicates, duplicate_update):  # small limits, so a few posts cross them
        monkeypatch.setattr(module, "MAX_POSTING", 3)
        monkeypatch.setattr(module, "WIDE_POSTING", 9)
    rng = random.Random(seed)
    pool = list(range(1000, 1120))
    weights = [1 / (n + 1) for n in range(len(pool))]  # a few common, many rare
    arrays = [np.array(sorted(set(rng.choices(pool, weights, k=rng.randint(0, 14)))),
                       dtype=np.uint32) for _ in range(90)]  # fmt: skip
    holders: dict[int, list[int]] = {}
    for slot, arr in enumerate(arrays):
        for h in arr.tolist():
            holders.setdefault(h, []).append(slot)

    class Postings:
        def held(self, arr):
            return np.array([len(holders.get(int(h), [])) for h in arr], dtype=np.int64)

        def entries(self, shingles):
            found = [(i, s) for i, h in enumerate(shingles.tolist()) for s in holders.get(h, [])]
            return (np.array([i for i, _ in found], dtype=np.int64),
                    np.array([s for _, s in found], dtype=np.int64))  # fmt: skip

    class Docs:
        def shingles(self, slot):
            return arrays[slot]

    def expected(slots, partners=None):
        out = set()
        for a in slots:
            sizes = {h: len(holders[h]) for h in arrays[a].tolist()}
            out |= duplicates.rare_pairs(a, sizes, lambda h: holders.get(h, []))
        return out if partners is None else {p for p in out if set(p) & set(partners)}

    slots = rng.sample(range(len(arrays)), 60)
    partners = sorted(rng.sample(range(len(arrays)), 20))
    found = duplicate_update._rare_pairs_of(np.array(slots), Postings(), Docs())
    assert found == expected(slots) and found  # (some pairs, or the test shows nothing)
    some = duplicate_update._rare_pairs_of(
        np.array(slots), Postings(), Docs(), partners=np.array(partners)
    )
    assert some == expected(slots, partners)


@pytest.mark.parametrize("wide", [200, 2])
def test_the_weights_and_small_counts_an_update_keeps_are_a_whole_passs(
    tmp_path, monkeypatch, wide
):
    """Each post's total weight is kept in the working data and found again only where a
    change moved the weight of one of its shingles (held by a third text, or no longer):
    as posts are edited into versions of one post, copied and deleted, every weight kept
    is the float a whole pass gives, and most are kept. With WIDE_POSTING at 2 the posts
    holding a changed shingle are not decided again (not touched), and their weights
    must still be found again."""
    import math

    import search.duplicate_update as duplicate_update
    import search.duplicates as duplicates
    from search.duplicate_work import read_work
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    monkeypatch.setattr(duplicate_update, "WIDE_POSTING", wide)
    for module in (duplicates, duplicate_update):  # (crossed by the versions both ways)
        monkeypatch.setattr(module, "MAX_POSTING", 2)
    records = {p["id"]: p for p in corpus_articles() if p["body"].strip()}
    ids = sorted(records, key=lambda i: -len(records[i]["body"]))
    source, x, y, z = (records[i] for i in ids[:4])

    def version(of: dict, n: int) -> dict:  # the source's opening, its own ending
        return {**of, "body": source["body"][:2500] + f"\n\nVersion {n} of it."}

    steps = [
        lambda r: None,
        lambda r: r.update({x["id"]: version(x, 1)}),  # two texts share the opening
        lambda r: r.update({y["id"]: version(y, 2)}),  # three: its weight moves
        lambda r: r.update({"copy": {**source, "id": "copy"}}),  # a copy: it does not
        lambda r: r.pop(y["id"]),  # two again
        lambda r: r.update({z["id"]: version(z, 3)}),
    ]
    corpus = tmp_path / "a.jsonl"
    known = []
    for n, step in enumerate(steps):
        step(records)
        write_jsonl(corpus, list(records.values()))
        kept: dict = {}
        build_index(corpus, tmp_path / "index",
                    before_publish=lambda g, k=kept: k.update(prepare_generation(g)))  # fmt: skip
        assert kept["updated"] == (n > 0), n
        state = get_state(tmp_path / "index", wait=True)
        found: dict = {}
        find_groups(articles_of(state), found=found)
        whole = {doc.id: doc.weight for doc in found["docs"]}
        posts = read_work(state.generation.path).posts
        weights = {posts.slots[s]: posts.weight[s] for s in posts.row.values()}
        assert weights.keys() == whole.keys()
        kept_weights = {i: w for i, w in weights.items() if not math.isnan(w)}
        assert all(w == whole[i] for i, w in kept_weights.items()), n
        known.append(len(kept_weights) / len(weights))
        # The small counts kept (which posts may propose by their rarest shingles) are
        # the whole pass's too.
        counted = found["postings"].small_counts(len(found["docs"]), 2)
        assert {posts.slots[s]: int(posts.small[s]) for s in posts.row.values()} == {
            doc.id: int(c) for doc, c in zip(found["docs"], counted.tolist(), strict=True)
        }, n
    assert min(known) > 0.5 and known[0] == 1.0, known


def test_pairs_an_older_rule_decided_are_decided_again(tmp_path):
    """Working data whose pairs were decided before titles naming different things
    parted a pair (no "pairing" kept) would keep such pairs for ever, each update
    deciding only the changed posts' pairs: the next update gives way to a whole pass,
    which says why, and its groups are a fresh pass's."""
    import pickle

    from search.duplicate_work import WORK_FILE
    from search.prepare import prepare_generation
    from search.state import get_state

    posts = [*corpus_articles(), *notices()]
    corpus = write_jsonl(tmp_path / "a.jsonl", posts[:-1])
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    path = get_state(index, wait=True).generation.path / WORK_FILE
    data = pickle.loads(path.read_bytes())
    del data["delta"]["pairing"]
    path.write_bytes(pickle.dumps(data))
    write_jsonl(corpus, posts)
    kept: dict = {}
    build_index(corpus, index, before_publish=lambda g: kept.update(prepare_generation(g)))
    assert not kept["updated"]
    assert kept["whole_pass"] == "the duplicate pairs were decided by an older rule"
    fresh = find_groups(posts)
    assert sorted(sorted(m["id"] for m in g["members"]) for g in kept["groups"]) == sorted(
        sorted(m["id"] for m in g["members"]) for g in fresh)  # fmt: skip
    data = pickle.loads((get_state(index, wait=True).generation.path / WORK_FILE).read_bytes())
    assert data["delta"]["pairing"] == 2


def test_working_data_of_version_9_is_updated_not_passed_again(tmp_path):
    """Working data kept by version 9 has no weights and no small counts, and its groups
    were assembled by an older rule: the next update reads it (no whole pass), finds
    the weights and counts where it needs them, assembles every group again and gives a
    fresh pass's groups; the data it keeps is this version's."""
    import pickle

    from search.duplicate_store import KeptGroups
    from search.duplicate_work import WORK_FILE, read_work
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    posts = corpus_articles()
    corpus = write_jsonl(tmp_path / "a.jsonl", posts)
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    path = get_state(index, wait=True).generation.path / WORK_FILE
    data = pickle.loads(path.read_bytes())
    data["version"] = 9
    del data["delta"]["weight"], data["delta"]["small"], data["delta"]["assembly"]
    # (Its pairs left as this rule decides them: pairs an older rule decided are decided
    # again by a whole pass, test_pairs_an_older_rule_decided_are_decided_again.)
    # Groups assembled by an older rule (here: none at all) are all assembled again,
    # not only those the change touches.
    data["delta"]["groups"] = KeptGroups.of([])
    path.write_bytes(pickle.dumps(data))
    copy = {**posts[2], "id": "copy-of-2"}
    write_jsonl(corpus, [*posts, copy])
    kept: dict = {}
    build_index(corpus, index, before_publish=lambda g: kept.update(prepare_generation(g)))
    assert kept["updated"] and kept["whole_pass"] is None
    state = get_state(index, wait=True)
    found: dict = {}
    fresh = find_groups(articles_of(state), found=found)
    groups = sorted(sorted(m["id"] for m in g["members"]) for g in kept["groups"])
    assert groups == sorted(sorted(m["id"] for m in g["members"]) for g in fresh)
    assert any({"copy-of-2", posts[2]["id"]} <= set(g) for g in groups)
    assert pickle.loads((state.generation.path / WORK_FILE).read_bytes())["version"] == 10
    # The weights it found (the copy's and its neighbours') are kept, a whole pass's.
    work = read_work(state.generation.path)
    weight = {work.posts.slots[s]: work.posts.weight[s] for s in work.posts.row.values()}
    assert weight["copy-of-2"] == next(d.weight for d in found["docs"] if d.id == "copy-of-2")


@pytest.mark.parametrize("completed", [False, True])
@pytest.mark.parametrize("numbering", [(0, 1, 2, 3, 4, 5), (5, 4, 3, 2, 1, 0), (2, 0, 5, 1, 4, 3)])
def test_a_post_paired_with_three_centres_joins_the_same_one_however_it_was_kept(
    completed, numbering
):
    """A post paired with several centres joins the one it matched best by what decided
    each pair, then the first by id. Whether a pair's other scores were completed since
    (a group showed it: the duplicate update keeps them, a whole pass starts without)
    and how the posts are numbered (an update's slots are not a whole pass's) change
    nothing: before, a completed similarity of 0.9 outweighed the other pairs'
    containment, and a tie went to the lower number (the update and a whole pass put
    one post of 100,000 in different groups)."""
    from search.duplicates import Doc, assemble

    def doc(i: str, length: int) -> Doc:
        d = Doc(i, "Title " + i, "2024-01-01", False, None, "")
        d.length = length
        return d

    names = ["a", "b", "c", "n", "y", "z"]
    slot = dict(zip(names, numbering, strict=True))
    docs: list = [None] * len(names)
    for name in names:
        docs[slot[name]] = doc(name, 400 if name in "abc" else 300)
    # n is the same writing as a (containment 0.5, accepted on it alone), as b
    # (containment 0.46; completed, its similarity is 0.9) and as c (as a: a tie); b and
    # c are centres of their own posts, y and z.
    to_b = ({"containment": 0.46, "similarity": 0.9, "partial": 0.0, "title": 1.0,
             "score": 0.9} if completed else 0.46)  # fmt: skip
    accepted = {
        (slot["n"], slot["a"]): 0.5,
        (slot["b"], slot["n"]): to_b,
        (slot["n"], slot["c"]): 0.5,
        (slot["b"], slot["y"]): 0.8,
        (slot["z"], slot["c"]): 0.8,
    }
    shown = {"containment": 0.5, "similarity": 0.5, "partial": 0.0, "title": 1.0, "score": 0.5}
    groups = assemble(docs, accepted, evidence=lambda x, y: dict(shown))
    shape = sorted(sorted(m["id"] for m in g["members"]) for g in groups)
    assert shape == [["a", "n"], ["b", "y"], ["c", "z"]]


@pytest.mark.parametrize("most", [0, 10])
def test_an_update_with_more_pairs_than_a_whole_pass_decides_gives_way_to_one(
    tmp_path, monkeypatch, most
):
    """Past PAIRS_PER_POST candidate pairs a post, deciding them again costs more than
    a whole pass (3.0 million pairs took 275 s at 100k posts, a whole pass 96 s): the
    update gives way to one, and says why. Either way the groups are a fresh pass's."""
    import search.duplicate_update as duplicate_update
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    monkeypatch.setattr(duplicate_update, "PAIRS_PER_POST", most)
    posts = corpus_articles()
    corpus = write_jsonl(tmp_path / "a.jsonl", posts)
    index = tmp_path / "index"
    build_index(corpus, index, before_publish=prepare_generation)
    write_jsonl(corpus, [*posts, {**posts[2], "id": "copy-of-2"}])
    kept: dict = {}
    build_index(corpus, index, before_publish=lambda g: kept.update(prepare_generation(g)))
    assert kept["updated"] == (most > 0)
    if most:
        assert kept["whole_pass"] is None
    else:
        assert "pairs of" in kept["whole_pass"]
        assert kept["whole_pass"].endswith("a whole pass is quicker")
    fresh = find_groups(articles_of(get_state(index, wait=True)))
    groups = sorted(sorted(m["id"] for m in g["members"]) for g in kept["groups"])
    assert groups == sorted(sorted(m["id"] for m in g["members"]) for g in fresh)
    assert any({"copy-of-2", posts[2]["id"]} <= set(g) for g in groups)


def test_posts_whose_weights_barely_moved_keep_their_pairs_until_the_moves_add_up(
    tmp_path, monkeypatch
):
    """Editing a post that has an exact copy makes its text one more text for every
    shingle it keeps, and moves those shingles' weights (2/texts) in every post holding
    them. Where that is a tiny share of a post's weight, the post's pairs are kept and the
    move is added to its drift (duplicate_update.DRIFT); once a post's drift passes its
    share, its pairs are decided again and its drift starts again from nothing. Either
    way the groups are a fresh pass's, and each post's weight floor is under its weight."""
    import search.duplicate_update as duplicate_update
    from search.duplicate_work import Posts, read_work
    from search.prepare import prepare_generation
    from search.state import get_state
    from search.stored_articles import articles_of

    rng = random.Random(5)

    def words(n: int) -> str:
        return " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz")
                                for _ in range(rng.randint(4, 8))) for _ in range(n))  # fmt: skip

    quoted = words(55)  # a paragraph every post quotes (over 50 words: no boilerplate)
    records = {f"p{n}": {"id": f"p{n}", "title": f"Post {n}", "body": f"{quoted}\n\n{words(950)}"}
               for n in range(40)}  # fmt: skip
    for n in range(2):  # two posts with an exact copy each
        records[f"p{n}-copy"] = {**records[f"p{n}"], "id": f"p{n}-copy"}
    touched: list[set[str]] = []
    real = duplicate_update._candidates

    def candidates(slots, postings, docs, most=None):
        touched.append({docs.posts.slots[s] for s in slots})
        return real(slots, postings, docs, most)

    monkeypatch.setattr(duplicate_update, "_candidates", candidates)
    # (each post is a candidate of every other, by the quoted paragraph: deciding all
    # their pairs again is more pairs a post than an update takes on at scale)
    monkeypatch.setattr(duplicate_update, "PAIRS_PER_POST", 100)
    corpus, index = tmp_path / "a.jsonl", tmp_path / "index"

    def publish() -> tuple[dict, Posts]:
        write_jsonl(corpus, list(records.values()))
        kept: dict = {}
        build_index(corpus, index, before_publish=lambda g: kept.update(prepare_generation(g)))
        state = get_state(index, wait=True)
        found: dict = {}
        fresh = find_groups(articles_of(state), found=found)
        assert group_shape(kept["groups"]) == group_shape(fresh)
        posts = read_work(state.generation.path).posts
        weight = {doc.id: doc.weight for doc in found["docs"]}
        # (NaN: not known, as for a post weighed by no pair yet)
        assert not any(posts.weight_floor[s] > weight[i] for i, s in posts.row.items())
        return kept, posts

    publish()  # (a whole pass)
    records["p0"] = {**records["p0"], "body": records["p0"]["body"] + "\n\nAn edit."}
    kept, posts = publish()
    assert kept["updated"] and touched[-1] == {"p0"}
    # Every other post holds the quoted paragraph, whose weight moved (40 texts to 41):
    # by far less than DRIFT of theirs, so their pairs were kept.
    others = [posts.row[i] for i in records if i != "p0"]
    drift, floor = posts.drift[others], posts.weight_floor[others]
    assert (drift > 0).all() and (drift <= duplicate_update.DRIFT * (floor - drift)).all()
    # Once the moves pass DRIFT (here: any move), the posts' pairs are decided again.
    monkeypatch.setattr(duplicate_update, "DRIFT", 0.0)
    records["p1"] = {**records["p1"], "body": records["p1"]["body"] + "\n\nAn edit."}
    kept, posts = publish()
    assert kept["updated"] and touched[-1] == set(records)
    assert (posts.drift[list(posts.row.values())] == 0).all()


def group_shape(groups) -> list[list[str]]:
    return sorted(sorted(m["id"] for m in g["members"]) for g in groups)


def test_a_column_of_the_base_reads_as_the_list_it_stands_for():
    """BaseColumn (the base's hashes, titles or dates, then the slots after the base):
    indexing, slices, + and iteration as the plain list gives them, each of the base's
    strings read on its own (StringColumn: UTF-8 and offsets, None kept as None)."""
    from search.duplicate_work import BaseColumn, StringColumn

    base = StringColumn.of(["t0", "Tête-à-tête ✓", "", None])
    assert [base.get(i) for i in range(4)] == base.all() == ["t0", "Tête-à-tête ✓", "", None]
    column = BaseColumn(base, ["t4"]) + ["t5", None]
    plain = ["t0", "Tête-à-tête ✓", "", None, "t4", "t5", None]
    assert len(column) == 7 and column[4:] == ["t4", "t5", None] and column[5:6] == ["t5"]
    assert column[6:4] == [] and column[7:] == []
    assert [column[i] for i in range(-7, 7)] == plain + plain
    assert column[1:5] == plain[1:5] and column[::2] == plain[::2] and list(column) == plain
    assert column == plain and column != plain[:-1]
    for i in (7, -8):
        with pytest.raises(IndexError):
            column[i]
    assert BaseColumn(StringColumn.of([]), []) == [] and StringColumn.of([]).all() == []
