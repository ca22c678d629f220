"""What a search from the site or the API carries beyond its parameters: the synonyms
and pins in force, and its record in search analytics.

Takes the settings and a query; gives `extras(query)` (keyword arguments for
`search.engine.search`), `record_search(...)` (or `record_answer(...)` for an answer
from the cache) and `record_click(...)`, which queue the
event (editorial.analytics.Recorder) and return at once. One recorder and one pin board
per process and database.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app, g, request

from editorial.analytics import Recorder, is_robot
from editorial.db import path_of
from editorial.pins import PinBoard
from indexer.store import resolved
from search.synonyms import load as load_synonyms

_recorders: dict[Path, Recorder] = {}
_boards: dict[Path, PinBoard] = {}
_db_files: dict[tuple, Path] = {}


def settings() -> dict:
    return current_app.config["ROCKSEARCH"]


def db_file() -> Path:
    """The editors' database, resolved once per process for each setting (it was made
    and resolved three times a request)."""
    s = settings()
    key = (s.get("editor_db"), s["index"])
    path = _db_files.get(key)
    if path is None:
        path = _db_files[key] = resolved(path_of(s))
    return path


def recorder() -> Recorder:
    path = db_file()
    if path not in _recorders:
        _recorders[path] = Recorder(path, settings()["analytics_days"])
    return _recorders[path]


def pin_board() -> PinBoard:
    path = db_file()
    if path not in _boards:
        _boards[path] = PinBoard(path)
    return _boards[path]


def extras(query: str) -> dict:
    # (The synonyms file's stat made for this request's ETag, `version`, if it was: the
    # answer then has the rules the ETag names, and the file is asked once, not twice.)
    return {"synonyms": load_synonyms(settings()["synonyms"], g.get("synonyms_stat")),
            "pins": pin_board().for_query(query)}  # fmt: skip


def version() -> str:
    """Changes whenever the synonyms file or the pins in force change: part of the
    API's ETags, so an editor's change is never answered by a 304 from before it."""
    try:
        st = g.synonyms_stat = os.stat(settings()["synonyms"])
        synonyms = f"{st.st_mtime_ns}:{st.st_size}"
    except OSError:
        synonyms = "-"
    board = pin_board()
    board.refresh()
    return f"{synonyms}:{board.version}"


def recording() -> bool:
    """Whether this request's search or click goes into analytics: not when analytics
    is off, nor for a crawler (it follows the category and tag links)."""
    return settings()["analytics"] and not is_robot(request.headers.get("User-Agent"))


def record_search(results, source: str) -> None:
    record_answer(answer_record(results), results.took_ms, source)


def answer_record(results) -> tuple:
    """What analytics records of a search's answer besides its time and source (kept
    with a cached answer, web/answer_cache.py): (query, filters, total, page, corrected)."""
    return (results.query, results.filters, results.total, results.page, results.corrected)


def record_answer(record: tuple, took_ms: float, source: str) -> None:
    if recording():
        query, filters, total, page, corrected = record
        recorder().search(query, filters, total, page, took_ms, source, corrected)


def record_click(query: str, article_id: str, rank: int, reworded: str) -> None:
    if recording():
        recorder().click(query, article_id, rank, reworded)
