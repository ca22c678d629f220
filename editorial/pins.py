"""Pinned results ("best bets"): for a query, articles shown first in a set order, or
hidden from it, until an optional expiry date.

Takes a connection (`set_pins`, `all_pins`, `remove`) or the database's path
(`PinBoard`, what searching reads); gives the pins of a query as the search function
takes them ({"top": [ids], "hide": [ids]}). Queries are keyed as typed after
`search.query.normalise_query` (case, accents and spacing do not matter). Pins live
in the editors' database, outside the index, so a re-index keeps them.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

from editorial.db import connect, transaction, unavailable
from search.query import normalise_query

log = logging.getLogger("rocksearch.pins")

RELOAD_SECONDS = 1.0  # how soon an editor's change reaches every worker


class PinError(ValueError):
    """A pin that cannot be kept; the message says why."""


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def set_pins(conn: sqlite3.Connection, query: str, top: list[str], hide: list[str],
             expires: str | None = None) -> str:  # fmt: skip
    """Replace `query`'s pins: `top` first in that order, `hide` left out; gives the
    query as keyed. `expires` (YYYY-MM-DD) is the last day they apply."""
    key = normalise_query(query)
    if not key:
        raise PinError("a pin needs a query")
    if expires:
        try:
            date.fromisoformat(expires)
        except ValueError:
            raise PinError(f"expires must be a date (YYYY-MM-DD), not {expires!r}") from None
        if expires < today():  # (saved, it was listed as set and did nothing)
            raise PinError(f"expires is in the past ({expires}): the pin would never apply; "
                           "leave it empty for a pin that does not expire")  # fmt: skip
    both = set(top) & set(hide)
    if both:
        raise PinError(f"an article cannot be both pinned and hidden: {', '.join(sorted(both))}")
    with transaction(conn):
        conn.execute("DELETE FROM pins WHERE query = ?", (key,))
        rows = [(key, a, n, expires or None) for n, a in enumerate(dict.fromkeys(top))]
        rows += [(key, a, -1, expires or None) for a in dict.fromkeys(hide)]
        conn.executemany(
            "INSERT INTO pins (query, article_id, position, expires) VALUES (?, ?, ?, ?)", rows
        )
    return key


def remove(conn: sqlite3.Connection, query: str) -> None:
    conn.execute("DELETE FROM pins WHERE query = ?", (normalise_query(query),))


def all_pins(conn: sqlite3.Connection) -> list[dict]:
    """[{"query", "top", "hide", "expires", "expired"}] for every pinned query."""
    out: dict[str, dict] = {}
    rows = conn.execute("SELECT * FROM pins ORDER BY query, position")
    for r in rows:
        entry = out.setdefault(r["query"], {"query": r["query"], "top": [], "hide": [],
                                            "expires": r["expires"]})  # fmt: skip
        (entry["hide"] if r["position"] < 0 else entry["top"]).append(r["article_id"])
    for entry in out.values():
        entry["expired"] = bool(entry["expires"] and entry["expires"] < today())
    return list(out.values())


class PinBoard:
    """The pins in force, read from the database at most once a RELOAD_SECONDS per
    process (a search costs a dict lookup, not a query)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._pins: dict[str, dict] = {}
        self.version = ""  # changes with the pins in force (the API's ETags include it)
        self._loaded = -RELOAD_SECONDS
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._loaded = -RELOAD_SECONDS

    def for_query(self, query: str) -> dict | None:
        self.refresh()
        return self._pins.get(normalise_query(query))

    def refresh(self) -> None:
        if time.monotonic() - self._loaded >= RELOAD_SECONDS:
            with self._lock:
                if time.monotonic() - self._loaded >= RELOAD_SECONDS:
                    try:
                        self._pins = self._load()
                    except sqlite3.Error as exc:
                        # A full disk or a read-only folder: searches go on with the
                        # pins read before (none, if never), and it is tried again later.
                        if not unavailable(exc):
                            raise
                        log.warning("pins: %s cannot be read (%s); the pins read before "
                                    "stay in force", self.path, exc)  # fmt: skip
                    self.version = str(hash(repr(sorted(self._pins.items()))))
                    self._loaded = time.monotonic()

    def _load(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        conn = connect(self.path)
        try:
            return {p["query"]: p for p in all_pins(conn) if not p["expired"]}
        finally:
            conn.close()


def copy_pins(source_db: str | Path, destination_db: str | Path) -> int:
    """Replace the pins of database `destination_db` by those of `source_db` (a read
    replica shows the same best bets); gives how many were copied."""
    if not Path(source_db).exists():
        return 0
    with sqlite3.connect(f"file:{source_db}?mode=ro", uri=True) as src:
        rows = src.execute("SELECT query, article_id, position, expires FROM pins").fetchall()
    dst = connect(destination_db)
    try:
        with transaction(dst):
            dst.execute("DELETE FROM pins")
            dst.executemany(
                "INSERT INTO pins (query, article_id, position, expires) VALUES (?, ?, ?, ?)", rows
            )
    finally:
        dst.close()
    return len(rows)
