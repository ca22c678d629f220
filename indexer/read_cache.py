"""What the last run read from each corpus file, so that the next run reads only what
changed.

Takes the previous generation's folder and its manifest (`ReadCache.load`); gives a
cache that `indexer.sources.read_corpus` asks before reading and tells what it read,
and that `save` keeps in the new generation as `reads.cache`. Two levels:

* a whole file whose name, size and modification time are as recorded is not opened:
  its articles come back as `Known` items (id, content hash, the notes they were read
  with) and its problems as they were reported;
* in a JSON Lines file that changed (a JSONL corpus is often one file, rewritten
  whenever one post changes), a line whose number and bytes are as recorded is not
  parsed.

Either is used only while the article is indexed with the recorded hash, so the cache
can never put into the index what the files do not say: at worst it is not used. A
file modified within two seconds of being recorded is read again the next time (its
time stamp may not have ticked over a later change: git's "racily clean" case). The
key holds the import options, the schema and CACHE_VERSION (raise it when an importer
changes what it makes of the same bytes). Like Whoosh's own files it is a pickle: the
index folder must be writable only by those trusted to run code as rocksearch.

Each file's record is kept packed (`_Packed`: lists of ids and hashes, the line numbers
and digests as arrays and bytes), not as an object per article: at 100k articles the
objects took 0.5 s to unpickle and 0.5 s to pickle on every run, the packed lists a
tenth of that, and an unchanged file's record is kept as it was read.
"""

from __future__ import annotations

import os
import pickle
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

import xxhash

from indexer.article import Article, Known, SourceError
from indexer.importers import ImportOptions
from indexer.schema import SCHEMA_VERSION

CACHE_FILE = "reads.cache"
CACHE_VERSION = 7  # 5: packed records; 6: each pickled as a tuple; 7: XXH3 digests
RACY_SECONDS = 2.0
DIGEST_BYTES = 16


def _key(options: ImportOptions) -> str:
    origins = sorted((k, tuple(sorted(v.items()))) for k, v in options.origins.items())
    return repr((CACHE_VERSION, SCHEMA_VERSION, sorted(options.post_types), origins))


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
    digest of its line's bytes."""

    __slots__ = ("size", "mtime_ns", "recorded_at", "kinds", "ids", "hashes", "lines",
                 "digests", "sources", "notes", "errors")  # fmt: skip

    def __init__(self, name: str, stat: os.stat_result | None, items: list,
                 digests: dict[int, bytes]) -> None:  # fmt: skip
        self.size = stat.st_size if stat else -1
        self.mtime_ns = stat.st_mtime_ns if stat else -1
        self.recorded_at = time.time()
        kinds = bytearray()
        self.ids, self.hashes, self.errors = [], [], []
        self.sources: dict[int, dict] = {}
        self.notes: dict[int, tuple] = {}
        lines, found = array("q"), []
        ids, hashes, no_digest = self.ids, self.hashes, b""
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
            else:
                lines.append(-1)
                self.sources[len(ids)] = source
                found.append(no_digest)
            if item.notes:
                self.notes[len(ids)] = item.notes
            ids.append(item.id)
            hashes.append(item.hash)
        self.kinds = bytes(kinds)
        self.lines = lines.tobytes()
        # Digests only when every article has one (a JSON Lines file): else none.
        whole = all(len(d) == DIGEST_BYTES for d in found)
        self.digests = b"".join(found) if whole and found else b""

    # Pickled as one flat tuple, empty containers as None: a site of one file a post
    # keeps a record a file, and 20,000 of them took 0.24 s to pickle slot by slot.
    def __getstate__(self) -> tuple:
        return (self.size, self.mtime_ns, self.recorded_at, self.kinds, self.ids,
                self.hashes, self.lines, self.digests, self.sources or None,
                self.notes or None, self.errors or None)  # fmt: skip

    def __setstate__(self, state: tuple) -> None:
        (self.size, self.mtime_ns, self.recorded_at, self.kinds, self.ids, self.hashes,
         self.lines, self.digests, sources, notes, errors) = state  # fmt: skip
        self.sources, self.notes, self.errors = sources or {}, notes or {}, errors or []

    def known(self, name: str, n: int, line: int) -> Known:
        """Article number `n`, found at `line` by its digest (by_line)."""
        return Known(self.ids[n], self.hashes[n], {"file": name, "line": line},
                     self.notes.get(n, ()))  # fmt: skip

    def items(self, name: str) -> list:
        lines = array("q")
        lines.frombytes(self.lines)
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

    def by_line(self) -> tuple[dict[bytes, int], array]:
        """(digest -> article number, each article's line), for a JSON Lines file: a line
        is known when its digest is there with the same line number (two lines with the
        same bytes keep the last one's number: the other is read again, as is a line
        that moved)."""
        lines = array("q")
        if not self.digests:
            return {}, lines
        lines.frombytes(self.lines)
        size, digests = DIGEST_BYTES, self.digests
        chunks = [digests[i : i + size] for i in range(0, len(digests), size)]
        return dict(zip(chunks, range(len(chunks)), strict=True)), lines


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
        if isinstance(data, dict) and data.get("key") == cache.key:
            files = data.get("files")
            if isinstance(files, dict) and all(isinstance(v, _Packed) for v in files.values()):
                cache.old = files
        return cache

    def _all_indexed(self, packed: _Packed) -> bool:
        get = self.manifest.get
        return all(get(i) == h for i, h in zip(packed.ids, packed.hashes, strict=True))

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

    def known_line(self, name: str):
        """For read_file(known=…): the line-level lookup of file `name`."""
        packed = self.old.get(name)
        index, lines = packed.by_line() if packed is not None else ({}, array("q"))
        digests = self._digests.setdefault(name, {})

        def known(number: int, raw) -> Known | None:
            digest = _digest(raw)
            digests[number] = digest
            n = index.get(digest)
            if n is None or lines[n] != number:
                return None
            if self.manifest.get(packed.ids[n]) != packed.hashes[n]:
                return None
            return packed.known(name, n, number)

        return known

    def record(
        self, name: str, stat: os.stat_result, items: Iterator
    ) -> Iterator[Article | Known | SourceError]:
        """Pass `items` (one file's, after the limits were applied) on, and keep them:
        each article as a Known, with the notes reported just before it for its line."""
        self.read_any = True
        kept: list = []
        for item in items:
            entry = item
            if isinstance(item, Article):
                notes = []
                while kept and isinstance(kept[-1], SourceError) and kept[-1].line == item.line:
                    notes.insert(0, kept.pop().message)
                entry = Known(item.id, item.content_hash(), dict(item.source), tuple(notes))
            kept.append(entry)
            yield item
        self.new[name] = _Packed(name, stat, kept, self._digests.pop(name, {}))

    def save(self, folder: Path) -> None:
        """Keep what this run read in generation `folder` (a temporary name, a rename: a
        published generation's file is replaced, never changed in place; only the
        indexer reads it, under the index's write lock)."""
        path = Path(folder) / CACHE_FILE
        tmp = path.with_suffix(".tmp")
        data = {"key": self.key, "files": self.new}
        with open(tmp, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
