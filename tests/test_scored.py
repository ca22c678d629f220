"""search/scored.py against the {docnum: score} dict code it replaced, on random sets
with many equal scores (ties are where an array version most easily differs)."""

from __future__ import annotations

import heapq
import random
from operator import itemgetter

import numpy as np
import pytest

from search.scored import Scored, coordinated, intersect


def random_scores(rng: random.Random, n: int = 60, top: int = 200) -> dict[int, float]:
    ids = sorted(rng.sample(range(top), rng.randrange(0, n)))
    # A few distinct scores, so that ties are common; some with long fractions.
    return {d: rng.choice([1.0, 2.5, 0.1 + 0.2, 3.3, rng.random() * 10]) for d in ids}


def cases(count: int = 200):
    rng = random.Random(2026)
    for _ in range(count):
        yield rng, [random_scores(rng) for _ in range(rng.randrange(1, 4))]


def test_plus_adds_in_the_dicts_order():
    for rng, sets in cases():
        weight = rng.choice([1.0, 0.5, 0.3])
        expected = dict(sets[0])
        for other in sets[1:]:
            for d, v in other.items():
                expected[d] = expected.get(d, 0.0) + v * weight
        scored = Scored.from_dict(sets[0])
        for other in sets[1:]:
            scored = scored.plus(Scored.from_dict(other), weight)
        assert scored.to_dict() == dict(sorted(expected.items()))
        assert list(scored.ids) == sorted(scored.ids)


@pytest.mark.parametrize("top", [200, 1_000_000])  # (many of the docnums: an array; few: sorted)
def test_total_gives_the_floats_plus_gives_one_by_one(top):
    """A prefix's words' scores summed at once are the floats summed one set at a time,
    in both of `total`'s ways (`DENSE`)."""
    rng = random.Random(top)
    for _ in range(200):
        sets = [Scored.from_dict(random_scores(rng, 60, top)) for _ in range(rng.randrange(12))]
        one_by_one = Scored.empty()
        for scored in sets:
            one_by_one = one_by_one.plus(scored)
        total = Scored.total(sets)
        assert total.to_dict() == one_by_one.to_dict()
        assert list(total.ids) == sorted(total.ids) and total.ids.dtype == np.int64


def test_or_better_keeps_the_greater_of_the_two_scores():
    for rng, sets in cases():
        weight = rng.choice([1.0, 0.5, 0.3])
        expected = dict(sets[0])
        for other in sets[1:]:
            for d, v in other.items():
                expected[d] = max(expected.get(d, 0.0), v * weight)
        scored = Scored.from_dict(sets[0])
        for other in sets[1:]:
            scored = scored.or_better(Scored.from_dict(other), weight)
        assert scored.to_dict() == dict(sorted(expected.items()))
        assert list(scored.ids) == sorted(scored.ids)


def test_intersect_gives_the_same_floats_as_summing_the_dicts():
    for _, sets in cases():
        first, rest = sets[0], sets[1:]
        expected = {d: v + sum(g[d] for g in rest) for d, v in first.items()
                    if all(d in g for g in rest)}  # fmt: skip
        found = intersect(Scored.from_dict(first), [Scored.from_dict(g) for g in rest])
        assert found.to_dict() == expected


def test_coordinated_matches_the_dict_version():
    for rng, sets in cases():
        weights = [rng.random() * 5 for _ in sets]
        whole = sum(weights)
        summed: dict[int, float] = {}
        share: dict[int, float] = {}
        for g, w in zip(sets, weights, strict=True):
            for d, v in g.items():
                summed[d] = summed.get(d, 0.0) + v
                share[d] = share.get(d, 0.0) + w
        expected = {d: v * (share[d] / whole) ** 2 for d, v in sorted(summed.items())}
        scores, factors = coordinated([Scored.from_dict(g) for g in sets], weights)
        found = scores.to_dict()
        assert found.keys() == expected.keys() == factors.to_dict().keys()
        # The square is x * x here, Python's ** is C's pow(): the last bit may differ.
        assert all(found[d] == pytest.approx(expected[d], rel=1e-15) for d in found)
        assert all(factors.to_dict()[d] == pytest.approx((share[d] / whole) ** 2, rel=1e-15)
                   for d in found)  # fmt: skip


@pytest.mark.parametrize("k", [0, 1, 3, 10, 59, 500])
def test_top_k_is_what_heapq_gave_on_the_dict(k):
    for _, sets in cases():
        scores = sets[0]
        expected = heapq.nlargest(k, scores.items(), key=itemgetter(1))
        assert Scored.from_dict(scores).top(k) == expected


def test_without_and_within():
    scored = Scored.from_dict({1: 1.0, 5: 2.0, 9: 3.0})
    assert scored.without(np.array([5, 7])).to_dict() == {1: 1.0, 9: 3.0}
    flags = np.array([0, 1, 0, 0, 0, 1], dtype=np.uint8)  # shorter than docnum 9
    assert scored.within(flags).to_dict() == {1: 1.0, 5: 2.0}
    assert not len(Scored.empty().within(flags))


def test_a_words_scores_are_the_same_summed_by_document_or_over_every_document(
    tmp_path, monkeypatch
):
    """search/scoring.py sums a word's field frequencies by document when it has few
    postings, else in an array over every document: the same documents and the very
    same scores either way, deleted documents left out, the form typed added."""
    from search import scoring
    from search.state import get_state
    from tests.conftest import index_of, write_jsonl

    rng = random.Random(11)
    words = ["rock", "rocks", "rocky", "cash", "flow", "tea", "ledger"]
    posts = [{"id": f"p{n}", "title": " ".join(rng.sample(words, 2)),
              "body": " ".join(rng.choices(words, k=rng.randint(1, 30)))}
             for n in range(60)]  # fmt: skip
    index = index_of(tmp_path, posts)
    corpus = tmp_path / "again.jsonl"
    write_jsonl(corpus, posts[:50] + [{**posts[55], "body": "rocks and cash"}])
    from indexer.build import build_index

    build_index(corpus, index)  # (deletes: ten posts gone, one edited)
    state = get_state(index, wait=True)
    assert state.deleted
    found = {}
    for share in (0, 10**9):  # (0: always by document; 10**9: always the array)
        monkeypatch.setattr(scoring, "SPARSE_SHARE", share)
        found[share] = [scoring.word_scores(state, scoring.FIELD_BOOSTS, stem, 1e18, typed)
                        for stem, typed in (("rock", "rocks"), ("rock", None), ("cash", "cash"),
                                            ("tea", "teas"), ("nothing", None))]  # fmt: skip
    for by_doc, dense in zip(found[0], found[10**9], strict=True):
        assert by_doc.ids.tolist() == dense.ids.tolist()
        assert by_doc.values.tolist() == dense.values.tolist()  # (exactly)
        assert not set(by_doc.ids.tolist()) & state.deleted
    assert len(found[0][0].ids) > 20
