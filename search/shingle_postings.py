"""Sampled-shingle postings as numpy arrays: which posts hold which shingle.

Takes one sorted array of sampled shingles (uint32) per post (`Ragged`, by slot);
gives the postings (`Postings`: every (shingle, slot) entry sorted by shingle, with
lookups by shingle and per-group counts) and the candidate pairs they propose
(`shared_pairs`). The duplicate finder (search/duplicates.py) builds them for a whole
collection and the update (search/duplicate_update.py) keeps them between
generations.

Why arrays: at 100k posts the sampled shingles are some ten million entries. As a
dict of lists, and the pairs they propose as a dict of tuples, the whole pass needed
over 6 GB; as arrays it is a few hundred megabytes.
"""

from __future__ import annotations

import numpy as np

from search.int_sets import distinct


class Ragged:
    """One variable-length uint32 array per slot, stored as one array and offsets."""

    def __init__(self, values: np.ndarray, offsets: np.ndarray):
        self.values, self.offsets = values, offsets
        self._lengths: np.ndarray | None = None

    @classmethod
    def of(cls, rows: list) -> Ragged:
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = [np.asarray(r, dtype=np.uint32) for r in rows]
        values = np.concatenate(flat) if flat else np.zeros(0, np.uint32)
        return cls(values.astype(np.uint32, copy=False), offsets)

    def __getitem__(self, slot: int) -> np.ndarray:
        return self.values[self.offsets[slot] : self.offsets[slot + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lengths(self) -> np.ndarray:
        if self._lengths is None:
            self._lengths = np.diff(self.offsets)
        return self._lengths

    def extended(self, rows: list) -> Ragged:
        more = Ragged.of(rows)
        offsets = np.concatenate([self.offsets, more.offsets[1:] + self.offsets[-1]])
        return Ragged(np.concatenate([self.values, more.values]), offsets)

    def owners(self) -> np.ndarray:
        """The slot of each value."""
        return np.repeat(np.arange(len(self), dtype=np.int32), self.lengths())

    def holding(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(value, slot) of each value that is one of `keys`, in slot order: the slots of
        the values found only (owners() makes one for every value)."""
        start, end = int(self.offsets[0]), int(self.offsets[-1])
        values = self.values[start:end]
        at = np.flatnonzero(np.isin(values, keys))
        return values[at], np.searchsorted(self.offsets, at + start, side="right") - 1


# Past this many entries dropped and added, spliced() filters and inserts in one pass
# over all entries instead of cutting and joining them a place at a time.
SPLICE_MOST = 20_000


class Postings:
    """Lookups in the sorted (shingle, slot) arrays: `keys` sorted, `owners` the slot
    of each entry (ascending within one shingle when built by `of`)."""

    def __init__(self, keys: np.ndarray, owners: np.ndarray):
        self.keys, self.owners = keys, owners
        self._ranges: dict[int, tuple[int, int]] = {}
        self._groups: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, sampled: Ragged, slots: list[int] | None = None) -> Postings:
        """The postings of `slots` of `sampled` (all of them by default)."""
        if slots is None:
            keys, owners = sampled.values, sampled.owners()
        else:
            parts = [sampled[s] for s in slots]
            if not parts:
                return cls(np.zeros(0, np.uint32), np.zeros(0, np.int32))
            keys = np.concatenate(parts)
            owners = np.repeat(np.array(slots, dtype=np.int32), [len(p) for p in parts])
        order = np.argsort(keys, kind="stable")  # stable: slots stay ascending per shingle
        return cls(keys[order], owners[order])

    def spliced(self, dead: list[int], dead_shingles: np.ndarray, adding: Postings) -> Postings:
        """These postings without the entries of slots `dead` (which hold `dead_shingles`)
        and with `adding`'s entries (of slots above every slot here) merged in, each after
        the entries of its shingle: what filtering out the dead slots and np.insert give,
        cut and joined at the few places that change. (Filtering and np.insert copied and
        masked all ten million entries at 100k posts: 0.35 s of a one-post update.)"""
        drop = np.zeros(0, np.int64)
        if len(dead) and len(dead_shingles):
            lo, hi = self.spans(distinct(dead_shingles))
            n = hi - lo
            at = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
            drop = at[np.isin(self.owners[at], np.asarray(dead, dtype=self.owners.dtype))]
        if len(drop) + len(adding.keys) > SPLICE_MOST:  # many changes: one pass is quicker
            keep = ~np.isin(self.owners, np.asarray(dead, dtype=self.owners.dtype))
            keys, owners = self.keys[keep], self.owners[keep]
            at = np.searchsorted(keys, adding.keys, "right")
            return Postings(np.insert(keys, at, adding.keys), np.insert(owners, at, adding.owners))
        at = np.searchsorted(self.keys, adding.keys, "right")
        # Where the old entries are cut: an insertion goes before old entry `at` (before
        # a drop at the same place), a dropped entry is skipped.
        events = sorted([(i, 1, 0) for i in drop.tolist()]
                        + [(i, 0, j) for j, i in enumerate(at.tolist())])  # fmt: skip
        arrays = ((self.keys, adding.keys), (self.owners, adding.owners))
        out = []
        for old, new in arrays:
            pieces, start = [], 0
            for place, skip, j in events:
                pieces.append(old[start:place])
                if skip:
                    start = place + 1
                else:
                    pieces.append(new[j : j + 1])
                    start = place
            pieces.append(old[start:])
            out.append(np.concatenate(pieces).astype(old.dtype, copy=False))
        return Postings(out[0], out[1])

    def forget(self) -> None:
        """Let go of the spans looked up so far (a Python dict entry each: an update that
        asks of hundreds of thousands of shingles lets them go a batch at a time)."""
        self._ranges.clear()

    def span(self, h: int) -> tuple[int, int]:
        found = self._ranges.get(h)
        if found is None:
            # A numpy scalar of the array's own type: a Python int would make numpy
            # convert the whole array for every lookup.
            key = np.uint32(h)
            lo = int(np.searchsorted(self.keys, key, "left"))
            hi = int(np.searchsorted(self.keys, key, "right"))
            found = self._ranges[h] = (lo, hi)
        return found

    def slots(self, h: int) -> np.ndarray:
        lo, hi = self.span(h)
        return self.owners[lo:hi]

    def holders(self, h: int) -> list[int]:
        return self.slots(h).tolist()

    def spans(self, shingles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(first entry, one past the last) of each of `shingles` (best sorted: in a
        random order, lookups in ten million keys miss the cache), not remembered."""
        return (np.searchsorted(self.keys, shingles, "left"),
                np.searchsorted(self.keys, shingles, "right"))  # fmt: skip

    def prefetch(self, arrays: list[np.ndarray]) -> None:
        """Look up the spans of every shingle in `arrays` at once (one vectorized call
        rather than one a post: 1.7 s of a 100k update was those calls)."""
        if arrays:
            self.remember(distinct(np.concatenate(arrays)))

    def remember(self, shingles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """spans() of `shingles` (sorted, without repeats), kept for span() to give."""
        lo, hi = self.spans(shingles)
        self._ranges.update(
            zip(shingles.tolist(), zip(lo.tolist(), hi.tolist(), strict=True), strict=True)
        )
        return lo, hi

    def held(self, shingles: np.ndarray) -> np.ndarray:
        """How many posts hold each of `shingles` (best sorted), not remembered."""
        lo, hi = self.spans(shingles)
        return hi - lo

    def entries(self, shingles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which of `shingles`, slot) for every entry of each of them."""
        lo, hi = self.spans(shingles)
        n = hi - lo
        group = np.repeat(np.arange(len(shingles), dtype=np.int64), n)
        at = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        return group, self.owners[at]

    def sizes(self, hs) -> dict[int, int]:
        ranges = self._ranges
        if all(h in ranges for h in hs):
            return {h: ranges[h][1] - ranges[h][0] for h in hs}
        self.prefetch([np.fromiter(hs, dtype=np.uint32)])
        return {h: ranges[h][1] - ranges[h][0] for h in hs}

    def counts(self, shingles: np.ndarray) -> dict[int, int]:
        """shingle -> how many posts hold it, for each of `shingles` (not remembered)."""
        lo, hi = self.spans(shingles)
        return dict(zip(shingles.tolist(), (hi - lo).tolist(), strict=True))

    def groups(self) -> tuple[np.ndarray, np.ndarray]:
        """(where each shingle's entries start, how many there are), by shingle; found
        once (a whole pass asks three times, over ten million entries at 100k posts)."""
        if self._groups is None:
            keys = self.keys
            if not len(keys):
                self._groups = np.zeros(0, np.int64), np.zeros(0, np.int64)
            else:
                starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
                sizes = np.diff(starts, append=len(keys))
                # In 32 bits where they fit: kept through a whole pass, 48 MB less at 100k.
                if len(keys) < 2**31:
                    starts, sizes = starts.astype(np.int32), sizes.astype(np.int32)
                self._groups = starts, sizes
        return self._groups

    def entry_sizes(self) -> np.ndarray:
        """How many posts hold the shingle of each entry."""
        _, sizes = self.groups()
        return np.repeat(sizes, sizes)

    def small_counts_of(self, arrays: list[np.ndarray], most: int) -> np.ndarray:
        return small_counts_of(self, arrays, most)

    def small_counts(self, slots: int, most: int) -> np.ndarray:
        """slot -> how many of its shingles are held by 2 to `most` posts."""
        per_entry = self.entry_sizes()
        small = (per_entry > 1) & (per_entry <= most)
        return np.bincount(self.owners[small], minlength=slots)


def held_each(postings, flat: np.ndarray) -> np.ndarray:
    """`postings.held` of each entry of `flat` (shingles in any order, repeats allowed),
    each distinct one looked up once and in order: in a random order, the lookups in ten
    million keys missed the cache and took 4 s."""
    asked = distinct(flat)
    return postings.held(asked)[np.searchsorted(asked, flat)]


def small_counts_of(postings, arrays: list[np.ndarray], most: int) -> np.ndarray:
    """Postings.small_counts for a few posts, given their sampled shingles, from
    `postings.held` (an update asks this of the posts near the changed ones: at 100k
    posts counting for all takes 0.35 s, for a few hundred a few milliseconds)."""
    if not arrays:
        return np.zeros(0, np.int64)
    flat = np.concatenate(arrays)
    held = held_each(postings, flat)
    post = np.repeat(np.arange(len(arrays)), [len(a) for a in arrays])
    return np.bincount(post[(held > 1) & (held <= most)], minlength=len(arrays))


def shared_pairs(postings: Postings, most: int, slots: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of posts that share a shingle held by 2 to `most` posts, as pair codes
    (smaller slot * `slots` + larger slot, sorted) and how many such shingles they share.
    Built a group size at a time and reduced as it goes, so the many repeats (two copies
    share all their shingles) never stand in memory at once."""
    starts, sizes = postings.groups()
    parts = []
    for size in range(2, most + 1):
        first = starts[sizes == size]
        if not len(first):
            continue
        # (In 64 bits for the codes' products; made so a size at a time, not as a copy of
        # every posting's owner, 87 MB at 100k posts held through the whole count.)
        members = postings.owners[first[:, None] + np.arange(size)].astype(np.int64)
        members.sort(axis=1)
        parts.append(_counted(_pair_codes(members, slots)))
        del members
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    packed = np.concatenate(parts)
    del parts
    packed.sort()
    counts = (packed & COUNT_MASK).astype(np.int32)  # sums stay far below 2**31
    packed >>= COUNT_BITS
    starts = np.flatnonzero(np.concatenate(([True], packed[1:] != packed[:-1])))
    codes = packed[starts]
    del packed
    return codes, np.add.reduceat(counts, starts)


def _pair_codes(members: np.ndarray, slots: int) -> np.ndarray:
    """The code of every pair of each row's members (rows sorted), in one array filled a
    pair of columns at a time, not from whole arrays of first members, second members,
    their product and their sum, each as large as the answer. (With `_counted`, 43 MB
    less at the peak of a 100k pass; the copy of every owner in 64 bits, 87 MB more.)"""
    size = members.shape[1]
    codes = np.empty((size * (size - 1) // 2, len(members)), dtype=np.int64)
    row = 0
    for a in range(size - 1):
        for b in range(a + 1, size):
            np.multiply(members[:, a], slots, out=codes[row])
            codes[row] += members[:, b]
            row += 1
    return codes.ravel()


def _counted(codes: np.ndarray) -> np.ndarray:
    """`codes` (sorted here, in place) made distinct, each packed with how often it came:
    what np.unique(…, return_counts=True) gives, without its copy of the input. (Codes
    stay below 2**40 up to a million posts, counts below 2**16: a post has at most
    8,000 characters; so merging the sizes' lists is one sort in place, not an argsort
    and copies.)"""
    codes.sort()
    new = np.empty(len(codes), dtype=bool)
    new[:1] = True
    np.not_equal(codes[1:], codes[:-1], out=new[1:])
    at = np.flatnonzero(new)
    del new
    counts = np.diff(at, append=len(codes))
    distinct = codes[at]
    distinct <<= COUNT_BITS
    distinct |= np.minimum(counts, COUNT_MASK)
    return distinct


COUNT_BITS = 16
COUNT_MASK = (1 << COUNT_BITS) - 1
