"""Writing documents into a Whoosh index, fast and all-or-nothing.

Takes an open Whoosh index and documents; gives a committed index (`write_documents`)
or, on any failure, a cancelled writer and an exception (never a held write lock).

What makes it faster than `ix.writer()` on this machine (measured in
benchmarks/index_bench.py):

* `FastPostingPool` takes a document's field at once, as columns, without Whoosh's
  per-posting checks, and groups them by term with one sort in C when it writes;
  Whoosh sorts every posting.
* `write_postings` writes the W3 codec's posting blocks and term infos a term at a
  time, what Whoosh's `add_postings` writes (a test pins them; blocks under
  COMPRESS_FROM bytes are left uncompressed, and a rare term's postings are inlined in
  its term info, as the codec's `inlinelimit` would have them), without its five
  method calls per posting; and
  it hands the common words to the segment's positions file (`PositionsBuilder`),
  which is not read back from the written segment.
* `FastSegmentWriter` looks field lengths up in a table built once per segment from
  the length columns. Whoosh's writer asks the per-document reader for the length of
  every posting's field, a column read per posting, about a third of the flush time.
* a large fresh build is split between processes (one per core): each forked worker
  writes its own segment from the documents it inherited, and the parent publishes
  all segments in one table of contents, as Whoosh's own MpWriter does with
  `multisegment=True`. Unlike MpWriter, a worker that fails fails the whole build
  (MpWriter drops a missing worker's documents silently), and documents are not
  pickled through a queue: the forked workers already have them.

An update merges segments by tiers (`merge_tiers`), not by Whoosh's default
MERGE_SMALL, which now and then rewrote thousands of documents in a 50-post update.

They rely on SegmentWriter and PostingPool internals that whoosh-reloaded 2.7 shares
with its own MpWriter (`_finalize_segment`, `_commit_toc`, `_finish`, the pool's
`current` list, runs and size estimate) and on the W3 codec's block layout
(W3PostingsWriter, W3TermInfo); pyproject pins < 2.8.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import heapq
import marshal
import multiprocessing
import os
import signal
import zlib
from array import array
from collections.abc import Callable, Collection, Sequence
from hashlib import md5
from itertools import groupby, pairwise, repeat
from operator import itemgetter
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths as _KEY_VALUE_LENGTHS
from whoosh.reading import SegmentReader
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from indexer.positions import (
    MIN_DF_FLOOR,
    PositionsBuilder,
    add_missing_positions,
    column_lengths,
)
from indexer.schema import AnalyzedText, Postings
from indexer.spool import DocumentSpool
from indexer.stored_copies import add_missing_stored, write_stored

PARALLEL_MIN_DOCS = 2000  # below this, starting processes costs more than it saves
MERGE_FACTOR = 10  # segments of one size tier (a power of ten of live documents) merged
MAX_DELETED_SHARE = 0.5  # a segment half deleted is rewritten without its dead documents
MAX_OPEN_RUNS = 100  # a writer's spilled runs merged at once, at most


def merge_tiers(writer, segments: list) -> list:
    """Whoosh merge policy (commit(mergetype=...)): gives the segments kept as they are,
    after adding the others' documents to the segment being written.

    As Lucene's log merge policy: segments are tiered by their live documents (1-9,
    10-99, 100-999…), and a tier is merged once it holds MERGE_FACTOR segments, so an
    update of 50 posts makes one small segment and, every tenth time, merges ten of
    them (500 documents), not a large segment. A segment more than MAX_DELETED_SHARE
    deleted (its posts updated since) is rewritten, so dead documents do not pile up.
    Whoosh's MERGE_SMALL, the default, merged by a Fibonacci rule that every few
    updates rewrote a quarter of a 10k index (4.9 s of a 3 s update)."""
    import math

    tiers: dict[int, list] = {}
    for seg in segments:
        tiers.setdefault(int(math.log10(max(seg.doc_count(), 1))), []).append(seg)
    merged = [seg for tier in tiers.values() if len(tier) >= MERGE_FACTOR for seg in tier]
    for seg in segments:
        total = seg.doc_count_all()
        if seg not in merged and total and seg.deleted_count() > MAX_DELETED_SHARE * total:
            merged.append(seg)
    for seg in merged:
        with SegmentReader(writer.storage, writer.schema, seg) as reader:
            writer.add_reader(reader)
    return [seg for seg in segments if seg not in merged]


class _LengthTable:
    """doc_field_length(docnum, field) from per-field lists filled on first use."""

    def __init__(self, reader, doccount: int):
        self.reader = reader
        self.doccount = doccount
        self.tables: dict[str, list[int]] = {}

    def table(self, fieldname: str) -> list[int]:
        table = self.tables.get(fieldname)
        if table is None:
            table = column_lengths(self.reader, fieldname, self.doccount)
            if table is None:
                read = self.reader.doc_field_length
                table = [read(d, fieldname, 0) or 0 for d in range(self.doccount)]
            self.tables[fieldname] = table
        return table

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.table(fieldname)[docnum]


# A block's pickled data shorter than this is stored as it is. Whoosh reads each block's
# compression from the block's own header, and meant not to compress small ones ("if the
# pickle is less than 20 bytes, don't bother compressing"), but a slip in whoosh3.py
# compresses every block. zlib's time goes with the bytes it is given, and small blocks
# shrink least: in a 5,000-post writer at 10k (level 3, 0.66 s in all), blocks of 80-200
# bytes took 0.16 s to save 0.4 of 2.2 MB and those of 200-500 bytes 0.10 s to save
# 1.1 of 2.4 MB; larger ones shrink to a third or less. (Every block left uncompressed:
# 0.66 s less, but segments of 42 against 27 MB and 23 MB more of a 10k server's memory
# after 100,000 requests, its mapped pages.)
COMPRESS_FROM = 500
# A term in fewer documents than this has its postings inlined in its term info
# (`_inlined`), or in fewer than a segment's positions file's least number of documents
# in a field the file holds: then every word is read either from that mapped file or
# from its term info, never from Whoosh's posting blocks at query time.
INLINE_BELOW = MIN_DF_FLOOR
# ...but never a term in this many documents or more: inlined postings are not
# compressed, and a large segment's positions file holds only words in 0.1% of its
# posts (50 at 100k). At 64, the 100k segments grew by 6% for 0.8% fewer instructions a
# held-out query; at 16, by 0.5% for 0.2% (at 10k the threshold of 5 decides: 1.6%).
# A term inlined is also unpickled whole at each lookup, where blocks can be skipped.
INLINE_MAX = 16


def mirrors_w3(fieldwriter) -> bool:
    """Whether `write_postings` can write for this field writer: Whoosh's W3 codec with
    its postings never inlined (the only kind it writes)."""
    codec = getattr(fieldwriter, "_codec", None)
    return (type(fieldwriter) is W3FieldWriter and type(codec) is W3Codec
            and codec._inlinelimit <= 1)  # fmt: skip


def write_postings(fieldwriter, schema, lengths: _LengthTable | None, terms,
                   positions: PositionsBuilder | None = None) -> None:  # fmt: skip
    """Write `terms`, sorted `(fieldname, btext, docnums, weights, values)` with each
    term's postings in docnum order, into a W3 field writer that `mirrors_w3`: what
    Whoosh's own `add_postings` writes from the same postings, block for block, except
    that a block under COMPRESS_FROM bytes is not compressed and a term in fewer
    documents than INLINE_BELOW (or the positions file's least, at most INLINE_MAX) is
    inlined in its term info (a test pins all three). Whoosh
    calls five methods per posting and pickles, compresses and packs through
    three objects per term; here each block is made from slices of the term's lists.
    The terms the segment's positions file holds go to `positions` too: made from
    the postings in hand, not read back from the written segment (a sixth of a
    writer's time)."""
    codec = fieldwriter._codec
    blocklimit, level = codec._blocklimit, codec._compression
    # The posting file's own file object: one write per term, and its position counted
    # here (Whoosh's StructFile wraps each write and tell in a Python call).
    postfile = getattr(fieldwriter._postfile, "file", fieldwriter._postfile)
    write, pos = postfile.write, postfile.tell()
    tindex_add = _term_index_adder(fieldwriter._tindex)
    fieldmap = fieldwriter._fieldmap
    pack_info = W3TermInfo._struct.pack
    lastfield = lasttext = None
    fieldid, fixedsize, table, min_df = b"", None, None, None
    for fieldname, btext, ids, all_weights, values in terms:
        if fieldname != lastfield:
            if lastfield is not None and fieldname < lastfield:
                raise ValueError(f"postings out of order: field {lastfield!r}..{fieldname!r}")
            fixedsize = schema[fieldname].format.fixed_value_size()
            table = lengths.table(fieldname) if lengths else None
            fieldid = pack_ushort(fieldmap.setdefault(fieldname, len(fieldmap)))
            lastfield = fieldname
            min_df = positions.min_df if positions and positions.holds(fieldname) else None
            inline_below = min(min_df or INLINE_BELOW, INLINE_MAX)
        elif btext <= lasttext:
            raise ValueError(f"postings out of order: {fieldname}:{lasttext!r}..{btext!r}")
        lasttext = btext
        count = len(ids)
        if min_df is not None and count >= min_df:
            positions.add_values(fieldname, btext.decode("utf-8"), ids, all_weights, values)
        if count < inline_below:
            # A word in few documents (most of a field's words): its postings inside its
            # term info, as the W3 codec inlines them, so reading it at query time is
            # the term lookup alone, not a posting block read, unpickled and walked too.
            tindex_add(fieldid + btext, _inlined(ids, all_weights, values, table))
            continue
        parts = [WHOOSH3_HEADER_MAGIC]
        total_weight, term_maxweight, term_min, term_max = 0.0, 0, None, 0
        last_id = -1  # the previous block's last docnum: ids rise across blocks too
        for first in range(0, count, blocklimit):
            block_ids = ids[first : first + blocklimit]
            n = len(block_ids)
            if n > 1:
                gaps = [b - a for a, b in pairwise(block_ids)]
                if block_ids[0] <= last_id or min(gaps) <= 0:
                    raise ValueError(f"postings out of order: {fieldname}:{btext!r}")
                deltas = (block_ids[0], *gaps)  # each block's first docnum stands whole
            else:
                if block_ids[0] <= last_id:
                    raise ValueError(f"postings out of order: {fieldname}:{btext!r}")
                deltas = (block_ids[0],)
            last_id = block_ids[-1]
            raw_weights = all_weights[first : first + blocklimit]
            weights = array("f", raw_weights)  # Whoosh keeps them as 32-bit floats
            maxweight = max(0, max(raw_weights))  # as given, not rounded
            total_weight += sum(weights)
            if weights.count(weights[0]) == n:  # all the same: one number, or none for 1
                mini_weights = None if weights[0] == 1.0 else weights[0]
            else:
                mini_weights = tuple(weights)
            if fixedsize == 0:
                mini_values = None
            else:
                present = values[first : first + blocklimit]
                if b"" in present:
                    present = [v for v in present if v]
                mini_values = b"".join(present) if fixedsize and fixedsize > 0 else tuple(present)
            if table is None:
                minlength, maxlength = None, 0
            elif n == 1:
                minlength = table[last_id] or None
                maxlength = minlength or 0
            else:
                lens = [x for x in map(table.__getitem__, block_ids) if x]
                minlength = min(lens) if lens else None
                maxlength = max(lens) if lens else 0
            data = dumps((deltas, mini_weights, mini_values), 2)
            comp = level if len(data) >= COMPRESS_FROM else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((n, last_id, maxweight, comp,
                          _length_byte(minlength), _length_byte(maxlength)), 2)  # fmt: skip
            blocklength = len(info) + len(data)
            parts += (pack_int(-blocklength if first + blocklimit >= count else blocklength),
                      info, data)  # fmt: skip
            if minlength is not None and (term_min is None or minlength < term_min):
                term_min = minlength
            if maxlength > term_max:
                term_max = maxlength
            if maxweight > term_maxweight:
                term_maxweight = maxweight
        chunk = b"".join(parts)
        write(chunk)
        terminfo = pack_info(False, total_weight, count, _length_byte(term_min),
                             _length_byte(term_max), term_maxweight, ids[0], ids[-1])  # fmt: skip
        tindex_add(fieldid + btext, terminfo + pack_long(pos) + pack_int(len(chunk)))
        pos += len(chunk)


def _term_index_adder(tindex) -> Callable[[bytes, bytes], None]:
    """`tindex.add` (Whoosh's OrderedHashWriter, the term index of a W3 segment): the
    same bytes and the same tables, with the file's position counted here and the key's
    MD5 hash taken from its digest. Whoosh's asks the file for its position twice a
    term, through its StructFile, and makes the hash from the digest's hex string: 6%
    of a writer's time at 10k posts in a profile. Keys must rise, as Whoosh's must."""
    dbfile = tindex.dbfile
    if tindex.hashtype != 0:  # (the W3 codec's term index is MD5's; others: Whoosh's own)
        return tindex.add
    file = getattr(dbfile, "file", dbfile)
    write, pack, buckets = file.write, _KEY_VALUE_LENGTHS.pack, tindex.buckets
    lengths_size = _KEY_VALUE_LENGTHS.size  # (the two lengths before a key and value)
    positions = tindex.index  # (a GrowableArray: it widens its type as positions grow)
    pos = file.tell()

    def add(key: bytes, value: bytes) -> None:
        nonlocal pos
        if key <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{key!r}")
        positions.append(pos)
        write(pack(len(key), len(value)) + key + value)
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
        buckets[h & 255].append((h, pos))
        pos += lengths_size + len(key) + len(value)
        tindex.lastkey = key

    return add


def _inlined(
    ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes], table: list[int] | None
) -> bytes:
    """The term index's value for a term whose postings are inlined: what the W3 codec's
    `W3TermInfo.to_bytes` writes for postings it inlines (W3PostingsWriter.
    finish_postings: fewer than its `inlinelimit`), its statistics as `add_block` counts
    them. (Whoosh's own writer cannot inline: it calls a `set_inline` that W3TermInfo
    spells `set_inlined`; so the codec stays at inlinelimit 1 and Whoosh's writer, in a
    merge, writes blocks, which the readers take as well.)"""
    if ids[0] < 0 or any(b <= a for a, b in pairwise(ids)):
        raise ValueError(f"postings out of order: docnums {list(ids)[:5]}")
    stored = array("f", weights)  # (Whoosh keeps 32-bit floats)
    maxweight = max(0, max(weights))  # as given, not rounded
    if table is None:
        minlength, maxlength = None, 0
    else:
        lens = [x for x in map(table.__getitem__, ids) if x]
        minlength = min(lens) if lens else None
        maxlength = max(lens) if lens else 0
    info = W3TermInfo._struct.pack(True, sum(stored), len(ids), _length_byte(minlength),
                                   _length_byte(maxlength), maxweight, ids[0], ids[-1])  # fmt: skip
    # (Whoosh keeps a posting's value only when it is not empty.)
    return info + dumps((tuple(ids), tuple(stored), tuple(v for v in values if v)), 2)


# Whoosh's length byte of each length below this, looked up (bisect per block, else)
_LENGTH_BYTES = [length_to_byte(n) for n in range(4096)]


def _length_byte(length: int | None) -> int:
    """whoosh.util.numeric.length_to_byte (0 for None)."""
    if length is None:
        return 0
    return _LENGTH_BYTES[length] if length < 4096 else length_to_byte(length)


def _put(terms: dict, docnum: int, term: bytes, weight: float, vbytes: bytes) -> None:
    """Append one posting to its term's lists in `terms`."""
    entry = terms.get(term)
    if entry is None:
        terms[term] = ([docnum], [weight], [vbytes])
    else:
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes)


class _TermIds(dict):
    """term -> a number, the next one for a term not seen before; `terms` in turn."""

    def __init__(self):
        super().__init__()
        self.terms: list[str] = []

    def __missing__(self, term: str) -> int:
        n = self[term] = len(self.terms)
        self.terms.append(term)
        return n


class _Columns:
    """One field's postings as `add_field` gives them, a column each, in the order
    added (so in docnum order): each posting's term (as a number), document, weight and
    value. Appending a document's field is a few calls in C, not a step per posting;
    `terms` groups them by term with one stable sort."""

    __slots__ = ("ids", "term_ids", "docs", "weights", "values")

    def __init__(self):
        self.ids = _TermIds()
        self.term_ids, self.docs, self.weights = array("I"), array("I"), array("d")
        self.values: list[bytes] = []

    def add(self, docnum: int, terms: list[str], weights: list, values: list[bytes]) -> None:
        self.term_ids.extend(map(self.ids.__getitem__, terms))
        self.docs.extend(repeat(docnum, len(terms)))
        self.weights.extend(weights)
        self.values.extend(values)

    def terms(self) -> dict[bytes, tuple[list, list, list]]:
        """{term as UTF-8: (docnums, weights, values)}, each term's in docnum order."""
        if not self.term_ids:
            return {}
        ids = np.frombuffer(self.term_ids, dtype=np.uint32)
        order = np.argsort(ids, kind="stable")  # stable: docnum order within a term
        ids = ids[order]
        starts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        bounds = [0, *starts.tolist(), len(ids)]
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order].tolist()
        weights = np.frombuffer(self.weights, dtype=np.float64)[order].tolist()
        values = list(map(self.values.__getitem__, order.tolist()))
        names = self.ids.terms
        return {
            names[term].encode("utf-8"): (docs[a:b], weights[a:b], values[a:b])
            for term, a, b in zip(ids[bounds[:-1]].tolist(), bounds[:-1], bounds[1:], strict=True)
        }


class FastPostingPool(PostingPool):
    """Whoosh's PostingPool, holding each term's postings together: Whoosh's pool takes
    a tuple per posting, asserts and sums its size term by term (a quarter of adding a
    document), and then sorts every posting (a million at 5,000 articles: 1.2-1.8 s).
    Here `add_field` takes a document's field at once into columns (`_Columns`), which
    are grouped by term with one sort in C when written; `add` (Whoosh's add_reader,
    other fields) appends a posting to its term's lists. The size counted is Whoosh's
    own estimate (its constants summed), so the pool spills to disk as often; a spilled
    run holds a record per term, and the runs are merged term by term (`terms`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_field: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self.by_text: dict[str, _Columns] = {}
        self._field: str | None = None
        self._terms: dict[bytes, tuple[list, list, list]] = {}

    def _terms_of(self, fieldname: str) -> dict:
        if fieldname is not self._field:  # a document's postings come field by field
            self._field = fieldname
            self.fieldnames.add(fieldname)
            self._terms = self.by_field.setdefault(fieldname, {})
        return self._terms

    def add(self, item):
        # item = (fieldname, tbytes, docnum, weight, vbytes); 150 = Whoosh's constants
        fieldname, tbytes, docnum, weight, vbytes = item
        vbytes = vbytes or b""
        _put(self._terms_of(fieldname), docnum, tbytes, weight, vbytes)
        self.currentsize += 150 + len(fieldname) + 2 * len(tbytes) + len(vbytes)
        if self.currentsize > self.limit:
            self.save()

    def add_field(self, fieldname: str, docnum: int,
                  postings: Postings, boost: float, fieldboost: float) -> int:  # fmt: skip
        """Add one document's postings of a field, (terms, frequencies, values, length) as
        AnalyzedText.postings gives them, weighing frequency * boost * fieldboost as
        Whoosh does; gives the field's length (its words, indexer/schema.py)."""
        columns = self.by_text.get(fieldname)
        if columns is None:
            self.fieldnames.add(fieldname)
            columns = self.by_text[fieldname] = _Columns()
        terms, freqs, values, length = postings
        if boost == 1.0 and fieldboost == 1.0:
            weights = freqs  # n * 1.0 * 1.0, as floats in the column
        else:
            weights = [n * boost * fieldboost for n in freqs]  # Whoosh's order of operations
        columns.add(docnum, terms, weights, values)
        # Whoosh's estimate: per posting its constants, twice the term, the value
        self.currentsize += (len(terms) * (150 + len(fieldname)) + 2 * sum(map(len, terms))
                             + sum(map(len, values)))  # fmt: skip
        if self.currentsize > self.limit:
            self.save()
        return length

    def _held(self):
        """(fieldname, btext, docnums, weights, values) held in memory, in order; then
        forgets them."""
        by_field, by_text = self.by_field, self.by_text
        self.by_field, self.by_text, self._field = {}, {}, None
        for field in sorted(by_field.keys() | by_text.keys()):
            # UTF-8 keeps the strings' order, so the encoded terms need no other sort
            columns = by_text.pop(field, None)
            terms = columns.terms() if columns is not None else {}
            del columns
            for btext, lists in by_field.get(field, {}).items():
                if btext in terms:  # the field's text came both ways: merge by docnum
                    merged = sorted([*zip(*terms[btext], strict=True),
                                     *zip(*lists, strict=True)], key=itemgetter(0))  # fmt: skip
                    lists = tuple(list(column) for column in zip(*merged, strict=True))
                terms[btext] = lists
            for btext in sorted(terms):
                yield (field, btext, *terms[btext])

    def save(self):
        """Spill what is held to a run on disk: its terms in order, one record each
        (field, term, docnums, weights, values), not a pickle per posting as Whoosh's
        runs (a 100k build spills some fifty runs a writer)."""
        path, f = self._new_run()
        with f:
            for record in self._held():
                marshal.dump(record, f)
        self.runs.append(path)
        self.currentsize = 0

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self._remove_run(path)

    def cleanup(self):
        for path in self.runs:
            with contextlib.suppress(OSError):
                self._remove_run(path)
        self.runs = []

    def terms(self):
        """(fieldname, btext, docnums, weights, values) of every term, in order; each
        term's postings in docnum order."""
        if not self.runs:
            return self._held()
        if self.by_field or self.by_text:
            self.save()
        runs, self.runs = self.runs, []
        while len(runs) > MAX_OPEN_RUNS:  # merged a batch at a time, order kept
            path, f = self._new_run()
            with f:
                for record in self._merged(runs[:MAX_OPEN_RUNS]):
                    marshal.dump(record, f)
            runs[:MAX_OPEN_RUNS] = [path]
        return self._merged(runs)

    def _merged(self, runs: list[str]):
        """The terms of `runs` in order. The runs were saved in turn, so a term's
        documents in one run all come before those in the next: its lists are joined
        in run order (heapq.merge gives equal keys in the order of its inputs)."""
        merged = heapq.merge(*(self._read_run(path) for path in runs), key=itemgetter(0, 1))
        for (field, btext), group in groupby(merged, itemgetter(0, 1)):
            records = list(group)
            _, _, ids, weights, values = records[0]
            for record in records[1:]:
                ids += record[2]
                weights += record[3]
                values += record[4]
            yield field, btext, ids, weights, values

    def iter_postings(self):
        return ((field, btext, *posting) for field, btext, *lists in self.terms()
                for posting in zip(*lists, strict=True))  # fmt: skip


class FastSegmentWriter(SegmentWriter):
    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = FastPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        # Fields with a spelling word list or term vectors take Whoosh's own steps.
        self._plain = not any(f.separate_spelling() or f.vector for _, f in self.schema.items())
        self._positions: PositionsBuilder | None = None
        self.positions_file = None  # the new segment's positions file, once written

    def add_document(self, **fields):
        """Whoosh's SegmentWriter.add_document (whoosh-reloaded 2.7), with each text
        field's postings (AnalyzedText) put into the pool a document's field at a time
        (FastPostingPool.add_field), not a generator's tuple and a call per posting:
        a third of adding a document. Other fields take Whoosh's steps."""
        if not self._plain:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    if isinstance(field, AnalyzedText) and isinstance(value, str):
                        postings = field.postings(value)
                        boost = field.format.field_boost
                        length = pool.add_field(fieldname, docnum, postings, boost, fieldboost)
                        length = length if field.scorable else 0
                    else:
                        scorable = field.scorable
                        for tbytes, freq, weight, vbytes in field.index(value):
                            weight *= fieldboost
                            if scorable:
                                length += freq
                            pool.add((fieldname, tbytes, docnum, weight, vbytes))
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None,
                                       length)  # fmt: skip
                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        # The flush makes a few lists per term that live until the segment is written:
        # Python's collector would walk them all again and again, for no garbage.
        with _collector_paused():
            self._flush()

    def _flush(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _LengthTable(pdr, self.docnum) if pdr else None
        if mirrors_w3(self.fieldwriter):
            positions = None
            if lengths is not None and hasattr(self.storage, "folder"):
                positions = PositionsBuilder(self.schema, self.docnum, lengths.table,
                                             pdr.stored_fields)  # fmt: skip
            write_postings(self.fieldwriter, self.schema, lengths, self.pool.terms(), positions)
            if positions is not None:
                positions.finish_reading()
            self._positions = positions
        else:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    def _finalize_segment(self):
        """Whoosh's, then the segment's positions file (indexer/positions.py) when the
        flush made it: written after the segment's files are assembled, which would
        take a file of the segment's name into the compound file."""
        self._positions = None
        segment = super()._finalize_segment()
        if self._positions is not None:
            self.positions_file = self._positions.write(self.storage.folder,
                                                        segment.segment_id())  # fmt: skip
            self._positions = None
        return segment


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for the block (as it was, after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Set in the parent just before forking; the workers read their share from it.
_JOB: tuple | None = None


def _die_with_parent() -> None:
    """Linux: a worker gets SIGKILL when its parent dies (say, by SIGKILL), not orphaned."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
    # A Ctrl-C in the terminal reaches the whole process group; the parent handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _write_share(worker: int):
    ix, docs, workers, limitmb, counter = _JOB
    writer = FastSegmentWriter(ix, _lk=False, limitmb=limitmb)
    share = docs.share(worker) if isinstance(docs, DocumentSpool) else docs[worker::workers]
    try:
        for n, doc in enumerate(share, start=1):
            writer.add_document(**doc)
            if n % 100 == 0:
                with counter.get_lock():
                    counter.value += 100
        segment = writer._finalize_segment()
        # Its stored fields uncompressed (indexer/stored_copies.py), in this worker too.
        with SegmentReader(writer.storage, writer.schema, segment) as reader:
            write_stored(reader, writer.storage.folder)
    except BaseException:
        writer.cancel()
        raise
    # The flush made the segment's positions file, in this worker: in parallel, before
    # the parent publishes it (and writes any file missing: `add_missing_positions`).
    return segment


def before_fork() -> None:
    """Make the forked writers small: what they inherit counts in their resident
    memory. glibc keeps memory that Python freed (reading 100k posts left some 300 MB)
    unless asked to give it back; and objects the collector leaves to a permanent
    generation are not walked (so not copied) by the children's collections."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL(None).malloc_trim(0)
    gc.freeze()


def writers() -> int:
    """How many processes write a large fresh build (one per core, at most four)."""
    return min(os.cpu_count() or 1, 4)


def write_documents(
    ix,
    docs: Sequence[dict] | DocumentSpool,
    delete_ids: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    limitmb: int = 256,
    workers: int | None = None,
    checked: bool = False,
) -> None:
    """Delete `delete_ids`, add `docs` (a spool is split as it was made: by its parts),
    commit, and write the positions file of each new segment (indexer/positions.py);
    cancel and re-raise on any failure. `checked`: the index's segments all have this
    version's positions files (a generation this version wrote), so only the segments
    new after the commit are looked at."""
    global _JOB
    if isinstance(docs, DocumentSpool):
        workers = docs.parts
    elif workers is None:
        workers = writers()
    parallel = workers > 1 and len(docs) >= PARALLEL_MIN_DOCS and not delete_ids
    parallel = parallel and "fork" in multiprocessing.get_all_start_methods()
    writer = FastSegmentWriter(ix, limitmb=limitmb)
    known = {segment.segment_id() for segment in writer.segments} if checked else set()
    try:
        for article_id in delete_ids:
            writer.delete_by_term("id", article_id)
        if parallel:
            before_fork()
            context = multiprocessing.get_context("fork")
            counter = context.Value("l", 0)
            _JOB = (ix, docs, workers, limitmb, counter)
            with context.Pool(workers, initializer=_die_with_parent) as pool:
                result = pool.map_async(_write_share, range(workers))
                while not result.ready():
                    result.wait(0.25)
                    if progress:
                        progress(min(counter.value, len(docs)), len(docs))
                segments = result.get()
            gc.unfreeze()
            _JOB = None
            if progress:
                progress(len(docs), len(docs))
            writer._close_segment()
            writer._commit_toc(list(writer.segments) + segments)
            writer._finish()
        else:
            total = len(docs)
            for done, doc in enumerate(docs, start=1):
                writer.add_document(**doc)
                if progress and (done % 500 == 0 or done == total):
                    progress(done, total)
            writer.commit(mergetype=merge_tiers)
    except BaseException:
        _JOB = None
        gc.unfreeze()
        # A failed commit leaves Whoosh's write lock held unless the writer is cancelled.
        # Cancelling closes the segment being written, a write of its own: a disk that
        # is full refuses it too, and that error must not hide the first one.
        try:
            writer.cancel()
        except Exception:
            with contextlib.suppress(Exception):
                writer._finish()  # (the lock released, the temporary files removed)
        raise
    add_missing_files(ix, known)  # a segment written here, or one Whoosh merged others into


def add_missing_files(ix, known: Collection[str] = ()) -> None:
    """Write what this version keeps beside each segment of index `ix` (its positions
    and stored-fields files) where a segment's is missing or of an earlier version;
    segments whose ids are in `known` are taken to have theirs."""
    add_missing_positions(ix, known)
    add_missing_stored(ix, known)
