"""The duplicate finder's working data, kept in each generation as columns.

Takes what a pass found (`Posts.of`, `Pairs.of`); gives the tables an update reads and
changes (search/duplicate_update.py) and that `save_work`/`read_work` keep as a base
file shared by later generations (`duplicates.base-<generation>`, the big arrays) and
each generation's `duplicates.work` (what changed since the base). Why columns: at
100k posts the same data as one small object per post and per accepted pair (510,000
pairs) took 2.3 s to unpickle and 1.4 s to pickle, on every `rocksearch index` call;
as lists and numpy arrays it takes a tenth of that, and an update reads only the rows
of the posts it looks at.

Posts are kept by slot: a post keeps its slot until it is edited or deleted, and an
edited or added post takes a new slot at the end (the old one stays, dead), so the
sampled-shingle postings (`keys`, `owners`) and the pairs can name posts by slot. A
whole pass starts the slots again.
"""

from __future__ import annotations

import math
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.store import file_identity
from search.duplicate_store import KeptGroups
from search.duplicates import ASSEMBLY, PAIRING, scores_of
from search.shingle_layers import JoinedRagged, LayeredPostings, joined, tail_from
from search.shingle_postings import Postings, Ragged

WORK_FILE = "duplicates.work"
WORK_VERSION = 10  # 5: Ragged moved to search/shingle_postings.py; 6: KeptGroups; 7: base;
# 8: the posts' ids, hashes, titles and dates of the base's slots in the base; 9: the
# boilerplate decided by holders in holder_rank order; 10: the posts' weights and small
# counts (a 9's are read as unknown, found again where asked; older files: a whole pass);
# within 10, the posts' drift and weight floors (absent: no drift, the weights)
READS_VERSIONS = (9, WORK_VERSION)
# In the base: a pickle of the slots' ids, as bytes (LISTS), and their content hashes,
# titles and dates each as one UTF-8 string with offsets (COLUMNS: `StringColumn`), of
# which an update reads the few it asks for. A base written before 2026-11-30 has all
# four lists in LISTS; one of that day, the three in one pickle (DETAILS).
LISTS = "posts.lists"
COLUMNS = ("hashes", "titles", "dates")
DETAILS = "posts.details"


@dataclass
class Post:
    """One post as the working data keeps it (a row of `Posts`)."""

    id: str
    hash: str
    title: str
    date: str | None
    excerpt: bool
    length: int
    keys: tuple[tuple[int, ...], tuple[int, ...]]  # duplicates.paragraph_keys
    text_key: int  # crc32 of the content text: copies of one text count once
    sampled: np.ndarray  # the sampled shingles (uint32)
    has_shingles: bool
    weight: float | None = None  # duplicates.total_weight, if known


class Posts:
    """The posts by slot, as columns; `slots[s]` is the id in slot s (None: dead).

    `weight[s]` is the post's duplicates.total_weight as the collection's text counts
    stand (NaN: not known). An update finds it again only for the posts holding a
    shingle whose weight the changes moved: an edit in a dense cluster at 100k pairs
    25,000 posts with the edited one's neighbours, and weighing them all again took 1.6 s
    of its 5.5.

    `small[s]` (None: not known for any) is how many of its sampled shingles 2 to
    MAX_POSTING posts hold (Postings.small_counts), which says whether a post may
    propose pairs by its rarest shingles: an update moves it only for the holders of a
    changed shingle whose count crossed those bounds, where counting it for all the
    posts took 0.6 s of the same edit.

    `drift[s]` is how far the weights of the post's shingles have moved, in all, since
    its pairs were last decided, and `weight_floor[s]` a weight the post's has not gone
    below since (its weight when last found, less the moves since): an update decides
    a post's pairs again only once its drift passes a small share of its weight
    (duplicate_update.DRIFT); one edit in a dense cluster moves the weights of hundreds
    of posts by a hundred-thousandth of theirs."""

    def __init__(self, slots, hashes, titles, dates, excerpt, length, text_key,
                 has_shingles, sampled: Ragged | JoinedRagged, long_keys: Ragged | JoinedRagged,
                 short_keys: Ragged | JoinedRagged, *, row: dict[str, int] | None = None,
                 live: np.ndarray | None = None, weight: np.ndarray | None = None,
                 small: np.ndarray | None = None, drift: np.ndarray | None = None,
                 weight_floor: np.ndarray | None = None):  # fmt: skip
        self.slots: list[str | None] = slots
        # (lists, or the base's columns followed by lists: BaseColumn)
        self.hashes: Sequence[str] = hashes
        self.titles: Sequence[str] = titles
        self.dates: Sequence[str | None] = dates
        self.excerpt, self.length, self.text_key = excerpt, length, text_key
        self.has_shingles = has_shingles
        self.weight: np.ndarray = (weight if weight is not None
                                   else np.full(len(slots), np.nan))  # fmt: skip
        self.small: np.ndarray | None = small
        self.drift: np.ndarray = drift if drift is not None else np.zeros(len(slots))
        self.weight_floor: np.ndarray = (weight_floor if weight_floor is not None
                                         else self.weight.copy())  # fmt: skip
        self.sampled, self.long_keys, self.short_keys = sampled, long_keys, short_keys
        if row is not None and live is not None:  # (what changed() knows already)
            self.row, self.live = row, live
        else:
            self._index()

    def _index(self) -> None:
        # (zip in C, then the dead slots' None dropped: a comprehension over 100,000
        # slots took 25 ms of every update)
        self.row = dict(zip(self.slots, range(len(self.slots)), strict=True))
        self.row.pop(None, None)
        live = np.zeros(len(self.slots), dtype=bool)
        live[list(self.row.values())] = True
        self.live = live

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        del state["row"], state["live"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._index()

    @classmethod
    def of(cls, posts: list[Post], sampled: Ragged | None = None) -> Posts:
        """The table of `posts` by slot; `sampled`, their sampled shingles already as one
        array, when the caller has it (a whole pass does)."""
        return cls(
            [p.id for p in posts], [p.hash for p in posts], [p.title for p in posts],
            [p.date for p in posts],
            np.array([p.excerpt for p in posts], dtype=bool),
            np.array([p.length for p in posts], dtype=np.int32),
            np.array([p.text_key for p in posts], dtype=np.uint32),
            np.array([p.has_shingles for p in posts], dtype=bool),
            sampled if sampled is not None else Ragged.of([p.sampled for p in posts]),
            Ragged.of([p.keys[0] for p in posts]), Ragged.of([p.keys[1] for p in posts]),
            weight=_weights(posts),
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.row)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.row

    def hash_of(self) -> dict[str, str]:
        """id -> content hash, of the live posts."""
        hashes = self.hashes if isinstance(self.hashes, list) else list(self.hashes)
        return {i: hashes[s] for i, s in self.row.items()}

    def changed(self, dead: list[int], added: list[Post]) -> Posts:
        """A new table: slots `dead` dead, `added` in new slots at the end (this one is
        left as it is: a long-running indexer keeps it until the new one is saved)."""
        slots, row = list(self.slots), dict(self.row)
        for s in dead:
            del row[slots[s]]
            slots[s] = None
        first = len(slots)
        slots += [p.id for p in added]
        row.update((p.id, first + n) for n, p in enumerate(added))
        live = np.append(self.live, np.ones(len(added), dtype=bool))
        live[dead] = False
        return Posts(
            slots, self.hashes + [p.hash for p in added],
            self.titles + [p.title for p in added], self.dates + [p.date for p in added],
            np.append(self.excerpt, [p.excerpt for p in added]).astype(bool),
            np.append(self.length, [p.length for p in added]).astype(np.int32),
            np.append(self.text_key, [p.text_key for p in added]).astype(np.uint32),
            np.append(self.has_shingles, [p.has_shingles for p in added]).astype(bool),
            # (not copied: 43 MB at 100k; the paragraph keys 13 MB, 0.03 s an update)
            joined(self.sampled, [p.sampled for p in added]),
            joined(self.long_keys, [p.keys[0] for p in added]),
            joined(self.short_keys, [p.keys[1] for p in added]),
            row=row, live=live, weight=np.append(self.weight, _weights(added)),
            drift=np.append(self.drift, np.zeros(len(added))),
            weight_floor=np.append(self.weight_floor, _weights(added)),
            # (the added posts' counted by the caller, who has the new postings)
            small=None if self.small is None else np.append(self.small, [-1] * len(added)),
        )  # fmt: skip

    def paragraph_keys(self, slots: list[int]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """duplicates.paragraph_keys of each slot in `slots`, as kept."""
        return [(tuple(self.long_keys[s].tolist()), tuple(self.short_keys[s].tolist()))
                for s in slots]  # fmt: skip


class StringColumn:
    """Strings (or None) as one UTF-8 array, each found by its offsets: one is read
    without the others (`get`). Why: an update asks for the titles and dates of the
    posts it compares, a few hundred of 100,000, and unpickling the three lists took
    0.04 s of each update at 100k posts."""

    def __init__(self, values: np.ndarray, offsets: np.ndarray, none: np.ndarray):
        self.values, self.offsets, self.none = values, offsets, none

    @classmethod
    def of(cls, strings: Sequence[str | None]) -> StringColumn:
        encoded = [s.encode("utf-8") if s is not None else b"" for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        none = np.array([s is None for s in strings], dtype=bool)
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets, none)

    def __len__(self) -> int:
        return len(self.none)

    def get(self, i: int) -> str | None:
        if self.none[i]:
            return None
        return self.values[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8")

    def all(self) -> list[str | None]:
        text, offsets, none = self.values.tobytes(), self.offsets.tolist(), self.none.tolist()
        return [None if gone else text[a:b].decode("utf-8")
                for a, b, gone in zip(offsets[:-1], offsets[1:], none, strict=True)]  # fmt: skip


class BaseColumn(Sequence):
    """The posts' hashes, titles or dates by slot: the base's (`base`, read one at a
    time where they lie) followed by `more`, the slots' after the base (what each
    generation's changes keep: `column[n:]`)."""

    def __init__(self, base: StringColumn, more: list):
        self.base, self.n, self.more = base, len(base), more

    def __len__(self) -> int:
        return self.n + len(self.more)

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1 and start >= self.n:
                return self.more[start - self.n : max(start, stop) - self.n]
            return list(self)[i]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.base.get(i) if i < self.n else self.more[i - self.n]

    def __iter__(self):
        yield from self.base.all()
        yield from self.more

    def __add__(self, other: list) -> BaseColumn:
        return BaseColumn(self.base, self.more + list(other))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # a list, not a value


def _weights(posts: list[Post]) -> np.ndarray:
    return np.array([math.nan if p.weight is None else p.weight for p in posts], dtype=np.float64)


SCORES = ("containment", "similarity", "partial", "title", "score")


class Pairs:
    """Accepted pairs: slots `a` and `b`, their `scores` (one column per name in SCORES,
    NaN where not measured) and whether each is `pending` (decided by containment alone:
    duplicates.compare(decide_only=True)).

    Kept as rows `rows` (ascending) of a base's columns (`base`: "a", "b", "scores",
    "pending", as read from the base file, mapped; None: no base), with the scores
    completed since (`fixed`: base row -> (scores, pending)), followed by the pairs
    decided since (`tail_*`). Why: at 100k posts there are 510,000 pairs; taking the
    kept rows and joining the new ones as whole columns copied 30 MB five times per
    update (0.2 s of a one-post `rocksearch index`). Columns `a` and `b` are made when
    first asked (4 MB); `scores` and `pending` whole only for a new base."""

    def __init__(self, a: np.ndarray, b: np.ndarray, scores: np.ndarray, pending: np.ndarray,
                 base: dict[str, np.ndarray] | None = None, rows: np.ndarray | None = None,
                 fixed: dict[int, tuple[np.ndarray, bool]] | None = None):  # fmt: skip
        self.tail_a, self.tail_b, self.tail_scores, self.tail_pending = a, b, scores, pending
        self.base = base
        self.rows = rows if rows is not None else np.zeros(0, np.int64)
        self.fixed = fixed if fixed is not None else {}
        self._ab: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, accepted: dict[tuple[int, int], dict | float]) -> Pairs:
        """From accepted pairs as find_groups keeps them (see duplicates.scores_of)."""
        n = len(accepted)
        a = np.fromiter((k[0] for k in accepted), dtype=np.int32, count=n)
        b = np.fromiter((k[1] for k in accepted), dtype=np.int32, count=n)
        scores = np.full((n, len(SCORES)), np.nan)
        pending = np.zeros(n, dtype=bool)
        for row, kept in enumerate(accepted.values()):
            s = scores_of(kept)
            scores[row] = [s.get(name, math.nan) for name in SCORES]
            pending[row] = bool(s.get("pending"))
        return cls(a, b, scores, pending)

    @classmethod
    def based(cls, base: dict[str, np.ndarray]) -> Pairs:
        """Every pair of `base`, as they are there."""
        rows = np.arange(len(base["a"]), dtype=np.int64)
        empty = cls.of({})
        return cls(empty.tail_a, empty.tail_b, empty.tail_scores, empty.tail_pending, base, rows)

    def __len__(self) -> int:
        return len(self.rows) + len(self.tail_a)

    def _columns(self) -> tuple[np.ndarray, np.ndarray]:
        if self._ab is None:
            if self.base is None:
                self._ab = self.tail_a, self.tail_b
            else:
                self._ab = (np.concatenate([self.base["a"][self.rows], self.tail_a]),
                            np.concatenate([self.base["b"][self.rows], self.tail_b]))  # fmt: skip
        return self._ab

    @property
    def a(self) -> np.ndarray:
        return self._columns()[0]

    @property
    def b(self) -> np.ndarray:
        return self._columns()[1]

    @property
    def scores(self) -> np.ndarray:
        """Every row's scores, as one new array."""
        return self._whole("scores", self.tail_scores, 0)

    @property
    def pending(self) -> np.ndarray:
        return self._whole("pending", self.tail_pending, 1)

    def _whole(self, name: str, tail: np.ndarray, part: int) -> np.ndarray:
        """Column `name` of every row: the base's kept rows, completed where `fixed` (its
        `part`: 0 the scores, 1 pending) says, then `tail`."""
        if self.base is None:
            return tail.copy()
        head = self.base[name][self.rows]
        for n, row in self.fixed_rows():
            head[n] = self.fixed[row][part]
        return np.concatenate([head, tail])

    def fixed_rows(self) -> list[tuple[int, int]]:
        """(row here, base row) of the base rows kept whose scores were completed since."""
        if not self.fixed:
            return []
        asked = np.array(sorted(self.fixed), dtype=np.int64)
        at = np.searchsorted(self.rows, asked)
        ok = at < len(self.rows)
        ok[ok] = self.rows[at[ok]] == asked[ok]
        return list(zip(at[ok].tolist(), asked[ok].tolist(), strict=True))

    def scores_of(self, row: int) -> dict:
        """The scores of pair `row`, as compare() gave them."""
        n = len(self.rows)
        if row < n:
            fixed = self.fixed.get(int(self.rows[row]))
            if fixed is not None:
                values, pending = fixed[0].tolist(), fixed[1]
            else:
                base_row = self.rows[row]
                values = self.base["scores"][base_row].tolist()
                pending = bool(self.base["pending"][base_row])
        else:
            values, pending = self.tail_scores[row - n].tolist(), self.tail_pending[row - n]
        out = {name: v for name, v in zip(SCORES, values, strict=True) if not math.isnan(v)}
        if pending:
            out["pending"] = True
        return out

    def set_scores(self, row: int, scores: dict) -> None:
        values = np.array([scores.get(name, math.nan) for name in SCORES])
        pending = bool(scores.get("pending"))
        n = len(self.rows)
        if row < n:
            self.fixed[int(self.rows[row])] = (values, pending)
        else:
            self.tail_scores[row - n], self.tail_pending[row - n] = values, pending

    def where(self, mask: np.ndarray) -> Pairs:
        n = len(self.rows)
        head, tail = mask[:n], mask[n:]
        fixed = dict(self.fixed)  # (entries of rows not kept are never asked)
        return Pairs(self.tail_a[tail], self.tail_b[tail], self.tail_scores[tail],
                     self.tail_pending[tail], self.base, self.rows[head], fixed)  # fmt: skip

    def plus(self, other: Pairs) -> Pairs:
        """These pairs and then `other`'s (which has no base)."""
        assert other.base is None
        return Pairs(np.concatenate([self.tail_a, other.tail_a]),
                     np.concatenate([self.tail_b, other.tail_b]),
                     np.concatenate([self.tail_scores, other.tail_scores]),
                     np.concatenate([self.tail_pending, other.tail_pending]),
                     self.base, self.rows, dict(self.fixed))  # fmt: skip


@dataclass
class Work:
    posts: Posts
    postings: LayeredPostings  # every live post's sampled shingles, and the slot of each
    boilerplate: set[int]
    pairs: Pairs
    groups: KeptGroups | None = None  # as assembled from `pairs`
    base: Base | None = None  # the base file the arrays were read from (see save_work)
    made_for: str | None = None  # the generation whose articles `posts` holds
    assembly: int = ASSEMBLY  # the rule `groups` were assembled by (1: before it was kept)
    pairing: int = PAIRING  # the rule `pairs` were decided by (1: before it was kept)


# The working data this process saved last, with the file's identity: a long-running
# indexer (`rocksearch index --watch`) finds it in the next generation (a hard link to
# the same file) and skips reading it back.
_saved: tuple[tuple, Work] | None = None

# The big arrays (the sampled shingles, their postings, the pairs: some 180 MB at 100k
# posts) are kept in a base file that later generations share as a hard link; each
# generation's own file keeps what changed since (the posts added after the base, the
# slots dead since, the pairs kept, added and rescored). Writing all of it took 0.45 s
# and reading it 0.3 s of every one-post update at 100k. Past BASE_CHANGES posts added
# or deleted since the base, a new base is written (the postings are rebuilt from the
# base with a cut and a join per change: cheap for a few changes).
BASE_PREFIX = "duplicates.base-"
BASE_CHANGES = 100


@dataclass
class Base:
    """A base file: its name in the generation, its size, how many slots it holds, and
    each array's (dtype, shape, byte offset)."""

    name: str
    size: int
    slots: int
    arrays: dict[str, tuple[str, tuple[int, ...], int]]

    def read(self, folder: Path) -> dict[str, np.ndarray]:
        """The arrays, mapped read-only from the file (ValueError if it is not the one)."""
        path = folder / self.name
        if path.stat().st_size != self.size:
            raise ValueError(f"{path} is not the base this working data was written with")
        mapped = np.memmap(path, dtype=np.uint8, mode="r")
        out = {}
        for name, (dtype, shape, offset) in self.arrays.items():
            count = int(np.prod(shape))
            found = np.frombuffer(mapped, dtype=dtype, count=count, offset=offset)
            out[name] = found.reshape(shape)
        return out


def _base_arrays(work: Work) -> dict[str, np.ndarray]:
    posts, pairs, postings = work.posts, work.pairs, work.postings.flat()
    return {
        "sampled.values": posts.sampled.values, "sampled.offsets": posts.sampled.offsets,
        "long.values": posts.long_keys.values, "long.offsets": posts.long_keys.offsets,
        "short.values": posts.short_keys.values, "short.offsets": posts.short_keys.offsets,
        "keys": postings.keys, "owners": postings.owners, "live": posts.live,
        "pairs.a": pairs.a, "pairs.b": pairs.b, "pairs.scores": pairs.scores,
        "pairs.pending": pairs.pending,
        # Pickled once here, not with every generation's changes (0.04 s at 100k posts).
        LISTS: _pickled(posts.slots),
        **{f"posts.{name}.{part}": array for name in COLUMNS
           for part, array in _column_arrays(getattr(posts, name)).items()},
    }  # fmt: skip


def _column_arrays(strings: Sequence[str | None]) -> dict[str, np.ndarray]:
    column = StringColumn.of(strings)
    return {"values": column.values, "offsets": column.offsets, "none": column.none}


def _pickled(value) -> np.ndarray:
    return np.frombuffer(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), dtype=np.uint8)


def _write_base(folder: Path, work: Work) -> Base:
    """Write `work`'s arrays as a new base in `folder` (and unlink any other base there:
    the links the generation was made with)."""
    name = f"{BASE_PREFIX}{folder.name}"
    path, arrays, offset = folder / name, {}, 0
    tmp = path.with_name(name + ".tmp")
    written = _base_arrays(work)
    with open(tmp, "wb") as f:
        for key, arr in written.items():
            arr = np.ascontiguousarray(arr)
            arrays[key] = (arr.dtype.str, arr.shape, offset)
            if arr.nbytes:
                f.write(arr.data)
            offset += arr.nbytes
            pad = -offset % 8  # each array 8-byte aligned
            f.write(b"\0" * pad)
            offset += pad
    os.replace(tmp, path)
    for other in folder.glob(BASE_PREFIX + "*"):
        if other.name != name:
            other.unlink(missing_ok=True)
    # What was written is the new base of the arrays this process keeps (a watching
    # indexer's next update): their layers start empty again.
    posts = work.posts
    if isinstance(posts.sampled, JoinedRagged):
        posts.sampled = posts.sampled.flat()
    work.postings = LayeredPostings(work.postings.flat(), posts.live.copy(), posts.live,
                                    posts.sampled)  # fmt: skip
    work.pairs = Pairs.based({name: written[f"pairs.{name}"]
                              for name in ("a", "b", "scores", "pending")})  # fmt: skip
    return Base(name, offset, len(posts.slots), arrays)


def _changes_since(work: Work, base: Base, arrays: dict[str, np.ndarray]) -> int:
    """How many posts were added or deleted since `base` (whose arrays are `arrays`)."""
    live = work.posts.live
    return int(len(live) - base.slots + np.count_nonzero(arrays["live"] & ~live[: base.slots]))


def save_work(folder: Path, work: Work) -> None:
    """Keep `work` in generation `folder` (a temporary name, a rename): a new base when
    there is none to build on, then what changed since it."""
    base = work.base
    try:
        arrays = base.read(folder) if base is not None else None
    except (OSError, ValueError):  # (not in this generation, or not the one)
        arrays = None
    if (arrays is None or work.pairs.base is None or LISTS not in arrays
            or _changes_since(work, base, arrays) > BASE_CHANGES):  # fmt: skip
        base, arrays = _write_base(folder, work), None
    posts, pairs, n = work.posts, work.pairs, base.slots
    # The base's slots dead since (the base's lists name them; slots dead before it are
    # None there already), and the lists of the slots after the base.
    dead = [] if arrays is None else np.flatnonzero(arrays["live"] & ~posts.live[:n]).tolist()
    lists = (dead, posts.slots[n:], posts.hashes[n:], posts.titles[n:], posts.dates[n:])
    tails = {}
    for key, ragged in (("sampled", posts.sampled), ("long", posts.long_keys),
                        ("short", posts.short_keys)):  # fmt: skip
        tails[key] = tail_from(ragged, n)
    # Rows of the base whose scores were completed since (a pending pair shown).
    fixed = pairs.fixed_rows()
    rescored = (np.array([n for n, _ in fixed], dtype=np.int64),
                np.array([pairs.fixed[r][0] for _, r in fixed]).reshape(-1, len(SCORES)),
                np.array([pairs.fixed[r][1] for _, r in fixed], dtype=bool))  # fmt: skip
    delta = {
        "lists": lists, "excerpt": posts.excerpt,
        "length": posts.length, "text_key": posts.text_key,
        "has_shingles": posts.has_shingles, "weight": posts.weight, "small": posts.small,
        "drift": posts.drift, "weight_floor": posts.weight_floor,
        "tails": tails,
        "kept": pairs.rows, "rescored": rescored,
        "added": (pairs.tail_a, pairs.tail_b, pairs.tail_scores, pairs.tail_pending),
        "boilerplate": work.boilerplate, "groups": work.groups, "made_for": work.made_for,
        "assembly": work.assembly, "pairing": work.pairing,
    }  # fmt: skip
    path = folder / WORK_FILE
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"version": WORK_VERSION, "base": base, "delta": delta}, f,
                    protocol=pickle.HIGHEST_PROTOCOL)  # fmt: skip
    os.replace(tmp, path)
    global _saved
    work.base = base
    _saved = (file_identity(path), work)


def forget_saved_work() -> None:
    """Let go of the working data this process saved last (before a whole pass)."""
    global _saved
    _saved = None


class NoWork(Exception):
    """No working data this version can use in a generation (why: the message)."""


def read_work(folder: Path) -> Work:
    """The working data kept in generation `folder`; raises NoWork if there is none, or
    it is torn or an older version's."""
    try:
        if _saved is not None and file_identity(folder / WORK_FILE) == _saved[0]:
            return _saved[1]
        data = pickle.loads((folder / WORK_FILE).read_bytes())
        if not isinstance(data, dict) or data.get("version") not in READS_VERSIONS:
            raise NoWork("the working data kept is another version's")
        return _from_base(data["base"], data["delta"], data["base"].read(folder))
    except FileNotFoundError as exc:
        missing = Path(exc.filename or WORK_FILE).name
        raise NoWork(f"no working data kept ({missing} is missing)") from exc
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError, AttributeError,
            ImportError, pickle.PickleError) as exc:  # fmt: skip
        # (torn, or not what this version wrote: a whole pass finds the groups)
        raise NoWork(f"the working data kept is unreadable ({type(exc).__name__}: "
                     f"{exc})") from exc  # fmt: skip


def _from_base(base: Base, delta: dict, arrays: dict[str, np.ndarray]) -> Work:
    """The working data: `base`'s arrays with `delta` applied."""
    n = base.slots
    ragged = {}
    for key, (values, offsets) in delta["tails"].items():
        # Read where they lie, in the mapped base, followed by the slots since: joined
        # into one array, the paragraph keys alone took 0.02 s of every update at 100k.
        head = arrays[f"{key}.offsets"]
        ragged[key] = JoinedRagged(Ragged(arrays[f"{key}.values"], head[: n + 1]),
                                   Ragged(values, offsets - offsets[0]))  # fmt: skip
    d = delta
    lists = pickle.loads(memoryview(arrays[LISTS]))
    if isinstance(lists, tuple):  # (a base written before 2026-11-30: all four lists)
        slots, hashes, titles, dates = lists
    elif DETAILS in arrays:  # (one of that day: the three lists in one pickle)
        slots, (hashes, titles, dates) = lists, pickle.loads(memoryview(arrays[DETAILS]))
    else:
        columns = [StringColumn(*(arrays[f"posts.{name}.{part}"]
                                  for part in ("values", "offsets", "none")))
                   for name in COLUMNS]  # fmt: skip
        slots, (hashes, titles, dates) = lists, (BaseColumn(c, []) for c in columns)
    dead, more_slots, more_hashes, more_titles, more_dates = d["lists"]
    slots = list(slots)
    for s in dead:
        slots[s] = None
    slots += more_slots
    hashes, titles, dates = hashes + more_hashes, titles + more_titles, dates + more_dates
    posts = Posts(slots, hashes, titles, dates,
                  d["excerpt"], d["length"], d["text_key"], d["has_shingles"],
                  ragged["sampled"], ragged["long"], ragged["short"],
                  weight=d.get("weight"), small=d.get("small"), drift=d.get("drift"),
                  weight_floor=d.get("weight_floor"))  # fmt: skip
    # The postings: the base's, less the slots dead since and with those added since.
    postings = LayeredPostings(Postings(arrays["keys"], arrays["owners"]), arrays["live"],
                               posts.live, posts.sampled)  # fmt: skip
    kept = d["kept"].astype(np.int64, copy=False)
    rows, rescored, repending = d["rescored"]
    fixed = {int(kept[r]): (rescored[n], bool(repending[n])) for n, r in enumerate(rows.tolist())}
    base_pairs = {name: arrays[f"pairs.{name}"] for name in ("a", "b", "scores", "pending")}
    pairs = Pairs(*d["added"], base_pairs, kept, fixed)
    return Work(posts, postings, d["boilerplate"], pairs, d["groups"], base, d.get("made_for"),
                d.get("assembly", 1), d.get("pairing", 1))  # fmt: skip
