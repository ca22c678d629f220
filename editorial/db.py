"""The editors' SQLite database: where it is, opening it, its schema.

Takes the settings (`path_of`) or a path (`connect`); gives a sqlite3 connection in WAL
mode (readers never wait for the analytics writer, and a crash loses at most the last
batch), with a busy timeout so concurrent workers queue rather than fail. The schema is
created or upgraded on connect (PRAGMA user_version).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 1

# SQLite's primary result codes for a database file the disk will not hold or open: full,
# an I/O error (no room for its -wal or -shm file beside it), read-only, cannot be
# opened, not allowed.
UNAVAILABLE = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY,
                         sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM})  # fmt: skip


def unavailable(exc: sqlite3.Error) -> bool:
    """Whether `exc` says the database cannot be opened or written where it lies (a full
    disk, a read-only folder), not that a statement was wrong."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in UNAVAILABLE  # (extended codes: low byte)


SCHEMA = """
CREATE TABLE IF NOT EXISTS editors (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    editor TEXT NOT NULL REFERENCES editors(name) ON DELETE CASCADE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    editor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pins (
    query TEXT NOT NULL,
    article_id TEXT NOT NULL,
    position INTEGER NOT NULL,      -- order among the pinned; -1: hidden from the query
    expires TEXT,                   -- YYYY-MM-DD, the last day it applies; NULL: never
    PRIMARY KEY (query, article_id)
);
-- Analytics. `searches` and `clicks` are the raw events (kept ANALYTICS_DAYS days);
-- `queries` and `daily` and `daily_ranks` are running totals over those same days,
-- kept in step when events are added and when old ones are purged, so a report reads
-- a few hundred index entries however many searches were recorded.
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    total INTEGER NOT NULL,
    page INTEGER NOT NULL,
    took_ms REAL NOT NULL,
    source TEXT NOT NULL,
    corrected INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS searches_day ON searches(day);
CREATE TABLE IF NOT EXISTS clicks (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    article_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    reworded TEXT NOT NULL DEFAULT ''  -- the no-result query this one reworded, if any
);
CREATE INDEX IF NOT EXISTS clicks_day ON clicks(day);
CREATE INDEX IF NOT EXISTS clicks_reworded ON clicks(reworded) WHERE reworded != '';
CREATE TABLE IF NOT EXISTS queries (
    query TEXT PRIMARY KEY,
    searches INTEGER NOT NULL DEFAULT 0,
    no_results INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    last_total INTEGER NOT NULL DEFAULT 0,
    last_day TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS queries_searches ON queries(searches DESC);
CREATE INDEX IF NOT EXISTS queries_no_results ON queries(no_results DESC) WHERE no_results > 0;
CREATE TABLE IF NOT EXISTS daily (
    day TEXT PRIMARY KEY,
    searches INTEGER NOT NULL DEFAULT 0,
    no_results INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS daily_ranks (
    day TEXT NOT NULL,
    rank INTEGER NOT NULL,
    clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, rank)
);
"""


def path_of(settings: dict) -> Path:
    """The database file: ROCKSEARCH_EDITOR_DB, or editorial.sqlite3 in the index folder
    (beside the generations, never inside one)."""
    if settings.get("editor_db"):
        return Path(settings["editor_db"])
    return Path(settings["index"]) / "editorial.sqlite3"


def connect(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    # Two processes (or a request and the analytics thread) may open a new database at
    # once: switching it to WAL is refused at once ("database is locked", no busy wait)
    # while the other holds it, so that step is retried.
    for attempt in range(100):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                conn.executescript(SCHEMA)  # every statement IF NOT EXISTS: safe twice
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                conn.close()
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, its lock taken at the start (BEGIN IMMEDIATE: waits out
    another writer with the busy timeout, where a read upgraded to a write late would
    fail at once), committed on success and rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
