"""Scored documents as two numpy arrays, and what a query does with them.

Takes docnums and scores (`Scored`); gives the sums, intersections, partial matches
and top k that matching and ranking need (search/engine.py), each a few array steps.

Why arrays: a query used to carry {docnum: score} dicts from scoring to ranking. A
common word at 100k articles matches 60,000 of them, and building the dict, walking
it to intersect, to make the match mask and to pick the top ten took more of a query
than scoring it (600 typed queries: 1.6 s in dict.update alone, 1.0 in heapq).

Every sum here adds in the order the dicts did (the first set's score, then the
others' in turn, from 0), so a document's score is the same float it was (but for a
partial match's squared share: numpy squares as x * x, Python's ** called C's pow(),
and the two differ in the last bit about once in a thousand); documents of equal
score keep the order of their docnums.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.int_sets import distinct_inverse, located

_IDS = np.zeros(0, dtype=np.int64)
# Scores of more than one document in DENSE of the docnums up to the largest are summed
# in an array of them all (`total`); fewer, sorted.
DENSE = 16
_VALUES = np.zeros(0, dtype=np.float64)


@dataclass(eq=False)
class Scored:
    """Documents and their scores: `ids` (int64 docnums, ascending, each once) and
    `values` (float64), of the same length."""

    ids: np.ndarray
    values: np.ndarray

    @classmethod
    def empty(cls) -> Scored:
        return cls(_IDS, _VALUES)

    @classmethod
    def from_dict(cls, scores: dict[int, float]) -> Scored:
        ids = np.fromiter(scores.keys(), np.int64, len(scores))
        values = np.fromiter(scores.values(), np.float64, len(scores))
        order = np.argsort(ids, kind="stable")
        return cls(ids[order], values[order])

    def __len__(self) -> int:
        return len(self.ids)

    def to_dict(self) -> dict[int, float]:
        return dict(zip(self.ids.tolist(), self.values.tolist(), strict=True))

    def best(self) -> float:
        return float(self.values.max()) if len(self.values) else 0.0

    @classmethod
    def total(cls, parts: list[Scored]) -> Scored:
        """The documents of any of `parts`, each scored the sum of its scores in them,
        added in their order (the same floats as adding them one by one with `plus`),
        in one pass: a prefix's words added one by one sorted the growing sum again for
        each (50 words of "ma*" took 40 ms at 100k posts)."""
        parts = [part for part in parts if len(part)]
        if len(parts) < 2:
            return parts[0] if parts else cls.empty()
        every = np.concatenate([part.ids for part in parts])
        values = np.concatenate([part.values for part in parts])
        n = int(every.max()) + 1
        if len(every) * DENSE < n:
            ids, where = distinct_inverse(every)
            return cls(ids, np.bincount(where, weights=values, minlength=len(ids)))
        # Many: summed by docnum into an array of every docnum, with no sort.
        ids = np.flatnonzero(np.bincount(every, minlength=n))
        return cls(ids, np.bincount(every, weights=values, minlength=n)[ids])

    def plus(self, other: Scored, weight: float = 1.0) -> Scored:
        """The documents of either, each scored `self`'s score + `other`'s * weight
        (a missing score counts 0)."""
        # bincount adds in the order given: self's score first, then other's.
        return self._union(other, weight, lambda where, values, n: np.bincount(
            where, weights=values, minlength=n))  # fmt: skip

    def or_better(self, other: Scored, weight: float = 1.0) -> Scored:
        """The documents of either, each scored the greater of `self`'s score and
        `other`'s * weight (a missing score counts 0): one word read two ways."""

        def greatest(where: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
            out = np.zeros(n)
            np.maximum.at(out, where, values)
            return out

        return self._union(other, weight, greatest)

    def _union(self, other: Scored, weight: float, combine) -> Scored:
        """The documents of either, scored by combine(where, values, n): each score of
        `self` and then of `other` * weight, where[i] the place of its document among
        the n of the union."""
        if not len(other):
            return self
        added = other.values * weight if weight != 1.0 else other.values
        if not len(self):
            return Scored(other.ids, added)
        ids, where = distinct_inverse(np.concatenate((self.ids, other.ids)))
        return Scored(ids, combine(where, np.concatenate((self.values, added)), len(ids)))

    def added(self, other: Scored, weight: float = 1.0) -> Scored:
        """These documents, each scored its score + `other`'s * weight where `other` has
        it (others' documents not added)."""
        if not len(other) or not len(self):
            return self
        at, found = located(self.ids, other.ids)
        values = self.values.copy()
        values[found] += other.values[at[found]] * weight
        return Scored(self.ids, values)

    def times(self, factors: Scored) -> Scored:
        """These documents that `factors` has, each scored its score times its factor."""
        if not len(self) or not len(factors):
            return Scored.empty()
        at, found = located(self.ids, factors.ids)
        return Scored(self.ids[found], self.values[found] * factors.values[at[found]])

    def meets(self, other: Scored) -> bool:
        """Whether a document is in both."""
        return bool(len(self) and len(other) and np.isin(other.ids, self.ids).any())

    def without(self, ids: np.ndarray) -> Scored:
        """These documents except `ids`."""
        if not len(ids) or not len(self):
            return self
        keep = ~np.isin(self.ids, ids)
        return Scored(self.ids[keep], self.values[keep])

    def within(self, flags: np.ndarray) -> Scored:
        """The documents d with flags[d] true (see `flagged`)."""
        keep = flagged(self.ids, flags)
        return Scored(self.ids[keep], self.values[keep])

    def top(self, k: int) -> list[tuple[int, float]]:
        """[(docnum, score)] of the k best, best first; equal scores by docnum (what
        heapq.nlargest gave on the dict, which listed documents by docnum)."""
        n = len(self.ids)
        if k <= 0 or not n:
            return []
        values = self.values
        if k < n:
            # Past the k-th best score, nothing counts; at it, the lowest docnums.
            kth = np.partition(values, n - k)[n - k]
            above = np.flatnonzero(values > kth)
            level = np.flatnonzero(values == kth)[: k - len(above)]
            chosen = np.concatenate((above, level))
        else:
            chosen = np.arange(n)
        order = chosen[np.lexsort((chosen, -values[chosen]))]
        return list(zip(self.ids[order].tolist(), values[order].tolist(), strict=True))


def flagged(ids: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Whether flags[d] is true, for each docnum d of `ids` (flags: one 0/1 per docnum,
    as bitmasks.mask_bits gives; it may end before the highest docnum, which then counts
    as false)."""
    inside = ids < len(flags)
    keep = np.zeros(len(ids), dtype=bool)
    keep[inside] = flags[ids[inside]].astype(bool)
    return keep


def intersect(first: Scored, rest: list[Scored]) -> Scored:
    """The documents in every set, scored first's score + (the sum of the rest's, from
    0, in turn)."""
    ids, values = first.ids, first.values
    extra = np.zeros(len(ids))
    keep = np.arange(len(ids))
    for other in rest:
        if not len(other) or not len(keep):
            keep = keep[:0]
            break
        at, found = located(ids[keep], other.ids)
        keep, at = keep[found], at[found]
        extra[keep] += other.values[at]
    return Scored(ids[keep], values[keep] + extra[keep])


def coordinated(groups: list[Scored], weights: list[float]) -> tuple[Scored, Scored]:
    """A partial match: the documents of any group, each scored its summed score times
    the square of the share of `weights` (one per group) its groups hold; and that
    factor of each document (for what else the document's score adds: see match)."""
    if not groups:
        return Scored.empty(), Scored.empty()
    whole = sum(weights) or 1.0
    ids, where = distinct_inverse(np.concatenate([g.ids for g in groups]))
    summed = np.bincount(where, weights=np.concatenate([g.values for g in groups]),
                         minlength=len(ids))  # fmt: skip
    held = np.concatenate([np.full(len(g), w) for g, w in zip(groups, weights, strict=True)])
    factor = (np.bincount(where, weights=held, minlength=len(ids)) / whole) ** 2
    return Scored(ids, summed * factor), Scored(ids, factor)
