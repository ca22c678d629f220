"""Search analytics: what readers search, what finds nothing, what they click.

Takes events (`Recorder.search`, `Recorder.click`) and a connection (the reports);
gives the reports as lists of dicts: `top_queries`, `no_results`, `no_clicks`,
`per_day`, `clicks_by_rank`, `rewordings`.

What is kept: the query as normalised (`search.query.normalise_query`), its filters,
total, page, took_ms, the time, site or API, corrected or not; for a click, the query,
the article and its rank. No IP address, user agent or cookie is ever stored; the user
agent is only asked whether it is a crawler's (`is_robot`), whose searches and clicks
are not a reader's and are not recorded.

Recording never slows a search: events go on a queue that a background thread writes
in one transaction a second (SQLite in WAL mode). Reports read running totals
(`queries`, `daily`, `daily_ranks`), kept in step with the raw events as they are
written and as events older than the retention are purged, so a report costs a few
index lookups whatever the number of searches recorded. Running totals count first
pages only (turning to page 2 is not another search).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import re
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from editorial.db import connect, transaction
from search.query import normalise_query

log = logging.getLogger("rocksearch.analytics")

# Crawlers name themselves in their User-Agent ("Googlebot/2.1", "bingbot/2.0",
# "AhrefsBot", "Baiduspider", "Yahoo! Slurp", "facebookexternalhit"): they follow the
# site's category and tag links, each a search, and would fill the reports with them.
ROBOT = re.compile(r"bot\b|bot[/_-]|crawler|spider|slurp|facebookexternalhit|bingpreview", re.I)


def is_robot(user_agent: str | None) -> bool:
    """Whether a User-Agent says it is a crawler's (most do; one that hides it is
    counted as a reader, as every analytics tool must)."""
    return bool(user_agent) and ROBOT.search(user_agent) is not None


FLUSH_SECONDS = 1.0
MAX_QUEUE = 100_000  # past this (a stalled disk), events are dropped, never waited for
PURGE_SECONDS = 3600.0


def utc_now() -> datetime:
    return datetime.now(UTC)


class Recorder:
    """Queues events and writes them in batches from a daemon thread (one per process:
    gunicorn workers each start their own after the fork)."""

    def __init__(self, path: str | Path, days: int = 90):
        self.path = Path(path)
        self.days = days
        self._queue: queue.Queue = queue.Queue(MAX_QUEUE)
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._purged = 0.0
        self._conn: sqlite3.Connection | None = None

    def search(self, query: str, filters: dict, total: int, page: int, took_ms: float,
               source: str, corrected: bool) -> None:  # fmt: skip
        key = normalise_query(query)
        if not key and not filters:
            return  # browsing every article is not a search
        # (Most searches choose no filter: "{}" without json.dumps.)
        chosen = "{}" if filters == {} else json.dumps(filters, sort_keys=True)
        self._put(("search", utc_now(), key, chosen, int(total),
                   int(page), float(took_ms), source, int(bool(corrected))))  # fmt: skip

    def click(self, query: str, article_id: str, rank: int, reworded: str = "") -> None:
        self._put(("click", utc_now(), normalise_query(query), article_id, int(rank),
                   normalise_query(reworded)))  # fmt: skip

    def _put(self, event: tuple) -> None:
        self._start()
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            log.warning("analytics queue full: an event was dropped")

    def _start(self) -> None:
        if self._pid == os.getpid() and self._thread and self._thread.is_alive():
            return
        with self._lock:
            if self._pid != os.getpid() or not (self._thread and self._thread.is_alive()):
                self._pid = os.getpid()
                self._conn = None  # never share a connection across a fork
                self._thread = threading.Thread(target=self._run, name="analytics", daemon=True)
                self._thread.start()
                atexit.register(self.flush)

    def _run(self) -> None:
        # A second's events in one transaction: writing whatever had arrived as soon as
        # an event did made a transaction of nearly every search of a busy server.
        while True:
            time.sleep(FLUSH_SECONDS)
            batch = self._drain()
            if not batch:
                continue
            self._write(batch)
            for _ in batch:
                self._queue.task_done()

    def _drain(self) -> list[tuple]:
        events = []
        while True:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                return events

    def flush(self) -> None:
        """Write what is queued now, and wait for a batch being written (tests, exit)."""
        events = self._drain()
        if events:
            self._write(events)
            for _ in events:
                self._queue.task_done()
        self._queue.join()

    def _write(self, events: list[tuple]) -> None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = connect(self.path)
                write_events(self._conn, events)
                if utc_now().timestamp() - self._purged > PURGE_SECONDS:
                    purge(self._conn, self.days)
                    self._purged = utc_now().timestamp()
            except sqlite3.Error:
                log.exception("analytics: %d events could not be written", len(events))


def write_events(conn: sqlite3.Connection, events: list[tuple]) -> None:
    """Add events (as Recorder queues them) and their running totals, in one transaction."""
    searches, clicks = [], []
    queries: dict[str, list] = {}
    daily: dict[str, list[int]] = {}
    ranks: dict[tuple[str, int], int] = {}
    for event in events:
        at = event[1]
        day = at.date().isoformat()
        if event[0] == "search":
            _, _, query, filters, total, page, took, source, corrected = event
            searches.append((at.isoformat(timespec="seconds"), day, query, filters, total, page,
                             round(took, 2), source, corrected))  # fmt: skip
            if page == 1:
                q = queries.setdefault(query, [0, 0, 0, 0, day])
                q[0] += 1
                q[1] += total == 0
                q[3], q[4] = total, day
                d = daily.setdefault(day, [0, 0, 0])
                d[0] += 1
                d[1] += total == 0
        else:
            _, _, query, article_id, rank, reworded = event
            clicks.append((at.isoformat(timespec="seconds"), day, query, article_id, rank,
                           reworded))  # fmt: skip
            q = queries.setdefault(query, [0, 0, 0, None, day])
            q[2] += 1
            daily.setdefault(day, [0, 0, 0])[2] += 1
            ranks[(day, rank)] = ranks.get((day, rank), 0) + 1
    with transaction(conn):
        conn.executemany(
            "INSERT INTO searches (at, day, query, filters, total, page, took_ms, source, "
            "corrected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            searches,
        )
        conn.executemany(
            "INSERT INTO clicks (at, day, query, article_id, rank, reworded) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            clicks,
        )
        conn.executemany(
            """INSERT INTO queries (query, searches, no_results, clicks, last_total, last_day)
               VALUES (?, ?, ?, ?, coalesce(?, 0), ?)
               ON CONFLICT (query) DO UPDATE SET
                 searches = searches + excluded.searches,
                 no_results = no_results + excluded.no_results,
                 clicks = clicks + excluded.clicks,
                 last_total = CASE WHEN excluded.searches > 0 THEN excluded.last_total
                                   ELSE last_total END,
                 last_day = max(last_day, excluded.last_day)""",
            [(k, *v) for k, v in queries.items()],
        )
        conn.executemany(
            """INSERT INTO daily (day, searches, no_results, clicks) VALUES (?, ?, ?, ?)
               ON CONFLICT (day) DO UPDATE SET searches = searches + excluded.searches,
                 no_results = no_results + excluded.no_results,
                 clicks = clicks + excluded.clicks""",
            [(k, *v) for k, v in daily.items()],
        )
        conn.executemany(
            """INSERT INTO daily_ranks (day, rank, clicks) VALUES (?, ?, ?)
               ON CONFLICT (day, rank) DO UPDATE SET clicks = clicks + excluded.clicks""",
            [(d, r, n) for (d, r), n in ranks.items()],
        )


def purge(conn: sqlite3.Connection, days: int) -> int:
    """Forget events older than `days` days, and take them out of the running totals;
    gives how many searches were forgotten."""
    cutoff = (utc_now() - timedelta(days=days)).date().isoformat()
    with transaction(conn):
        old = conn.execute(
            "SELECT query, count(*), sum(total = 0) FROM searches WHERE day < ? AND page = 1 "
            "GROUP BY query",
            (cutoff,),
        ).fetchall()
        conn.executemany(
            "UPDATE queries SET searches = searches - ?, no_results = no_results - ? "
            "WHERE query = ?",
            [(n, z, q) for q, n, z in old],
        )
        old_clicks = conn.execute(
            "SELECT query, count(*) FROM clicks WHERE day < ? GROUP BY query", (cutoff,)
        ).fetchall()
        conn.executemany(
            "UPDATE queries SET clicks = clicks - ? WHERE query = ?",
            [(n, q) for q, n in old_clicks],
        )
        conn.execute("DELETE FROM queries WHERE searches <= 0 AND clicks <= 0")
        gone = conn.execute("DELETE FROM searches WHERE day < ?", (cutoff,)).rowcount
        conn.execute("DELETE FROM clicks WHERE day < ?", (cutoff,))
        conn.execute("DELETE FROM daily WHERE day < ?", (cutoff,))
        conn.execute("DELETE FROM daily_ranks WHERE day < ?", (cutoff,))
    return gone


# --- reports ---------------------------------------------------------------------------

COLUMNS = "query, searches, no_results, clicks, last_total, last_day"


def top_queries(conn: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """The most searched queries, with how often each found nothing and was clicked."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM queries WHERE searches > 0 ORDER BY searches DESC LIMIT ?",
        (limit,),
    )
    return [dict(r) for r in rows]


def no_results(conn: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Queries that found nothing, the most frequent first."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM queries WHERE no_results > 0 ORDER BY no_results DESC LIMIT ?",
        (limit,),
    )
    return [dict(r) for r in rows]


def no_clicks(conn: sqlite3.Connection, limit: int = 50) -> list[dict]:
    """Queries that found articles but whose results nobody clicked."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM queries WHERE searches > no_results AND clicks = 0 "
        "ORDER BY searches DESC LIMIT ?",
        (limit,),
    )
    return [dict(r) for r in rows]


def per_day(conn: sqlite3.Connection, days: int = 90) -> list[dict]:
    """Searches, searches that found nothing, and clicks, each day (oldest first, days
    without searches included as zeros)."""
    end = utc_now().date()
    start = end - timedelta(days=days - 1)
    found = {r["day"]: dict(r) for r in conn.execute(
        "SELECT day, searches, no_results, clicks FROM daily WHERE day >= ?",
        (start.isoformat(),))}  # fmt: skip
    out = []
    for n in range(days):
        day = (start + timedelta(days=n)).isoformat()
        out.append(found.get(day, {"day": day, "searches": 0, "no_results": 0, "clicks": 0}))
    return out


def clicks_by_rank(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        "SELECT rank, sum(clicks) AS clicks FROM daily_ranks GROUP BY rank ORDER BY rank"
    )
    return [dict(r) for r in rows]


def rewordings(conn: sqlite3.Connection, query: str, limit: int = 5) -> list[dict]:
    """What readers clicked after rewording `query` (a search that found nothing):
    [{"query": the rewording, "article_id", "clicks"}], the most clicked first."""
    rows = conn.execute(
        # "reworded != ''" lets SQLite use the partial index (it cannot see that a bound
        # value is never '': without it, each call read every click).
        "SELECT query, article_id, count(*) AS clicks FROM clicks "
        "WHERE reworded = ? AND reworded != '' "
        "GROUP BY query, article_id ORDER BY clicks DESC LIMIT ?",
        (normalise_query(query), limit),
    )
    return [dict(r) for r in rows]


REPORTS = {
    "top": top_queries,
    "no-results": no_results,
    "no-clicks": no_clicks,
    "per-day": per_day,
    "clicks-by-rank": clicks_by_rank,
}
