"""A minimal WSGI search endpoint over SQLite FTS5, for the HTTP benchmark's comparison.

Takes FTS5_DB (built by `build`) from the environment (`make_app`); gives a WSGI app
answering /api/search?q=&page= with bm25-ranked titles and snippet() as JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import urllib.parse
from pathlib import Path


def build(corpus: Path, db_path: Path) -> None:
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
    with db, open(corpus, encoding="utf-8") as f:
        rows = (json.loads(line) for line in f if line.strip())
        db.executemany(
            "INSERT INTO docs (title, body) VALUES (?, ?)", ((d["title"], d["body"]) for d in rows)
        )
    db.close()


def make_app():
    local = threading.local()
    path = os.environ["FTS5_DB"]

    def app(environ, start_response):
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, check_same_thread=False)
        args = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        q = args.get("q", [""])[0]
        page = int(args.get("page", ["1"])[0])
        match = q if q.startswith('"') else " ".join(f'"{w}"' for w in q.split() if '"' not in w)
        try:
            rows = local.db.execute(
                "SELECT title, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs "
                "WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10 OFFSET ?",
                (match or '""', (page - 1) * 10),
            ).fetchall()
            total = local.db.execute(
                "SELECT count(*) FROM docs WHERE docs MATCH ?", (match or '""',)
            ).fetchone()[0]
        except sqlite3.OperationalError:
            rows, total = [], 0
        body = json.dumps(
            {"ok": True, "total": total, "hits": [{"title": t, "snippet": s} for t, s in rows]}
        ).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return app
