"""The duplicate groups of an index: found for its current generation, once, and kept
in it.

Takes an index folder; gives the groups (`duplicate_groups`, for the editors' pages and
API; `refresh_duplicates`, for the CLI). A whole pass of the finder
(search/duplicates.py) over the generation's articles, under a lock so that callers
arriving meanwhile (threads, gunicorn workers) wait for its result; `rocksearch index`
updates the groups instead (search/duplicate_update.py).
"""

from __future__ import annotations

import fcntl
import time
from pathlib import Path

from search.duplicate_store import LOCK_FILE, load_duplicates, save_groups
from search.duplicates import find_groups
from search.state import get_state
from search.stored_articles import articles_of


def refresh_duplicates(index_dir: str | Path, force: bool = False) -> dict:
    """Find the duplicates of the current generation and keep them in it, beside the
    Whoosh files (written to a temporary name and renamed: readers see all or nothing).
    A generation never changes, so groups it already has are returned as they are.
    Returns {"groups": [...], "seconds": s}."""
    started = time.perf_counter()
    state = get_state(index_dir, wait=True)
    generation = Path(state.generation.path)
    if not force and (kept := load_duplicates(generation)) is not None:
        return {**kept, "seconds": 0.0}
    # One finder per generation: callers that arrive while it runs (other threads, other
    # gunicorn workers) wait for its result instead of each finding the groups again.
    with open(generation / LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and (kept := load_duplicates(generation)) is not None:
            return {**kept, "seconds": 0.0}
        groups = find_groups(articles_of(state))
        data = save_groups(generation, groups, round(time.perf_counter() - started, 3))
    state.forget_duplicates()
    return data


def duplicate_groups(index_dir: str | Path, min_score: float = 0.0) -> list[dict]:
    """The groups kept with the current generation (found now if they are not yet)."""
    state = get_state(index_dir)
    data = load_duplicates(state.generation.path) or refresh_duplicates(index_dir)
    return [
        g for g in data["groups"]
        if any(m["scores"].get("score", 0) >= min_score for m in g["members"][1:])
    ]  # fmt: skip
