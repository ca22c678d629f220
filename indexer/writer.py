"""Writing documents into a Whoosh index, fast and all-or-nothing.

Takes an open Whoosh index and documents; gives a committed index (`write_documents`)
or, on any failure, a cancelled writer and an exception (never a held write lock).

Three things make it faster than `ix.writer()` on this machine (measured in
benchmarks/index_bench.py):

* `FastPostingPool` takes each posting without Whoosh's per-posting checks.
* `FastSegmentWriter` looks field lengths up in a table built once per segment.
  Whoosh's writer asks the per-document reader for the length of every posting's
  field, a column read per posting, about a third of the flush time.
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
`current` list and size estimate); pyproject pins < 2.8.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence

from whoosh.reading import SegmentReader
from whoosh.writing import PostingPool, SegmentWriter

from indexer.positions import add_missing_positions, write_positions
from indexer.spool import DocumentSpool

PARALLEL_MIN_DOCS = 2000  # below this, starting processes costs more than it saves
MERGE_FACTOR = 10  # segments of one size tier (a power of ten of live documents) merged
MAX_DELETED_SHARE = 0.5  # a segment half deleted is rewritten without its dead documents


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

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        table = self.tables.get(fieldname)
        if table is None:
            read = self.reader.doc_field_length
            table = [read(d, fieldname, default) for d in range(self.doccount)]
            self.tables[fieldname] = table
        return table[docnum]


class FastPostingPool(PostingPool):
    """Whoosh's PostingPool, adding a posting without its checks: `add` is called once
    per posting (about 120 per article and field pair), and the asserts and the size
    sum, term by term, were a quarter of adding a document. The size counted is
    Whoosh's own estimate (the constants summed), so the pool spills to disk as often."""

    def add(self, item):
        # item = (fieldname, tbytes, docnum, weight, vbytes); 150 = Whoosh's constants
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


class FastSegmentWriter(SegmentWriter):
    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = FastPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _LengthTable(pdr, self.docnum) if pdr else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


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
    except BaseException:
        writer.cancel()
        raise
    # Each worker maps its own segment's positions: in parallel, and from the
    # segment's files, before the parent publishes it.
    with SegmentReader(ix.storage, ix.schema, segment) as reader:
        write_positions(reader, ix.storage.folder)
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
) -> None:
    """Delete `delete_ids`, add `docs` (a spool is split as it was made: by its parts),
    commit, and write the positions file of each new segment (indexer/positions.py);
    cancel and re-raise on any failure."""
    global _JOB
    if isinstance(docs, DocumentSpool):
        workers = docs.parts
    elif workers is None:
        workers = writers()
    parallel = workers > 1 and len(docs) >= PARALLEL_MIN_DOCS and not delete_ids
    parallel = parallel and "fork" in multiprocessing.get_all_start_methods()
    writer = FastSegmentWriter(ix, limitmb=limitmb)
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
        writer.cancel()
        raise
    add_missing_positions(ix)  # a segment written here, or one Whoosh merged others into
