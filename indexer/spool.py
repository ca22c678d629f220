"""Documents waiting to be indexed, kept on disk instead of in memory.

Takes Whoosh documents one at a time as the corpus is read (`DocumentSpool.add`);
gives them back in the same order (iterating), or one writer's share of them
(`share(k)`: documents k, k + parts, k + 2 * parts…, the split of the parallel writer
in indexer/writer.py), each read back one at a time.

Why: a build held every article to add in memory until Whoosh had them all. At 100k
posts that was 0.9 GB in the indexer, and each forked writer counted those pages
again in its own resident memory before it had done any work of its own.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

PREFIX = ".spool-"  # a folder so named in an index folder is a spool (stale unless locked)


class DocumentSpool:
    """A temporary folder of `parts` pickle streams; `close()` removes it."""

    def __init__(self, parent: Path, parts: int):
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        self.parts = max(1, parts)
        self.ids: list[str] = []
        self._writing = [open(self._path(k), "wb") for k in range(self.parts)]  # noqa: SIM115

    def _path(self, k: int) -> Path:
        return self.folder / f"part-{k}.pickle"

    def add(self, doc: dict) -> None:
        # One dump a document: a shared Pickler would remember (and keep) every one.
        pickle.dump(doc, self._writing[len(self.ids) % self.parts], pickle.HIGHEST_PROTOCOL)
        self.ids.append(doc["id"])

    def __len__(self) -> int:
        return len(self.ids)

    def finish_writing(self) -> None:
        """Flush and close the streams: before any reading, and before a fork (a child
        flushing the same buffers would write them twice)."""
        for f in self._writing:
            f.close()

    def share(self, k: int) -> Iterator[dict]:
        """Documents k, k + parts, k + 2 * parts…, read one at a time."""
        self.finish_writing()
        count = len(range(k, len(self.ids), self.parts))
        with open(self._path(k), "rb") as f:
            for _ in range(count):
                yield pickle.load(f)

    def __iter__(self) -> Iterator[dict]:
        shares = [self.share(k) for k in range(self.parts)]
        for n in range(len(self.ids)):
            yield next(shares[n % self.parts])

    def close(self) -> None:
        self.finish_writing()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> DocumentSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
