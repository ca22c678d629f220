"""The duplicate finder's postings and sampled shingles as a base and the changes since.

Takes a base (the `Postings` and `Ragged` of sampled shingles that the generation's base
file holds, mapped, or a whole pass's own arrays) and which slots are live now; gives
what splicing the changes into the base would give (`LayeredPostings`: a shingle's live
holders in the same order, how many there are, their entries for counting texts), and
the sampled shingles as the base's followed by the slots added since (`JoinedRagged`),
without copying the base.

Why: at 100k posts the postings are ten million entries and the sampled shingles as
many. An update spliced the postings twice (once on reading the working data, once for
the change itself) and joined the sampled shingles twice: 250 MB of fresh memory and
0.3-0.5 s of a one-post `rocksearch index`, a fifth of it. A change touches a few
hundred entries; the layers cost what the change is. The base is written again, and
these layers start empty, every BASE_CHANGES changes (search/duplicate_work.py).
"""

from __future__ import annotations

import numpy as np

from search.int_sets import distinct
from search.shingle_postings import Postings, Ragged, small_counts_of


class JoinedRagged:
    """A `Ragged` as `head` (slots 0 to len(head) - 1) followed by `tail` (the slots
    after). `values` and `offsets` give the whole as one array, made on first use (a new
    base asks for them); a slot is read from its part."""

    def __init__(self, head: Ragged, tail: Ragged):
        self.head, self.tail = head, tail
        self._n = len(head)
        self._flat: Ragged | None = None

    def __getitem__(self, slot: int) -> np.ndarray:
        return self.head[slot] if slot < self._n else self.tail[slot - self._n]

    def __len__(self) -> int:
        return self._n + len(self.tail)

    def lengths(self) -> np.ndarray:
        return np.concatenate([self.head.lengths(), self.tail.lengths()])

    def extended(self, rows: list) -> JoinedRagged:
        return JoinedRagged(self.head, self.tail.extended(rows))

    def flat(self) -> Ragged:
        if self._flat is None:
            head, tail = self.head, self.tail
            start, end = int(tail.offsets[0]), int(head.offsets[-1])
            values = np.concatenate([head.values[:end], tail.values[start : tail.offsets[-1]]])
            offsets = np.concatenate([head.offsets, tail.offsets[1:] - start + end])
            self._flat = Ragged(values, offsets)
        return self._flat

    @property
    def values(self) -> np.ndarray:
        return self.flat().values

    @property
    def offsets(self) -> np.ndarray:
        return self.flat().offsets

    def owners(self) -> np.ndarray:
        return self.flat().owners()

    def holding(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """As Ragged.holding, from each part (the whole is not made)."""
        head_values, head_slots = self.head.holding(keys)
        tail_values, tail_slots = self.tail.holding(keys)
        return (np.concatenate([head_values, tail_values]),
                np.concatenate([head_slots, tail_slots + self._n]))  # fmt: skip


def joined(ragged: Ragged | JoinedRagged, rows: list) -> JoinedRagged:
    """`ragged` with `rows` after it, its arrays not copied."""
    if isinstance(ragged, JoinedRagged):
        return ragged.extended(rows)
    return JoinedRagged(ragged, Ragged.of(rows))


def tail_from(ragged: Ragged | JoinedRagged, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The values of slots `n` on and their offsets (offsets[n:], as in the whole array),
    copied: what a generation keeps of the slots after its base of `n` slots."""
    if isinstance(ragged, JoinedRagged) and len(ragged.head) == n:
        tail, start = ragged.tail, int(ragged.tail.offsets[0])
        return (tail.values[start : tail.offsets[-1]].copy(),
                tail.offsets - start + int(ragged.head.offsets[-1]))  # fmt: skip
    cut = int(ragged.offsets[n])
    return ragged.values[cut:].copy(), ragged.offsets[n:].copy()


class LayeredPostings:
    """The postings of the `live` slots, as `base` (the postings of the slots that
    `base_live` marks, all below len(base_live)) less the entries of its slots dead since
    (`gone`) plus those of the live slots added since (`extra`, slots above the base's:
    each shingle's come after its base entries, as spliced() puts them). `sampled` gives
    each slot's shingles."""

    def __init__(self, base: Postings, base_live: np.ndarray, live: np.ndarray,
                 sampled: Ragged | JoinedRagged):  # fmt: skip
        n = len(base_live)
        self.base, self.base_live, self.live, self.sampled = base, base_live, live, sampled
        self.dead = np.flatnonzero(base_live & ~live[:n]).tolist()
        self.gone = Postings.of(sampled, self.dead)
        self.extra = Postings.of(sampled, (np.flatnonzero(live[n:]) + n).tolist())
        self._sizes: dict[int, int] = {}
        self._flat: Postings | None = None

    def moved_to(self, live: np.ndarray, sampled: Ragged | JoinedRagged) -> LayeredPostings:
        """The postings of the same base once the live slots are `live` (slots only die,
        and new ones are added above)."""
        return LayeredPostings(self.base, self.base_live, live, sampled)

    def __len__(self) -> int:
        return len(self.base.keys) - len(self.gone.keys) + len(self.extra.keys)

    def flat(self) -> Postings:
        """The postings as one pair of arrays (for a new base, or counting over all)."""
        if self._flat is None:
            if not self.dead and not len(self.extra.keys):
                self._flat = self.base
            else:
                self._flat = self.base.spliced(self.dead, self.gone.keys, self.extra)
        return self._flat

    def held(self, shingles: np.ndarray) -> np.ndarray:
        """How many live slots hold each of `shingles` (best sorted), not remembered."""
        return self.base.held(shingles) - self.gone.held(shingles) + self.extra.held(shingles)

    def prefetch(self, arrays: list[np.ndarray]) -> None:
        """Look up every shingle in `arrays` at once (see Postings.prefetch)."""
        if not arrays:
            return
        arr = distinct(np.concatenate(arrays))
        lo, hi = self.base.remember(arr)
        n = (hi - lo) - self.gone.held(arr) + self.extra.held(arr)
        self._sizes.update(zip(arr.tolist(), n.tolist(), strict=True))

    def forget(self) -> None:
        """Let go of the sizes and spans looked up so far (see Postings.forget)."""
        self._sizes.clear()
        for postings in (self.base, self.gone, self.extra):
            postings.forget()

    def sizes(self, hs) -> dict[int, int]:
        sizes = self._sizes
        missing = [h for h in hs if h not in sizes]
        if missing:
            self.prefetch([np.array(missing, dtype=np.uint32)])
        return {h: sizes[h] for h in hs}

    def slots(self, h: int) -> np.ndarray:
        lo, hi = self.base.span(h)
        found = self.base.owners[lo:hi]
        if self.dead:
            glo, ghi = self.gone.span(h)
            if ghi > glo:
                found = found[self.live[found]]
        elo, ehi = self.extra.span(h)
        if ehi > elo:
            found = np.concatenate([found, self.extra.owners[elo:ehi]])
        return found

    def holders(self, h: int) -> list[int]:
        return self.slots(h).tolist()

    def entries(self, shingles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which of `shingles`, slot) for every live entry of each of them."""
        group, slots = self.base.entries(shingles)
        if self.dead:
            keep = self.live[slots]
            group, slots = group[keep], slots[keep]
        more_group, more_slots = self.extra.entries(shingles)
        return np.concatenate([group, more_group]), np.concatenate([slots, more_slots])

    def small_counts_of(self, arrays: list[np.ndarray], most: int) -> np.ndarray:
        return small_counts_of(self, arrays, most)

    def small_counts(self, slots: int, most: int) -> np.ndarray:
        return self.flat().small_counts(slots, most)
