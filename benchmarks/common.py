"""Shared benchmark plumbing: the real corpora, child processes with peak memory, tables.

Takes ROCKSEARCH_CODE, if set, at import (see CODE); gives `bench_corpus` (the 10k real
corpus, fetched once into benchmarks/.cache with ../shared/bench/fetch-corpus),
`run_measured` (run a function in a forked child, return its result, seconds and the
peak RSS of its process tree),
`typeset_corpus` (a corpus's quotes and dashes as a blog's editor sets them) and
`print_table`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
SHARED_BENCH = ROOT.parent / "shared" / "bench"
# The code measured: this checkout's, or another's (ROCKSEARCH_CODE=<a checkout>: older
# code on this checkout's benchmarks, queries and corpora, side by side with this one's).
# PYTHONPATH cannot choose it: this folder's parent comes first on the path, and the
# servers and indexers the benchmarks start run in it.
CODE = Path(os.environ.get("ROCKSEARCH_CODE") or ROOT).resolve()

sys.path.insert(0, str(CODE))
if CODE != ROOT:
    print(f"code under test: {CODE}", file=sys.stderr)


def bench_corpus(limit: int = 10000) -> Path:
    """The real corpus of `limit` documents (JSON Lines), fetched on first use."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"corpus-{limit}.jsonl"
    if not out.exists():
        script = SHARED_BENCH / "fetch-corpus"
        if not script.exists():
            sys.exit(f"{script} is missing: benchmarks need ../shared/bench beside the repo")
        subprocess.run([str(script), str(CACHE), "--limit", str(limit)], check=True)
    return out


def scaled_corpus(size: str) -> Path:
    """A generated corpus (e.g. "100k") from ../shared/bench/make-scaled-corpus."""
    full = CACHE / "corpus.jsonl"
    if not full.exists():
        subprocess.run([str(SHARED_BENCH / "fetch-corpus"), str(CACHE)], check=True)
    out = CACHE / f"scaled-{size}.jsonl"
    if not out.exists():
        script = SHARED_BENCH / "make-scaled-corpus"
        subprocess.run([str(script), str(full), size, str(out)], check=True)
    return out


# WordPress sets a post's straight quotes, apostrophes and dashes as typographic ones
# when it shows it (wptexturize), and exports and feeds carry them so; most blogs'
# texts have them throughout (31 of the 35 seed posts), the benchmark corpora none.
# The main rules, in order: an apostrophe inside or at the end of a word, quotes that
# open after a space or a bracket, the rest closing, double hyphens and three dots.
TYPESET = (
    (re.compile(r"(?<=\w)'(?=\w)|(?<=s)'(?=\s|$)"), "\u2019"),
    (re.compile(r"(?:(?<=^)|(?<=[\s(\[]))'"), "\u2018"),
    (re.compile(r"'"), "\u2019"),
    (re.compile(r'(?:(?<=^)|(?<=[\s(\[]))"'), "\u201c"),
    (re.compile(r'"'), "\u201d"),
    (re.compile(r" ?--+ ?"), "\u2014"),
    (re.compile(r"\.\.\."), "\u2026"),
)


def typeset(text: str) -> str:
    """`text` with typographic quotes, apostrophes, dashes and ellipses (TYPESET)."""
    for pattern, to in TYPESET:
        text = pattern.sub(to, text)
    return text


def typeset_corpus(corpus: Path) -> Path:
    """A copy of `corpus` (JSON Lines) with its titles and bodies typeset, made once."""
    out = CACHE / f"typeset-{corpus.name}"
    if not out.exists() or out.stat().st_mtime < corpus.stat().st_mtime:
        part = out.with_suffix(".part")
        with open(corpus, encoding="utf-8") as source, open(part, "w", encoding="utf-8") as f:
            for line in source:
                if line.strip():
                    doc = json.loads(line)
                    for name in ("title", "body"):
                        if isinstance(doc.get(name), str):
                            doc[name] = typeset(doc[name])
                    f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        part.replace(out)
    return out


def _tree_rss_kb(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def _child(conn, func, args):
    try:
        started = time.perf_counter()
        result = func(*args)
        conn.send((True, result, time.perf_counter() - started))
    except BaseException as exc:  # report, never hang the parent
        conn.send((False, repr(exc), 0.0))


def run_measured(func, *args):
    """(result, seconds, peak MB of the child's process tree) of func(*args) in a child."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    proc = context.Process(target=_child, args=(child, func, args))
    proc.start()
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    ok, result, seconds = parent.recv()
    done.set()
    proc.join()
    sampler.join()
    if not ok:
        raise RuntimeError(result)
    return result, seconds, peak / 1024


def print_table(headers: list[str], rows: list[list]) -> None:
    """A Markdown table, so it can be pasted into the README as printed."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
