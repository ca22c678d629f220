"""Exact phrases, matched on word positions laid end to end (see indexer/positions.py).

Takes a loaded `IndexState` and a deadline (`Phrases`); gives the documents that have
a phrase in an exact field and how often it occurs in each (`Phrases.docs`), with
every word's positions read once per query.

In each segment a word's positions form one ascending list over all its documents,
so the places where a phrase stands are an intersection of whole lists, each shifted
by its word's place in the phrase: set operations done in C, with no Python loop
over documents. The word with the fewest positions gives the first set of places;
each next word either filters them (a bit test or a binary search per place, when
they are few next to the word's list) or is intersected with them (one pass over
the list in C). Common words' lists are mapped from the segment's positions file;
rare words' are decoded from their postings, which are short, and after the first
only in the documents where the phrase can still be. On 100k articles this took the
slowest phrases of common words ("billion dlrs the", "from last year") from 600-800 ms
to 50-90 ms, and the phrase p99 from 528 to 64 ms (benchmarks/query_bench.py).
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import chain, repeat
from operator import add, sub

from whoosh.collectors import TimeLimit
from whoosh.reading import TermNotFound

from indexer.positions import laid_end_to_end

# What testing one place costs, in passes over one position of a list in C (about
# 40 ns here): a binary search in a long list about 2.4 us, a bit test about 350 ns.
SEARCH_COST = 60
BIT_COST = 9


class Phrases:
    """One query's phrase matcher: each (segment, field, word)'s positions are read
    once and reused; `deadline` (time.perf_counter()) raises TimeLimit when passed."""

    def __init__(self, state, deadline: float):
        self.state = state
        self.deadline = deadline
        self._lists: dict[tuple[int, str, str], Sequence[int]] = {}

    def _tick(self) -> None:
        if time.perf_counter() > self.deadline:
            raise TimeLimit()

    def _held(self, n: int, name: str, word: str) -> Sequence[int] | None:
        """The positions of `word` in `name` in segment n, if already read or in the
        segment's positions file."""
        key = (n, name, word)
        found = self._lists.get(key)
        if found is None:
            file = self.state.positions_file(n)
            found = None if file is None else file.positions(name, word)
            if found is not None:
                self._lists[key] = found
        return found

    def _positions(self, n: int, leaf, name: str, word: str, docs=None) -> Sequence[int]:
        """The positions of `word` in `name` in segment n, laid end to end; with a set
        of segment docnums `docs`, those documents' only (and then not kept)."""
        found = self._held(n, name, word)
        base = self.state.bases(n, name)
        if found is None:
            found = self._decoded(leaf, name, word, base, docs)
            if docs is not None:
                return found
            self._lists[(n, name, word)] = found
        if docs is None:
            return found
        return list(chain.from_iterable(
            found[bisect_left(found, base[d]) : bisect_left(found, base[d + 1])]
            for d in sorted(docs)
        ))  # fmt: skip

    def _count(self, n: int, leaf, name: str, word: str) -> int:
        """How many positions `word` has in `name` in segment n, without decoding."""
        held = self._held(n, name, word)
        if held is not None:
            return len(held)
        return int(leaf.frequency(name, word.encode("utf-8")))  # 0 when absent

    def _decoded(self, leaf, name: str, word: str, base, docs=None) -> list[int]:
        try:
            postings = leaf.postings(name, word.encode("utf-8"))
        except TermNotFound:
            return []
        return laid_end_to_end(postings, base, docs, tick=self._tick)

    def docs(self, name: str, words: list[str], within=None) -> dict[int, int]:
        """{docnum: how often the phrase occurs} for the documents with `words` (two or
        more) as a phrase in exact field `name`; of the docnums `within` only, when given."""
        found: dict[int, int] = {}
        for n, (leaf, offset) in enumerate(self.state.reader.leaf_readers()):
            docs = None
            if within is not None:
                end = offset + leaf.doc_count_all()
                docs = {d - offset for d in within if offset <= d < end}
                if not docs:
                    continue
            places = self._places(n, leaf, name, words, docs)
            if places:
                # A place's document is the last one whose base is at or before it.
                base = self.state.bases(n, name)
                for d, count in Counter(map(bisect_right, repeat(base), places)).items():
                    found[d - 1 + offset] = count
        return found

    def _places(self, n: int, leaf, name: str, words: list[str], docs) -> set[int]:
        """Where the phrase stands in segment n, as the places of one of its words."""
        file = self.state.positions_file(n)
        sizes = {w: self._count(n, leaf, name, w) for w in set(words)}
        if not all(sizes.values()):
            return set()
        order = sorted(enumerate(words), key=lambda iw: sizes[iw[1]])
        anchor, first = order[0]
        # Where `first` is; the phrase starts `anchor` places before.
        places = set(self._positions(n, leaf, name, first, docs))
        base = self.state.bases(n, name)
        limit = base[-1]
        for i, word in order[1:]:
            delta = i - anchor  # where `word` must be, from a place of `first`
            positions = self._held(n, name, word)
            if positions is None:  # a rare word: decoded where the places are only
                near = {d - 1 for d in map(bisect_right, repeat(base), places)}
                positions = self._positions(n, leaf, name, word, near)
            bits = None if file is None else file.bitmap(name, word)
            if bits is not None and len(places) * BIT_COST < len(positions):
                places = {p for p in places if 0 <= (x := p + delta) < limit
                          and bits[x >> 3] >> (x & 7) & 1}  # fmt: skip
            elif len(places) * SEARCH_COST < len(positions):
                size = len(positions)
                places = {p for p in places
                          if (k := bisect_left(positions, p + delta)) < size
                          and positions[k] == p + delta}  # fmt: skip
            elif delta and len(places) * 4 < len(positions):
                # Shift the few places, not the long list: a pass over the list is
                # then a plain intersection, about twice as fast as one through map.
                moved = set(map(add, places, repeat(delta))).intersection(positions)
                places = set(map(sub, moved, repeat(delta)))
            elif delta:
                places = places.intersection(map(sub, positions, repeat(delta)))
            else:
                places = places.intersection(positions)
            if not places:
                return places
            self._tick()
        return places if anchor == 0 else set(map(sub, places, repeat(anchor)))
