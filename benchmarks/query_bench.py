"""Query benchmark: rocksearch vs SQLite FTS5 (bm25 + snippet) vs plain Whoosh + highlights.

    .venv/bin/python benchmarks/query_bench.py                 # the real 10k corpus
    .venv/bin/python benchmarks/query_bench.py --scaled 100k   # a generated 100k corpus
    .venv/bin/python benchmarks/query_bench.py --typeset       # curly quotes, as blogs have

The same queries go to all three, in one run, after one warm-up pass. By default they
are drawn the way people type (`typed_queries`): 300 queries, most of one to three
words, many of them common words, some with a typo, a few quoted phrases; each kind is
reported. `--classic` uses the earlier set (rarer single words, title words, phrases,
transposed letters; 60 of each), kept so that older tables can be compared. Each
query's time is its median over three rounds (`--held-out`: each timed once, after a
warm-up on 600 other typed queries, so that what is kept from query to query is not
flattered by the same queries coming again); within a round the systems take turns
kind by kind. rocksearch runs its full search (ranking, snippets, facet counts, typo
tolerance); FTS5 runs bm25 ranking with snippet(); plain Whoosh parses with its
MultifieldParser and highlights the body of each hit. Top 10 each.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from common import bench_corpus, machine, print_table, scaled_corpus, typeset_corpus

PER_KIND = 60
COMMON = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "is",
        "are",
        "was",
        "were",
        "be",
        "by",
        "with",
        "as",
        "at",
        "from",
        "that",
        "this",
        "it",
    ]
)


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z]{3,}", text.lower())


def make_queries(docs: list[dict], seed: int = 42) -> dict[str, list[str]]:
    rng = random.Random(seed)
    sample = rng.sample(docs, min(len(docs), 3000))
    df: dict[str, int] = {}
    for d in sample:
        for w in set(words_of(d["body"])):
            df[w] = df.get(w, 0) + 1
    useful = sorted(w for w, n in df.items() if n >= 3 and w not in COMMON)
    queries: dict[str, list[str]] = {"single": [], "several": [], "phrase": [], "typo": []}
    queries["single"] = rng.sample(useful, PER_KIND)
    while len(queries["several"]) < PER_KIND:
        title = [w for w in words_of(rng.choice(sample)["title"]) if w not in COMMON]
        if len(title) >= 2:
            queries["several"].append(" ".join(title[: rng.choice((2, 3))]))
    while len(queries["phrase"]) < PER_KIND:
        body = words_of(rng.choice(sample)["body"])
        if len(body) > 10:
            i = rng.randrange(len(body) - 3)
            queries["phrase"].append('"' + " ".join(body[i : i + 3]) + '"')
    long_words = [w for w in useful if len(w) >= 6]
    for w in rng.sample(long_words, PER_KIND):
        i = rng.randrange(1, len(w) - 1)
        queries["typo"].append(w[:i] + w[i + 1] + w[i] + w[i + 2 :])  # a transposition
    return queries


TYPED_MIX = {"1 word": 105, "2 words": 90, "3 words": 36, "phrase": 24, "typo": 45}


def typed_queries(docs: list[dict], seed: int = 2026) -> dict[str, list[str]]:
    """Queries drawn the way people type (search logs: mostly one to three words, many of
    them common; some with typos; a few quoted phrases). A lone word is drawn in
    proportion to how many posts hold it, so common words come up often, as they do in
    logs; two or three words are adjacent content words of one post's title or body; a
    phrase is 2-4 consecutive words of a post, stop words and all; a typo query is a one-
    or two-word query with one letter deleted, inserted, replaced or two swapped."""
    rng = random.Random(seed)
    sample = rng.sample(docs, min(len(docs), 5000))
    df: dict[str, int] = {}
    for d in sample:
        for w in set(words_of(d["title"] + " " + d["body"])):
            df[w] = df.get(w, 0) + 1
    vocab = [w for w in sorted(df) if w not in COMMON and df[w] >= 2]
    weights = [df[w] for w in vocab]

    def run_of(n: int) -> str:
        while True:
            d = rng.choice(sample)
            text = d["title"] if rng.random() < 0.5 else d["body"]
            words = [w for w in words_of(text) if w not in COMMON]
            if len(words) >= n:
                i = rng.randrange(len(words) - n + 1)
                return " ".join(words[i : i + n])

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("delete", "insert", "replace", "swap"))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        if op == "delete":
            return word[:i] + word[i + 1 :]
        if op == "insert":
            return word[:i] + letter + word[i:]
        if op == "replace":
            return word[:i] + letter + word[i + 1 :]
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]

    out: dict[str, list[str]] = {kind: [] for kind in TYPED_MIX}
    out["1 word"] = rng.choices(vocab, weights, k=TYPED_MIX["1 word"])
    out["2 words"] = [run_of(2) for _ in range(TYPED_MIX["2 words"])]
    out["3 words"] = [run_of(3) for _ in range(TYPED_MIX["3 words"])]
    while len(out["phrase"]) < TYPED_MIX["phrase"]:
        words = re.findall(r"[a-z']+", rng.choice(sample)["body"].lower())
        n = rng.choice((2, 3, 4))
        if len(words) > n:
            i = rng.randrange(len(words) - n)
            out["phrase"].append('"' + " ".join(words[i : i + n]) + '"')
    while len(out["typo"]) < TYPED_MIX["typo"]:
        words = (rng.choices(vocab, weights, k=1)[0] if rng.random() < 0.5
                 else run_of(2)).split()  # fmt: skip
        long = [n for n, w in enumerate(words) if len(w) >= 5]
        if long:
            n = rng.choice(long)
            words[n] = typo(words[n])
            out["typo"].append(" ".join(words))
    return out


# --- the three systems ---------------------------------------------------------------


class Rocksearch:
    name = "rocksearch (full search)"

    def __init__(self, corpus: Path, work: Path, index: Path | None = None):
        from indexer.build import build_index
        from search.state import get_state

        if index is None:
            index = work / "rs"
            build_index(corpus, index)
        self.state = get_state(index, wait=True)

    def run(self, query: str) -> int:
        from search.engine import search

        return len(search(self.state, query, time_limit=2.0).hits)


class FTS5:
    name = "SQLite FTS5 (bm25 + snippet)"

    def __init__(self, corpus: Path, work: Path):
        self.db = sqlite3.connect(work / "fts.db")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')"
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO docs (title, body) VALUES (?, ?)",
                ((d["title"], d["body"]) for d in load(corpus)),
            )

    def run(self, query: str) -> int:
        match = query if query.startswith('"') else " ".join(f'"{w}"' for w in query.split())
        rows = self.db.execute(
            "SELECT title, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs "
            "WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10",
            (match,),
        ).fetchall()
        return len(rows)


class PlainWhoosh:
    name = "plain Whoosh (+ highlights)"

    def __init__(self, corpus: Path, work: Path):
        from whoosh import index, qparser
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        schema = Schema(
            id=ID(stored=True),
            title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
            body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        )
        (work / "wh").mkdir()
        ix = index.create_in(str(work / "wh"), schema)
        with ix.writer(limitmb=256, procs=2, multisegment=True) as writer:
            for d in load(corpus):
                writer.add_document(id=d["id"], title=d["title"], body=d["body"])
        self.searcher = ix.searcher()
        self.parser = qparser.MultifieldParser(["title", "body"], schema)

    def run(self, query: str) -> int:
        results = self.searcher.search(self.parser.parse(query), limit=10)
        for hit in results:
            hit.highlights("body")
        return len(results)


def measure(systems: list, queries: dict[str, list[str]], rounds: int = 3,
            warm: dict[str, list[str]] | None = None) -> dict:  # fmt: skip
    """Per system, per kind of query, the milliseconds of each query (its median over
    `rounds`). The systems take turns kind by kind, each running the kind's queries in
    a row (its caches as warm as when it runs alone), so that a slower spell of this
    shared machine falls on all of them alike and the ratios hold. The warm-up runs
    `warm` (other queries: a server that has served a while meets a new one), else the
    measured queries themselves."""
    for qs in (warm or queries).values():  # warm-up: caches, stems, lengths
        for system in systems:
            for q in qs:
                system.run(q)
    runs: dict[str, dict[str, list[list[float]]]] = {s.name: {} for s in systems}
    for _ in range(rounds):
        for kind, qs in queries.items():
            for system in systems:
                for n, q in enumerate(qs):
                    started = time.perf_counter()
                    system.run(q)
                    elapsed = (time.perf_counter() - started) * 1000
                    per_query = runs[system.name].setdefault(kind, [[] for _ in qs])
                    per_query[n].append(elapsed)
    times: dict[str, dict[str, list[float]]] = {}
    for name, by_kind in runs.items():
        times[name] = {k: [statistics.median(ts) for ts in v] for k, v in by_kind.items()}
        times[name]["all"] = [t for k in list(times[name]) for t in times[name][k]]
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10000)
    parser.add_argument("--scaled", help="use a generated corpus of this size (e.g. 100k)")
    parser.add_argument("--skip-whoosh", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--classic", action="store_true",
                        help="the earlier query set (60 each of four kinds)")  # fmt: skip
    parser.add_argument("--no-postings-cache", action="store_true",
                        help="rocksearch decodes every term's postings and sums its scores each "
                             "time (as a query of words not searched lately)")  # fmt: skip
    parser.add_argument("--index", help="an index of the same corpus, already built "
                        "(not built again: at 100k that takes 17 minutes)")  # fmt: skip
    parser.add_argument("--held-out", action="store_true",
                        help="warm up on 600 other typed queries (seeds 2027 and 2028), then "
                             "time each query once: what is kept from one query to the next "
                             "(postings, word scores, the page cache) helps only as much as "
                             "new queries share words with earlier ones")  # fmt: skip
    parser.add_argument("--typeset", action="store_true",
                        help="the corpus's quotes, apostrophes and dashes set as a blog's editor "
                             "sets them (curly quotes, em dashes: common.typeset), as most "
                             "blogs' posts have them")  # fmt: skip
    args = parser.parse_args()
    if args.held_out:
        args.rounds = 1  # (a second round would time queries seen before)
    if args.no_postings_cache:
        import search.scoring

        search.scoring.POSTINGS_CACHE_BYTES = search.scoring.SCORES_CACHE_BYTES = 0
    corpus = scaled_corpus(args.scaled) if args.scaled else bench_corpus(args.limit)
    if args.typeset:
        corpus = typeset_corpus(corpus)
    docs = load(corpus)
    queries = make_queries(docs) if args.classic else typed_queries(docs)
    warm = None
    if args.held_out:
        warm = {}
        for seed in (2027, 2028):
            for kind, qs in typed_queries(docs, seed).items():
                warm.setdefault(kind, []).extend(qs)
    del docs
    work = Path(tempfile.mkdtemp(prefix="rocksearch-qbench-"))
    systems = [Rocksearch, FTS5] + ([] if args.skip_whoosh else [PlainWhoosh])
    try:
        built = []
        for cls in systems:
            started = time.perf_counter()
            if cls is Rocksearch and args.index:
                built.append(Rocksearch(corpus, work, Path(args.index)))
                continue
            built.append(cls(corpus, work))
            print(f"built {cls.name} in {time.perf_counter() - started:.0f} s", flush=True)
        measured = measure(built, queries, args.rounds, warm)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = sum(len(q) for q in queries.values())
    timed = ("each once, after 600 other queries" if args.held_out
             else f"median of {args.rounds} rounds")  # fmt: skip
    print(f"\n{n} queries on {corpus.name} ({machine()}), milliseconds ({timed}), "
          f"top 10\n")  # fmt: skip
    rows = []
    fts = measured[FTS5.name]
    for name, times in measured.items():
        for kind in [*queries, "all"]:
            t = times[kind]
            ratio = statistics.median(t) / max(statistics.median(fts[kind]), 1e-6)
            rows.append([name, kind, f"{pct(t, 50):.2f}", f"{pct(t, 95):.2f}", f"{pct(t, 99):.2f}",
                         f"{ratio:.1f}x"])  # fmt: skip
    print_table(["system", "queries", "p50", "p95", "p99", "p50 / FTS5's"], rows)
    if PlainWhoosh.name in measured:
        ours = statistics.median(measured[Rocksearch.name]["all"])
        theirs = statistics.median(measured[PlainWhoosh.name]["all"])
        print(f"\nrocksearch p50 is {ours / theirs:.2f}x plain Whoosh's.")


if __name__ == "__main__":
    main()
