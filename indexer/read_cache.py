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
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article, Known, SourceError
from indexer.importers import ImportOptions
from indexer.schema import SCHEMA_VERSION

CACHE_FILE = "reads.cache"
CACHE_VERSION = 4
RACY_SECONDS = 2.0


def _key(options: ImportOptions) -> str:
    origins = sorted((k, tuple(sorted(v.items()))) for k, v in options.origins.items())
    return repr((CACHE_VERSION, SCHEMA_VERSION, sorted(options.post_types), origins))


def _digest(raw: bytes) -> bytes:
    # SHA-256, cut to 16 bytes: the processors this runs on hash it in hardware, twice
    # as fast as BLAKE2b here (0.34 s against 0.77 s for the lines of a 100k-post file).
    return hashlib.sha256(raw).digest()[:16]


class ReadCache:
    """See the module docstring. `files`: name -> (size, mtime_ns, recorded at, items);
    `lines`: name -> {(line number, digest of its bytes): Known}."""

    def __init__(self, options: ImportOptions, manifest: dict[str, str] | None = None):
        self.key = _key(options)
        self.manifest = manifest or {}
        self.old_files: dict[str, tuple] = {}
        self.old_lines: dict[str, dict[tuple[int, bytes], Known]] = {}
        self.files: dict[str, tuple] = {}
        self.lines: dict[str, dict[tuple[int, bytes], Known]] = {}
        self._digests: dict[tuple[str, int], bytes] = {}

    @classmethod
    def load(cls, folder: Path | None, options: ImportOptions, manifest: dict) -> ReadCache:
        cache = cls(options, manifest)
        if folder is None:
            return cache
        try:
            data = pickle.loads((Path(folder) / CACHE_FILE).read_bytes())
        except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.PickleError):
            return cache
        if isinstance(data, dict) and data.get("key") == cache.key:
            cache.old_files, cache.old_lines = data["files"], data["lines"]
        return cache

    def _indexed(self, known: Known) -> bool:
        return self.manifest.get(known.id) == known.hash

    def whole_file(self, name: str, stat: os.stat_result) -> list | None:
        """The recorded items (Known and SourceError) of an unchanged file whose articles
        are all indexed as recorded, or None: then the file is read."""
        entry = self.old_files.get(name)
        if entry is None:
            return None
        size, mtime_ns, recorded_at, items = entry
        if (size, mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            return None
        if mtime_ns / 1e9 > recorded_at - RACY_SECONDS:
            return None
        if not all(self._indexed(i) for i in items if isinstance(i, Known)):
            return None
        self.files[name] = entry
        if name in self.old_lines:
            self.lines[name] = self.old_lines[name]
        return items

    def known_line(self, name: str):
        """For read_file(known=…): the line-level lookup of file `name`."""
        old = self.old_lines.get(name, {})

        def known(number: int, raw: bytes) -> Known | None:
            digest = _digest(raw)
            self._digests[(name, number)] = digest
            found = old.get((number, digest))
            if found is None or not self._indexed(found):
                return None
            return found

        return known

    def record(
        self, name: str, stat: os.stat_result, items: Iterator
    ) -> Iterator[Article | Known | SourceError]:
        """Pass `items` (one file's, after the limits were applied) on, and keep them:
        each article as a Known, with the notes reported just before it for its line."""
        kept: list = []
        lines: dict[tuple[int, bytes], Known] = {}
        for item in items:
            entry = item
            if isinstance(item, Article):
                notes = []
                while kept and isinstance(kept[-1], SourceError) and kept[-1].line == item.line:
                    notes.insert(0, kept.pop().message)
                entry = Known(item.id, item.content_hash(), dict(item.source), tuple(notes))
            kept.append(entry)
            if isinstance(entry, Known) and entry.line is not None:
                digest = self._digests.pop((name, entry.line), None)
                if digest is not None:
                    lines[(entry.line, digest)] = entry
            yield item
        self._digests.clear()
        self.files[name] = (stat.st_size, stat.st_mtime_ns, time.time(), kept)
        if lines:
            self.lines[name] = lines

    def save(self, folder: Path) -> None:
        """Keep what this run read in generation `folder` (a temporary name, a rename)."""
        path = Path(folder) / CACHE_FILE
        tmp = path.with_suffix(".tmp")
        data = {"key": self.key, "files": self.files, "lines": self.lines}
        with open(tmp, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
