"""Facets and filters as document sets: masks for the filters, counts for the facets.

Takes the state and a parsed query's filters (`restriction_masks`), or the matching
documents (`count_facets`); gives a bitmask (search/bitmasks.py) per filter, which the
search ANDs in, and per facet the count of each value among the matches, the facet's
own selection left out (so several values of it can be picked), counted from the
state's facet tables with one bincount per facet.
"""

from __future__ import annotations

import numpy as np

from search.bitmasks import docnums_array, mask_bits, mask_of
from search.query import ParsedQuery
from search.scored import flagged
from search.state import IndexState

FACET_NAMES = ("category", "tag", "author", "year", "kind")

FACET_LIMIT = 30


def date_mask(state: IndexState, after: int | None, before: int | None) -> int:
    lo, hi = after or 1, before or 99999999
    return mask_of(d for d, day in state.days.items() if lo <= day < hi)


def facet_mask(state: IndexState, name: str, values: list[str]) -> int:
    masks = state.facets.get(name, {})
    result = 0
    for value in values:
        result |= masks.get(value, 0)
    return result


def restriction_masks(parsed: ParsedQuery, state: IndexState, maxim_only: bool) -> dict:
    """Name -> mask of every filter (one per facet, so facets can leave their own out)."""
    masks = {}
    for name, values in parsed.filters.items():
        masks[name] = facet_mask(state, name, values)
    for name, values in parsed.exclude.items():
        masks[f"-{name}"] = state.all_mask & ~facet_mask(state, name, values)
    if parsed.after or parsed.before:
        masks["date"] = date_mask(state, parsed.after, parsed.before)
    if maxim_only:
        masks["maxim"] = state.maxim_mask
    return masks


def count_facets(state, text_mask, restrictions, parsed, text_docs=None) -> dict:
    """facet -> {value: count}; each facet ignores its own selection (multi-select).
    `text_docs`, if given, are the documents of `text_mask` as an array (ascending)."""
    if not restrictions:
        # Nothing chosen (most searches): every facet counts the same documents, all at
        # once (a facet at a time, mostly numpy's cost per call, was 0.3 ms of a search
        # that matched a handful of posts, an eighth of a query at 10k).
        docs = docnums_array(text_mask) if text_docs is None else text_docs
        return counts_together(state, docs)
    facets = {}
    docs_cache: dict[int, np.ndarray] = {}

    def docs_of(mask: int) -> np.ndarray:  # the same base serves every facet, mostly
        """The docnums in `mask`, ascending, as an array."""
        found = docs_cache.get(id(mask))
        if found is None or found[0] is not mask:
            found = docs_cache[id(mask)] = (mask, docnums_array(mask))
        return found[1]

    for name in FACET_NAMES:
        others = [m for key, m in restrictions.items() if key != name]
        masks = state.facets.get(name, {})
        if text_docs is not None and len(text_docs) < 2 * len(masks):
            # Fewer matches than values: the matches themselves, not every bit of a mask.
            docs = text_docs
            for m in others:
                docs = docs[flagged(docs, mask_bits(m))]
        else:
            base = text_mask
            for m in others:
                base &= m
            docs = docs_of(base)
        values = state.facet_table(name)[2]
        counts = value_counts(state, name, docs)
        held = np.flatnonzero(counts)
        if name == "year":
            order = sorted(held.tolist(), key=year_order(values).__getitem__)
        else:  # most documents first, then by value: sorted in numpy (tags run to thousands)
            order = held[np.lexsort((value_order(state, name)[held], -counts[held]))].tolist()
        selected = set(parsed.filters.get(name, []))
        shown = order[:FACET_LIMIT]
        if selected:
            shown += [i for i in order[FACET_LIMIT:] if values[i] in selected]
        facets[name] = {values[i]: int(counts[i]) for i in shown}
    return facets


def counts_together(state: IndexState, docs: np.ndarray) -> dict:
    """count_facets for no choices made: facet -> {value: count} among `docs`
    (ascending docnums), the FACET_LIMIT values with the most documents (then by value;
    years newest first, undated last), counted over every facet's values at once
    (`_joined_table`)."""
    starts, nums, facet_of, order_key, values = _joined_table(state)
    docs = docs[docs < len(starts) - 1]
    first, sizes = starts[docs], starts[docs + 1] - starts[docs]
    total = int(sizes.sum())
    facets: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    if not total:
        return facets
    shift = np.repeat(first - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    counts = np.bincount(nums[shift + np.arange(total)], minlength=len(values))
    held = np.flatnonzero(counts)
    by_count = -counts[held]
    by_count[facet_of[held] == FACET_NAMES.index("year")] = 0  # (years by year alone)
    held = held[np.lexsort((order_key[held], by_count, facet_of[held]))]
    which = facet_of[held]
    ends = np.searchsorted(which, np.arange(len(FACET_NAMES)), side="right").tolist()
    start = 0
    for f, name in enumerate(FACET_NAMES):
        shown = held[start : min(ends[f], start + FACET_LIMIT)].tolist()
        facets[name] = {values[i]: int(counts[i]) for i in shown}
        start = ends[f]
    return facets


def _joined_table(state: IndexState) -> tuple:
    """Every facet's table (state.facet_table) as one, kept with the state: (where each
    document's values start, their numbers by document, each number's facet (its place
    in FACET_NAMES), its place among its facet's values in the order shown, the values).
    A facet's numbers follow the facets before it."""
    found = state.__dict__.get("_joined_facets")
    if found is not None:
        return found
    tables = [state.facet_table(name) for name in FACET_NAMES]
    per_doc = sum(np.diff(starts) for starts, _, _ in tables)
    starts = np.zeros(len(tables[0][0]), dtype=np.int64)
    np.cumsum(per_doc, out=starts[1:])
    nums = np.zeros(int(starts[-1]), dtype=np.int64)
    before = starts[:-1].copy()  # where each document's values of the next facet go
    facet_of, order_key, values = [], [], []
    for f, name in enumerate(FACET_NAMES):
        own_starts, own_nums, own_values = tables[f]
        sizes = np.diff(own_starts)
        inside = np.arange(len(own_nums)) - np.repeat(own_starts[:-1], sizes)
        nums[np.repeat(before, sizes) + inside] = own_nums + len(values)
        before += sizes
        facet_of.append(np.full(len(own_values), f, dtype=np.int64))
        order_key.append(np.array(year_order(own_values), dtype=np.int64) if name == "year"
                         else value_order(state, name))  # fmt: skip
        values += own_values
    found = (starts, nums, np.concatenate(facet_of), np.concatenate(order_key), values)
    state.__dict__["_joined_facets"] = found
    return found


def year_order(values: list[str]) -> list[int]:
    """value number -> its place among the year facet's `values` as shown: newest first,
    undated last (then in value order)."""
    ranked = sorted(range(len(values)), key=lambda i: (
        values[i] == "undated", -int(values[i]) if values[i].isdigit() else 0))  # fmt: skip
    place = [0] * len(values)
    for n, i in enumerate(ranked):
        place[i] = n
    return place


def value_order(state: IndexState, name: str) -> np.ndarray:
    """value number -> its place among facet `name`'s values sorted, kept with the state."""
    key = ("_value_order", name)
    found = state.__dict__.get(key)
    if found is None:
        values = state.facet_table(name)[2]
        found = np.empty(len(values), dtype=np.int64)
        found[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
        state.__dict__[key] = found
    return found


def value_counts(state: IndexState, name: str, docs: np.ndarray) -> np.ndarray:
    """value number -> how many of the documents `docs` have it, for facet `name`'s
    values (state.facet_table) (vectorized: one AND and bit count per value took a
    quarter of a query at 100k, where tags have thousands of values)."""
    starts, nums, values = state.facet_table(name)
    none = np.zeros(len(values), dtype=np.int64)
    if not len(docs) or not len(nums):
        return none
    docs = docs[docs < len(starts) - 1]
    first, sizes = starts[docs], starts[docs + 1] - starts[docs]
    total = int(sizes.sum())
    if not total:
        return none
    # The positions of every value of every document in `docs`, laid end to end.
    shift = np.repeat(first - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.bincount(nums[shift + np.arange(total)], minlength=len(values))
