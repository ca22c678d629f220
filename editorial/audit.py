"""The audit log: every change an editor makes (who, when, what).

Takes a connection; gives `record` (one entry) and `recent` (the newest first).
"""

from __future__ import annotations

import sqlite3

from editorial.accounts import now


def record(conn: sqlite3.Connection, editor: str, action: str, detail: str) -> None:
    conn.execute(
        "INSERT INTO audit (at, editor, action, detail) VALUES (?, ?, ?, ?)",
        (now(), editor, action, detail[:2000]),
    )


def recent(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    rows = conn.execute(
        "SELECT at, editor, action, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
    )
    return [dict(r) for r in rows]
