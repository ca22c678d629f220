"""Building and updating the index from the corpus.

Takes a corpus path and an index directory (`build_index`); gives a `Summary` of what
changed. Incremental: articles are compared by content hash with the manifest of the
current generation, so an unchanged article is not analysed again, a changed one is
replaced and a removed one deleted. Every write goes to a new generation that is
published only when complete (see `indexer.store`); `rebuild=True` starts it empty.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from indexer import positions
from indexer.analysis import learn_saved_stems
from indexer.article import Known, KnownRun, SourceError
from indexer.importers import ImportOptions
from indexer.places import Places
from indexer.read_cache import ReadCache
from indexer.schema import SCHEMA_VERSION, make_schema, to_document
from indexer.sources import read_corpus
from indexer.spool import DocumentSpool
from indexer.store import (
    Changes,
    CorpusChanged,
    Generation,
    IndexDamaged,
    IndexMissing,
    IndexNotWritten,
    IndexProblem,
    SchemaMismatch,
    WriteLock,
    collect_garbage,
    new_generation,
    open_current,
    publish,
)
from indexer.write_refusals import refused
from indexer.writer import add_missing_files, write_documents, writers

Progress = Callable[[int, int], None]

# What a generation's metadata says of its segments' own files beside the positions
# file's version: 1, every segment has its stored-fields file (indexer/stored_copies.py)
# and a positions file of the words in 0.1% of its posts. An update of a generation
# without the mark checks every segment once (and writes what it lacks), not only those
# its commit made.
SEGMENT_FILES = 1


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: int = 0
    reused: int = 0  # articles known from the last run's reads, not read again
    seconds: float = 0.0
    documents: int = 0
    rebuilt: bool = False
    generation: str | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[SourceError] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [p.to_dict() for p in self.problems]
        return data

    def line(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.deleted} deleted, {self.errors} errors in {self.seconds:.2f} s "
            f"({self.documents} articles in the index)"
        )


@dataclass
class Loaded:
    """What load_corpus read: `hashes`, id -> content hash of every article (the new
    generation's manifest), and `placed`, where each was read, in the order read: (id,
    source) for an article met alone, a KnownRun for a run of them (kept as its columns:
    see Places.of_placed)."""

    hashes: dict[str, str] = field(default_factory=dict)
    placed: list[tuple[str, dict] | KnownRun] = field(default_factory=list)


def load_corpus(
    corpus: str | Path,
    summary: Summary,
    options: ImportOptions | None = None,
    cache: ReadCache | None = None,
    spool: DocumentSpool | None = None,
    manifest: dict[str, str] | None = None,
) -> Loaded:
    """The corpus's articles' hashes and places; problems go to the summary. What
    `cache` knows to be indexed already comes as a `Known` or a `KnownRun` (ids and
    hashes only). With a `spool`, an article whose hash is not the one in `manifest`
    goes to the spool as its Whoosh document: no article is held in memory."""
    loaded = Loaded()
    hashes, placed = loaded.hashes, loaded.placed
    reused = 0
    for item in read_corpus(corpus, options, cache):
        if item.__class__ is KnownRun:  # (at 100k posts, one edited: nearly all of them)
            hashes.update(zip(item.ids, item.hashes, strict=True))
            placed.append(item)
            reused += len(item)
        elif item.__class__ is Known:
            hashes[item.id] = item.hash
            placed.append((item.id, item.source))
            reused += 1
        elif isinstance(item, SourceError):
            summary.problems.append(item)
        else:
            content_hash = item.content_hash()
            if spool is not None and (manifest or {}).get(item.id) != content_hash:
                spool.add(to_document(item, content_hash))
            hashes[item.id] = content_hash
            placed.append((item.id, item.source))
    if spool is not None:
        spool.finish_writing()
    summary.reused += reused
    summary.errors = len(summary.problems)
    return loaded


def build_index(
    corpus: str | Path,
    index_dir: str | Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
    before_publish: Callable[[Generation], None] | None = None,
    processes: int | None = None,
) -> Summary:
    """Bring the index at `index_dir` up to date with `corpus`; see the module docstring.
    `processes`: how many write a large fresh build, a segment each (None: one per
    core, at most four: `indexer.writer.writers`).

    A write the disk refuses (full, read-only) raises IndexNotWritten, which says so in
    one sentence: nothing is published before every file is written, so the index is
    left as it was."""
    try:
        return _build_index(corpus, Path(index_dir), rebuild, progress, options, before_publish,
                            processes)  # fmt: skip
    except OSError as exc:
        if not refused(exc):
            raise
        raise IndexNotWritten(Path(index_dir), exc) from exc


def _build_index(
    corpus: str | Path,
    index_dir: Path,
    rebuild: bool,
    progress: Progress | None,
    options: ImportOptions | None,
    before_publish: Callable[[Generation], None] | None,
    processes: int | None,
) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    options = options or ImportOptions()
    with WriteLock(index_dir):
        collect_garbage(index_dir)
        current = None
        if not rebuild:
            try:
                current = open_current(index_dir)
                current.manifest  # noqa: B018 (read here: a damaged one means a rebuild too)
            except IndexMissing:
                pass
            except (IndexDamaged, SchemaMismatch) as exc:
                current = None
                summary.notes.append(f"{exc} Rebuilding it from the corpus now.")
        manifest: dict[str, str] = current.manifest if current else {}
        if current is not None:  # the words it knows are stemmed without NLTK
            learn_saved_stems(current.path)
        # Files and lines read by the last run and unchanged since are not read again.
        cache = ReadCache.load(current.path if current else None, options, manifest)
        with DocumentSpool(index_dir, processes or writers()) as spool:
            loaded = load_corpus(corpus, summary, options, cache, spool, manifest)
            articles = loaded.hashes
            to_add = spool.ids
            gone = manifest.keys() - articles.keys()  # (set operations: 100k ids in C)
            doomed = gone | (manifest.keys() & set(to_add))
            to_delete = [i for i in manifest if i in doomed] if doomed else []
            summary.added = sum(1 for i in to_add if i not in manifest)
            summary.updated = len(to_add) - summary.added
            summary.deleted = len(gone)
            summary.unchanged = len(articles) - len(to_add)
            summary.rebuilt = current is None
            summary.documents = len(articles)
            if not articles and not summary.problems:
                # (a folder with nothing in it: most likely the wrong --corpus)
                summary.notes.append(f"The corpus {corpus} holds no articles: nothing in it "
                                     "is a file rocksearch reads.")  # fmt: skip
            if summary.deleted > max(MASS_SHARE * len(manifest), MASS_LEAST):
                # Most posts gone at once is what a file read half-written looks like,
                # when its writer stalled for longer than `--watch` waits (writing a
                # 288 MB file, for seconds): before the minutes such a run takes, the
                # files read are given a few seconds more to hold still.
                time.sleep(HOLD_SECONDS)
            refuse_if_changed(cache, summary)  # (before writing anything)
            places = Places.of_placed(loaded.placed)
            # Whether every segment has this version's positions file: so once this run's
            # write has checked them, or the generation before says so.
            positioned = current is not None and (
                current.meta.get("positions") == positions.VERSION
                and current.meta.get("segment_files") == SEGMENT_FILES)  # fmt: skip
            if current is not None and not to_add and not to_delete:
                moved = not current.places.same_as(places)
                if not moved and positioned:
                    if cache.read_any:
                        # Files were read (touched, or the cache was an older version's):
                        # what was read is kept, or every later run reads them again.
                        cache.save(current.path)
                    summary.generation = current.path.name
                    summary.seconds = time.perf_counter() - started
                    return summary  # nothing changed: no generation is written
                if moved:
                    summary.notes.append(
                        "Articles moved (lines or files) but none changed: "
                        "their places are updated, nothing is re-indexed."
                    )
            path = new_generation(index_dir, current.path if current else None)
            try:
                if to_add or to_delete or current is None:
                    write(path, current is None, spool, to_delete, progress, positioned)
                    positioned = True
                elif not positioned:
                    # An earlier version's generation, no article changed: the files this
                    # version keeps beside its segments are written (a server does not
                    # read a positions file of an earlier layout), nothing is re-indexed.
                    add_missing_files(whoosh_index.open_dir(str(path)))
                    positioned = True
                    summary.notes.append(
                        "The files beside the index's segments were of an earlier version: "
                        "written again, nothing re-indexed."
                    )
                spool.close()  # (the hook below reads the articles back from the index)
                meta = {
                    "schema_version": SCHEMA_VERSION,
                    "corpus": str(corpus),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    **(
                        {"positions": positions.VERSION, "segment_files": SEGMENT_FILES}
                        if positioned
                        else {}
                    ),
                }
                generation = Generation(
                    path, meta, _manifest=articles,
                    # Where each article was read this time (not part of its hash): what
                    # readers see as its source, though the index stored the first place.
                    _places=places,
                    changes=None if current is None else Changes(
                        current.path.name, list(to_add), to_delete),
                )  # fmt: skip
                cache.save(path)
                if before_publish is not None:  # e.g. the search layer's warm-up cache
                    before_publish(generation)
                stop_if_asked()  # the last moment an interrupt can still change nothing
                refuse_if_changed(cache, summary)
                publish(index_dir, generation)
            except BaseException:
                shutil.rmtree(path, ignore_errors=True)
                raise
            collect_garbage(index_dir)
            summary.generation = path.name
            summary.seconds = time.perf_counter() - started
            return summary


# A run that deletes over this share of the posts (and more than MASS_LEAST) first
# checks, HOLD_SECONDS later, that the files it read still hold what it read.
MASS_SHARE = 0.2
MASS_LEAST = 100
HOLD_SECONDS = 3.0


def refuse_if_changed(cache: ReadCache, summary: Summary) -> None:
    """If a file read has changed since (a writer part-way through it): an update that
    deletes posts raises CorpusChanged, and publishes nothing; any other run notes it.
    Why: a JSON Lines corpus rewritten in place and read half-written loses the posts
    after the cut, which the next run adds back (at 100k posts: 87,372 deleted, minutes
    of wrong answers). What a file read part-way holds otherwise (posts appended, or
    edited before the cut) is published, and the next run reads the rest: a corpus
    written to often is not kept from the index. `--watch` runs again either way."""
    changed = cache.changed_since_read()
    if not changed:
        return
    if summary.deleted and not summary.rebuilt:
        raise CorpusChanged(changed[0])
    note = (f"{changed[0]} changed while it was read (still being written?): run "
            f"`rocksearch index` again for what it holds now.")  # fmt: skip
    if note not in summary.notes:
        summary.notes.append(note)


# Set by a front end's SIGINT handler. The handler also raises KeyboardInterrupt, but
# Python drops an exception raised while a finalizer (__del__) runs, so the run checks
# this before it publishes: an interrupted run never changes the index.
STOP = threading.Event()


def stop_if_asked() -> None:
    if STOP.is_set():
        raise KeyboardInterrupt


def write(
    path: Path,
    fresh: bool,
    spool: DocumentSpool,
    to_delete: list[str],
    progress: Progress | None,
    checked: bool = False,
) -> None:
    if fresh:
        ix = whoosh_index.create_in(str(path), make_schema())
    else:
        ix = whoosh_index.open_dir(str(path))
    write_documents(ix, spool, to_delete, progress, checked=checked)


__all__ = ["Summary", "build_index", "IndexProblem"]
