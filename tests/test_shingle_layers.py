"""The duplicate finder's layered postings and joined shingle arrays
(search/shingle_layers.py) against the same built afresh: after slots die and others
are added, every lookup an update makes gives what postings built from the live slots
give, and the joined arrays what one array gives."""

from __future__ import annotations

import random

import numpy as np
import pytest

from search.duplicates import MAX_POSTING
from search.shingle_layers import JoinedRagged, LayeredPostings, joined, tail_from
from search.shingle_postings import Postings, Ragged
from tests.test_shingle_postings import random_posts


def changed(seed: int):
    """A base of 120 posts, then rounds of deaths and additions: (layered postings over
    the base, the postings of the live slots built afresh, all the rows, live flags)."""
    rng = random.Random(seed)
    rows = random_posts(seed, 200)
    base_live = np.ones(120, dtype=bool)
    base_live[rng.sample(range(120), 10)] = False  # dead before the base was written
    sampled: Ragged | JoinedRagged = Ragged.of(rows[:120])
    base = Postings.of(sampled, np.flatnonzero(base_live).tolist())
    live = base_live.copy()
    layered = LayeredPostings(base, base_live, live, sampled)
    for step in range(4):  # each round: some slots die, new ones are added at the end
        more = rng.randint(0, 20)
        start = len(live)
        sampled = joined(sampled, rows[start : start + more])
        live = np.append(live, np.ones(more, dtype=bool))
        live[rng.sample(range(len(live)), rng.randint(0, 5 if step else 0))] = False
        layered = layered.moved_to(live, sampled)
    fresh = Postings.of(sampled, np.flatnonzero(live).tolist())
    return layered, fresh, rows[: len(live)], live


@pytest.mark.parametrize("seed", range(8))
def test_layered_postings_answer_as_the_live_slots_postings_do(seed):
    layered, fresh, rows, live = changed(seed)
    assert layered.dead and len(layered.extra.keys)  # (both layers are exercised)
    shingles = np.unique(np.concatenate(rows + [np.array([7, 10**9 + 1], np.uint32)]))
    assert layered.held(shingles).tolist() == fresh.held(shingles).tolist()
    for h in shingles.tolist():
        assert layered.holders(h) == fresh.holders(h), h  # (the same order)
    assert layered.sizes(shingles.tolist()) == fresh.sizes(shingles.tolist())
    layered.prefetch([rows[3], rows[5]])
    assert layered.sizes(rows[3].tolist()) == fresh.sizes(rows[3].tolist())
    group, slots = layered.entries(shingles)
    want_group, want_slots = fresh.entries(shingles)
    assert sorted(zip(group.tolist(), slots.tolist(), strict=True)) == sorted(
        zip(want_group.tolist(), want_slots.tolist(), strict=True)
    )
    some = [rows[n] for n in (3, 0, 17, 3, len(rows) - 1)]
    assert (layered.small_counts_of(some, MAX_POSTING).tolist()
            == fresh.small_counts_of(some, MAX_POSTING).tolist())  # fmt: skip
    assert (layered.small_counts(len(rows), MAX_POSTING).tolist()
            == fresh.small_counts(len(rows), MAX_POSTING).tolist())  # fmt: skip
    flat = layered.flat()
    assert flat.keys.tolist() == fresh.keys.tolist()
    assert flat.owners.tolist() == fresh.owners.tolist()
    assert len(layered) == len(fresh.keys)


def test_joined_arrays_are_the_one_array():
    rows = random_posts(3, 60)
    whole = Ragged.of(rows)
    parts = joined(joined(Ragged.of(rows[:40]), rows[40:45]), rows[45:])
    assert isinstance(parts, JoinedRagged) and len(parts) == len(whole) == 60
    for s in range(60):
        assert parts[s].tolist() == whole[s].tolist()
    assert parts.lengths().tolist() == whole.lengths().tolist()
    assert parts.values.tolist() == whole.values.tolist()
    assert parts.offsets.tolist() == whole.offsets.tolist()
    assert parts.owners().tolist() == whole.owners().tolist()
    for n in (40, 30, 60):  # at the join (read from the tail), and elsewhere
        values, offsets = tail_from(parts, n)
        cut = whole.offsets[n]
        assert values.tolist() == whole.values[cut:].tolist(), n
        assert offsets.tolist() == whole.offsets[n:].tolist(), n
    # A tail that does not start at 0 (as read back from a generation's changes).
    tail = Ragged.of(rows[40:])
    shifted = Ragged(np.concatenate([np.zeros(5, np.uint32), tail.values]), tail.offsets + 5)
    again = JoinedRagged(Ragged.of(rows[:40]), shifted)
    assert again.values.tolist() == whole.values.tolist()
    assert again.offsets.tolist() == whole.offsets.tolist()
    assert tail_from(again, 40)[1].tolist() == whole.offsets[40:].tolist()
    assert tail_from(again, 40)[0].tolist() == whole.values[whole.offsets[40] :].tolist()


def test_the_slots_holding_some_keys_are_those_of_the_one_array():
    """holding() gives each value among the keys with its slot, in slot order, from a
    Ragged or from a JoinedRagged's parts (the whole never made), as the values and
    owners of the one array do: empty slots, a tail not starting at 0, a head whose
    values run past its last slot (the mapped base)."""
    rows = random_posts(4, 60)
    rows[3] = rows[41] = rows[59] = []
    whole = Ragged.of(rows)
    tail = Ragged.of(rows[40:])
    shifted = Ragged(np.concatenate([np.zeros(5, np.uint32), tail.values]), tail.offsets + 5)
    head = Ragged.of(rows[:40])
    longer = Ragged(np.concatenate([head.values, np.arange(7, dtype=np.uint32)]), head.offsets)
    rng = np.random.default_rng(4)
    for keys in ([], whole.values[:1], rng.choice(whole.values, 30), [0, 1, 2, 3]):
        keys = np.asarray(keys, dtype=np.uint32)
        hit = np.isin(whole.values, keys)
        expected = (whole.values[hit].tolist(), whole.owners()[hit].tolist())
        parts = (whole, joined(Ragged.of(rows[:40]), rows[40:]), JoinedRagged(longer, shifted),
                 joined(joined(head, rows[40:45]), rows[45:]))  # fmt: skip
        for ragged in parts:
            values, slots = ragged.holding(keys)
            assert (values.tolist(), slots.tolist()) == expected
