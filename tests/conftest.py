"""Shared fixtures: small real corpora written from literal articles, and fresh index folders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

ARTICLES = [
    {
        "id": "rock-1",
        "title": "Write this on a rock: customers come first",
        "date": "2021-05-04",
        "author": "Jim Blasingame",
        "categories": ["Customer Care"],
        "tags": ["customers", "small business"],
        "body": "Every small business owner knows it’s the customer who pays the bills.\n\n"
        "Write this on a rock … Customers are the reason you’re in business.",
        "maxim": "Customers are the reason you’re in business.",
    },
    {
        "id": "cash-2",
        "title": "Cash flow is the oxygen of a small business",
        "date": "2019-11-20",
        "author": "Jim Blasingame",
        "categories": ["Cash Flow", "Finance / Accounting / Taxes"],
        "tags": ["cash flow"],
        "body": "Profit is an opinion, cash is a fact. Watch your receivables every week.",
    },
    {
        "id": "undated-3",
        "title": "Networking without a net",
        "date": None,
        "author": None,
        "categories": ["Networking"],
        "tags": [],
        "body": "Meet people before you need them; a referral is worth ten cold calls.",
    },
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def run_fresh(code: str, timeout: float = 120) -> str:
    """What `code` prints, run in a new Python process from the repository (nothing
    imported yet: what a module imports is seen as a cold CLI or worker sees it)."""
    import subprocess
    import textwrap

    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def index_of(folder: Path, records: list[dict]) -> Path:
    """A real index in `folder`/index built from `records` (written as articles.jsonl)."""
    from indexer.build import build_index

    write_jsonl(folder / "articles.jsonl", records)
    build_index(folder / "articles.jsonl", folder / "index")
    return folder / "index"


EDITOR, PASSWORD = "editor", "a long enough password"


def add_editor(index: Path, name: str = EDITOR, password: str = PASSWORD) -> None:
    """An editor account in the editors' database of the index folder `index`."""
    from editorial import accounts
    from editorial.db import connect

    conn = connect(Path(index) / "editorial.sqlite3")
    accounts.add_editor(conn, name, password)
    conn.close()


def editor_cookie(index: Path, name: str = EDITOR) -> dict:
    """A logged-in editor's session cookie for a server of index folder `index` (signed
    with the key kept there), as Playwright's add_cookies takes it, less its url."""
    from web import create_app

    app = create_app({"index": str(index)})
    value = app.session_interface.get_signing_serializer(app).dumps({"editor": name})
    return {"name": app.config["SESSION_COOKIE_NAME"], "value": value}


def log_in(client, index: Path, name: str = EDITOR) -> None:
    """Log the Flask test client in as an editor (created if need be)."""
    add_editor(index, name)
    with client.session_transaction() as session:
        session["editor"] = name


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "articles.jsonl", ARTICLES)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's ROCKSEARCH_* settings or writes to ./index."""
    for name in list(__import__("os").environ):
        if name.startswith("ROCKSEARCH_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def cli_command() -> list[str]:
    return [sys.executable, "-m", "rocksearch_cli"]
