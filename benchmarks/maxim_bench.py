"""Maxims remembered with typos: does a post with the maxim come first? rocksearch
against SQLite FTS5, tantivy (with fuzzy terms) and plain Whoosh, on the project's own
corpus (the blog's pages in `corpus/`), in one run.

    .venv/bin/pip install -e '.[bench]'        # tantivy, for this benchmark only
    .venv/bin/python benchmarks/maxim_bench.py [--per-maxim 40] [--seed 11]

A reader of the blog searches for one of the author's maxims ("Write this on a rock …
You should never have a customer from hell.") as they remember it: a run of three to
six consecutive words of the maxim, in their order, with one typo, or two (kinds "one
typo" and "two typos"), each a random edit of a word of four letters or more, as
`known_item_bench.mistype` makes them (a neighbouring key, a letter dropped or added,
two letters swapped). Runs and typos are drawn at random with a fixed seed, the same
for every system; the maxims are every maxim the corpus has. A query succeeds at 1 when
the first result is a post with that maxim (several posts may carry one), at 3 when one
of the first three is.

Also measured: rocksearch without the evidence of the words beside a typo
(search/neighbours.py, `by_neighbours`), to show what that evidence does here. The
corpus is small (a few dozen posts, six maxims): read the table as what a reader of
this blog meets, not as a ranking of engines in general (known_item_bench.py is that).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from common import machine, print_table
from known_item_bench import FTS5, PlainWhoosh, Rocksearch, Tantivy, mistype, words

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("one typo", "two typos")


def export(corpus: Path, out: Path) -> dict[str, str]:
    """The corpus's articles as JSON Lines (id, title, body) for the peers; gives id ->
    maxim for the articles that have one."""
    from indexer.sources import read_corpus

    maxims = {}
    with open(out, "w", encoding="utf-8") as f:
        for item in read_corpus(corpus):
            if not hasattr(item, "body"):
                continue  # a problem, not an article
            f.write(json.dumps({"id": item.id, "title": item.title, "body": item.body}) + "\n")
            if item.maxim:
                maxims[item.id] = item.maxim
    return maxims


def make_queries(maxims: dict[str, str], per_maxim: int, seed: int) -> list[dict]:
    """{"kind", "query", "targets"} for every maxim, `per_maxim` of each kind."""
    rng = random.Random(seed)
    holders: dict[str, set[str]] = {}
    for article_id, maxim in maxims.items():
        holders.setdefault(maxim, set()).add(article_id)
    queries = []
    for maxim, targets in sorted(holders.items()):
        text = words(maxim)
        for kind, typos in zip(KINDS, (1, 2), strict=True):
            made = 0
            for _ in range(per_maxim * 20):
                if made == per_maxim:
                    break
                length = rng.randint(3, min(6, len(text)))
                start = rng.randrange(len(text) - length + 1)
                run = text[start : start + length]
                long = [i for i, w in enumerate(run) if len(w) >= 4]
                if len(long) < typos:
                    continue
                for i in rng.sample(long, typos):
                    run[i] = mistype(run[i], rng)
                queries.append({"kind": kind, "query": " ".join(run), "targets": targets})
                made += 1
    return queries


def evaluate(system, queries: list[dict]) -> dict[str, tuple[float, float]]:
    """{kind: (success@1, success@3)} and "all"."""
    ranks: dict[str, list[int | None]] = {k: [] for k in KINDS}
    for q in queries:
        found = system.run(q["query"])[:3]
        ranks[q["kind"]].append(next((n for n, i in enumerate(found, 1) if i in q["targets"]),
                                     None))  # fmt: skip

    def scores(r: list[int | None]) -> tuple[float, float]:
        n = len(r) or 1
        return sum(x == 1 for x in r) / n, sum(x is not None for x in r) / n

    out = {k: scores(v) for k, v in ranks.items()}
    out["all"] = scores([x for v in ranks.values() for x in v])
    return out


class WithoutNeighbours:
    """rocksearch with the words beside a typo given no say (ADJACENT_LEAST out of reach)."""

    name = "rocksearch, neighbours not weighed"

    def __init__(self, rocksearch: Rocksearch):
        self.rocksearch = rocksearch

    def run(self, query: str) -> list[str]:
        import search.neighbours
        import search.real_words

        # (the typo's neighbours, and a slip for a stop word, weigh them)
        users = (search.neighbours, search.real_words)
        kept = search.neighbours.ADJACENT_LEAST
        for module in users:
            module.ADJACENT_LEAST = 10**9
        try:
            return self.rocksearch.run(query)
        finally:
            for module in users:
                module.ADJACENT_LEAST = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-maxim", type=int, default=40, help="queries per maxim and kind")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rocksearch-maxims-"))
    try:
        jsonl = work / "corpus.jsonl"
        maxims = export(args.corpus, jsonl)
        queries = make_queries(maxims, args.per_maxim, args.seed)
        rocksearch = Rocksearch(args.corpus, work, collapse=True)
        systems = [rocksearch, WithoutNeighbours(rocksearch), FTS5(jsonl, work),
                   Tantivy(jsonl, work, fuzzy=True), PlainWhoosh(jsonl, work)]  # fmt: skip
        results = [(s.name, evaluate(s, queries)) for s in systems]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nMaxims with typos: {len(set(maxims.values()))} maxims, {len(queries)} queries, "
          f"seed {args.seed}, {args.corpus.name}/ ({len(maxims)} posts with a maxim; "
          f"{machine()})\n")  # fmt: skip
    headers = ["system", "all s@1 / s@3", *(f"{k} s@1 / s@3" for k in KINDS)]
    rows = [[name, *(f"{r[k][0]:.3f} / {r[k][1]:.3f}" for k in ("all", *KINDS))]
            for name, r in results]  # fmt: skip
    print_table(headers, rows)
    print("\nExamples:", json.dumps([q["query"] for q in queries[:: max(1, len(queries) // 6)]]))


if __name__ == "__main__":
    sys.exit(main())
