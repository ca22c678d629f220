"""Indexing benchmark: rocksearch vs SQLite FTS5 (porter) vs plain Whoosh, same documents.

    .venv/bin/python benchmarks/index_bench.py [--limit 10000] [--corpus FILE.jsonl]

Measures a full build (docs/s, peak RSS of the process tree) and the update of one
changed article in the built index, each system in its own forked child, in one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from common import bench_corpus, machine, print_table, run_measured


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def changed_copy(src: Path, dst: Path) -> str:
    """Copy the corpus with the body of its middle article changed; return that id."""
    records = load(src)
    middle = records[len(records) // 2]
    middle["body"] += "\n\nUpdated: a new closing paragraph about cash flow."
    dst.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return middle["id"]


# --- rocksearch -------------------------------------------------------------------


def rocksearch_build(corpus: str, index_dir: str) -> int:
    from indexer.build import build_index

    return build_index(corpus, index_dir, rebuild=True).added


def rocksearch_update(corpus: str, index_dir: str) -> tuple[int, float]:
    from indexer.build import build_index

    summary = build_index(corpus, index_dir)
    return summary.updated, summary.seconds


# --- SQLite FTS5 ---------------------------------------------------------------------


def fts5_build(corpus: str, db_path: str) -> int:
    docs = load(Path(corpus))
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
        "tokenize='porter unicode61')"
    )
    with db:
        db.executemany(
            "INSERT INTO docs (id, title, body) VALUES (?, ?, ?)",
            ((d["id"], d["title"], d["body"]) for d in docs),
        )
    db.close()
    return len(docs)


def fts5_update(corpus: str, db_path: str, article_id: str) -> tuple[int, float]:
    doc = next(d for d in load(Path(corpus)) if d["id"] == article_id)
    started = time.perf_counter()
    db = sqlite3.connect(db_path)
    with db:
        db.execute(
            "UPDATE docs SET title = ?, body = ? WHERE id = ?",
            (doc["title"], doc["body"], doc["id"]),
        )
    db.close()
    return 1, time.perf_counter() - started


# --- plain Whoosh ---------------------------------------------------------------------


def whoosh_build(corpus: str, index_dir: str) -> int:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    docs = load(Path(corpus))
    schema = Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
    )
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    ix = index.create_in(index_dir, schema)
    with ix.writer(limitmb=256) as writer:
        for d in docs:
            writer.add_document(id=d["id"], title=d["title"], body=d["body"])
    return len(docs)


def whoosh_update(corpus: str, index_dir: str, article_id: str) -> tuple[int, float]:
    from whoosh import index

    doc = next(d for d in load(Path(corpus)) if d["id"] == article_id)
    started = time.perf_counter()
    ix = index.open_dir(index_dir)
    with ix.writer() as writer:
        writer.update_document(id=doc["id"], title=doc["title"], body=doc["body"])
    return 1, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10000)
    parser.add_argument("--corpus", type=Path, help="a JSON Lines corpus (default: the real 10k)")
    parser.add_argument("--skip-whoosh", action="store_true", help="leave plain Whoosh out")
    args = parser.parse_args()
    corpus = args.corpus or bench_corpus(args.limit)
    work = Path(tempfile.mkdtemp(prefix="rocksearch-bench-"))
    (work / "changed").mkdir()
    changed = work / "changed" / corpus.name  # same name: the same articles, one changed
    article_id = changed_copy(corpus, changed)
    n = len(load(corpus))
    rows = []
    try:
        count, secs, mb = run_measured(rocksearch_build, str(corpus), str(work / "rs"))
        (updated, upd_secs), _, _ = run_measured(rocksearch_update, str(changed), str(work / "rs"))
        assert count == n and updated == 1
        rows.append(["rocksearch (stemmed + exact fields)", f"{n / secs:,.0f}", f"{secs:.1f}",
                     f"{mb:,.0f}", f"{upd_secs * 1000:.0f}"])  # fmt: skip
        count, secs, mb = run_measured(fts5_build, str(corpus), str(work / "fts.db"))
        (_, upd_secs), _, _ = run_measured(
            fts5_update, str(changed), str(work / "fts.db"), article_id
        )
        rows.append(["SQLite FTS5 (porter)", f"{n / secs:,.0f}", f"{secs:.1f}", f"{mb:,.0f}",
                     f"{upd_secs * 1000:.1f}"])  # fmt: skip
        if not args.skip_whoosh:
            count, secs, mb = run_measured(whoosh_build, str(corpus), str(work / "wh"))
            (_, upd_secs), _, _ = run_measured(
                whoosh_update, str(changed), str(work / "wh"), article_id
            )
            rows.append(["plain Whoosh (StemmingAnalyzer)", f"{n / secs:,.0f}", f"{secs:.1f}",
                         f"{mb:,.0f}", f"{upd_secs * 1000:.0f}"])  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nIndexing {n:,} documents from {corpus.name} ({machine()})\n")
    print_table(["system", "docs/s", "build s", "peak MB", "update one (ms)"], rows)
    base = float(rows[1][1].replace(",", ""))
    print(f"\nrocksearch builds at {float(rows[0][1].replace(',', '')) / base:.2f}x FTS5's rate.")


if __name__ == "__main__":
    main()
