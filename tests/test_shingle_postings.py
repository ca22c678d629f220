"""The duplicate finder's arrays (search/shingle_postings.py, search/int_sets.py) against
plain Python: the pairs that shared shingles propose, the candidates, the containments,
and the count of texts behind each shingle."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from search.duplicate_update import _text_counts
from search.duplicates import (
    MAX_POSTING,
    RAREST,
    Doc,
    candidate_pairs,
    containments,
    rare_pairs,
    text_weights,
    total_weight,
    weighted_containment,
)
from search.int_sets import distinct, distinct_counts
from search.shingle_postings import Postings, Ragged, shared_pairs


def random_posts(seed: int, posts: int = 120) -> list[np.ndarray]:
    """Sampled shingles per post, drawn from pools of a few sizes, so that some shingles
    are held by 2-20 posts, some by 21-200 and some by one."""
    rng = random.Random(seed)
    rows = []
    for _ in range(posts):
        picked = set(rng.sample(range(6), rng.randint(0, 3)))  # held by 21-200 posts
        picked |= set(rng.sample(range(1_000, 1_150), rng.randint(0, 6)))  # by a few
        picked |= set(rng.sample(range(10**6, 10**9), rng.randint(0, 5)))  # own
        rows.append(np.array(sorted(picked), dtype=np.uint32))
    return rows


def plain(rows: list[np.ndarray]) -> tuple[dict, dict]:
    """(shingle -> the posts holding it, (a, b) -> how many shingles held by 2 to
    MAX_POSTING posts they share), in plain Python, as the finder once counted them."""
    holders = defaultdict(list)
    for n, row in enumerate(rows):
        for h in row.tolist():
            holders[h].append(n)
    shared = defaultdict(int)
    for members in holders.values():
        if 1 < len(members) <= MAX_POSTING:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    shared[(a, b)] += 1
    return holders, dict(shared)


def made(seed: int):
    """Random posts, their arrays, and plain() of them."""
    rows = random_posts(seed)
    sampled = Ragged.of(rows)
    return rows, sampled, Postings.of(sampled), plain(rows)


def test_shared_pairs_counts_what_a_dict_of_pairs_counts():
    for seed in range(5):
        rows, sampled, postings, (holders, expected) = made(seed)
        codes, counts = shared_pairs(postings, MAX_POSTING, len(rows))
        got = {
            divmod(c, len(rows)): n for c, n in zip(codes.tolist(), counts.tolist(), strict=True)
        }
        assert got == expected, seed
        assert list(codes) == sorted(codes)
        small = postings.small_counts(len(rows), MAX_POSTING)
        for n, row in enumerate(rows):
            assert small[n] == sum(1 for h in row.tolist() if 1 < len(holders[h]) <= MAX_POSTING)
        some = [3, 0, 17, 3]  # (a few posts, as an update asks: in any order, repeated)
        of_some = postings.small_counts_of([rows[n] for n in some], MAX_POSTING)
        assert of_some.tolist() == [small[n] for n in some]


def test_candidates_are_the_pairs_the_two_rules_propose(monkeypatch):
    monkeypatch.setattr("search.duplicates.SLICE", 7)  # decided a few pairs at a time
    for seed in range(5):
        rows, sampled, postings, (holders, shared) = made(seed)
        expected = {
            p for p, n in shared.items() if n >= 2 or min(len(rows[p[0]]), len(rows[p[1]])) <= 3
        }
        wanted_rare = 0
        for a, row in enumerate(rows):
            sizes = {h: len(holders[h]) for h in row.tolist()}
            found = rare_pairs(a, sizes, holders.__getitem__)
            wanted_rare += sum(1 for p in found if p not in expected)
            expected |= found
        assert wanted_rare  # the second rule was exercised
        codes = candidate_pairs(postings, sampled)
        assert [divmod(c, len(rows)) for c in codes.tolist()] == sorted(expected), seed
        assert RAREST  # (the rule's threshold is the module's)


def test_containments_in_one_step_are_the_pairwise_ones_exactly():
    """containments() gives, for every candidate that can reach 0.1, the very float that
    weighted_containment gives for the pair alone; the others it leaves out."""
    for seed in range(5):
        rows = random_posts(seed)
        rng = random.Random(seed)
        docs = []
        for n, row in enumerate(rows):
            doc = Doc(f"d{n}", "", None, False, None, "")
            doc.sampled, doc.has_shingles = row, bool(len(row))
            doc.text = f"text {n % 50}"  # some posts are copies of one text
            docs.append(doc)
        sampled = Ragged.of(rows)
        postings = Postings.of(sampled)
        df, weights = text_weights(docs, postings, sampled)
        for doc in docs:
            total_weight(doc, df)
        passing = 0
        for a in rng.sample(range(len(rows)), 30):
            bs = np.array(sorted(set(rng.sample(range(len(rows)), 40)) - {a}))
            got = dict(containments(a, bs, docs, sampled, weights))
            for b in bs.tolist():
                exact = weighted_containment(docs[a], docs[b], df)
                if exact >= 0.1:
                    assert got[b] == exact, (seed, a, b)
                else:
                    assert b not in got or got[b] == exact
            passing += sum(1 for v in got.values() if v >= 0.1)
        assert passing  # some pairs reach the threshold


def test_distinct_is_what_np_unique_gives():
    rng = np.random.default_rng(7)
    for dtype in (np.uint32, np.int32, np.int64):
        for size in (0, 1, 2, 50, 5_000):
            values = rng.integers(0, 300, size).astype(dtype)
            found = distinct(values)
            assert found.dtype == dtype
            assert found.tolist() == np.unique(values).tolist()


def test_distinct_counts_counts_each_groups_different_values():
    rng = random.Random(3)
    groups = [rng.randrange(6) for _ in range(400)]
    values = [rng.choice([0, 1, 2**32 - 1, rng.randrange(2**32)]) for _ in range(400)]
    want = [len({v for g, v in zip(groups, values, strict=True) if g == n}) for n in range(8)]
    got = distinct_counts(np.array(groups), np.array(values, dtype=np.uint32), 8)
    assert got.tolist() == want


def test_text_counts_filled_at_once_as_asked_one_by_one():
    """df.fill (vectorized, before an update's comparisons) gives what df counts alone."""
    rows = random_posts(5)
    postings = Postings.of(Ragged.of(rows))

    class Posts:  # what _text_counts reads of the working data: each post's text
        text_key = np.array([random.Random(s).randrange(40) for s in range(len(rows))],
                            dtype=np.uint32)  # fmt: skip

    alone, filled = _text_counts(postings, Posts), _text_counts(postings, Posts)
    shingles = distinct(np.concatenate(rows + [np.array([7, 10**9 + 1], np.uint32)]))
    filled.fill(shingles)
    assert [filled(h) for h in shingles.tolist()] == [alone(h) for h in shingles.tolist()]
    assert {alone(h) for h in shingles.tolist()} >= {1, 2, 3}  # (the cases are all met)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("most", [0, 20_000])
def test_postings_spliced_are_the_postings_filtered_and_inserted_into(seed, most, monkeypatch):
    """An update's new postings: the dead slots' entries out and the added slots' in, each
    after its shingle's entries, as filtering and np.insert give them (and as building
    them again gives: slots ascending within a shingle). `most` 0 takes the one-pass way."""
    import search.shingle_postings

    monkeypatch.setattr(search.shingle_postings, "SPLICE_MOST", most)
    rows = random_posts(seed, 150)
    rng = random.Random(seed)
    sampled = Ragged.of(rows[:120])
    old = Postings.of(sampled)
    dead = sorted(rng.sample(range(120), rng.randint(0, 6)))
    everything = Ragged.of(rows)
    added = list(range(120, 120 + rng.randint(0, 30)))
    gone = [sampled[s] for s in dead]
    new = old.spliced(
        dead,
        np.concatenate(gone) if gone else np.zeros(0, np.uint32),
        Postings.of(everything, added),
    )
    live = [s for s in range(120) if s not in dead] + added
    fresh = Postings.of(everything, live)
    assert new.keys.dtype == np.uint32 and new.owners.dtype == np.int32
    assert new.keys.tolist() == fresh.keys.tolist()
    assert new.owners.tolist() == fresh.owners.tolist()
