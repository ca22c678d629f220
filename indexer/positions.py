"""The positions file of a segment: where each common word stands, for fast phrases.

Takes a Whoosh segment reader (`write_positions`, `add_missing_positions` for a whole
index); gives, beside the segment's own files, `MAIN_<segment>.pos`, which
`PositionsFile.open` maps back into memory for the query layer.

Why it exists: a phrase compares the positions of its words, and Whoosh keeps a
word's positions inside its posting blocks, pickled together with the ids and
frequencies of 128 documents a block. A phrase of common words ("said the", "from
last year") had to unpickle tens of thousands of them: 300-800 ms on 100k articles.

Here a segment's documents are laid end to end: document d's positions are numbered
from `base[d]`, and `base[d + 1]` is at least one past its last position (an empty
slot, so no phrase runs from one document into the next). For every word in at least
`min_df_of` documents of the segment, the file holds the sorted list of its positions in
that numbering, as unsigned 32-bit integers, and for the few densest words ("the",
"of") a bitmap as well: a phrase is then a few set operations on whole lists, in C,
and a few bit tests. Rarer words are left out (their postings are short, and the query
layer decodes them), which keeps the file at a third (10k articles) to two thirds (100k,
the postings included) of the segment's size.

The writer makes the file from the postings it holds while it writes the segment
(`PositionsBuilder`, fed by indexer/writer.py), merged segments included;
`write_positions` makes the same file from a written segment, for one without a file.
Its name follows Whoosh's segment pattern, so Whoosh deletes it with its segment. A
segment without a file is still searched correctly, only slower.

The same file holds the common words' postings, for scoring: for every word in at
least `min_df_of` documents of the segment, in each text field (stemmed and exact), its
docnums (unsigned 32-bit, segment-local, ascending) and term frequencies (8, 16 or 32
bits, whatever holds them exactly), both as Whoosh's posting blocks give them. Whoosh
keeps them pickled and compressed 128 documents a block; a common word's thousands of
blocks cost a two-word query at 100k articles most of its time to decode (7 of 22 s
over 600 typed queries), and the mapped arrays cost nothing to read.

Layout: MAGIC, the header's length (8 bytes, little-endian), a JSON header padded
with spaces to a multiple of 8 bytes, then the arrays; offsets are from the end of the
padding. The header is small: per field, where its base is, and where its directory
is: the field's words as one sorted array of fixed-width bytes, and a table of int64
rows, one per word, of where that word's arrays are (TABLE_COLUMNS). A process looks a
word up in the mapped directory, so the processes serving one generation share it.
"""

from __future__ import annotations

import json
import mmap
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import accumulate, chain
from pathlib import Path
from pickle import loads

import numpy as np
import orjson
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.analysis import TextAnalyzer
from indexer.schema import TEXT_FIELDS

MAGIC = b"RSPOS\x00\x01\n"
# 2: the common words' postings too; 3: each field's directory (its words, and where
# each word's arrays are) mapped with the arrays, not a JSON header (an earlier
# version's file is not read, and is written again by the next `rocksearch index`).
VERSION = 3
LAYOUT = 3  # the earliest version whose layout this module reads
# A directory's row for a word: its docnums' offset and size in bytes, its weights'
# offset, size and typecode (an index into CODES), its positions' offset and size, its
# bitmap's offset and size (-1, -1 when it has none).
TABLE_COLUMNS = ("ids", "ids_size", "weights", "weights_size", "code",
                 "positions", "positions_size", "bitmap", "bitmap_size")  # fmt: skip
CODES = ("B", "H", "I", "f")
ROWS_KEPT = 1024  # a directory's rows kept by word in each process (_Directory.row)
# A word in fewer documents of a segment than `min_df_of` says is decoded from its
# postings: 0.1% of the segment's documents, at least MIN_DF_FLOOR and at most MIN_DF.
# (A flat 500 left a 5,000-post segment's words of 50 to 500 posts to be decoded by
# every query, half of a two-word query's time at 10k; mapping them costs 3 MB. At 1%,
# at least 20, a rarer word's decoding was still 5% of a query typed the way people
# type at 10k, and re-ranking's phrase test decodes it for each segment: at 0.1%, at
# least 5, the median query took 5% less, for 4.5 MB more at 10k and 58 MB at 100k.)
MIN_DF = 500
MIN_DF_FLOOR = 5


def min_df_of(documents: int) -> int:
    return max(MIN_DF_FLOOR, min(MIN_DF, documents // 1000))


# A word with at least one position in DENSE also gets a bitmap of its positions (one
# bit per position of the field, so at most four times the bytes of its list):
# testing whether a given place holds the word is then one byte read, not a binary
# search. About ten words of the 100k benchmark corpus ("the", "said", "for").
DENSE = 128
FIELDS = tuple(f"{name}_exact" for name in TEXT_FIELDS)
# Mapped postings are kept for these (the stemmed fields have no positions).
POSTINGS_FIELDS = (*TEXT_FIELDS, *FIELDS)
_CAP = 2**32  # positions are stored as unsigned 32-bit integers
_LONGEST = byte_to_length(length_to_byte(10**9))  # Whoosh's length byte stops here
_EXACT = TextAnalyzer(stem=False)


def file_name(segment_id: str) -> str:
    return f"{segment_id}.pos"


def bases(leaf, name: str) -> list[int]:
    """base[d] for each document of segment reader `leaf`, and one past the end.

    Whoosh stores a field's length as one byte, rounded up (never down) below
    `_LONGEST` words, so the rounded length is a safe stride; the rare longer text is
    counted again from its stored copy.
    """
    return bases_of(field_lengths(leaf, name), name, leaf.stored_fields)


def bases_of(lengths: Sequence[int], name: str, stored: Callable[[int], dict]) -> list[int]:
    """`bases` from the field's stored lengths and a document's stored fields."""
    out, total = [0], 0
    stored_name = name.removesuffix("_exact")
    for d, length in enumerate(lengths):
        if length >= _LONGEST:
            length = len(_EXACT.terms(stored(d).get(stored_name) or ""))
        total += length + 1
        out.append(total)
    return out


def field_lengths(leaf, name: str) -> list[int]:
    """Each document's length in `name` as segment reader `leaf` stores it (rounded
    up to what its length byte holds); read as one column where the codec allows, a
    third of the time of asking document by document."""
    column = column_lengths(getattr(leaf, "_perdoc", None), name, leaf.doc_count_all())
    if column is None:
        return [leaf.doc_field_length(d, name, 0) or 0 for d in range(leaf.doc_count_all())]
    return column


def column_lengths(perdoc, name: str, doccount: int) -> list[int] | None:
    """Each document's length in `name` from a W3 per-document reader's length column
    (0 for a field without lengths); None for a reader of another codec. Whoosh's
    `doc_field_length` finds the column again, with a file-system check when there
    is none, for every document."""
    if not hasattr(perdoc, "_cached_reader"):
        return None
    try:
        column = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
    except (KeyError, ValueError):
        return None
    if column is None:  # no length column: Whoosh gives the default for every document
        return [0] * doccount
    return [byte_to_length(b) if b else 0 for b in column]


_PROTO = b"\x80\x02"  # pickle protocol 2, as Whoosh writes each posting's gaps


def decode_gaps(values: list[bytes]) -> list[list[int]]:
    """The gaps between positions (the first from 0) of several postings in Whoosh's
    Positions format: each a 4-byte count, then its gaps as a protocol-2 pickle of a
    list. Summed (itertools.accumulate), they are what Positions.decode_positions gives.

    The postings' pickled lists are joined into one pickle of a list of lists, so that
    a block of postings is one call to pickle.loads rather than one each; a value of
    another shape is decoded on its own.
    """
    bodies = []
    for value in values:
        if value[4:6] != _PROTO:
            return [_gaps_of_one(v) for v in values]
        end = -1 if value.endswith(b".") else len(value)
        bodies.append(value[6:end])
    return loads(_PROTO + b"(" + b"".join(bodies) + b"l.")


def _gaps_of_one(value: bytes) -> list[int]:
    if not value.endswith(b"."):
        value += b"."
    return loads(value[4:])


def laid_end_to_end(
    matcher,
    base: Sequence[int],
    docs=None,
    tick: Callable[[], None] | None = None,
    postings: tuple[array, array] | None = None,
) -> list[int]:
    """The positions of one term's postings (a Whoosh matcher on one segment) in the
    end-to-end numbering of `base`, ascending; with a set of segment docnums `docs`,
    only those documents' (blocks holding none of them are not read). `tick`, when
    given, is called after each block (a caller's time limit raises from it).
    `postings`, when given, (docnums, weights) arrays, is extended with every posting
    read (of the whole term: not with `docs`).
    """
    raw = getattr(matcher, "child", matcher)
    out: list[int] = []
    inline = inlined(raw)
    if inline is not None and len(inline[2]) == len(inline[0]):
        # (a few postings, inside the term info: indexer/writer.py; a value each)
        ids, weights, values = inline
        if postings is not None:
            postings[0].extend(ids)
            postings[1].extend(weights)
        if docs is not None:
            keep = [n for n, d in enumerate(ids) if d in docs]
            ids, values = [ids[n] for n in keep], [values[n] for n in keep]
        lay_end_to_end(ids, decode_gaps(list(values)), base, out)
        return out
    if not is_w3(raw):  # another codec: the public walk
        while matcher.is_active():
            d = matcher.id()
            if docs is None or d in docs:
                out.extend(base[d] + p for p in matcher.value_as("positions"))
            if postings is not None:
                postings[0].append(d)
                postings[1].append(matcher.weight())
            matcher.next()
        return out
    for ids in w3_blocks(raw, sorted(docs) if docs is not None else None):
        raw._read_values()
        values = raw._values
        if postings is not None:  # the same block: no second unpickling
            raw._read_weights()
            postings[0].extend(ids)
            postings[1].extend(raw._weights)
        if docs is not None:
            keep = [n for n, d in enumerate(ids) if d in docs]
            ids, values = [ids[n] for n in keep], [values[n] for n in keep]
        lay_end_to_end(ids, decode_gaps(list(values)), base, out)
        if tick is not None:
            tick()
    return out


def lay_end_to_end(ids: Sequence[int], lists: list[list[int]], base: Sequence[int],
                   out: list[int]) -> None:  # fmt: skip
    """Extend `out` with the positions of postings `ids` (ascending), given as each
    one's gaps (`decode_gaps`, changed in place), in the numbering of `base`.

    Summed in C: each document's first gap is shifted so that one running sum over
    all the gaps passes from one document's base to the next."""
    prev = 0  # where the running sum stands: the last position summed so far
    for d, gaps in zip(ids, lists, strict=True):
        if gaps:
            start = base[d]
            end = start + sum(gaps)
            gaps[0] += start - prev
            prev = end
    out.extend(accumulate(chain.from_iterable(lists)))


def inlined(raw) -> tuple | None:
    """(docnums, weights, values) of a W3 term whose postings are inlined in its term
    info (the codec then reads them into a ListMatcher), as the term info holds them;
    None for any other reader."""
    info = getattr(raw, "_terminfo", None)
    if type(raw) is ListMatcher and info is not None and info.is_inlined():
        return info.inlined_postings()
    return None


def is_w3(raw) -> bool:
    """Whether `raw` is a posting reader of Whoosh's W3 codec, whose blocks
    `w3_blocks` walks (its internals: whoosh-reloaded 2.7 is pinned)."""
    return all(hasattr(raw, a) for a in ("_read_data", "_read_values", "_byteids", "_next_block"))


def w3_blocks(raw, within: list[int] | None = None, offset: int = 0) -> Iterator[tuple[int, ...]]:
    """The docnums (segment-local) of each posting block of W3 reader `raw`, which
    stays on that block while the caller reads its weights or values. With sorted
    docnums `within` (segment-local + `offset`), only the blocks whose docnum range
    holds one of them are read; the others are skipped unread."""
    low = offset
    while raw.is_active():
        high = raw._maxid + offset
        if within is None or holds_any(within, low, high):
            yield block_ids(raw)
        low = high + 1
        raw._next_block()


def block_ids(raw) -> tuple[int, ...]:
    """The docnums of a W3 posting block (segment-local): what _read_ids gives, with
    the gaps summed in C (Whoosh sums them in a Python generator, id by id)."""
    if raw._data is None:
        raw._read_data()
    ids = raw._data[0]
    raw._ids = ids = ids if raw._byteids else tuple(accumulate(ids))
    return ids


def holds_any(docs: list[int], low: int, high: int) -> bool:
    """Whether sorted `docs` has a docnum in low..high (a posting block's range)."""
    i = bisect_left(docs, low)
    return i < len(docs) and docs[i] <= high


def posting_blocks(matcher, offset: int = 0) -> Iterator[tuple]:
    """(docnums, weights) per posting block of a Whoosh matcher on one segment (every
    posting, deleted documents too), docnums plus `offset`. The block's weights are
    Whoosh's own buffer, reused for the next block: copy them to keep them."""
    raw = getattr(matcher, "child", matcher)
    inline = inlined(raw)
    if inline is not None:  # (a few postings, inside the term info: one block)
        ids, weights, _ = inline
        yield (ids if not offset else [d + offset for d in ids]), weights
        return
    if not is_w3(raw):  # another codec: the public walk, as one block
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    for ids in w3_blocks(raw, offset=offset):
        raw._read_weights()
        yield (ids if not offset else [d + offset for d in ids]), raw._weights


def read_postings(leaf, name: str, btext: bytes) -> tuple[array, array]:
    """(docnums, weights) of one term in segment reader `leaf`, every posting (deleted
    documents too), as Whoosh's blocks give them."""
    ids, weights = array("I"), array("f")
    for block_ids, block_weights in posting_blocks(leaf.postings(name, btext)):
        ids.extend(block_ids)
        weights.extend(block_weights)
    return ids, weights


def compact(weights: array) -> tuple[bytes, str]:
    """(bytes, array typecode) of the weights in the smallest type that holds them
    exactly: unsigned 8 or 16 bits when they are whole numbers (term frequencies,
    mostly), else as they are (32-bit floats)."""
    values = np.frombuffer(weights, dtype=np.float32)
    if len(values) and (values >= 0).all() and (values == np.floor(values)).all():
        top = values.max()
        for code, kind in (("B", np.uint8), ("H", np.uint16)):
            if top <= np.iinfo(kind).max:
                return values.astype(kind).tobytes(), code
    return weights.tobytes(), weights.typecode


def bitmap_of(positions: Sequence[int], size: int) -> bytearray:
    """Bit p of the result (byte p >> 3, bit p & 7) is set for each p in `positions`
    (all below `size`)."""
    bits = bytearray((size >> 3) + 1)
    for p in positions:
        bits[p >> 3] |= 1 << (p & 7)
    return bits


class PositionsBuilder:
    """A segment's positions file, made term by term: `add` each common word's postings
    (and positions) in a field, in the order of the segment's terms, then `write`.

    Takes the segment's document count, each field's stored lengths (`lengths(name)`,
    as `field_lengths` gives them) and a document's stored fields (`stored(docnum)`),
    for the numbering of each field's positions (`bases_of`). The writer feeds it from
    its pool while it writes the segment (indexer/writer.py), `write_positions` from a
    written segment: both give the same file, byte for byte (a test pins it)."""

    def __init__(self, schema, doccount: int, lengths: Callable[[str], Sequence[int]],
                 stored: Callable[[int], dict], min_df: int | None = None):  # fmt: skip
        self.min_df = min_df_of(doccount) if min_df is None else min_df
        self._lengths, self._stored = lengths, stored
        # Each field's chunks per word, in the order added, and its base (None: the
        # field's positions are not kept; not yet computed: absent).
        self._fields: dict[str, dict[str, tuple]] = {
            name: {} for name in POSTINGS_FIELDS if name in schema
        }
        self._bases: dict[str, list[int] | None] = {}

    @property
    def fields(self) -> list[str]:
        """The fields whose common words the file holds, in the file's order."""
        return list(self._fields)

    def holds(self, name: str) -> bool:
        """Whether the file holds words of field `name` (its common ones)."""
        return name in self._fields

    def wants(self, name: str, doc_frequency: int) -> bool:
        """Whether the file holds word of field `name` in `doc_frequency` documents."""
        return doc_frequency >= self.min_df and name in self._fields

    def base(self, name: str) -> list[int] | None:
        """base of exact field `name` (see `bases`); None for a field whose positions
        are not kept (a stemmed one, or one whose positions pass 32 bits)."""
        if name not in self._bases:
            base = None
            if name in FIELDS and name in self._fields:
                base = bases_of(self._lengths(name), name, self._stored)
                if base[-1] >= _CAP:
                    base = None  # not in 32 bits: this field's phrases decode postings
            self._bases[name] = base
        return self._bases[name]

    def add(self, name: str, word: str, ids: array, weights: array,
            positions: Sequence[int] | None = None) -> None:  # fmt: skip
        """One word's postings in field `name`: docnums (array "I", ascending), weights
        (array "f"), and for an exact field its positions in `base(name)`'s numbering."""
        data, code = compact(weights)
        laid = bitmap = None
        base = self.base(name)
        if base is not None and positions is not None:
            laid = array("I", positions).tobytes()
            if len(positions) * DENSE >= base[-1]:
                bitmap = bytes(bitmap_of(positions, base[-1]))
        self._fields[name][word] = (ids.tobytes(), data, code, laid, bitmap)

    def add_values(self, name: str, word: str, ids: Sequence[int], weights: Sequence[float],
                   values: list[bytes]) -> None:  # fmt: skip
        """`add` from a writer's postings: docnums, weights, and each posting's value
        as Whoosh's format encodes it (the positions' gaps, for an exact field)."""
        ids, weights = array("I", ids), array("f", weights)
        base = self.base(name)
        if base is None:
            self.add(name, word, ids, weights)
            return
        positions: list[int] = []
        lay_end_to_end(ids, decode_gaps(values), base, positions)
        self.add(name, word, ids, weights, positions)

    def finish_reading(self) -> None:
        """Take every field's base now: after this the builder reads nothing more from
        the segment (its readers may close)."""
        for name in self._fields:
            self.base(name)
        self._lengths = self._stored = None

    def write(self, folder: str | Path, segment_id: str) -> Path | None:
        """Write the file for segment `segment_id` into index folder `folder`; None
        when the segment has no field to map (nothing is written then)."""
        self.finish_reading()
        header: dict = {"byteorder": sys.byteorder, "min_df": self.min_df, "fields": {},
                        "version": VERSION}  # fmt: skip
        chunks: list[bytes] = []
        size = 0

        def put(data, align: int = 4) -> list[int]:
            nonlocal size
            if size % align:  # (only the tables are aligned to 8: the rest is by 4)
                chunks.append(b"\0" * (-size % align))
                size += -size % align
            data = data + b"\0" * (-len(data) % 4)  # keeps every array aligned
            chunks.append(data)
            where = [size, len(data)]
            size += len(data)
            return where

        for name, added in self._fields.items():
            base = self._bases[name]
            # The field's directory: its words, sorted as bytes, and a row of TABLE_COLUMNS
            # for each word, in the same order (-1: no positions, no bitmap).
            keys = sorted(word.encode("utf-8") for word in added)
            table = np.full((len(keys), len(TABLE_COLUMNS)), -1, dtype=np.int64)
            for row, key in zip(table, keys, strict=True):
                ids, data, code, laid, bitmap = added[key.decode("utf-8")]
                row[0:2] = put(ids)
                row[2] = put(data)[0]
                row[3] = len(data)  # the size without the padding: its items only
                row[4] = CODES.index(code)
                if laid is not None:
                    row[5:7] = put(laid)
                if bitmap is not None:
                    row[7:9] = put(bitmap)
            width = max(map(len, keys), default=1)
            spec: dict = {
                "keys": [put(np.array(keys, dtype=f"S{width}").tobytes())[0], len(keys), width],
                "table": put(table.tobytes(), align=8),
            }
            if base is not None:
                spec["base"] = put(array("I", base).tobytes())
            header["fields"][name] = spec
        if not header["fields"]:
            return None
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head += b" " * (-(len(MAGIC) + 8 + len(head)) % 8)
        path = Path(folder) / file_name(segment_id)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(MAGIC + len(head).to_bytes(8, "little") + head)
            for data in chunks:
                f.write(data)
        os.replace(tmp, path)
        return path


def write_positions(leaf, folder: str | Path, min_df: int | None = None) -> Path | None:
    """Write the positions file of segment reader `leaf` into index folder `folder`;
    None when the segment has no field to map (nothing is written then)."""
    lengths = lambda name: field_lengths(leaf, name)  # noqa: E731
    builder = PositionsBuilder(leaf.schema, leaf.doc_count_all(), lengths,
                               leaf.stored_fields, min_df)  # fmt: skip
    for name in builder.fields:
        base = builder.base(name)
        for btext, info in leaf.iter_field(name):
            if not builder.wants(name, info.doc_frequency()):
                continue
            word = btext.decode("utf-8")
            if base is None:
                builder.add(name, word, *read_postings(leaf, name, btext))
                continue
            read = (array("I"), array("f"))  # read with the positions: one decoding
            positions = laid_end_to_end(leaf.postings(name, btext), base, postings=read)
            builder.add(name, word, *read, positions)
    return builder.write(folder, leaf.segment().segment_id())


def add_missing_positions(ix, known: Collection[str] = ()) -> int:
    """Write the positions file of every segment of index `ix` that has none (new
    segments, segments Whoosh merged), or one of an earlier version or threshold; gives
    how many were written. Segments whose ids are in `known` are taken to have theirs
    (the caller checked them before: reading each file's header to check it was 0.04 s
    of a one-post update at 100k)."""
    folder = Path(ix.storage.folder)
    written = 0
    with ix.reader() as reader:
        for leaf, segment_id in segments_to_check(reader, known):
            found = PositionsFile.open(folder, segment_id)
            wanted = min_df_of(leaf.doc_count_all())
            if found is not None and found.version >= VERSION and found.min_df == wanted:
                continue
            # A new file, not the old one rewritten: the old one is a hard link shared
            # with the previous generation, which may still be answering.
            written += write_positions(leaf, folder) is not None
    return written


def segments_to_check(reader, known: Collection[str] = ()) -> Iterator[tuple]:
    """(segment reader, segment id) of each segment of index reader `reader` whose id
    is not in `known`: those whose files beside them an update looks at."""
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment()
        if segment is not None and segment.segment_id() not in known:
            yield leaf, segment.segment_id()


_UNKNOWN = object()


class _Directory:
    """One field's directory in a positions file: its words (a sorted array of
    fixed-width bytes) and each word's row of TABLE_COLUMNS, both on the map, so that
    the processes that search one generation share its pages. (A JSON header of every
    word's offsets, parsed by each process, was 14 MB of Python objects in each server
    worker at 10k articles.)"""

    def __init__(self, keys: np.ndarray, table: np.ndarray):
        self.keys, self.table = keys, table
        self.width = keys.dtype.itemsize
        # The rows found lately, by word (None: not here): a query's phrase tests ask
        # for its words' places in each segment, and a looked-up row cost 0.8 µs, 2% of
        # a query. Emptied when full, so a process keeps at most ROWS_KEPT a field.
        self._rows: dict[str, list[int] | None] = {}

    def row(self, word: str) -> list[int] | None:
        """The word's row (see TABLE_COLUMNS), or None if the field has no such word."""
        rows = self._rows
        # (one lookup: another thread may empty the dict between a test and a read)
        found = rows.get(word, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        found = None
        key = word.encode("utf-8")
        if len(key) <= self.width:
            keys = self.keys
            # (bisect over the array: 0.4 µs, a third of numpy's searchsorted for one key)
            at = bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                found = self.table[at].tolist()
        if len(rows) >= ROWS_KEPT:
            rows.clear()
        rows[word] = found
        return found


class PositionsFile:
    """A segment's positions file, mapped into memory: `base(field)` and
    `positions(field, word)` give read-only sequences of ints (memoryviews on the
    map), or None for what the file does not hold."""

    def __init__(self, header: dict, data: memoryview, fields: dict[str, _Directory]):
        self.min_df: int = header["min_df"]
        self.version: int = header["version"]
        self._bases: dict = {name: spec.get("base") for name, spec in header["fields"].items()}
        self._fields = fields
        self._data = data

    @classmethod
    def open(cls, folder: str | Path, segment_id: str) -> PositionsFile | None:
        """The file of `segment_id` in `folder`; None if missing, not readable as one, or
        of a version before this layout (a segment is then searched from its postings,
        until `rocksearch index` writes its file again: add_missing_positions)."""
        try:
            with open(Path(folder) / file_name(segment_id), "rb") as f:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
        view = memoryview(mapped)
        try:
            if bytes(view[: len(MAGIC)]) != MAGIC:
                return None
            length = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 8], "little")
            start = len(MAGIC) + 8 + length
            # (a malformed header raises orjson's JSONDecodeError, a ValueError)
            header = orjson.loads(bytes(view[len(MAGIC) + 8 : start]))
            if header.get("byteorder") != sys.byteorder or header.get("version", 1) < LAYOUT:
                return None
            data = view[start:]
            fields = {}
            for name, spec in header["fields"].items():  # a short (torn) file is not used
                offset, count, width = spec["keys"]  # (frombuffer: ValueError past the end)
                keys = np.frombuffer(data, dtype=f"S{width}", count=count, offset=offset)
                offset, size = spec["table"]
                table = np.frombuffer(data, dtype=np.int64, offset=offset,
                                      count=size // 8).reshape(-1, len(TABLE_COLUMNS))  # fmt: skip
                if len(table) != len(keys) or not _within(table, len(data)):
                    return None
                if "base" in spec and sum(spec["base"]) > len(data):
                    return None
                fields[name] = _Directory(keys, table)
        except (ValueError, KeyError, TypeError):
            return None
        return cls(header, data, fields)

    def _array(self, offset: int, size: int, code: str = "I") -> memoryview:
        return self._data[offset : offset + size].cast(code)

    def base(self, name: str) -> memoryview | None:
        where = self._bases.get(name)
        return None if where is None else self._array(*where)

    def _row(self, name: str, word: str) -> list[int] | None:
        directory = self._fields.get(name)
        return None if directory is None else directory.row(word)

    def positions(self, name: str, word: str) -> memoryview | None:
        """The word's positions, ascending; None when the file does not hold the word
        (it is in fewer than min_df documents, or not in the field at all)."""
        row = self._row(name, word)
        return None if row is None or row[5] < 0 else self._array(row[5], row[6])

    def bitmap(self, name: str, word: str) -> memoryview | None:
        """The word's bitmap (see `bitmap_of`), for the densest words only."""
        row = self._row(name, word)
        return None if row is None or row[7] < 0 else self._data[row[7] : row[7] + row[8]]

    def postings(self, name: str, word: str) -> tuple[memoryview, memoryview] | None:
        """(docnums, weights) of the word in field `name`, every posting of the segment
        (deleted documents too), docnums segment-local and ascending; None when the file
        does not hold the word."""
        row = self._row(name, word)
        if row is None:
            return None
        return self._array(row[0], row[1]), self._array(row[2], row[3], CODES[row[4]])


def _within(table: np.ndarray, size: int) -> bool:
    """Whether every array a directory's table names ends within `size` bytes."""
    if not len(table):
        return True
    ends = [table[:, at] + table[:, at + 1] for at in (0, 2, 5, 7)]
    return all(int(end.max()) <= size for end in ends)
