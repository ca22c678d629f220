"""Editor accounts and API tokens.

Takes a connection (`editorial.db.connect`); gives `add_editor`, `check_login`,
`new_token` and `editor_of_token`. Passwords are stored as werkzeug's salted scrypt
hashes; tokens are 256 random bits shown once and stored as their SHA-256 (a token is
not guessable, so a fast hash is enough, and a lookup is one index probe).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from datetime import UTC, datetime

from werkzeug.security import check_password_hash, generate_password_hash

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
MIN_PASSWORD = 10
TOKEN_PREFIX = "rse_"


class AccountError(ValueError):
    """A name or password that cannot be used; the message says why."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_editor(conn: sqlite3.Connection, name: str, password: str) -> None:
    """Create editor `name`, or set a new password if it exists."""
    if not NAME.fullmatch(name):
        raise AccountError("an editor name is 1-40 letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    conn.execute(
        "INSERT INTO editors (name, password_hash, created) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
        (name, generate_password_hash(password), now()),
    )


# Checked against when the name is unknown, so a wrong name costs as long as a wrong
# password (the time does not tell which names exist).
_DUMMY = generate_password_hash(secrets.token_hex(8))


def check_login(conn: sqlite3.Connection, name: str, password: str) -> bool:
    row = conn.execute("SELECT password_hash FROM editors WHERE name = ?", (name,)).fetchone()
    ok = check_password_hash(row["password_hash"] if row else _DUMMY, password)
    return bool(row) and ok


def exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM editors WHERE name = ?", (name,)).fetchone() is not None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(conn: sqlite3.Connection, name: str) -> str:
    """A new bearer token for editor `name` (shown once; only its hash is kept)."""
    if not exists(conn, name):
        raise AccountError(f"no editor is called {name!r}; add one with `rocksearch editor add`")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO tokens (token_hash, editor, created) VALUES (?, ?, ?)",
        (_digest(token), name, now()),
    )
    return token


def editor_of_token(conn: sqlite3.Connection, token: str) -> str | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = conn.execute(
        "SELECT editor FROM tokens WHERE token_hash = ?", (_digest(token),)
    ).fetchone()
    return row["editor"] if row else None
