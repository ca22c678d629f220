"""Who is asking: an editor logged in (a signed session cookie) or a program with an
editor's bearer token; and the editors' database for this request.

Takes the request; gives `current_editor()` (a name or None), `db()` (a connection to
the editors' database, closed when the request ends) and `secret_key(settings)` (the
key that signs sessions: the setting, or one kept in the index folder so every worker
shares it).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from flask import current_app, g, request, session

from editorial import accounts
from editorial.db import connect, path_of


def db() -> sqlite3.Connection:
    if "editorial_db" not in g:
        g.editorial_db = connect(path_of(current_app.config["ROCKSEARCH"]))
    return g.editorial_db


def close_db(_exc=None) -> None:
    conn = g.pop("editorial_db", None)
    if conn is not None:
        conn.close()


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_editor() -> str | None:
    """The editor making this request, by session cookie or bearer token; None for a reader."""
    if "editor_name" not in g:
        name = session.get("editor")
        if name and not accounts.exists(db(), name):
            name = None  # the account was removed: the cookie no longer counts
        token = bearer_token()
        if not name and token:
            name = accounts.editor_of_token(db(), token)
        g.editor_name = name
    return g.editor_name


def secret_key(settings: dict) -> str:
    if settings["secret_key"]:
        return settings["secret_key"]
    path = Path(settings["index"]) / "secret.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of two workers starting at once, one writes the key and both read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        except OSError as exc:  # (a full disk: no empty key left for the next start)
            path.unlink(missing_ok=True)
            exc.filename = exc.filename or str(path)
            raise
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        import time

        time.sleep(0.01)  # the other worker is still writing it
    raise RuntimeError(f"{path} is empty; delete it and restart")
