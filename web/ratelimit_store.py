"""A rate-limit store every gunicorn worker shares: the `limits` library's storage API on
a SQLite file.

Takes a `rocksearch+sqlite:///path/to/file` URI (the `rate_limit_storage` setting); gives a
`limits` storage whose counters live in that file, so the limit holds for the server as
a whole: with the default in-memory store each worker process counted on its own, and
two workers let twice the limit through. No Redis is needed; SQLite in WAL mode with one
atomic upsert per request costs well under a millisecond. Registered with `limits` by
being imported (its metaclass keeps a registry of storage schemes).

A file that cannot be written (a full disk, a read-only folder) does not fail requests:
each worker then counts in its own memory, as `limits`' default store does, says so in
the log, and tries the file again after FALLBACK_SECONDS.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from limits.storage import MemoryStorage, Storage

log = logging.getLogger("rocksearch.web")
T = TypeVar("T")

SCHEME = "rocksearch+sqlite"

UPSERT = """
INSERT INTO counters (key, count, expiry) VALUES (:key, :amount, :expiry)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expiry <= :now THEN :amount ELSE counters.count + :amount END,
    expiry = CASE WHEN counters.expiry <= :now THEN :expiry ELSE counters.expiry END
RETURNING count, expiry
"""
# How long the count an increment returned answers the window's questions that follow it
# in the same thread (the X-RateLimit headers ask get() and get_expiry() right after the
# hit: two more queries a request). Decisions use the increment's own count, never this.
RECENT = 1.0
# After the file refused a read or write, counting stays in memory this long before the
# file is tried again (a full disk fails every write: not one failure a request).
FALLBACK_SECONDS = 30.0


class SQLiteStorage(Storage):
    """Fixed-window counters (the strategy web/rate_limits.py counts with) in SQLite."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path(uri.split("://", 1)[1])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.local = threading.local()
        self.calls = 0
        self.fallback = MemoryStorage()
        self.failed_at: float | None = None  # when the file last refused us

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def db(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # counters need no power-loss safety
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expiry REAL NOT NULL)"
            )
            self.local.conn = conn
        return conn

    def _file_usable(self) -> bool:
        return self.failed_at is None or time.time() - self.failed_at > FALLBACK_SECONDS

    def _refused(self, exc: sqlite3.Error) -> None:
        if self.failed_at is None:
            log.warning("rate limits: %s cannot be used (%s); each worker counts on its "
                        "own until it can", self.path, exc)  # fmt: skip
        self.failed_at = time.time()
        self.local.last = None
        conn = getattr(self.local, "conn", None)
        self.local.conn = None  # (opened again when the file is tried again)
        if conn is not None:
            conn.close()

    def _recovered(self) -> None:
        if self.failed_at is not None:
            log.warning("rate limits: %s is used again", self.path)
            self.failed_at = None

    def _from_file(self, read: Callable[[], T], fallback: Callable[[], T]) -> T:
        """read() from the file; fallback() (this worker's memory) while the file cannot
        be used, or when it fails now."""
        if self._file_usable():
            try:
                return read()
            except sqlite3.Error as exc:
                self._refused(exc)
        return fallback()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self._from_file(lambda: self._incr(key, expiry, amount),
                               lambda: self.fallback.incr(key, expiry, amount))  # fmt: skip

    def _incr(self, key: str, expiry: int, amount: int) -> int:
        now = time.time()
        db = self.db()
        count, until = db.execute(
            UPSERT, {"key": key, "amount": amount, "expiry": now + expiry, "now": now}
        ).fetchone()
        self.local.last = (key, count, until, now)
        self.calls += 1
        if self.calls % 1000 == 0:  # windows that ended are only clutter
            db.execute("DELETE FROM counters WHERE expiry <= ?", (now,))
        self._recovered()  # (a write went through: the file is used again)
        return count

    def _recent(self, key: str) -> tuple[int, float] | None:
        """The count and window end this thread's last increment of `key` returned, if
        that was under RECENT seconds ago and its window is still open."""
        last = getattr(self.local, "last", None)
        if last is None or last[0] != key:
            return None
        now = time.time()
        if now - last[3] > RECENT or last[2] <= now:
            return None
        return last[1], last[2]

    def get(self, key: str) -> int:
        recent = self._recent(key)
        if recent is not None:
            return recent[0]
        return self._from_file(lambda: self._count(key), lambda: self.fallback.get(key))

    def _count(self, key: str) -> int:
        query = "SELECT count FROM counters WHERE key = ? AND expiry > ?"
        row = self.db().execute(query, (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        recent = self._recent(key)
        if recent is not None:
            return recent[1]
        return self._from_file(lambda: self._expiry(key), lambda: self.fallback.get_expiry(key))

    def _expiry(self, key: str) -> float:
        row = self.db().execute("SELECT expiry FROM counters WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] > time.time() else time.time()

    def check(self) -> bool:
        try:
            self.db().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        self.local.last = None
        return self.db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self.local.last = None
        self.db().execute("DELETE FROM counters WHERE key = ?", (key,))
