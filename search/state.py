"""What a search needs from one published index generation, loaded once and shared.

Takes an index folder (`get_state`); gives an `IndexState`: the open Whoosh index, a
searcher per thread (a Whoosh searcher is not safe to share between threads), the
vocabulary of the exact fields (for typo correction and prefixes), and a bitmask of
documents per facet value (for counting facets and filtering with integer ANDs).

A generation never changes once published, so everything here is cached by the
generation's path; when the indexer publishes a new one, the next search loads it.
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, repeat
from pathlib import Path

import numpy as np
from whoosh.query import Term
from whoosh.reading import TermNotFound

from indexer.analysis import add_stems, learn_named_stems, learn_stems, save_named_stems, save_stems
from indexer.positions import PositionsFile, bases, field_lengths
from indexer.schema import FACETS
from indexer.store import (
    Generation,
    copy_identity,
    file_identity,
    open_current,
    read_pointer,
    resolved,
)
from indexer.stored_copies import StoredFile, whoosh_stored
from search import duplicate_store, state_cache, state_patch
from search.authors import Authors
from search.bitmasks import docnums_of, flags_mask, mask_of
from search.english import learn_saved_words, save_common_words
from search.segment_data import EXACT_FIELDS, LENGTH_FIELDS, SegmentData, segment_data
from search.topics import TOPIC_FACETS, Topics, words_of_names

# What warm() computes, saved in the generation by the indexer before it publishes (see
# `save_cache`), so that a server or a CLI search loads it in milliseconds instead of
# computing it for seconds in every worker (1.7 s at 10k articles, against 25 ms). On
# disk as a base and a layer over it: search/state_cache.py.
STATE_CACHE = state_cache.CACHE_FILE
SEGMENTS = state_cache.SEGMENTS  # in the base beside CACHED: (segment id, documents) of each
CACHED = ("_vocab", "_facet_tables", "_groups_kept", "_days", "_lengths",
          "_headings", "_ids", "_avg")  # fmt: skip
GROUPS = "_groups_kept"  # (kept in the layer, not the base: see save_cache)
IN_BASE = tuple(name for name in CACHED if name != GROUPS)


def live_flags(reader, doc_count_all: int) -> np.ndarray:
    """docnum -> not deleted, from each segment's list of deleted documents (Whoosh's
    all_doc_ids() asks is_deleted() of every document: 0.35 s at 100k articles)."""
    live = np.ones(doc_count_all, dtype=bool)
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():
            dead = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)  # a cached_property
            live[dead + offset] = False
    return live


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _placed(places: list[int]) -> bytes:
    """Places in a list, as the bytes of an int32 array (pickled compactly)."""
    return np.array(places, dtype=np.int32).tobytes()


def _unplaced(data: bytes) -> list[int]:
    return np.frombuffer(data, np.int32).tolist()


class Masks(Mapping):
    """value -> bitmask (a Python int) of the live documents with that value of one
    facet, each made from the facet's table (see `IndexState.facet_table`) when first
    asked for: a search filters by a few values, and the 32 MB of masks of 100k
    articles' facets in the warm-up cache took 0.1 s of every cold search to read."""

    def __init__(self, table: tuple[np.ndarray, np.ndarray, list[str]]):
        self._starts, self._nums, values = table
        self._number = {value: i for i, value in enumerate(values)}
        self._ints: dict[str, int] = {}

    def __getitem__(self, value: str) -> int:
        found = self._ints.get(value)
        if found is None:
            at = np.flatnonzero(self._nums == self._number[value])
            docs = np.searchsorted(self._starts, at, side="right") - 1
            found = self._ints[value] = mask_of(docs)
        return found

    def __contains__(self, value) -> bool:
        return value in self._number

    def __iter__(self):
        return iter(self._number)

    def __len__(self) -> int:
        return len(self._number)


@dataclass
class Vocabulary:
    """Words of the exact fields with their document frequency."""

    df: dict[str, int]
    words: list[str] = field(default_factory=list)  # sorted, for prefixes
    by_head: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    heads: set[str] = field(default_factory=set)  # first letters
    # word -> stem where the two differ, for every word; None if a segment's data had
    # none (see search/segment_data.py), and then the stemmer stems the words as asked
    stems: dict[str, str] | None = None
    # exact field -> each word's documents in that field, summed over the segments, by
    # the word's place in `words`: what `plus` adds a segment's counts to (df is their
    # largest); None in a cache kept before 2026-11-30
    fields: dict[str, np.ndarray] | None = None

    @cached_property
    def stem_set(self) -> set[str] | None:
        """The stems of every word (None when the stems are not kept): a word the
        collection lacks as typed but whose stem is here is matched by its stem."""
        if self.stems is None:
            return None
        stems = self.stems
        return {stems.get(word, word) for word in self.words}

    @classmethod
    def build(cls, df: dict[str, int], stems: dict[str, str] | None = None) -> Vocabulary:
        vocab = cls(df, sorted(df), stems=stems)
        for word in vocab.words:
            vocab.by_head.setdefault((word[0], len(word)), []).append(word)
        vocab.heads = {head for head, _ in vocab.by_head}
        return vocab

    # Pickled (in the warm-up cache) as joined strings and arrays: unpickling the dicts
    # and lists of 72,000 words took 50 ms of a cold search at 100k articles. The lists
    # by head and the stems' keys are kept as places in `words`, and made of its strings
    # again: split apart, each word was two to three strings in every server worker
    # (140,000 strings, 8.7 MB, of 48,000 words at 10k articles; now 4.3).
    def __getstate__(self) -> dict:
        stems = self.stems
        place = {word: n for n, word in enumerate(self.words)}
        heads = {key: [place[w] for w in words] for key, words in self.by_head.items()}
        return {
            "words": "\n".join(self.words),  # words have no line breaks (TOKEN_PATTERN)
            "counts": np.array([self.df[w] for w in self.words], dtype=np.int64).tobytes(),
            "by_head": (list(heads), [_placed(places) for places in heads.values()]),
            # (a stem of a word not among `words`, if one ever were, is left out: the
            # stemmer makes it again when asked)
            "stems": None if stems is None else (
                _placed([place[w] for w in stems if w in place]),
                "\n".join(stem for w, stem in stems.items() if w in place)),
            "fields": None
            if self.fields is None
            else {name: counts.astype(np.int64).tobytes() for name, counts in self.fields.items()},
        }  # fmt: skip

    def __setstate__(self, state: dict) -> None:
        if "df" in state:  # pickled whole: a cache of another version, not used
            self.__dict__.update(state)
            return
        self.words = words = _lines(state["words"])
        self.df = dict(zip(words, np.frombuffer(state["counts"], np.int64).tolist(),
                           strict=True))  # fmt: skip
        keys, lists = state["by_head"]
        pick = words.__getitem__
        self.by_head = {key: list(map(pick, _unplaced(places)))
                        for key, places in zip(keys, lists, strict=True)}  # fmt: skip
        self.heads = {head for head, _ in self.by_head}
        stems = state["stems"]
        self.stems = None if stems is None else dict(
            zip(map(pick, _unplaced(stems[0])), _lines(stems[1]), strict=True))  # fmt: skip
        fields = state.get("fields")
        self.fields = None if fields is None else {
            name: np.frombuffer(counts, np.int64) for name, counts in fields.items()
        }  # fmt: skip

    @classmethod
    def merge(cls, parts: list[SegmentData]) -> Vocabulary:
        """Each word's documents summed over the segments, per exact field; a word's
        count is its largest in any one field."""
        df: dict[str, int] = {}
        stems: dict[str, str] | None = {}
        for part in parts:
            if part.stems is None or stems is None:
                stems = None
            else:
                stems.update(part.stems)
        fields: dict[str, dict[str, int]] = {}
        for name in EXACT_FIELDS:
            tables = [part.words[name] for part in parts if part.words.get(name)]
            if not tables:
                continue
            merged = fields[name] = dict(tables[0])
            for table in tables[1:]:
                get = merged.get
                for word, n in table.items():
                    merged[word] = get(word, 0) + n
            if not df:
                df = dict(merged)
                continue
            get = df.get
            for word, n in merged.items():
                if n > get(word, 0):
                    df[word] = n
        vocab = cls.build(df, stems)
        vocab.fields = {
            name: np.fromiter(map(counts.get, vocab.words, repeat(0)), np.int64, len(vocab.words))
            for name, counts in fields.items()
        }
        return vocab

    def plus(self, parts: list[SegmentData]) -> Vocabulary | None:
        """This vocabulary with the words of more segments counted in: what `merge`
        gives for this one's segments and `parts` together, made by adding only the
        parts' words (a segment of a few new posts has a few hundred, the vocabulary of
        100k posts 70,000). Changed in place and given back (it is a warm-up base's,
        just read and of no use after: copying its 70,000 words and counts was a third
        of carrying it forward); None, unchanged, if it keeps no counts per field (see
        `fields`)."""
        if self.fields is None:
            return None
        added: dict[str, dict[str, int]] = {}  # field -> word -> the parts' documents
        for name in EXACT_FIELDS:
            for part in parts:
                table = part.words.get(name)
                if table:
                    counts = added.setdefault(name, {})
                    for word, n in table.items():
                        counts[word] = counts.get(word, 0) + n
        df, words, by_head, fields = self.df, self.words, self.by_head, self.fields
        new = sorted({word for counts in added.values() for word in counts if word not in df})
        if new:
            at = [bisect.bisect_left(words, word) for word in new]
            for n, word in enumerate(new):  # (each at its place, the ones before it in)
                words.insert(at[n] + n, word)
            for name, counts in fields.items():
                fields[name] = np.insert(counts, at, 0)
            self.heads |= {word[0] for word in new}
            for word in new:
                bisect.insort(by_head.setdefault((word[0], len(word)), []), word)
        for name in added:
            if name not in fields:
                fields[name] = np.zeros(len(words), np.int64)
            elif not fields[name].flags.writeable:  # (read from the cache's bytes)
                fields[name] = fields[name].copy()
        places = {}
        for name, counts in added.items():
            column = fields[name]
            for word, n in counts.items():
                at_word = places.get(word)
                if at_word is None:
                    at_word = places[word] = bisect.bisect_left(words, word)
                column[at_word] += n
        columns = list(fields.values())
        for word, at_word in places.items():
            df[word] = max(int(column[at_word]) for column in columns)
        if self.stems is not None:
            for part in parts:
                if part.stems is None:
                    self.stems = None
                    break
                self.stems.update(part.stems)
        self.__dict__.pop("stem_set", None)  # (made again if asked for)
        return self

    def with_prefix(self, prefix: str, limit: int) -> tuple[list[str], bool]:
        """Up to `limit` words starting with `prefix`, most frequent first; and if cut."""
        i = bisect.bisect_left(self.words, prefix)
        found = []
        while i < len(self.words) and self.words[i].startswith(prefix):
            found.append(self.words[i])
            i += 1
        found.sort(key=lambda w: -self.df[w])
        return found[:limit], len(found) > limit


class IndexState:
    def __init__(self, generation: Generation):
        self.generation = generation
        self.ix = generation.open()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._vocab: Vocabulary | None = None
        self._facets: dict[str, Mapping[str, int]] | None = None
        self._facet_tables: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self._days: dict[int, int] | None = None
        self._deleted: set[int] | None = None
        self._warm = False
        self._groups: dict | None = None
        self._groups_kept: tuple[tuple, duplicate_store.KeptGroups] | None = None  # (file
        # identity, groups): as kept in the warm-up cache
        self._groups_checked = 0.0
        self._maxim_mask: int | None = None
        self._lengths: dict[str, np.ndarray] = {}
        self._norms: dict[tuple, np.ndarray] = {}
        self._headings: tuple[list[str], dict[int, str]] | None = None
        self._offsets: list[int] | None = None
        self._avg: dict[str, float] = {}
        self._newest: list[int] | None = None
        self._positions: list[PositionsFile | None] | None = None
        self._stored: list[StoredFile | None] | None = None
        self._bases: dict[tuple[int, str], object] = {}
        self._oldest: list[int] | None = None
        self._ids: list[str] | None = None
        self._docnum_of: dict[str, int] | None = None
        # When only the segments after the warm-up base were read (the indexer's, for a
        # layer over the base: see keep_segment_data): the generation the base was made
        # in, and those segments' data.
        self._after_base: tuple[str, list[SegmentData]] | None = None
        reader = self.reader
        self.doc_count_all = reader.doc_count_all()
        self.live = live_flags(reader, self.doc_count_all)  # docnum -> not deleted
        self.all_mask = flags_mask(self.live)

    @property
    def reader(self):
        """This thread's reader (of its searcher). Loads use it too rather than opening
        their own: opening a reader copies each segment's term index into memory,
        about 0.3 s a reader on 100k articles."""
        return self.searcher().reader()

    @property
    def deleted(self) -> set[int]:
        """Docnums of deleted documents still in the segments (empty after a merge)."""
        if self._deleted is None:
            self._deleted = set(np.flatnonzero(~self.live).tolist())
        return self._deleted

    def lengths(self, field: str) -> np.ndarray:
        """docnum -> number of terms of `field` in that document (Whoosh's stored
        lengths), as an int64 array (kept so in the warm-up cache: as lists of 100k ints
        the six fields took 16 ms to read and 50 ms to turn into the norms)."""
        table = self._lengths.get(field)
        if table is None and field in LENGTH_FIELDS:
            self._load_segments()
            table = self._lengths[field]
        if table is None:
            with self._lock:
                found: list[int] = []
                for leaf, _ in self.reader.leaf_readers():
                    found.extend(field_lengths(leaf, field))
                table = self._lengths[field] = np.array(found, dtype=np.int64)
        return table

    def norms(self, field: str, k1: float, b: float) -> np.ndarray:
        """docnum -> BM25's length norm k1 * (1 - b + b * length / average length), as
        a float64 array (each step as Python's floats would do it)."""
        key = (field, k1, b)
        table = self._norms.get(key)
        if table is None:
            avg = self.avg_length(field) or 1.0
            k, kb = k1 * (1 - b), k1 * b / avg
            table = self._norms[key] = k + kb * self.lengths(field).astype(np.float64)
        return table

    def avg_length(self, field: str) -> float:
        avg = self._avg.get(field)
        if avg is None:
            avg = self.reader.field_length(field) / (self.doc_count_all or 1)
            self._avg[field] = avg
        return avg

    def stored_fields(self, docnum: int, placed: bool = True) -> dict:
        """The stored fields of one document, as searcher.stored_fields gives them, in
        half the time: from the segment's stored-fields file (indexer/stored_copies.py),
        or, without one, from the segment directly (Whoosh's own call also checks every
        field name against the schema, and every name stored is in it). With
        `placed`, its source is where this generation read it (see `placed`); without,
        where it was first read (the duplicate update reads texts, not places: looking
        one up maps all 100,000 ids first)."""
        leaves = self.searcher().reader().leaf_readers()
        if self._offsets is None:  # the same for every thread's reader of a generation
            self._offsets = [offset for _, offset in leaves]
        n = bisect.bisect_right(self._offsets, docnum) - 1
        leaf, offset = leaves[n]
        file = self.stored_file(n)
        if file is not None:  # uncompressed, mapped: a third of the time
            stored = file.fields(docnum - offset)
        else:
            stored = dict(whoosh_stored(leaf)(docnum - offset))
        return self.placed(stored) if placed else stored

    def stored_file(self, n: int) -> StoredFile | None:
        """The stored-fields file of the n-th segment (leaf_readers order), None if it
        has none it can use (its documents are then read from the segment itself)."""
        files = self._stored
        if files is None:
            files = self._segment_files("_stored", lambda leaf, segment_id: StoredFile.open(
                self.generation.path, segment_id, leaf.doc_count_all()))  # fmt: skip
        return files[n]

    def _segment_files(self, attribute: str, open_one) -> list:
        """`open_one(segment reader, segment id)` for each segment, in leaf_readers
        order (None for a reader without segments), opened once and kept in
        `attribute`."""
        with self._lock:
            files = getattr(self, attribute)
            if files is None:
                files = []
                for leaf, _ in self.reader.leaf_readers():
                    segment = leaf.segment()
                    files.append(None if segment is None else open_one(leaf, segment.segment_id()))
                setattr(self, attribute, files)
        return files

    def placed(self, stored: dict) -> dict:
        """`stored` with its source as this generation read it: the index keeps where an
        article was first read, and a line that moved is not indexed again."""
        source = self.generation.places.get(stored.get("id"))
        if source is not None:
            stored["source"] = source
        return stored

    def positions_file(self, n: int) -> PositionsFile | None:
        """The positions file of the n-th segment (leaf_readers order), None if it has
        none (its phrases are then matched from its postings alone)."""
        files = self._positions
        if files is None:
            files = self._segment_files("_positions", lambda leaf, segment_id: PositionsFile.open(
                self.generation.path, segment_id))  # fmt: skip
        return files[n]

    def bases(self, n: int, name: str):
        """Where each document of the n-th segment starts in the end-to-end numbering of
        exact field `name`'s positions (see indexer/positions.py), and one past the end."""
        found = self._bases.get((n, name))
        if found is None:
            file = self.positions_file(n)
            found = None if file is None else file.base(name)
            if found is None:
                with self._lock:
                    found = bases(self.reader.leaf_readers()[n][0], name)
            self._bases[(n, name)] = found
        return found

    def searcher(self):
        """This thread's searcher for this generation (opened on first use)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.ix.searcher()
        return searcher

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocab is None:
            self._load_segments()
        return self._vocab

    @cached_property
    def authors(self) -> Authors:
        """The authors, by the words of their names (search/authors.py)."""
        return Authors(self.facets.get("author", {}))

    @cached_property
    def topics(self) -> Topics:
        """The words of the categories and tags, with the posts filed under them
        (search/topics.py), from the facet tables."""
        return Topics(self.facet_table)

    @property
    def facets(self) -> dict[str, Mapping[str, int]]:
        """facet -> value -> bitmask of the live documents that have it."""
        if self._facets is None:
            tables = self._facet_tables
            if all(name in tables for name in FACETS):  # as the warm-up cache keeps them
                self._facets = {name: Masks(tables[name]) for name in FACETS}
            else:
                self._load_segments()
        return self._facets

    def _load_segments(self, keep: bool = False) -> None:
        """The vocabulary, facets, days, lengths and headings, put together from each
        segment's data (search/segment_data.py: kept beside the segment, so only a
        segment new in this generation is read from Whoosh; with `keep`, the indexer's
        call, what was read is kept for the next generations)."""
        with self._lock:
            if self._vocab is not None:
                return
            leaves = self.reader.leaf_readers()
            parts = [segment_data(leaf, self.generation.path, keep) for leaf, _ in leaves]
            offsets = [offset for _, offset in leaves]
            live = self.all_mask
            facets: dict[str, dict[str, int]] = {}
            for name in FACETS:
                values: dict[str, int] = {}
                for part, offset in zip(parts, offsets, strict=True):
                    for value, mask in part.facets.get(name, {}).items():
                        values[value] = values.get(value, 0) | mask << offset
                # (Values in sorted order: search/state_patch.py keeps that order.)
                facets[name] = {v: values[v] & live for v in sorted(values) if values[v] & live}
            days = [day for part in parts for day in part.days]
            titles = [title for part in parts for title in part.titles]
            maxims = {d + offset: m for part, offset in zip(parts, offsets, strict=True)
                      for d, m in part.maxims.items()}  # fmt: skip
            for name in LENGTH_FIELDS:
                self._lengths[name] = np.array(
                    [n for part in parts for n in part.lengths.get(name, ())], dtype=np.int64
                )
            self._days = {d: days[d] for d in docnums_of(live)}
            self._headings = (titles, maxims)
            self._ids = [i for part in parts for i in part.ids]
            self._facets = facets
            self._vocab = Vocabulary.merge(parts)

    @property
    def days(self) -> dict[int, int]:
        """docnum -> YYYYMMDD (0: undated) for every live document."""
        if self._days is None:
            self._load_segments()
        return self._days

    @property
    def newest_first(self) -> list[int]:
        """Every live docnum, newest first, undated last (ties: corpus order, `_in_order`)."""
        if self._newest is None:
            docnums, days, read = self._in_order
            self._newest = docnums[np.lexsort((read, -days))].tolist()
        return self._newest

    @cached_property
    def _in_order(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(every live docnum, its day, the place its post was read in the corpus this
        time), for both date orders: posts of one day, and undated posts, are listed in
        the corpus's order, as a fresh build numbers them. (In docnum order, an edited
        undated post, which an update adds anew at the end, went to the end of every
        date-ordered list.)"""
        if self._ids is None:
            self._load_segments()
        days = self.days
        docnums = np.fromiter(days.keys(), dtype=np.int64, count=len(days))
        day = np.fromiter(days.values(), dtype=np.int64, count=len(days))
        read = docnums + len(self._ids)  # (a post no place names: after the others)
        places = self.generation.places
        at = {article_id: n for n, article_id in enumerate(places.ids)}
        after = len(at)  # (sources of another shape: after those of files and lines)
        at.update((article_id, after + n) for n, article_id in enumerate(places.other))
        ids = self._ids
        for k, d in enumerate(docnums.tolist()):
            n = at.get(ids[d])
            if n is not None:
                read[k] = n
        return docnums, day, read

    def position(self, oldest: bool) -> dict[int, int]:
        """docnum -> its place in newest_first (or oldest_first)."""
        key = "_position_oldest" if oldest else "_position_newest"
        table = self.__dict__.get(key)
        if table is None:
            order = self.oldest_first if oldest else self.newest_first
            table = self.__dict__[key] = {d: i for i, d in enumerate(order)}
        return table

    @property
    def oldest_first(self) -> list[int]:
        """Every live docnum, oldest first, undated last (ties: corpus order)."""
        if self._oldest is None:
            docnums, days, read = self._in_order
            self._oldest = docnums[np.lexsort((read, days, days == 0))].tolist()
        return self._oldest

    def facet_table(self, name: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(where each document's values start, value numbers by document, values):
        facet `name` as a compressed sparse row table, so that counting a facet over
        some documents gathers their values and makes one bincount. Made once per
        generation, by the indexer (it is in the warm-up cache): from the value masks it
        took 0.6 s at 100k articles, a bit unpacking per value of thousands."""
        found = self._facet_tables.get(name)
        if found is None:
            masks = self.facets.get(name, {})
            values = list(masks)
            # Every value's mask as bytes, end to end, and the set bits of all at once (a
            # value at a time, 2,000 tags at 100k took 0.09 s of numpy calls); found by
            # 8-byte word, then by byte within the words that have any.
            width = -(-self.doc_count_all // 64) * 8 or 8
            data = b"".join(masks[v].to_bytes(width, "little") for v in values)
            words = np.flatnonzero(np.frombuffer(data, dtype=np.uint64))
            inside = np.frombuffer(data, dtype=np.uint8).reshape(-1, 8)[words]
            word, byte = np.nonzero(inside)
            at = words[word] * 8 + byte
            bits = np.unpackbits(inside[word, byte], bitorder="little").reshape(-1, 8)
            row, bit = np.nonzero(bits)
            all_nums, first = np.divmod(at[row], width)
            all_docs = first * 8 + bit
            # By document, each one's values in value order (as found: value by value).
            order = np.argsort(all_docs, kind="stable")
            starts = np.zeros(self.doc_count_all + 1, dtype=np.int64)
            np.cumsum(np.bincount(all_docs, minlength=self.doc_count_all), out=starts[1:])
            found = self._facet_tables[name] = (starts, all_nums[order].astype(np.int64), values)
        return found

    @property
    def groups(self) -> dict:
        """Duplicate groups kept with this generation: {"groups": [...], "group_of":
        {docnum: group index}, "docnums": [[docnum, ...] per group]}; empty until
        `rocksearch index` (or `rocksearch duplicates`) has found them."""
        if self._groups is None or (not self._groups["groups"] and self._groups_checked
                                    < time.monotonic() - 2):  # fmt: skip
            self._groups = self._groups_from(self._kept_groups())
            self._groups_checked = time.monotonic()
        return self._groups

    def _kept_groups(self) -> duplicate_store.KeptGroups:
        """The groups as the warm-up cache or the indexer left them (KeptGroups: each
        decoded when shown), if the file they came from is still the one there
        (`rocksearch duplicates` may have replaced it); else read from that file.
        Reading the JSON took 0.3 s at 100k articles. Size and time, not the inode: a
        replica's copy of the generation is the same file (the inode made every
        replica worker read it)."""
        file = copy_identity(self.generation.path / duplicate_store.DUPLICATES_FILE)
        if self._groups_kept is None or not _same_copy(self._groups_kept[0], file):
            data = duplicate_store.load_duplicates(self.generation.path)
            groups = (data or {}).get("groups") or []
            if not isinstance(groups, duplicate_store.KeptGroups):
                groups = duplicate_store.KeptGroups.of(groups)
            self._groups_kept = (file, groups)
        return self._groups_kept[1]

    def _place_of(self, article_id: str) -> dict | None:
        return self.generation.places.get(article_id)

    def _groups_from(self, groups: duplicate_store.KeptGroups) -> dict:
        """`groups` with their members' docnums in this generation, and (for
        search/collapse.py) every member's docnum with its group's index as arrays.
        Found for all 58,000 members at once (one by one, 0.15 s of a cold search at
        100k articles)."""
        if self._ids is None:  # (every member looked up: the ids, not a query each)
            self._load_segments()
        get = self._docnum_map().get
        found = [-1 if d is None else d for d in map(get, chain.from_iterable(groups.ids))]
        members = np.array(found, dtype=np.int64)
        of = np.repeat(np.arange(len(groups.ids)), [len(ids) for ids in groups.ids])
        here = members >= 0
        members, of = members[here], of[here]
        flat = members.tolist()
        group_of = dict(zip(flat, of.tolist(), strict=True))
        ends = np.cumsum(np.bincount(of, minlength=len(groups.ids))).tolist()
        groups.where = self._place_of
        return {"groups": groups, "group_of": group_of, "docnums": _Spans(flat, ends),
                "arrays": (members, of)}  # fmt: skip

    def forget_duplicates(self) -> None:
        self._groups = None

    def take_groups(self, groups: duplicate_store.KeptGroups) -> None:
        """Use `groups`, just kept in the generation's duplicates file by the caller,
        without reading that file back (0.8 s at 100k articles); their docnums are
        found when first asked for (the indexer, which only keeps them, never asks)."""
        file = copy_identity(self.generation.path / duplicate_store.DUPLICATES_FILE)
        self._groups_kept, self._groups = (file, groups), None

    def answer_version(self, groups: dict) -> str:
        """What an answer from this state with these `groups` depends on, for HTTP
        validators: the generation, and whether its duplicate groups are in use yet (they
        are found after publishing; collapsing them changes answers within a generation)."""
        return f"{self.generation.path.name}/{'g' if groups['groups'] else 'n'}"

    @property
    def headings(self) -> tuple[list[str], dict[int, str]]:
        """(docnum -> title, docnum -> maxim), both normalized (lower-case words joined
        by spaces): what re-ranking compares a query with, kept in memory so that it
        reads no stored document."""
        if self._headings is None:
            self._load_segments()
        return self._headings

    def docnum_of(self, article_id: str) -> int | None:
        """The live document of `article_id`, from the ids kept per segment once they are
        loaded: a dict lookup, where a Whoosh term query took 0.2 ms (6 s for the
        duplicate groups' members at 100k articles); before, the id's postings (the
        indexer looks up a few, and loads nothing else)."""
        if self._docnum_of is None and self._ids is None:  # nothing loaded (the indexer)
            # The term's postings, live documents only, without the scorer a Term query
            # sets up (60 µs against 130 at 100k articles).
            try:
                matcher = self.searcher().reader().postings("id", article_id)
            except TermNotFound:
                return None
            return matcher.id() if matcher.is_active() else None
        return self._docnum_map().get(article_id)

    def _docnum_map(self) -> dict[str, int]:
        """id -> docnum of every live document (the ids loaded)."""
        if self._docnum_of is None:
            ids = self._ids
            live = np.flatnonzero(self.live[: len(ids)]).tolist()
            self._docnum_of = dict(zip([ids[d] for d in live], live, strict=True))
        return self._docnum_of

    @property
    def maxim_mask(self) -> int:
        """Bitmask of the documents that have a maxim."""
        if self._maxim_mask is None:
            self._maxim_mask = mask_of(Term("has_maxim", True).docs(self.searcher()))
        return self._maxim_mask

    def keep_segment_data(self) -> None:
        """The indexer's call, before anything else reads the state: read the data of
        the segments new since the warm-up base this generation started with (a hard
        link to the previous generation's: search/state_cache.py), keeping it beside
        each segment, and nothing else when a layer over that base will do (see
        `save_cache`). Else load the whole data: carried forward from the base over the
        segments after its own, or put together from them all (Whoosh merged some of
        the base's), for a new base."""
        with self._lock:
            if self._vocab is not None or self._after_base is not None:
                return
            found = state_cache.read_base(self.generation.path, None, whole=False)
            if found is not None:
                made, head, _ = found
                after = self._segments_after(head)
                documents = head.get(state_cache.DOCUMENTS)
                if (after is not None and isinstance(documents, int)
                        and self.doc_count_all - documents
                        <= state_cache.LAYER_SHARE * self.doc_count_all):  # fmt: skip
                    path = self.generation.path
                    parts = [segment_data(leaf, path, keep=True) for leaf, _ in after]
                    self._after_base = (made, parts)
                    return
        if not self._carry_forward():
            self._load_segments(keep=True)

    def _segment_list(self) -> list[tuple[str, int]] | None:
        """(segment id, documents) of each segment, in order; None if a reader has none."""
        found = []
        for leaf, _ in self.reader.leaf_readers():
            segment = leaf.segment()
            if segment is None:
                return None
            found.append((segment.segment_id(), leaf.doc_count_all()))
        return found

    def _carry_forward(self) -> bool:
        """Take the warm-up base this generation started with, carried forward over the
        segments after its own; False, with nothing taken, if there is none of this
        version or this generation's segments do not start with its."""
        with self._lock:
            if self._vocab is not None:
                return True
            found = state_cache.read_base(self.generation.path, None)
            return found is not None and self._carried(*found, keep=True)

    def _segments_after(self, head: dict) -> list | None:
        """The segment readers after those of a base's `head`, in order, with their
        offsets; None if this generation's segments do not start with the base's."""
        segments = self._segment_list()
        before = [tuple(s) for s in head.get(SEGMENTS) or ()]
        if segments is None or segments[: len(before)] != before:
            return None
        return self.reader.leaf_readers()[len(before) :]

    def _carried(self, made: str, head: dict, base: dict, keep: bool) -> bool:
        """Take `base` (made in generation `made`, of the segments its `head` lists)
        carried forward over the segments after its own (search/state_patch.py), their
        data kept beside them with `keep`; False, with nothing taken, if this
        generation's segments do not start with the base's. (Called with the lock held.)"""
        after = self._segments_after(head)
        if after is None or any(name not in base for name in IN_BASE):
            return False
        if made == self.generation.path.name and not after:
            data = {name: base[name] for name in IN_BASE}  # made here: as it is
        else:
            path = self.generation.path
            parts = [(segment_data(leaf, path, keep), offset) for leaf, offset in after]
            data = state_patch.carried(base, parts, self.live)
            if data is None:
                return False
        for name, value in data.items():
            setattr(self, name, value)
        return True

    def save_cache(self) -> None:
        """Keep the warm-up in the generation (search/state_cache.py), after
        `keep_segment_data`: the layer over the base it started with, with only the
        stems of the new segments' words added; or, when the whole data had to be
        loaded, a new base too."""
        self.keep_segment_data()
        path, name = self.generation.path, self.generation.path.name
        segments = self._segment_list()
        if self._after_base is None:
            self._make_cached()
            if self.vocabulary.stems is not None:  # for the indexer's next run
                save_stems(path, self.vocabulary.words, self.vocabulary.stems)
            data = {name: getattr(self, name) for name in IN_BASE}
            state_cache.write_base(path, name, segments, data)
            base = name
            named = words_of_names(v for f in TOPIC_FACETS for v in self.facet_table(f)[2])
            named -= self.vocabulary.df.keys()  # (theirs are learnt with the vocabulary)
        else:
            base, parts = self._after_base
            words = {word for part in parts for table in part.words.values() for word in table}
            add_stems(path, words, {w: s for part in parts for w, s in (part.stems or {}).items()})
            # (the new segments' names: the rest are in the file from the previous generation)
            named = words_of_names(v for part in parts for f in TOPIC_FACETS
                                   for v in part.facets.get(f, ()))  # fmt: skip
        # So that no search for "customer care" ("customercare") imports NLTK.
        save_named_stems(path, sorted(named))
        save_common_words(path)  # (and one of a word the posts lack reads no dictionary)
        groups = self._kept_groups()
        state_cache.write_layer(path, name, base, segments, (self._groups_kept[0], groups))

    def cache_is_current(self) -> bool:
        """Whether this version's warm-up cache of this very generation is there: its
        layer, and the base it names (their stamps read, not the 33 MB they keep at
        100k articles)."""
        path = self.generation.path
        found = state_cache.read_layer(path, path.name, groups=False)
        return found is not None and state_cache.read_base(
            path, found[0][state_cache.BASE], whole=False) is not None  # fmt: skip

    def load_cache(self) -> bool:
        """Take what `save_cache` kept for this very generation; False if there is none
        (or its base is missing, or not of this generation's segments)."""
        path = self.generation.path
        found = state_cache.read_layer(path, path.name)
        base = found and state_cache.read_base(path, found[0][state_cache.BASE])
        if not base:
            return False
        with self._lock:
            if not self._carried(*base, keep=False):
                return False
        kept = found[1]
        if isinstance(kept, tuple) and isinstance(kept[1], duplicate_store.KeptGroups):
            self._groups_kept = kept
        return True

    def _make_cached(self) -> None:
        """Compute what the warm-up cache keeps (CACHED), not what each searching process
        makes for itself from it (BM25's per-segment bases and norms, the stems learnt):
        the cache writer's part of warm() (0.04 s less of a one-post update at 100k)."""
        self.vocabulary, self.facets, self.days, self.headings  # noqa: B018
        for name in self.facets:
            self.facet_table(name)
        for name in LENGTH_FIELDS:
            self.lengths(name)
            self.avg_length(name)

    def warm(self) -> IndexState:
        """Load everything a search needs, so that no reader waits for it (idempotent)."""
        if not self._warm:
            self.load_cache()
            from search.scoring import K1, B

            self._make_cached()
            self.groups  # noqa: B018 (else the first search after a load maps them)
            if self.vocabulary.stems is not None:  # then no search for its words imports NLTK
                learn_stems(self.vocabulary.df, self.vocabulary.stems)
                self.vocabulary.stem_set  # noqa: B018 (made here, not by a reader's search)
            learn_named_stems(self.generation.path)  # (the categories' words no post says)
            learn_saved_words(self.generation.path)
            for n in range(len(self.reader.leaf_readers())):
                for name in EXACT_FIELDS:
                    self.bases(n, name)
            for name in LENGTH_FIELDS:
                self.norms(name, K1, B)
            self._warm = True
        return self


class _Spans(Sequence):
    """The docnums of each group, as slices of all the members' (made when asked for:
    13,000 lists made at once took 45 ms of a cold search at 100k articles)."""

    def __init__(self, flat: list[int], ends: list[int]):
        self.flat, self.ends = flat, ends

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += len(self.ends)
        if not 0 <= n < len(self.ends):
            raise IndexError(n)
        return self.flat[self.ends[n - 1] if n else 0 : self.ends[n]]


class _Slot:
    """The state in use for one index folder, and the generation being warmed for it."""

    def __init__(self, state: IndexState):
        self.state = state
        self.loading: str | None = None


_SLOTS: dict[str, _Slot] = {}
_SLOTS_LOCK = threading.Lock()
# index folder as given -> (its CURRENT file, that file's identity when the state was
# found current, the state). Every API request asks for the state: a stat of CURRENT
# that gives the same identity answers it, where reading the file took 20 µs.
# (Publishing renames a new file over CURRENT: a new inode, size and time.)
_CURRENT: dict[str, tuple[Path, tuple, IndexState]] = {}


def _same_copy(kept: tuple | None, file: tuple | None) -> bool:
    """Whether `kept` (a copy_identity, or the device, inode, size and time that warm-up
    caches written before 2026-11-29 hold) names the file `file` is of."""
    if kept is None or file is None:
        return kept is file
    return tuple(kept[-2:]) == file


# What a background load of a new generation runs inside, called with no argument:
# nothing by default; a server sets what keeps its request threads answered meanwhile
# (web/server.py: `short_switches`).
background_load: Callable[[], AbstractContextManager] = nullcontext


def _load_in_background(slot: _Slot, index_dir: Path, name: str) -> None:
    try:
        with background_load():
            state = IndexState(open_current(index_dir)).warm()
        if state.generation.path.name == name:
            slot.state = state
    except Exception:  # keep serving the previous generation; the next search retries
        pass
    finally:
        slot.loading = None


def get_state(index_dir: str | Path, wait: bool = False) -> IndexState:
    """The state of the index's current generation.

    A newly published generation is loaded and warmed in a background thread while
    searches go on with the previous one (still on disk: see indexer.store), so a
    reader never waits for the warm-up; `wait=True` (and the very first search, and a
    previous generation that is gone from disk) loads it in the caller instead.
    """
    given = os.fspath(index_dir)
    known = _CURRENT.get(given)
    if known is not None and file_identity(known[0]) == known[1]:
        return known[2]
    index_dir = Path(index_dir)
    key = str(resolved(index_dir))
    pointer = index_dir / "CURRENT"
    mark = file_identity(pointer)  # before the name is read: a change after it shows next time
    name = read_pointer(index_dir)
    slot = _SLOTS.get(key)
    if slot is not None and slot.state.generation.path.name == name:
        if mark is not None:
            _CURRENT[given] = (pointer, mark, slot.state)
        return slot.state
    if slot is None or wait or not slot.state.generation.path.exists():
        with _SLOTS_LOCK:
            slot = _SLOTS.get(key)
            if slot is None or slot.state.generation.path.name != read_pointer(index_dir):
                state = IndexState(open_current(index_dir))
                if slot is None:
                    slot = _SLOTS[key] = _Slot(state)
                slot.state = state
            if mark is not None and slot.state.generation.path.name == name:
                _CURRENT[given] = (pointer, mark, slot.state)
        return slot.state
    with _SLOTS_LOCK:
        # (taken before the thread starts: a small generation can be loaded and swapped
        # in before this thread runs again, and the caller is answered from the one it had)
        state = slot.state
        if slot.loading != name:
            slot.loading = name
            threading.Thread(
                target=_load_in_background, args=(slot, index_dir, name), daemon=True
            ).start()
    return state


def state_of(index: str | Path | IndexState) -> IndexState:
    """`index` as a loaded state: an index folder's current generation, or itself."""
    return index if isinstance(index, IndexState) else get_state(index)
