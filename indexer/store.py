"""The index directory: immutable generations published by an atomic pointer.

Takes an index directory; gives the current generation to read (`open_current`), a
new generation to write (`new_generation`), and `publish` to make it current.

    INDEX_DIR/CURRENT       the name of the current generation, e.g. "gen-000007"
    INDEX_DIR/LOCK          held (flock) by the one process that writes
    INDEX_DIR/gen-000007/   a complete Whoosh index plus rocksearch.json (schema version,
                            corpus, build time), manifest.json (id -> content hash of
                            every article) and places.pickle (where each was read)

A writer never touches a published generation. An update hard-links the current
generation's files into a new one (Whoosh never rewrites a segment file; it writes new
files and a new table of contents), changes it there, syncs every file to disk (Whoosh
itself never calls fsync), and only then replaces CURRENT with an atomic rename. So a
process killed at any moment, SIGKILL included, leaves CURRENT pointing at a complete
index, and the next run starts again from it. The lock is an flock: the kernel releases
it when its process dies.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import gc
import json
import os
import shutil
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import orjson
from whoosh import index as whoosh_index

from indexer.mapped_files import install as map_segment_files
from indexer.places import FILE as PLACES_FILE
from indexer.places import Places
from indexer.schema import SCHEMA_VERSION
from indexer.spool import PREFIX as SPOOL_PREFIX
from indexer.write_refusals import reason

# Every index this process opens reads its segment files in place (see the module).
map_segment_files()

META_FILE = "rocksearch.json"
MANIFEST_FILE = "manifest.json"
# Written anew for each generation at publish (never hard-linked from the previous one).
PUBLISHED_FILES = (META_FILE, MANIFEST_FILE, PLACES_FILE)
GEN_PREFIX = "gen-"


class IndexProblem(Exception):
    """Base for index problems that have a one-sentence explanation."""


class IndexMissing(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    pass


class SchemaMismatch(IndexProblem):
    pass


class IndexBusy(IndexProblem):
    pass


class CorpusChanged(IndexProblem):
    """Corpus file `path` changed while the indexer read it (being written?), and the
    run would delete posts: what was read may be part of it, so nothing was published.
    `what` says so; the message adds what to do after a single run (`--watch` says its
    own)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.what = (f"{path} changed while it was read (still being written?) and posts "
                     "would be deleted; nothing was published")  # fmt: skip
        super().__init__(f"{self.what}: run `rocksearch index` again.")


@dataclass
class Changes:
    """What the indexer changed to make a generation from generation `since`: the ids
    of the articles it indexed (added or changed) and of those it took out (deleted or
    changed). Lets the steps after it skip comparing 100,000 hashes to find them."""

    since: str
    indexed: list[str]
    removed: list[str]


@dataclass
class Generation:
    """One generation: its folder and its metadata (rocksearch.json, read on open); the
    manifest and the places are read when first asked for (a search needs only a few
    places, and parsing 100k of each took a cold search 0.3 s). `changes`: what made it
    from the one before, when the indexer that wrote it says so."""

    path: Path
    meta: dict
    _manifest: dict[str, str] | None = None
    _places: Places | None = None
    changes: Changes | None = None

    def open(self):
        return whoosh_index.open_dir(str(self.path))

    @property
    def manifest(self) -> dict[str, str]:
        """id -> content hash of every article of the generation. Raises IndexDamaged if
        it cannot be read: without it every article would look new to the indexer, and
        be added beside its indexed copy."""
        if self._manifest is None:
            found = self.meta.get("manifest")  # where generations before 0.8 kept it
            if found is None:
                try:
                    found = orjson.loads((self.path / MANIFEST_FILE).read_bytes())
                except (OSError, ValueError) as exc:  # (orjson.JSONDecodeError is one)
                    reason = f"{type(exc).__name__}: {exc}"
                else:
                    reason = None if isinstance(found, dict) else "not an object"
                if reason is not None:
                    raise IndexDamaged(
                        f"The index at {self.path.parent} cannot be opened (its manifest, "
                        f"{MANIFEST_FILE}: {reason}); rebuild it from the corpus with "
                        f"`rocksearch index --rebuild`."
                    )
            self._manifest = found
        return self._manifest

    @property
    def places(self) -> Places:
        """Where each article was read by the run that wrote the generation."""
        if self._places is None:
            old = self.meta.get("sources")  # where generations before 0.8 kept them
            found = Places.of(old) if old is not None else Places.load(self.path)
            self._places = found if found is not None else Places.of({})
        return self._places


def fsync_path(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_identity(path: Path) -> tuple | None:
    """What tells a file from its replacement (device, inode, size, modification time);
    None if there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def copy_identity(path: Path) -> tuple | None:
    """What tells a generation's file from its replacement and survives a copy that
    keeps modification times (a replica's: shutil.copy2, rsync -a): size and
    modification time. None if there is no file."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


@functools.cache
def resolved(path: Path) -> Path:
    """`path` resolved, once per process for each path as given: the index folder and
    the editors' database are looked up on every search (resolving them twice a request
    was a tenth of the API's own time)."""
    return path.resolve()


def read_pointer(index_dir: Path) -> str | None:
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except NotADirectoryError:  # (--index names a file, or a folder under one)
        raise IndexNotAFolder(index_dir) from None
    return name or None


class IndexNotWritten(IndexProblem):
    """The disk refused a write of `rocksearch index` (full, read-only, not allowed).
    Generations are written beside the current one and published last, so nothing was
    published: readers see the index as it was. `what` says so; the message adds what
    to do after a single run (`--watch` says its own)."""

    def __init__(self, index_dir: Path, exc: OSError):
        self.what = (f"Could not write the index in {index_dir}: {reason(exc)}. Nothing "
                     "was published: the index is as it was before this run.")  # fmt: skip
        super().__init__(f"{self.what} Free some space (or allow the write) and run it again.")


class IndexNotAFolder(IndexProblem):
    """The index path, or a folder above it, is a file."""

    def __init__(self, index_dir: Path):
        super().__init__(f"The index {index_dir} cannot be a folder: it, or a folder "
                         "above it, is a file. Pass --index with a folder (or set "
                         "ROCKSEARCH_INDEX).")  # fmt: skip


def _read_generation(path: Path) -> tuple[dict, str | None]:
    """The generation's metadata, and why it cannot be read (None when it can)."""
    # Whoosh leaves the files of a reader it failed to open to be closed when the
    # traceback goes; that is expected here, so it is not worth a ResourceWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
            with whoosh_index.open_dir(str(path)).reader() as reader:
                reader.doc_count()
            return meta, None
        except Exception as exc:  # any failure to read it means the same thing to a user
            reason = f"{type(exc).__name__}: {exc}"
        gc.collect()
    return {}, reason


def open_current(index_dir: str | Path, check_schema: bool = True) -> Generation:
    """The published generation, checked; raises IndexMissing, IndexDamaged or SchemaMismatch."""
    index_dir = Path(index_dir)
    name = read_pointer(index_dir)
    if name is None:
        raise IndexMissing(
            f"There is no index at {index_dir.absolute()}: build one with `rocksearch index`."
        )
    path = index_dir / name
    meta, reason = _read_generation(path)
    if reason is not None:
        raise IndexDamaged(
            f"The index at {index_dir} cannot be opened ({reason}); "
            f"rebuild it from the corpus with `rocksearch index --rebuild`."
        )
    if check_schema and meta.get("schema_version") != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"The index at {index_dir} was built with schema version "
            f"{meta.get('schema_version')}, and this rocksearch reads version {SCHEMA_VERSION}: "
            f"rebuild it with `rocksearch index --rebuild`."
        )
    return Generation(path, meta)


class WriteLock:
    """An exclusive, non-blocking flock on INDEX_DIR/LOCK, released on exit or death."""

    def __init__(self, index_dir: Path):
        self.path = index_dir / "LOCK"
        self.fd: int | None = None

    def __enter__(self) -> WriteLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # (a file where a folder must be)
            raise IndexNotAFolder(self.path.parent) from None
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self.fd)
            self.fd = None
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise IndexBusy(
                    f"Another `rocksearch index` is writing {self.path.parent}; "
                    f"wait for it to finish."
                ) from None
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def generation_names(index_dir: Path) -> list[str]:
    if not index_dir.is_dir():
        return []
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(GEN_PREFIX))


def new_generation(index_dir: Path, base: Path | None) -> Path:
    """A fresh generation directory, holding hard links to `base`'s files if given."""
    names = generation_names(index_dir)
    number = int(names[-1][len(GEN_PREFIX) :]) + 1 if names else 1
    path = index_dir / f"{GEN_PREFIX}{number:06d}"
    path.mkdir(parents=True)
    if base is not None:
        for item in base.iterdir():
            if item.name in PUBLISHED_FILES or "LOCK" in item.name or item.suffix == ".tmp":
                continue
            os.link(item, path / item.name)
    return path


def publish(index_dir: Path, generation: Generation) -> None:
    """Write the generation's metadata, manifest and places, sync it all to disk, then
    point CURRENT at it (atomic rename)."""
    path = generation.path
    _write_bytes(path / MANIFEST_FILE, orjson.dumps(generation.manifest))
    generation.places.save(path)
    meta = {k: v for k, v in generation.meta.items() if k not in ("manifest", "sources")}
    _write_text(path / META_FILE, json.dumps(meta, ensure_ascii=False))
    for item in path.iterdir():
        if item.is_file():
            fsync_path(item)
    fsync_path(path, directory=True)
    point_current(index_dir, path.name)


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def point_current(index_dir: Path, name: str) -> None:
    """Make generation `name` current: CURRENT written beside, synced, renamed over (an
    atomic switch for every reader), and the folder synced."""
    pointer_tmp = index_dir / "CURRENT.tmp"
    with open(pointer_tmp, "w", encoding="utf-8") as f:
        f.write(name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer_tmp, index_dir / "CURRENT")
    fsync_path(index_dir, directory=True)


RETAIN_SECONDS = 120


def collect_garbage(index_dir: Path) -> None:
    """Remove what killed runs left (unpublished generations, document spools) and
    superseded generations.

    A superseded generation stays for RETAIN_SECONDS after its successor appeared (and
    the one before the current always stays), so that servers still searching it, while
    they warm up the new one, can finish.
    """
    current = read_pointer(index_dir)
    names = generation_names(index_dir)
    if current not in names:
        keep = set()
    else:
        older = [n for n in names if n < current]
        keep = {current} | ({older[-1]} if older else set())
        now = time.time()
        successors = [*older[1:], current] if older else []
        for name, successor in zip(older, successors, strict=True):
            try:
                superseded = (index_dir / successor / META_FILE).stat().st_mtime
            except OSError:
                continue
            if now - superseded < RETAIN_SECONDS:
                keep.add(name)
    for name in names:  # the caller holds the write lock: nothing else is being written
        if name not in keep:
            shutil.rmtree(index_dir / name, ignore_errors=True)
    for spool in index_dir.glob(SPOOL_PREFIX + "*"):  # (a run's own is gone by its end)
        shutil.rmtree(spool, ignore_errors=True)
