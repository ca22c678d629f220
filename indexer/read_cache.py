"""What the last run read from each corpus file, so that the next run reads only what
changed.

Takes the previous generation's folder and its manifest (`ReadCache.load`); gives a
cache that `indexer.sources.read_corpus` asks before reading and tells what it read,
and that `save` keeps in the new generation as `reads.cache`. Two levels:

* a whole file whose name, size and modification time are as recorded is not opened:
  its articles come back as `Known` items (id, content hash, the notes they were read
  with) and its problems as they were reported;
* in a JSON Lines file that changed (a JSONL corpus is often one file, rewritten
  whenever one post changes), the lines in the unchanged bytes at its start and at its
  end (found by block digests, indexer/file_blocks.py) come back as they were recorded,
  those at the end numbered as they are now, without being looked at; between them, a
  line whose number and bytes are as recorded is not parsed. A JSON Lines file with no
  record (moved or renamed, maybe edited) is matched to the record of a file that is
  gone, by the same block digests.

Either is used only while the article is indexed with the recorded hash, so the cache
can never put into the index what the files do not say: at worst it is not used. A
file modified within two seconds of being recorded is read again the next time (its
time stamp may not have ticked over a later change: git's "racily clean" case). The
key holds the import options, the schema and CACHE_VERSION (raise it when the records'
form changes); when an importer changes what it makes of the same bytes,
`importers.IMPORTERS_VERSION` is raised and the records of files not read as JSON Lines
are dropped (the JSON Lines reader's own changes raise CACHE_VERSION). Like Whoosh's
own files it is a pickle: the index folder must be writable only by those trusted to
run code as rocksearch.

Each file's record is kept packed (`_Packed`: lists of ids and hashes, the line numbers
and digests as arrays and bytes), not as an object per article: at 100k articles the
objects took 0.5 s to unpickle and 0.5 s to pickle on every run, the packed lists a
tenth of that, and an unchanged file's record is kept as it was read.
"""

from __future__ import annotations

import os
import pickle
import re
import time
from array import array
from collections.abc import Callable, Iterator
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np
import xxhash

from indexer.article import Article, Known, KnownRun, SourceError, Unpublished
from indexer.file_blocks import Blocks
from indexer.importers import IMPORTERS_VERSION, ImportOptions
from indexer.importers.jsonl import Unchanged
from indexer.schema import SCHEMA_VERSION

CACHE_FILE = "reads.cache"
CACHE_VERSION = 9  # 5: packed records; 6: each a tuple; 7: XXH3 digests; 8: spans, blocks;
# 9: ids and hashes each one string (a record of 8 is read as it is)
RACY_SECONDS = 2.0
DIGEST_BYTES = 16
MADE_ID = re.compile(r"-[0-9a-f]{8}\n")  # how article.make_id ends an id


def _made_ids(ids: list[str]) -> bool:
    """Whether any of `ids` may have been made from its file and line (make_id), not
    given by the post (an id merely looking made counts too)."""
    return MADE_ID.search("\n".join(ids) + "\n") is not None


# Versions whose records this one reads as they are (7's lack spans and block digests:
# its files' lines are looked up one by one, as 7 did, and recorded anew), so that the
# first run after an upgrade does not parse every line again (8 s at 100k posts).
READS_VERSIONS = (7, 8, CACHE_VERSION)


def _key(options: ImportOptions, version: int = CACHE_VERSION) -> str:
    origins = sorted((k, tuple(sorted(v.items()))) for k, v in options.origins.items())
    return repr((version, SCHEMA_VERSION, sorted(options.post_types), origins))


def _digest(raw) -> bytes:
    # XXH3, 128 bits: 0.055 s for the lines of a 100k-post file, against 0.24 s for
    # SHA-256 (hashed in hardware here) and 0.77 s for BLAKE2b. Not a cryptographic
    # hash, and it need not be: the one who could make two lines collide is the one who
    # writes the corpus, who can put anything in the index anyway.
    return xxhash.xxh3_128_digest(raw)


class _Packed:
    """One file's record: its size, modification time and when it was recorded, and its
    items in order (`kinds`: K for an article, E for a problem), each article as its id,
    hash, line (-1: its source is in `sources`), notes and, for a JSON Lines file, the
    digest of its line's bytes and where they are (`spans`: start and end, int64 pairs),
    with the file's block digests (`blocks`)."""

    __slots__ = ("size", "mtime_ns", "recorded_at", "kinds", "ids", "hashes", "lines",
                 "digests", "sources", "notes", "errors", "spans", "blocks")  # fmt: skip

    def __init__(self, name: str, stat: os.stat_result | None, items: list,
                 digests: dict[int, bytes], spans: dict[int, tuple[int, int]] | None = None,
                 blocks: Blocks | None = None) -> None:  # fmt: skip
        self.size = stat.st_size if stat else -1
        self.mtime_ns = stat.st_mtime_ns if stat else -1
        self.recorded_at = time.time()
        kinds = bytearray()
        self.ids, self.hashes, self.errors = [], [], []
        self.sources: dict[int, dict] = {}
        self.notes: dict[int, tuple] = {}
        lines, found, placed = array("q"), [], array("q")
        ids, hashes, no_digest, where = self.ids, self.hashes, b"", (spans or {}).get
        for item in items:  # (one pass, no call per item: 100k of them at a time)
            if item.__class__ is SourceError:
                kinds.append(69)  # E
                self.errors.append(item)
                continue
            kinds.append(75)  # K
            source = item.source
            line = source.get("line")
            if line.__class__ is int and len(source) == 2 and source.get("file") == name:
                lines.append(line)
                found.append(digests.get(line, no_digest))
                placed.extend(where(line, (-1, -1)))
            else:
                lines.append(-1)
                self.sources[len(ids)] = source
                found.append(no_digest)
                placed.extend((-1, -1))
            if item.notes:
                self.notes[len(ids)] = item.notes
            ids.append(item.id)
            hashes.append(item.hash)
        self.kinds = bytes(kinds)
        self.lines = lines.tobytes()
        # Digests only when every article has one (a JSON Lines file): else none.
        whole = all(len(d) == DIGEST_BYTES for d in found)
        self.digests = b"".join(found) if whole and found else b""
        self.spans = placed.tobytes() if whole and -1 not in placed else b""
        self.blocks = blocks

    # Pickled as one flat tuple, empty containers as None: a site of one file a post
    # keeps a record a file, and 20,000 of them took 0.24 s to pickle slot by slot. The
    # ids and hashes are each one string (`_joined`): at 100k posts, as lists they took
    # 0.06 s to pickle and 0.02 s to unpickle of every one-post update, joined and split
    # 0.004 s and 0.012 s.
    def __getstate__(self) -> tuple:
        return (self.size, self.mtime_ns, self.recorded_at, self.kinds, _joined(self.ids),
                _joined(self.hashes), self.lines, self.digests, self.sources or None,
                self.notes or None, self.errors or None, self.spans or None,
                self.blocks)  # fmt: skip

    def __setstate__(self, state: tuple) -> None:
        if len(state) == 11:  # (version 7's: no spans, no block digests)
            state = (*state, None, None)
        (self.size, self.mtime_ns, self.recorded_at, self.kinds, ids, hashes,
         self.lines, self.digests, sources, notes, errors, spans, self.blocks) = state  # fmt: skip
        self.ids, self.hashes = _split(ids), _split(hashes)
        self.sources, self.notes, self.errors = sources or {}, notes or {}, errors or []
        self.spans = spans or b""

    def known(self, name: str, n: int, line: int) -> Known:
        """Article number `n`, found at `line` by its digest (by_line)."""
        return Known(self.ids[n], self.hashes[n], {"file": name, "line": line},
                     self.notes.get(n, ()))  # fmt: skip

    def items(self, name: str) -> list:
        lines = array("q")
        lines.frombytes(self.lines)
        if not self.errors and not self.notes and not self.sources and self.ids:
            # Every article on a line of its own, none with a note: one run, as columns
            # (at 100k posts, 100,000 Known objects took 0.2 s of a run that changed nothing).
            return [KnownRun(name, self.ids, self.hashes, lines.tolist())]
        notes, sources = self.notes.get, self.sources
        rows = enumerate(zip(self.ids, self.hashes, lines, strict=True))
        known = [Known(i, h, sources[n] if line < 0 else {"file": name, "line": line},
                       notes(n, ())) for n, (i, h, line) in rows]  # fmt: skip
        if not self.errors:
            return known
        out, errors, articles = [], iter(self.errors), iter(known)
        for kind in self.kinds:
            out.append(next(errors) if kind == 69 else next(articles))  # E or K
        return out

    def by_line(self, first: int = 0, last: int | None = None) -> tuple[dict[bytes, int], array]:
        """(digest -> article number, each article's line), for a JSON Lines file: a line
        is known when its digest is there with the same line number (two lines with the
        same bytes keep the last one's number: the other is read again, as is a line
        that moved). Only articles `first` to `last` are looked up."""
        lines = array("q")
        if not self.digests:
            return {}, lines
        lines.frombytes(self.lines)
        last = len(lines) if last is None else last
        size, digests = DIGEST_BYTES, self.digests
        chunks = [digests[i * size : (i + 1) * size] for i in range(first, last)]
        return dict(zip(chunks, range(first, last), strict=True)), lines

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(lines, starts, ends) of the articles, for a JSON Lines file recorded with
        spans, no article placed otherwise and no item with no line; else None."""
        if not self.spans or self.blocks is None or self.sources:
            return None
        if any(e.line is None for e in self.errors):
            return None
        spans = np.frombuffer(self.spans, dtype=np.int64).reshape(-1, 2)
        return np.frombuffer(self.lines, dtype=np.int64), spans[:, 0], spans[:, 1]

    def part(self, name: str, first: int, last: int, shift: int, lines: range) -> list:
        """The items of articles `first` to `last` and of the problems on `lines` (as
        recorded), each numbered `shift` lines further on."""
        numbers = (np.frombuffer(self.lines, dtype=np.int64)[first:last] + shift).tolist()
        ids, hashes = self.ids[first:last], self.hashes[first:last]
        errors = [SourceError(name, e.line + shift, e.message) for e in self.errors
                  if e.line in lines]  # fmt: skip
        noted = any(first <= n < last for n in self.notes)
        if not noted and not errors:
            return KnownRun(name, ids, hashes, numbers)
        notes = self.notes.get
        rows = zip(range(first, last), ids, hashes, numbers, strict=True)
        known = [Known(i, h, {"file": name, "line": line}, notes(n, ()))
                 for n, i, h, line in rows]  # fmt: skip
        if not errors:
            return known
        return sorted(known + errors, key=lambda item: item.line)

    @classmethod
    def joined(cls, old: _Packed, reuse: _Reuse, middle: _Packed, blocks: Blocks,
               stat: os.stat_result) -> _Packed:  # fmt: skip
        """A file's new record: `old`'s articles before `reuse.head` and from
        `reuse.tail` on (moved `reuse.lines` lines and `reuse.bytes` bytes), with the
        record of the lines read between them."""
        h, t = reuse.head, reuse.tail
        new = cls.__new__(cls)
        new.size, new.mtime_ns, new.recorded_at = stat.st_size, stat.st_mtime_ns, time.time()
        new.kinds = reuse.head_kinds + middle.kinds + reuse.tail_kinds
        new.ids = old.ids[:h] + middle.ids + old.ids[t:]
        new.hashes = old.hashes[:h] + middle.hashes + old.hashes[t:]
        lines = np.frombuffer(old.lines, dtype=np.int64)
        new.lines = b"".join((lines[:h].tobytes(), middle.lines,
                              (lines[t:] + reuse.lines).tobytes()))  # fmt: skip
        size = DIGEST_BYTES
        new.digests = old.digests[: h * size] + middle.digests + old.digests[t * size :]
        spans = np.frombuffer(old.spans, dtype=np.int64)
        new.spans = b"".join((spans[: 2 * h].tobytes(), middle.spans,
                              (spans[2 * t :] + reuse.bytes).tobytes()))  # fmt: skip
        count = len(new.ids)
        if len(new.digests) != count * size or len(new.spans) != count * 16:
            new.digests = new.spans = b""  # (a line read between had none: not reused)
        new.sources = {}
        here = h + len(middle.ids)
        new.notes = {n: v for n, v in old.notes.items() if n < h}
        new.notes.update({h + n: v for n, v in middle.notes.items()})
        new.notes.update({here + n - t: v for n, v in old.notes.items() if n >= t})
        new.errors = reuse.head_errors + middle.errors + reuse.tail_errors
        new.blocks = blocks
        return new


def _joined(strings: list[str]) -> tuple[str, int] | list[str]:
    """`strings` as one string and their count, if none has a line break (else as
    they are: an id may have one)."""
    text = "\n".join(strings)
    return (text, len(strings)) if text.count("\n") == len(strings) - 1 else strings


def _split(kept: tuple[str, int] | list[str]) -> list[str]:
    if isinstance(kept, list):  # (as version 8 and before kept them, or with line breaks)
        return kept
    text, count = kept
    return text.split("\n") if count else []


class _Reuse(NamedTuple):
    """What `_KnownLines.unchanged` took from a file's old record: its articles before
    `head` and from `tail` on, the count of items each part gave, and how far the tail
    moved."""

    head: int
    tail: int
    head_items: int
    tail_items: int
    head_kinds: bytes
    tail_kinds: bytes
    head_errors: list
    tail_errors: list
    lines: int
    bytes: int
    packed: _Packed  # the record the parts were taken from (another file's, if renamed)


def _kinds(items: list) -> bytes:
    if items.__class__ is KnownRun:  # (articles only, by definition)
        return b"K" * len(items)
    return bytes(69 if item.__class__ is SourceError else 75 for item in items)


def _errors(items: list) -> list[SourceError]:
    if items.__class__ is KnownRun:
        return []
    return [item for item in items if item.__class__ is SourceError]


class _KnownLines:
    """The JSON Lines reader's view of one file's old record (jsonl.KnownLines)."""

    def __init__(self, cache: ReadCache, name: str) -> None:
        self.cache, self.name = cache, name
        self.packed = cache.old.get(name)
        self.digests = cache._digests.setdefault(name, {})
        self.spans = cache._spans.setdefault(name, {})
        self.index: dict[bytes, int] = {}
        self.lines = array("q")

    def unchanged(self, blocks: Blocks, read: Callable[[int, int], bytes]) -> Unchanged:
        self.cache._blocks[self.name] = blocks
        self.cache._reuse.pop(self.name, None)  # (from an earlier try, if the file changed)
        if self.packed is None:
            self.packed = self._renamed_from(blocks)
        packed, nothing = self.packed, Unchanged([], 0, 0, blocks.size, [])
        found = packed.columns() if packed is not None else None
        if found is None:
            if packed is not None:
                self.index, self.lines = packed.by_line()
            return nothing
        lines, starts, ends = found
        count, size = len(lines), packed.blocks.size  # (the bytes read, whatever stat said)
        prefix, suffix = packed.blocks.unchanged(blocks)
        # Articles whose line ends (at its newline) inside the unchanged start, and
        # those whose line starts after the newline before it, in the unchanged end.
        h = int(np.searchsorted(ends, prefix, side="left"))
        t = max(h, int(np.searchsorted(starts, size - suffix, side="right")))
        shift = blocks.size - size
        begin = int(ends[h - 1]) + 1 if h else 0
        number = int(lines[h - 1]) if h else 0
        stop = int(starts[t]) + shift if t < count else blocks.size
        if t < count and (stop == 0 or read(stop - 1, stop) != b"\n"):
            t, stop = count, blocks.size  # (only if a line has no newline before it: a BOM)
        indexed = self.cache._all_indexed
        if not (indexed(packed, 0, h) and indexed(packed, t, count)):
            self.index, self.lines = packed.by_line()
            return nothing  # indexed otherwise than recorded: every line is looked at
        middle = read(begin, stop)  # (the lines between: all that is read of the file)
        moved = number + middle.count(b"\n") + 1 - int(lines[t]) if t < count else 0
        if moved and _made_ids(packed.ids[t:]):
            # A post with no id of its own is given one made from its line (make_id): the
            # end's lines moved, so they are read again.
            t, stop, moved = count, blocks.size, 0
            middle += read(len(middle) + begin, stop)
        # Problems (not articles) on lines inside either part come back with them.
        head = packed.part(self.name, 0, h, 0, range(1, number + 1))
        tail_lines = range(int(lines[t]), 2**62) if t < count else range(0)
        tail = packed.part(self.name, t, count, moved, tail_lines)
        head_errors, tail_errors = _errors(head), _errors(tail)
        self.cache._reuse[self.name] = _Reuse(h, t, len(head), len(tail), _kinds(head),
                                              _kinds(tail), head_errors, tail_errors,
                                              moved, shift, packed)  # fmt: skip
        self.index, self.lines = packed.by_line(h, t)
        return Unchanged(head, begin, number, stop, tail, middle)

    def _renamed_from(self, blocks: Blocks) -> _Packed | None:
        """For a file the last run did not read: the record of a file it read that is
        gone now and whose bytes this one's start or end are (a corpus file moved or
        renamed, and maybe edited: its lines need not be parsed again). Not one with a
        post of no id of its own: its id is made from the file's name (make_id)."""
        present, best, most = self.cache.present, None, 0
        for name, packed in self.cache.old.items():
            if name in present or packed.blocks is None or not packed.spans:
                continue
            prefix, suffix = packed.blocks.unchanged(blocks)
            if prefix + suffix > most and not _made_ids(packed.ids):
                best, most = packed, prefix + suffix
        return best

    def __call__(self, number: int, start: int, end: int, raw: memoryview) -> Known | None:
        digest = _digest(raw)
        self.digests[number] = digest
        self.spans[number] = (start, end)
        n = self.index.get(digest)
        if n is None or self.lines[n] != number:
            return None
        packed = self.packed
        if self.cache.manifest.get(packed.ids[n]) != packed.hashes[n]:
            return None
        return packed.known(self.name, n, number)


class ReadCache:
    """See the module docstring. `old`: name -> the record the previous run kept;
    `new`: name -> this run's, to be saved."""

    def __init__(self, options: ImportOptions, manifest: dict[str, str] | None = None):
        self.key = _key(options)
        self.manifest = manifest or {}
        self.old: dict[str, _Packed] = {}
        self.new: dict[str, _Packed] = {}
        self.read_any = False  # whether a file was read (not all known from `old`)
        self._digests: dict[str, dict[int, bytes]] = {}
        self._spans: dict[str, dict[int, tuple[int, int]]] = {}
        self._blocks: dict[str, Blocks] = {}
        self._reuse: dict[str, _Reuse] = {}
        self.present: set[str] = set()  # the names of this run's files (`expect`)
        # (path, size, modification time) of each file this run read, once read
        self.read_stats: list[tuple[str, int, int]] = []

    @classmethod
    def load(cls, folder: Path | None, options: ImportOptions, manifest: dict) -> ReadCache:
        cache = cls(options, manifest)
        if folder is None:
            return cache
        try:
            data = pickle.loads((Path(folder) / CACHE_FILE).read_bytes())
        except (OSError, EOFError, ValueError, AttributeError, ImportError, TypeError,
                pickle.PickleError):  # fmt: skip
            return cache
        keys = [_key(options, version) for version in READS_VERSIONS]
        if isinstance(data, dict) and data.get("key") in keys:
            files = data.get("files")
            if isinstance(files, dict) and all(isinstance(v, _Packed) for v in files.values()):
                if data.get("importers") != IMPORTERS_VERSION:
                    # (what an earlier importer made of a Markdown post or an export is
                    # read again; a JSON Lines file's record, its lines' digests, kept)
                    files = {name: v for name, v in files.items() if v.digests}
                cache.old = files
        return cache

    def _all_indexed(self, packed: _Packed, first: int = 0, last: int | None = None) -> bool:
        """Whether articles `first` to `last` of `packed` (all by default) are indexed
        with the hashes it recorded."""
        rows = slice(first, last)
        # (the hashes looked up by map and the lists compared in C: a generator over
        # 100,000 pairs took 0.04 s of a one-post edit)
        return list(map(self.manifest.get, packed.ids[rows])) == packed.hashes[rows]

    def whole_file(self, name: str, stat: os.stat_result) -> list | None:
        """The recorded items (Known and SourceError) of an unchanged file whose articles
        are all indexed as recorded, or None: then the file is read."""
        packed = self.old.get(name)
        if packed is None:
            return None
        if (packed.size, packed.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            return None
        if packed.mtime_ns / 1e9 > packed.recorded_at - RACY_SECONDS:
            return None
        if not self._all_indexed(packed):
            return None
        self.new[name] = packed  # kept as it was
        return packed.items(name)

    def expect(self, names: list[str]) -> None:
        """The names of the files this run reads: a file the last run read that is not
        among them may have been renamed to one that is (`_KnownLines`)."""
        self.present = set(names)

    def known_line(self, name: str) -> _KnownLines:
        """For read_file(known=…): what is known of JSON Lines file `name`."""
        return _KnownLines(self, name)

    def changed_since_read(self) -> list[str]:
        """The files this run read whose size or modification time is no longer what it
        was when they had been read (or that are gone): a writer was part-way through."""
        changed = []
        for path, size, mtime_ns in self.read_stats:
            try:
                st = os.stat(path)
            except OSError:
                changed.append(path)
                continue
            if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
                changed.append(path)
        return changed

    def record(
        self, name: str, stat: os.stat_result, items: Iterator, path: str | None = None
    ) -> Iterator[Article | Known | SourceError]:
        """Pass `items` (one file's, after the limits were applied) on, and keep them:
        each article as a Known, with the notes reported just before it for its line.
        `path`: the file's, to check before publishing that it did not change while read
        (`changed_since_read`)."""
        self.read_any = True
        kept: list = []
        unpublished = False
        for item in items:
            if item.__class__ is Unpublished:  # (its file is read again until its day)
                unpublished = True
                yield item
                continue
            if item.__class__ is KnownRun:  # (a part reused whole: see _KnownLines)
                kept.extend(repeat(None, len(item)))  # (counted: only the middle is kept)
                yield item
                continue
            entry = item
            if isinstance(item, Article):
                notes = []
                while kept and isinstance(kept[-1], SourceError) and kept[-1].line == item.line:
                    notes.insert(0, kept.pop().message)
                entry = Known(item.id, item.content_hash(), dict(item.source), tuple(notes))
            kept.append(entry)
            yield item
        if path is not None:  # (as it is once read: a JSON Lines file rewritten while
            try:  # read is read again whole, and what was read is the file then)
                now = os.stat(path)
                self.read_stats.append((path, now.st_size, now.st_mtime_ns))
            except OSError:
                pass
        digests, spans = self._digests.pop(name, {}), self._spans.pop(name, {})
        blocks, reuse = self._blocks.pop(name, None), self._reuse.pop(name, None)
        if unpublished:
            return  # (not remembered: the next run reads the file again)
        if reuse is None:
            self.new[name] = _Packed(name, stat, kept, digests, spans, blocks)
            return
        # The unchanged parts' record is the old one's: only the lines between are packed.
        middle = _Packed(name, stat, kept[reuse.head_items : len(kept) - reuse.tail_items],
                         digests, spans)  # fmt: skip
        self.new[name] = _Packed.joined(reuse.packed, reuse, middle, blocks, stat)

    def save(self, folder: Path) -> None:
        """Keep what this run read in generation `folder` (a temporary name, a rename: a
        published generation's file is replaced, never changed in place; only the
        indexer reads it, under the index's write lock)."""
        path = Path(folder) / CACHE_FILE
        tmp = path.with_suffix(".tmp")
        data = {"key": self.key, "importers": IMPORTERS_VERSION, "files": self.new}
        with open(tmp, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
