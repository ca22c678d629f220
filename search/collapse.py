"""Duplicate groups in results: one post per group shown, the others counted and named.

Takes the state's duplicate groups ({"groups", "group_of", "docnums"}: search/state.py)
and ranked documents; gives the ranking with the first post of each group only
(`collapsed_order`), how many matches that hides (`hidden_copies`), a hit's other
versions (`other_versions`), and for a maxim search the groups split where copies carry
different maxims (`split_by_maxim`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from search.bitmasks import mask_bits
from search.int_sets import distinct
from search.scored import flagged
from search.state import IndexState

NO_GROUPS = {"groups": [], "group_of": {}, "docnums": []}  # (never changed by a search)


def split_by_maxim(state: IndexState, groups: dict) -> dict:
    """For a maxim search: copies of a post that carry another maxim are not hidden
    behind it (each maxim is what was asked for). Kept per state and groups. Only the
    groups whose members carry different maxims are split (their other parts go at the
    end); no group is decoded (decoding all 13,000 took a cold maxim search 0.5 s at
    100k articles)."""
    cached = state.__dict__.get("maxim_groups")
    if cached is not None and cached[0] is groups:
        return cached[1]
    _, maxims = state.headings
    members, of = group_arrays(groups)
    names: dict[str, int] = {"": 0}
    codes = np.fromiter((names.setdefault(maxims.get(d, ""), len(names)) for d in members.tolist()),
                        dtype=np.int64, count=len(members))  # fmt: skip
    pairs = distinct(of * len(names) + codes)
    mixed = np.flatnonzero(np.bincount(pairs // len(names), minlength=len(groups["docnums"])) > 1)
    split = groups
    if len(mixed):
        split = {"group_of": dict(groups["group_of"]), "docnums": list(groups["docnums"])}
        origin = list(range(len(groups["docnums"])))
        for n in mixed.tolist():
            by_maxim: dict[str, list[int]] = {}
            for d in groups["docnums"][n]:
                by_maxim.setdefault(maxims.get(d, ""), []).append(d)
            parts = list(by_maxim.values())
            split["docnums"][n] = parts[0]
            for part in parts[1:]:
                for d in part:
                    split["group_of"][d] = len(split["docnums"])
                split["docnums"].append(part)
                origin.append(n)
        split["groups"] = _Picked(groups["groups"], origin)
    state.__dict__["maxim_groups"] = (groups, split)
    return split


class _Picked(Sequence):
    """items[at[n]] for each n, fetched when asked for."""

    def __init__(self, items: Sequence, at: list[int]):
        self.items, self.at = items, at

    def __len__(self) -> int:
        return len(self.at)

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self.items[i] for i in self.at[n]]
        return self.items[self.at[n]]


_GROUP_ARRAYS: dict[int, tuple] = {}  # id(groups) -> (groups, members, group of each)


def group_arrays(groups: dict) -> tuple[np.ndarray, np.ndarray]:
    """(every member's docnum, the index of its group), made once per groups object."""
    if "arrays" in groups:  # (made with the groups: search/state.py)
        return groups["arrays"]
    found = _GROUP_ARRAYS.get(id(groups))
    if found is None or found[0] is not groups:
        members = np.fromiter((d for ds in groups["docnums"] for d in ds), dtype=np.int64)
        of = np.repeat(np.arange(len(groups["docnums"])), [len(ds) for ds in groups["docnums"]])
        if len(_GROUP_ARRAYS) > 8:
            _GROUP_ARRAYS.clear()
        found = _GROUP_ARRAYS[id(groups)] = (groups, members, of)
    return found[1], found[2]


def hidden_copies(groups: dict, final: int) -> int:
    """How many matching articles a collapsed list leaves out: all but one of each group
    (vectorized: walking every group in Python was a third of a query's time at 100k)."""
    if not groups["docnums"] or not final:
        return 0
    members, of = group_arrays(groups)
    matching = of[flagged(members, mask_bits(final))]
    counts = np.bincount(matching, minlength=len(groups["docnums"]))
    return int(np.maximum(counts - 1, 0).sum())


# The most pairs of one score (or day) looked through for the member a group lists first:
# past it, the first met stays (a run of 50,000 undated posts is not read to show ten).
LONGEST_TIE = 200


def collapsed_order(ordered, groups: dict, tie_key=None):
    """`ordered` (docnum, score) pairs, keeping the first of each duplicate group; of
    the members tied with that first (the same score, or with `tie_key`, the same value
    of it: a day), the one the group lists first (its canonical, if tied). Copies of a
    post score the same, and equal scores come in index order: which copy a reader saw
    then depended on the order the posts came into the index (an update adds a copy at
    the end, a fresh build reads it where its file lies)."""
    seen: set[int] = set()
    group_of = groups["group_of"]
    run: list[tuple[int, float | None]] = []
    at = None
    for d, score in ordered:
        key = score if tie_key is None else tie_key(d)
        if run and (key != at or len(run) >= LONGEST_TIE):
            yield from _collapsed_run(run, groups, seen)
            run = []
        at = key
        if run or d in group_of:  # (a post of no group, with no run open, goes at once)
            run.append((d, score))
        else:
            yield d, score
    yield from _collapsed_run(run, groups, seen)


def _collapsed_run(run, groups: dict, seen: set[int]):
    """A run of tied pairs, one of each group not seen before: at the place of its first
    member, the one of its members in the run that the group lists first (members are
    kept canonical first, then by date and id: an order of the posts, not of the index)."""
    group_of, docnums = groups["group_of"], groups["docnums"]
    out: list[tuple[int, float | None]] = []
    kept: dict[int, tuple[int, int]] = {}  # group -> (its place in out, the member's rank)
    for d, score in run:
        g = group_of.get(d)
        if g is None:
            out.append((d, score))
        elif g in seen:
            continue
        elif g in kept:
            place, rank = kept[g]
            if (mine := docnums[g].index(d)) < rank:
                out[place] = (d, score)
                kept[g] = (place, mine)
        else:
            kept[g] = (len(out), docnums[g].index(d))
            out.append((d, score))
    seen.update(kept)
    return out


def other_versions(groups: dict, docnum: int, article_id: str) -> list[dict]:
    g = groups["group_of"].get(docnum)
    if g is None:
        return []
    return [{"id": m["id"], "title": m["title"], "relation": m["relation"]}
            for m in groups["groups"][g]["members"] if m["id"] != article_id]  # fmt: skip
