"""Exact phrases, matched on word positions laid end to end (see indexer/positions.py).

Takes a loaded `IndexState` and a deadline (`Phrases`); gives the documents that have
a phrase in an exact field and how often it occurs in each (`Phrases.docs`), with
every word's positions read once per query.

In each segment a word's positions form one ascending list over all its documents,
so the places where a phrase stands are an intersection of whole lists, each shifted
by its word's place in the phrase, done with numpy arrays, with no Python loop over
documents or places. The word with the fewest positions gives the first places; each
next word filters them (a bit test per place where the word has a bitmap and the
places are few, else a binary search per place in the word's list). Common words'
lists are mapped from the segment's positions file; rare words' are decoded from
their postings, which are short, and after the first only in the documents where the
phrase can still be. On 100k articles, phrases of very common words ("a pct", "of the
company") took 120-150 ms with Python sets and take about 20-25 ms with numpy.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np
from whoosh.collectors import TimeLimit
from whoosh.reading import TermNotFound

from indexer.analysis import STOP_WORDS
from indexer.positions import laid_end_to_end
from search.generation_memo import MISSING, GenerationMemo
from search.int_sets import runs_of

# What testing one place by a bit costs, against a binary search of the list, both in
# numpy: a bit test reads one byte where a search reads a few of a long list.
BIT_COST = 9


_NONE = np.zeros(0, dtype=np.int64)

# A word written with hyphens is indexed whole too, at the places of its first part and
# of its last (indexer/analysis.py, `compounds`): "co-operation" is "cooperation" where
# "co" is and where "operation" is. Inside a phrase, with words on both sides, the whole
# word takes both places, and the words after it follow the last ("gulf cooperation
# council" in "Gulf Co-operation Council"), as a token of two or three places (Lucene's
# position length). JOINED_SPANS: how far its last place is from its first, for a word
# of two parts and of three ("up-to-date"); longer ones are not looked for.
JOINED_SPANS = (1, 2)
# At most this many such forms a phrase (a paragraph pasted in quotes may have dozens).
MOST_JOINED = 4
# Per generation, (segment, field, word) -> the spans at which a word stands twice
# there: where a post may write it with hyphens (`Phrases._spans`).
_SPANS = GenerationMemo(4096)


def _array(values: Sequence[int]) -> np.ndarray:
    """A positions list or base table as a numpy array: a mapped one (a memoryview of
    the positions file) without a copy."""
    if isinstance(values, memoryview):
        return np.frombuffer(values, dtype=np.uint32)
    return np.asarray(values, dtype=np.int64)


def _found_in(places: np.ndarray, positions: Sequence[int], delta: int) -> np.ndarray:
    """The places p (ascending) for which p + delta is in `positions` (ascending)."""
    listed = _array(positions)
    if not len(listed) or not len(places):
        return _NONE
    wanted = places + delta
    # In the list's own type: a mixed search would convert the whole list first.
    wanted = wanted[wanted >= 0].astype(listed.dtype)
    at = np.searchsorted(listed, wanted)
    at[at == len(listed)] = len(listed) - 1
    return wanted[listed[at] == wanted].astype(np.int64) - delta


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

    def _count(self, n: int, leaf, name: str, word: str, file) -> int:
        """How many positions `word` has in `name` in segment n, without decoding; -1 for
        a word the segment's positions file (`file`) does not hold: in fewer than its
        least number of posts, or in none. (Such a word's positions are few, and to ask
        Whoosh how many was a term lookup, 4-5 µs, made again to decode them.)"""
        held = self._held(n, name, word)
        if held is not None:
            return len(held)
        if file is not None:
            return -1
        return int(leaf.frequency(name, word.encode("utf-8")))  # 0 when absent

    def _decoded(self, leaf, name: str, word: str, base, docs=None) -> list[int]:
        try:
            postings = leaf.postings(name, word.encode("utf-8"))
        except TermNotFound:
            return []
        return laid_end_to_end(postings, base, docs, tick=self._tick)

    def posts(self, names: Iterable[str], words: list[str]) -> set[int]:
        """The documents with `words` as a phrase in any of the exact fields `names`."""
        return {d for name in names for d in self.docs(name, words)}

    def docs(self, name: str, words: list[str | None], within=None) -> dict[int, int]:
        """{docnum: how often the phrase occurs} for the documents with `words` (two or
        more) as a phrase in exact field `name`; of the docnums `within` only, when given.
        A None in `words` stands for any one word ("write * * * rock"); the first and
        last must be words."""
        found: dict[int, int] = {}
        for n, (leaf, offset) in enumerate(self.state.reader.leaf_readers()):
            docs = None
            if within is not None:
                end = offset + leaf.doc_count_all()
                docs = {d - offset for d in within if offset <= d < end}
                if not docs:
                    continue
            places = self._places(n, leaf, name, words, docs)
            for form in self._joined_forms(n, leaf, name, words):
                more = self._places(n, leaf, name, form, docs)
                if len(more):
                    places = np.union1d(places, more)
            if len(places):
                # A place's document is the last one whose base is at or before it
                # (ascending, as the places are).
                base = _array(self.state.bases(n, name))
                numbers, counts = runs_of(np.searchsorted(base, places, "right"))
                for d, count in zip(numbers.tolist(), counts.tolist(), strict=True):
                    found[d - 1 + offset] = count
        return found

    def _joined_forms(self, n: int, leaf, name: str, words: list[str | None]) -> list[list]:
        """`words` with a word inside the phrase (not its first or last) in the places
        of the parts a post of segment n writes it in with hyphens: "gulf cooperation
        council" as gulf, cooperation, cooperation, council (JOINED_SPANS). Only for a
        word the collection also has in such parts (each part a word of it) that stands
        twice that far apart in the segment: most phrases have none, and take no more
        lookups; at most MOST_JOINED."""
        forms = []
        for k in range(1, len(words) - 1):
            word = words[k]
            if word is None or len(word) < 3 or word in STOP_WORDS:
                continue
            for span in self._spans(n, leaf, name, word):
                forms.append([*words[:k], word, *[None] * (span - 1), word, *words[k + 1 :]])
                if len(forms) == MOST_JOINED:
                    return forms
        return forms

    def _spans(self, n: int, leaf, name: str, word: str) -> tuple[int, ...]:
        """The JOINED_SPANS s for which `word` can be cut into s + 1 words of the
        collection and stands at some place p and at p + s in `name` in segment n;
        remembered per generation."""
        key = (n, name, word)
        found = _SPANS.get(self.state, key)
        if found is MISSING:
            cuts = _cuts(word, self.state.vocabulary.df)
            found = ()
            if cuts:
                gaps = np.diff(_array(self._positions(n, leaf, name, word)))
                found = tuple(s for s in cuts if np.any(gaps == s))
            _SPANS.put(self.state, key, found)
        return found

    def _places(self, n: int, leaf, name: str, words: list[str], docs) -> np.ndarray:
        """Where the phrase stands in segment n (ascending), as the places of its first
        word. The word with the fewest positions (a word the positions file does not
        hold, rare, before any it holds) gives the first places; each next
        word keeps those whose shifted place it holds: a bit test per place where the
        positions file has the word's bitmap and the places are few, else a binary
        search per place in the word's list, all in numpy (Python sets took 100-150 ms
        for phrases of very common words at 100k)."""
        file = self.state.positions_file(n)
        sizes = {w: self._count(n, leaf, name, w, file) for w in set(words) if w is not None}
        if not all(sizes.values()):
            return _NONE
        given = [(i, w) for i, w in enumerate(words) if w is not None]  # (None: any word)
        order = sorted(given, key=lambda iw: sizes[iw[1]])  # (rare words first, -1)
        anchor, first = order[0]
        # Where `first` is; the phrase starts `anchor` places before.
        places = _array(self._positions(n, leaf, name, first, docs)).astype(np.int64)
        if not len(places):  # (a rare word first, found in no post)
            return places
        base = self.state.bases(n, name)
        limit = base[-1]
        for i, word in order[1:]:
            delta = i - anchor  # where `word` must be, from a place of `first`
            positions = self._held(n, name, word)
            if positions is None:  # a rare word: decoded where the places are only
                near = set((np.searchsorted(_array(base), places, "right") - 1).tolist())
                positions = self._positions(n, leaf, name, word, near)
            bits = None if file is None else file.bitmap(name, word)
            if bits is not None and len(places) * BIT_COST < len(positions):
                x = places + delta
                x = x[(x >= 0) & (x < limit)]
                table = np.frombuffer(bits, dtype=np.uint8)
                places = x[(table[x >> 3] >> (x & 7)) & 1 == 1] - delta
            else:
                places = _found_in(places, positions, delta)
            if not len(places):
                return places
            self._tick()
        return places - anchor


def _cuts(word: str, vocab) -> tuple[int, ...]:
    """The JOINED_SPANS s for which `word` is s + 1 words of `vocab` written together
    ("cooperation": "co", "operation"; "uptodate": "up", "to", "date")."""
    heads = [i for i in range(1, len(word)) if word[:i] in vocab]
    spans = []
    if any(word[i:] in vocab for i in heads):
        spans.append(1)
    if any(word[i:j] in vocab and word[j:] in vocab
           for i in heads for j in range(i + 1, len(word))):  # fmt: skip
        spans.append(2)
    return tuple(s for s in spans if s in JOINED_SPANS)
