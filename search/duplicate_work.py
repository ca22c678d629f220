"""The duplicate finder's working data, kept in each generation as columns.

Takes what a pass found (`Posts.of`, `Pairs.of`); gives the tables an update reads and
changes (search/duplicate_update.py) and that `save_work`/`load_work` keep as
`duplicates.work`. Why columns: at 100k posts the same data as one small object per
post and per accepted pair (510,000 pairs) took 2.3 s to unpickle and 1.4 s to pickle,
on every `rocksearch index` call; as lists and numpy arrays it takes a tenth of that,
and an update reads only the rows of the posts it looks at.

Posts are kept by slot: a post keeps its slot until it is edited or deleted, and an
edited or added post takes a new slot at the end (the old one stays, dead), so the
sampled-shingle postings (`keys`, `owners`) and the pairs can name posts by slot. A
whole pass starts the slots again.
"""

from __future__ import annotations

import math
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.store import file_identity
from search.duplicate_store import KeptGroups
from search.duplicates import scores_of
from search.shingle_postings import Ragged

WORK_FILE = "duplicates.work"
WORK_VERSION = 6  # 5: Ragged moved to search/shingle_postings.py; 6: KeptGroups


@dataclass
class Post:
    """One post as the working data keeps it (a row of `Posts`)."""

    id: str
    hash: str
    title: str
    date: str | None
    excerpt: bool
    source: dict | None
    length: int
    keys: tuple[tuple[int, ...], tuple[int, ...]]  # duplicates.paragraph_keys
    text_key: int  # crc32 of the content text: copies of one text count once
    sampled: np.ndarray  # the sampled shingles (uint32)
    has_shingles: bool


class Posts:
    """The posts by slot, as columns; `slots[s]` is the id in slot s (None: dead)."""

    def __init__(self, slots, hashes, titles, dates, sources, excerpt, length, text_key,
                 has_shingles, sampled: Ragged, long_keys: Ragged, short_keys: Ragged):  # fmt: skip
        self.slots: list[str | None] = slots
        self.hashes: list[str] = hashes
        self.titles: list[str] = titles
        self.dates: list[str | None] = dates
        self.sources: list[dict | None] = sources
        self.excerpt, self.length, self.text_key = excerpt, length, text_key
        self.has_shingles = has_shingles
        self.sampled, self.long_keys, self.short_keys = sampled, long_keys, short_keys
        self._index()

    def _index(self) -> None:
        self.row = {i: s for s, i in enumerate(self.slots) if i is not None}
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
            [p.date for p in posts], [p.source for p in posts],
            np.array([p.excerpt for p in posts], dtype=bool),
            np.array([p.length for p in posts], dtype=np.int32),
            np.array([p.text_key for p in posts], dtype=np.uint32),
            np.array([p.has_shingles for p in posts], dtype=bool),
            sampled if sampled is not None else Ragged.of([p.sampled for p in posts]),
            Ragged.of([p.keys[0] for p in posts]), Ragged.of([p.keys[1] for p in posts]),
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.row)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.row

    def hash_of(self) -> dict[str, str]:
        """id -> content hash, of the live posts."""
        hashes = self.hashes
        return {i: hashes[s] for i, s in self.row.items()}

    def changed(self, dead: list[int], added: list[Post]) -> Posts:
        """A new table: slots `dead` dead, `added` in new slots at the end (this one is
        left as it is: a long-running indexer keeps it until the new one is saved)."""
        slots = list(self.slots)
        for s in dead:
            slots[s] = None
        slots += [p.id for p in added]
        return Posts(
            slots, self.hashes + [p.hash for p in added],
            self.titles + [p.title for p in added], self.dates + [p.date for p in added],
            self.sources + [p.source for p in added],
            np.append(self.excerpt, [p.excerpt for p in added]).astype(bool),
            np.append(self.length, [p.length for p in added]).astype(np.int32),
            np.append(self.text_key, [p.text_key for p in added]).astype(np.uint32),
            np.append(self.has_shingles, [p.has_shingles for p in added]).astype(bool),
            self.sampled.extended([p.sampled for p in added]),
            self.long_keys.extended([p.keys[0] for p in added]),
            self.short_keys.extended([p.keys[1] for p in added]),
        )  # fmt: skip

    def paragraph_keys(self, slots: list[int]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """duplicates.paragraph_keys of each slot in `slots`, as kept."""
        return [(tuple(self.long_keys[s].tolist()), tuple(self.short_keys[s].tolist()))
                for s in slots]  # fmt: skip


SCORES = ("containment", "similarity", "partial", "title", "score")


class Pairs:
    """Accepted pairs as columns: slots `a` and `b`, their `scores` (one column per name
    in SCORES, NaN where not measured) and whether each is `pending` (decided by
    containment alone: duplicates.compare(decide_only=True))."""

    def __init__(self, a: np.ndarray, b: np.ndarray, scores: np.ndarray, pending: np.ndarray):
        self.a, self.b, self.scores, self.pending = a, b, scores, pending

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

    def __len__(self) -> int:
        return len(self.a)

    def scores_of(self, row: int) -> dict:
        """The scores of pair `row`, as compare() gave them."""
        out = {name: v for name, v in zip(SCORES, self.scores[row].tolist(), strict=True)
               if not math.isnan(v)}  # fmt: skip
        if self.pending[row]:
            out["pending"] = True
        return out

    def set_scores(self, row: int, scores: dict) -> None:
        self.scores[row] = [scores.get(name, math.nan) for name in SCORES]
        self.pending[row] = bool(scores.get("pending"))

    def where(self, mask: np.ndarray) -> Pairs:
        return Pairs(self.a[mask], self.b[mask], self.scores[mask], self.pending[mask])

    def plus(self, other: Pairs) -> Pairs:
        return Pairs(np.concatenate([self.a, other.a]), np.concatenate([self.b, other.b]),
                     np.concatenate([self.scores, other.scores]),
                     np.concatenate([self.pending, other.pending]))  # fmt: skip


@dataclass
class Work:
    posts: Posts
    keys: np.ndarray  # every live post's sampled shingles, sorted (uint32)
    owners: np.ndarray  # the slot holding each (int32)
    boilerplate: set[int]
    pairs: Pairs
    groups: KeptGroups | None = None  # as assembled from `pairs`


# The working data this process saved last, with the file's identity: a long-running
# indexer (`rocksearch index --watch`) finds it in the next generation (a hard link to
# the same file) and skips reading it back.
_saved: tuple[tuple, Work] | None = None


def load_work(folder: Path) -> Work | None:
    """The working data kept in generation `folder`, or None (none, torn or older)."""
    try:
        if _saved is not None and file_identity(folder / WORK_FILE) == _saved[0]:
            return _saved[1]
        data = pickle.loads((folder / WORK_FILE).read_bytes())
    except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.PickleError):
        return None
    if not isinstance(data, dict) or data.get("version") != WORK_VERSION:
        return None
    return data["work"]


def save_work(folder: Path, work: Work) -> None:
    """Keep `work` in generation `folder` (a temporary name, a rename)."""
    path = folder / WORK_FILE
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"version": WORK_VERSION, "work": work}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    global _saved
    _saved = (file_identity(path), work)
