"""Read replicas: copying finished generations from the index that is built to another
index folder that is only served.

Takes a source index folder and a destination (`replicate`); gives the name of the
generation the destination now serves. Generations are immutable and published by
CURRENT alone, so the copy is safe while servers on the destination answer: the
generation is copied under a hidden name, synced, renamed into place, and only then is
the destination's CURRENT replaced (an atomic rename), exactly as `rocksearch index`
publishes. A file the destination's current generation already has (same name, size
and modification time, which the copies keep) is hard-linked, not copied, so an update
of a few posts copies a few small segments. Superseded generations are collected as
the indexer collects them (the previous one stays for servers still warming up).

Only the index: the CLI's `rocksearch replicate` also copies the pins of the editors'
database (editorial.pins.copy_pins); accounts, analytics and the audit log stay with
each server.

For another machine, the same order with rsync is in docs/deployment.md.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from indexer.store import (
    META_FILE,
    WriteLock,
    collect_garbage,
    fsync_path,
    open_current,
    point_current,
    read_pointer,
)

SKIPPED = {"LOCK"}  # a generation's files that belong to the machine that wrote them


class ReplicaError(Exception):
    """The destination cannot take the copy; the message says why."""


def replicate(source: str | Path, destination: str | Path) -> str:
    source, destination = Path(source), Path(destination)
    current = open_current(source)  # a complete, readable generation, or IndexProblem
    name = current.path.name
    if source.resolve() == destination.resolve():
        raise ReplicaError("the destination is the source index itself")
    if source.resolve() in destination.resolve().parents:
        # (inside a generation, it wrote a CURRENT and a copy into a folder that must
        # never change; anywhere else inside, the source's cleaning would remove it)
        raise ReplicaError(f"the destination {destination} is inside the source index "
                           f"{source}: give a folder outside it")  # fmt: skip
    if destination.exists() and not destination.is_dir():
        raise ReplicaError(f"the destination {destination} is a file, not a folder")
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = f"the destination {destination} cannot be made ({exc.strerror})"
        raise ReplicaError(why) from exc
    with WriteLock(destination):
        served = read_pointer(destination)
        target = destination / name
        if served != name or not (target / META_FILE).exists():
            if not (target / META_FILE).exists():
                _copy_generation(current.path, target, destination / served if served else None)
            point_current(destination, name)
        collect_garbage(destination)
    return name


def same_file(kept: Path, item: Path) -> bool:
    """Whether the replica's `kept` is a copy of the source's `item`: the same size and
    modification time (rsync's quick check; copies keep the time). The size alone is not
    enough: a generation's own files keep their names from one generation to the next
    (duplicates.json, the warm-up cache, a segment's positions file written again), and
    an edit that swaps a word for one as long leaves their size as it was."""
    try:
        a, b = kept.stat(), item.stat()
    except OSError:
        return False
    return (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns)


def _copy_generation(src: Path, target: Path, served: Path | None) -> None:
    incoming = target.with_name(f".incoming-{target.name}")
    shutil.rmtree(incoming, ignore_errors=True)  # a copy a killed run left
    incoming.mkdir()
    for item in sorted(src.iterdir()):
        if not item.is_file() or item.name in SKIPPED or item.suffix == ".tmp":
            continue
        kept = served / item.name if served else None
        if kept is not None and item.name != META_FILE and same_file(kept, item):
            os.link(kept, incoming / item.name)
        else:
            shutil.copy2(item, incoming / item.name)
            fsync_path(incoming / item.name)
    fsync_path(incoming, directory=True)
    shutil.rmtree(target, ignore_errors=True)  # an unpublished leftover of that name
    os.rename(incoming, target)
