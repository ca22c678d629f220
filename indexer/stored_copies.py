"""Each segment's stored fields, uncompressed, in a file mapped beside the segment.

Takes a Whoosh segment reader (`write_stored`; `add_missing_stored` for a whole index);
gives, beside the segment's own files, `MAIN_<segment>.stored`, which `StoredFile.open`
maps back into memory for the query layer: `StoredFile.fields(docnum)` is the dict
Whoosh's `stored_fields` gives for the segment's document.

Why it exists: the W3 codec keeps each document's stored fields as one pickle
compressed with zlib. A page of results reads ten posts, their bodies for the snippets,
and inflating them was most of a post's 10-13 µs, 13% of a query typed the way people
type at 10k articles (benchmarks/query_bench.py --held-out). Here each document is its
pickle alone, read in place from the page cache, which every process on the generation
shares: one `pickle.loads` of a post's bytes.

The file is a copy: Whoosh's stored fields stay in the segment, and a segment without
a file (one written by an older version, a file torn or missing) is read from them,
only slower. Like the positions file, its name follows Whoosh's segment pattern, so
Whoosh deletes it with its segment, and a new generation takes it by a hard link.

Layout: MAGIC, the number of documents n (8 bytes, little-endian), n + 1 offsets (8
bytes each, little-endian) from the end of the offsets, then the pickles. Like
Whoosh's own files it holds pickles: the index folder must be writable only by those
trusted to run code as rocksearch.
"""

from __future__ import annotations

import mmap
import os
import pickle
import sys
from array import array
from collections.abc import Callable, Collection
from pathlib import Path

from indexer.positions import segments_to_check

MAGIC = b"RSSTO\x00\x01\n"
SUFFIX = ".stored"
_HEAD = len(MAGIC) + 8


def file_name(segment_id: str) -> str:
    return f"{segment_id}{SUFFIX}"


def whoosh_stored(leaf) -> Callable[[int], dict]:
    """The stored fields of segment reader `leaf`'s documents as Whoosh keeps them, by
    segment docnum: its own per-document reader's `stored_fields` where it has one, in
    half the time (Whoosh's `SegmentReader.stored_fields` also checks every name stored
    against the schema, and every name stored is in it). Its dicts may be Whoosh's
    own: a caller that changes one copies it first."""
    perdoc = getattr(leaf, "_perdoc", None)
    return perdoc.stored_fields if hasattr(perdoc, "stored_fields") else leaf.stored_fields


def write_stored(leaf, folder: str | Path) -> Path:
    """Write the stored-fields file of segment reader `leaf` (every document it holds,
    deleted ones too) into index folder `folder`, under a temporary name renamed last:
    a reader sees the whole file or none."""
    count = leaf.doc_count_all()
    path = Path(folder) / file_name(leaf.segment().segment_id())
    tmp = path.with_name(path.name + ".tmp")
    stored = whoosh_stored(leaf)
    offsets = array("Q", [0])
    with open(tmp, "wb") as f:
        f.write(MAGIC + count.to_bytes(8, "little"))
        f.write(bytes(8 * (count + 1)))  # the offsets, written when known
        for d in range(count):
            data = pickle.dumps(dict(stored(d)), protocol=pickle.HIGHEST_PROTOCOL)
            f.write(data)
            offsets.append(offsets[-1] + len(data))
        if sys.byteorder != "little":
            offsets.byteswap()
        f.seek(_HEAD)
        f.write(offsets.tobytes())
    os.replace(tmp, path)
    return path


def add_missing_stored(ix, known: Collection[str] = ()) -> int:
    """Write the stored-fields file of every segment of index `ix` that has none or a
    file it cannot use (new segments, segments Whoosh merged); gives how many were
    written. Segments whose ids are in `known` are taken to have theirs."""
    folder = Path(ix.storage.folder)
    written = 0
    with ix.reader() as reader:
        for leaf, segment_id in segments_to_check(reader, known):
            if StoredFile.open(folder, segment_id, leaf.doc_count_all()) is None:
                write_stored(leaf, folder)
                written += 1
    return written


class StoredFile:
    """A segment's stored-fields file, mapped into memory."""

    def __init__(self, view: memoryview, offsets: memoryview):
        self._view = view
        self._offsets = offsets
        self._start = _HEAD + 8 * len(offsets)

    @classmethod
    def open(cls, folder: str | Path, segment_id: str, count: int) -> StoredFile | None:
        """The file of `segment_id` in `folder`, holding `count` documents; None if it is
        missing, of another count, or shorter than its offsets say (torn)."""
        try:
            with open(Path(folder) / file_name(segment_id), "rb") as f:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # (ValueError: an empty file cannot be mapped)
            return None
        view = memoryview(mapped)
        if len(view) < _HEAD or bytes(view[: len(MAGIC)]) != MAGIC:
            return None
        if int.from_bytes(view[len(MAGIC) : _HEAD], "little") != count:
            return None
        end = _HEAD + 8 * (count + 1)
        if len(view) < end:
            return None
        raw = view[_HEAD:end]
        if sys.byteorder != "little":  # (a copy, swapped: the file is little-endian)
            swapped = array("Q", raw)
            swapped.byteswap()
            raw = memoryview(swapped)
        offsets = raw.cast("Q")
        if len(view) != end + offsets[-1]:
            return None
        return cls(view, offsets)

    def fields(self, docnum: int) -> dict:
        """The stored fields of the segment's document `docnum`, a new dict."""
        start, offsets = self._start, self._offsets
        return pickle.loads(self._view[start + offsets[docnum] : start + offsets[docnum + 1]])
