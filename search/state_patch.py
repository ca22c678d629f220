"""A generation's warm-up data carried forward from the previous generation's.

Takes what the previous generation's warm-up cache kept (the `CACHED` data of
search/state.py), the segments the new generation has after those it was made of (each
one's `SegmentData` with its offset: search/segment_data.py) and which documents are
live now; gives the data that putting the new generation together from all its
segments gives (`carried`), in time that grows with what changed, not with the
collection.

Why: a generation made by `rocksearch index` for a few changed posts has the previous
generation's segments, with the changed posts' old documents deleted, and a small new
segment after them (Whoosh appends; when it merges segments, the list differs and the
state is put together from the segments as before). Putting 100k posts together again
took 0.6 s of such an update: unpickling each segment's data (0.2 s), summing the
words (0.15 s), the facet tables (0.15 s). Carried forward, the same takes the cache's
reading and a few milliseconds.

What carries over as it is, and why that is exact: a segment never changes, and a
document once deleted stays deleted; so the previous data's words and counts, lengths,
titles, maxims and ids (all kept for deleted documents too) are the new data's for
the same documents, and only what depends on which documents are live (days, facet
tables) loses the newly deleted. tests/test_state.py compares the carried data with
data put together afresh, after adds, edits and deletes.
"""

from __future__ import annotations

import numpy as np

from search.bitmasks import docnums_array
from search.segment_data import LENGTH_FIELDS, SegmentData

Table = tuple[np.ndarray, np.ndarray, list[str]]  # as IndexState.facet_table gives


def carried(kept: dict, parts: list[tuple[SegmentData, int]], live: np.ndarray) -> dict | None:
    """The new generation's data (`_vocab`, `_facet_tables`, `_days`, `_lengths`,
    `_headings`, `_ids`: as state.CACHED names them) from the previous one's `kept`,
    the segments after its own (`parts`: data and offset) and the live flags of every
    document now; None if `kept` lacks what carrying needs (an older cache's). `kept`
    is used up: its days, titles, maxims and ids become the new data's (it is a base
    just read, of no use after; copying them was a tenth of a cold search's load)."""
    old = len(kept["_ids"])
    if parts and parts[0][1] != old or not parts and len(live) != old:
        return None
    vocab = kept["_vocab"].plus([part for part, _ in parts])
    if vocab is None:
        return None
    days = kept["_days"]
    for d in np.flatnonzero(~live[:old]).tolist():
        days.pop(d, None)
    titles, maxims = kept["_headings"]
    ids = kept["_ids"]
    for part, offset in parts:
        alive = live[offset : offset + len(part.days)].tolist()  # (the part's only)
        days.update((offset + n, day) for n, day in enumerate(part.days) if alive[n])
        titles.extend(part.titles)
        maxims.update((offset + n, maxim) for n, maxim in part.maxims.items())
        ids.extend(part.ids)
    lengths = {}
    for name in LENGTH_FIELDS:
        added = [np.array(part.lengths.get(name, ()), dtype=np.int64) for part, _ in parts]
        lengths[name] = np.concatenate([kept["_lengths"][name], *added])
    tables = {
        name: facet_table(
            table, [(part.facets.get(name, {}), offset) for part, offset in parts], live
        )  # fmt: skip
        for name, table in kept["_facet_tables"].items()
    }
    return {"_vocab": vocab, "_facet_tables": tables, "_days": days, "_lengths": lengths,
            "_headings": (titles, maxims), "_ids": ids}  # fmt: skip


def facet_table(table: Table, added: list[tuple[dict[str, int], int]], live: np.ndarray) -> Table:
    """Facet `table` of the previous generation without the documents no longer live,
    with the values of the segments after it (`added`: value -> bitmask of the
    segment's own docnums, and the segment's offset): values in sorted order, each
    document's in value order, and no value that no live document has, as
    IndexState.facet_table makes them."""
    starts, nums, values = table
    old = len(starts) - 1
    docs = np.repeat(np.arange(old, dtype=np.int64), np.diff(starts))
    alive = live[docs]
    docs, nums = docs[alive], nums[alive]
    new_docs, new_values, sizes = [], [], []
    for masks, offset in added:
        for value, mask in masks.items():
            found = docnums_array(mask) + offset
            found = found[live[found]]
            if len(found):
                new_docs.append(found)
                new_values.append(value)
                sizes.append(len(found))
    every = sorted(set(values).union(new_values))
    number = {value: n for n, value in enumerate(every)}
    if values:  # (sorted both: the numbers keep their order, and each document's)
        nums = np.array([number[v] for v in values], dtype=np.int64)[nums]
    if new_docs:
        more_docs = np.concatenate(new_docs)
        more_nums = np.repeat(np.array([number[v] for v in new_values], dtype=np.int64), sizes)
        order = np.lexsort((more_nums, more_docs))  # by document, then value
        docs = np.concatenate([docs, more_docs[order]])
        nums = np.concatenate([nums, more_nums[order]])
    held = np.bincount(nums, minlength=len(every)) > 0
    nums = (np.cumsum(held) - 1)[nums]
    starts = np.zeros(len(live) + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=len(live)), out=starts[1:])
    kept_values = [value for value, h in zip(every, held.tolist(), strict=True) if h]
    return starts, nums.astype(np.int64), kept_values
