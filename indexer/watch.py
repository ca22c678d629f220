"""Watching a corpus for changes, for `rocksearch index --watch`.

Takes a corpus path (a file or a folder); gives `signature(path)` (what changed looks
like: each file's path, size and modification time) and `wait_for_change(path, since)`,
which polls until the signature differs from `since` and then holds still for one more
poll (a writer part-way through a file is not read half-written), or `stop` is set, or
the time `wake` comes: `next_day()`, when a scheduled post is published though no file
changed (indexer/importers/markdown.py leaves a post dated later out until its day).

Polling, not inotify: it works the same on every filesystem (network mounts, containers'
bind mounts) and costs one stat per file per poll, a few ms for thousands of files.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

POLL_SECONDS = 0.25


def signature(path: str | Path) -> tuple:
    path = Path(path)
    try:
        if path.is_file():
            st = path.stat()
            return ((str(path), st.st_size, st.st_mtime_ns),)
        found = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue  # removed between the listing and the stat
                found.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
        return tuple(found)
    except OSError:
        return ()


def next_day(now: float | None = None) -> float:
    """When the next day begins (seconds since the epoch; days in UTC, as the Markdown
    importer's `today` counts them), `now` or the current time."""
    moment = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return start.timestamp()


def wait_for_change(
    path: str | Path,
    since: tuple,
    stop: threading.Event,
    poll: float = POLL_SECONDS,
    wake: float | None = None,
) -> tuple | None:
    """The corpus's new signature once it changed and held still for a poll, or `since`
    once the time `wake` (seconds since the epoch) has come; None if `stop` was set
    first."""
    while not stop.wait(poll):
        if wake is not None and time.time() >= wake:
            return since
        now = signature(path)
        if now == since:
            continue
        while not stop.wait(poll):  # still being written?
            settled = signature(path)
            if settled == now:
                return now
            now = settled
    return None
