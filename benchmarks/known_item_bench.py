"""Known-item evaluation: does the post a reader remembers come first? rocksearch against
SQLite FTS5, tantivy (with and without fuzzy terms) and plain Whoosh, on the same posts
and queries, in one run.

    .venv/bin/pip install -e '.[bench]'        # tantivy, for this benchmark only
    .venv/bin/python benchmarks/known_item_bench.py                 # the real 10k corpus
    .venv/bin/python benchmarks/known_item_bench.py --scaled 100k   # the generated 100k

The method is that of Azzopardi, de Rijke and Balog (SIGIR 2007, "Building simulated
queries for known-item topics"): pick a target post at random (fixed seed), write the
query a person who remembers it would type, and see where the target lands. Five kinds
of query, for each target:

* title: two to four words of its title, in their order;
* body: three distinct words of its body, drawn with probability proportional to
  tf-idf (the words that make it memorable);
* typo: the body query with one or two of its words (of four letters or more) mistyped
  by one random edit anywhere in the word (a neighbouring key for a substitution or an
  insertion, a deletion, or two neighbouring letters swapped);
* phrase: a run of five to eight consecutive words of one paragraph, quoted;
* vague: two distinct words drawn in proportion to their frequency in the post (what
  it is about, not what sets it apart).

Words are letters only, lower-cased, without a fixed list of English function words
(so no system is favoured by its own stop words). A target has at least 50 body words
and two title words. Each peer requires every word (FTS5's and plain Whoosh's default; for
tantivy `conjunction_by_default`, which did far better here than its default OR: body
queries s@10 0.46 with OR), with BM25 and the title weighted 3 (Porter or en_stem
stemming); "tantivy fuzzy" lets every term be one edit away (transposition counted
once). rocksearch runs its full search.

Scores: success@1, success@10 and MRR@10 per kind and overall, counted twice: without
credit for duplicates (only the target itself counts; rocksearch lists every copy, as
the peers do), and with credit (another version of the target, by rocksearch's
duplicate groups of the same posts, counts as the target, for every system alike;
rocksearch collapses copies, as it does by default).

`--ranks OUT.json --index DIR [--seeds 2007,1,3,5] [--against EARLIER.json]`: rocksearch
alone, on an index already built, every copy listed: each target's rank (or null) per
seed, kind and query, written to OUT.json, with success@1 and @10 per seed; against an
earlier file (another code's, on the same index), the ranks that moved. What a change
to ranking did, query by query, in a minute at 10k.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import bench_corpus, machine, print_table, scaled_corpus

KINDS = ("title", "body", "typo", "phrase", "vague")
WORD = re.compile(r"[a-z]+")
# Function words never drawn into a query (a generic list, not any system's).
_FUNCTION = (
    "a about after all also an and any are as at be been but by can could did do does "
    "for from had has have he her his how i if in into is it its just may more most my "
    "no not of on one only or other our out over said says she so some such than that "
    "the their them then there these they this those through to up us was we were what "
    "when where which who will with would you your"
)
FUNCTION_WORDS = set(_FUNCTION.split())
QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def content(text: str) -> list[str]:
    return [w for w in words(text) if w not in FUNCTION_WORDS and len(w) > 2]


def neighbours(letter: str) -> str:
    for row_n, row in enumerate(QWERTY):
        col = row.find(letter)
        if col >= 0:
            near = row[max(0, col - 1) : col] + row[col + 1 : col + 2]
            for other in (row_n - 1, row_n + 1):
                if 0 <= other < len(QWERTY):
                    near += QWERTY[other][max(0, col - 1) : col + 2]
            return near
    return "etaoin"


def mistype(word: str, rng: random.Random) -> str:
    """One random edit anywhere in the word; never the word itself."""
    for _ in range(20):
        i = rng.randrange(len(word))
        kind = rng.choice(("substitute", "delete", "insert", "swap"))
        if kind == "substitute":
            out = word[:i] + rng.choice(neighbours(word[i])) + word[i + 1 :]
        elif kind == "delete":
            out = word[:i] + word[i + 1 :]
        elif kind == "insert":
            out = word[:i] + rng.choice(neighbours(word[i])) + word[i:]
        else:
            i = min(i, len(word) - 2)
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if out != word and len(out) > 1:
            return out
    return word[:-1]


def draw(counts: Counter, weight, k: int, rng: random.Random) -> list[str]:
    """k distinct words drawn without replacement, each with probability ∝ weight."""
    pool = dict(counts)
    out = []
    while pool and len(out) < k:
        items = list(pool)
        chosen = rng.choices(items, weights=[weight(w, pool[w]) for w in items])[0]
        out.append(chosen)
        del pool[chosen]
    return out


ALPHA = re.compile(r"[A-Za-z]+")


def phrase_run(body: str, length: int, rng: random.Random) -> list[str]:
    """`length` consecutive words of one paragraph, each all letters as written (so the
    run stands in the text exactly as quoted: no digits or apostrophes dropped from
    between its words), lower-cased; the longest such run if none is that long."""
    runs: list[list[str]] = []
    for paragraph in body.split("\n\n"):
        current: list[str] = []
        for token in paragraph.split():
            word = token.rstrip(",.;:!?")
            if ALPHA.fullmatch(word) and (word == token or len(current) + 1 >= length):
                current.append(word.lower())
                if word != token:  # punctuation ends the run after this word
                    runs.append(current)
                    current = []
            else:
                runs.append(current)
                current = []
        runs.append(current)
    long_enough = [r for r in runs if len(r) >= length]
    if not long_enough:
        return max(runs, key=len)
    run = rng.choice(long_enough)
    at = rng.randrange(len(run) - length + 1)
    return run[at : at + length]


def make_topics(docs: list[dict], targets: int, seed: int) -> list[dict]:
    """[{"target": id, "kind": …, "query": …}], `targets` posts, five queries each."""
    rng = random.Random(seed)
    df: Counter = Counter()
    for d in docs:
        df.update(set(content(d["body"])))
    n = len(docs)

    def idf(w: str) -> float:
        return math.log(n / (1 + df[w]))

    eligible = [d for d in docs if len(words(d["body"])) >= 50 and len(content(d["title"])) >= 2]
    topics = []
    for doc in rng.sample(eligible, min(targets, len(eligible))):
        title = content(doc["title"])
        start = rng.randrange(max(1, len(title) - 3))
        tf = Counter(content(doc["body"]))
        body = draw(tf, lambda w, c: c * idf(w), 3, rng)
        typo = list(body)
        longer = [i for i, w in enumerate(typo) if len(w) >= 4]
        for i in rng.sample(longer, min(len(longer), rng.choice((1, 2)))):
            typo[i] = mistype(typo[i], rng)
        run = phrase_run(doc["body"], rng.randint(5, 8), rng)
        queries = {
            "title": " ".join(title[start : start + rng.randint(2, 4)]),
            "body": " ".join(body),
            "typo": " ".join(typo),
            "phrase": '"' + " ".join(run) + '"',
            "vague": " ".join(draw(tf, lambda w, c: c, 2, rng)),
        }
        topics += [{"target": doc["id"], "kind": k, "query": q} for k, q in queries.items()]
    return topics


# --- the systems ----------------------------------------------------------------------


class Rocksearch:
    def __init__(self, corpus: Path, work: Path, collapse: bool):
        from indexer.build import build_index
        from search.prepare import prepare_generation
        from search.state import get_state

        if not (work / "rs").exists():
            build_index(corpus, work / "rs", before_publish=prepare_generation)
        self.state = get_state(work / "rs", wait=True).warm()
        self.collapse = collapse
        self.name = "rocksearch" if collapse else "rocksearch (every copy listed)"

    def run(self, query: str) -> list[str]:
        from search.engine import search

        results = search(self.state, query, per_page=10, collapse=self.collapse,
                         time_limit=2.0)  # fmt: skip
        return [h["id"] for h in results.hits]

    def groups(self) -> dict[str, set[str]]:
        """id -> the ids of its duplicate group (rocksearch's finder)."""
        out: dict[str, set[str]] = {}
        for group in self.state.groups["groups"]:
            members = {m["id"] for m in group["members"]}
            for m in members:
                out[m] = members
        return out


class FTS5:
    name = "SQLite FTS5"

    def __init__(self, corpus: Path, work: Path):
        self.db = sqlite3.connect(work / "fts.db")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                        "tokenize='porter unicode61')")  # fmt: skip
        with self.db:
            rows = ((d["id"], d["title"], d["body"]) for d in load(corpus))
            self.db.executemany("INSERT INTO docs (id, title, body) VALUES (?, ?, ?)", rows)

    def run(self, query: str) -> list[str]:
        match = query if query.startswith('"') else " ".join(f'"{w}"' for w in query.split())
        rows = self.db.execute(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 3.0, 1.0) LIMIT 10",
            (match,),
        ).fetchall()
        return [r[0] for r in rows]


class Tantivy:
    def __init__(self, corpus: Path, work: Path, fuzzy: bool):
        import tantivy

        self.fuzzy = fuzzy
        self.name = "tantivy (fuzzy, 1 edit)" if fuzzy else "tantivy"
        path = work / "tantivy"
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=False, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
        schema = builder.build()
        if path.exists():
            self.index = tantivy.Index(schema, path=str(path))
        else:
            path.mkdir()
            self.index = tantivy.Index(schema, path=str(path))
            writer = self.index.writer()
            for d in load(corpus):
                writer.add_document(tantivy.Document(id=d["id"], title=d["title"], body=d["body"]))
            writer.commit()
            writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def run(self, query: str) -> list[str]:
        fuzzy = {"title": (False, 1, True), "body": (False, 1, True)} if self.fuzzy else None
        parsed, _ = self.index.parse_query_lenient(query, ["title", "body"],
                                                   field_boosts={"title": 3.0},
                                                   fuzzy_fields=fuzzy,
                                                   conjunction_by_default=True)  # fmt: skip
        hits = self.searcher.search(parsed, 10).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


class PlainWhoosh:
    name = "plain Whoosh"

    def __init__(self, corpus: Path, work: Path):
        from whoosh import index, qparser, scoring
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                        body=TEXT(analyzer=StemmingAnalyzer()))  # fmt: skip
        (work / "wh").mkdir()
        ix = index.create_in(str(work / "wh"), schema)
        with ix.writer(limitmb=256, procs=2, multisegment=True) as writer:
            for d in load(corpus):
                writer.add_document(id=d["id"], title=d["title"], body=d["body"])
        self.searcher = ix.searcher(weighting=scoring.BM25F(title_B=0.75))
        self.parser = qparser.MultifieldParser(["title", "body"], schema,
                                               fieldboosts={"title": 3.0})  # fmt: skip

    def run(self, query: str) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(self.parser.parse(query), limit=10)]


# --- scoring ----------------------------------------------------------------------------


def evaluate(system, topics: list[dict], same: dict[str, set[str]] | None) -> dict:
    """{kind: (success@1, success@10, MRR@10)} and "all"; `same` gives duplicate credit."""
    per_kind: dict[str, list[int | None]] = {k: [] for k in KINDS}
    started = time.perf_counter()
    for topic in topics:
        wanted = (same or {}).get(topic["target"], {topic["target"]})
        ranked = system.run(topic["query"])
        rank = next((i for i, found in enumerate(ranked[:10], 1) if found in wanted), None)
        per_kind[topic["kind"]].append(rank)
    seconds = time.perf_counter() - started

    def scores(ranks: list[int | None]) -> tuple[float, float, float]:
        n = len(ranks) or 1
        return (sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n,
                sum(1 / r for r in ranks if r) / n)  # fmt: skip

    out = {k: scores(v) for k, v in per_kind.items()}
    out["all"] = scores([r for v in per_kind.values() for r in v])
    out["ms"] = seconds * 1000 / max(len(topics), 1)
    return out


def write_ranks(docs: list[dict], args, seeds: list[int]) -> int:
    """--ranks: each target's rank per seed, kind and query (rocksearch, every copy
    listed), to args.ranks; the ranks that moved against args.against."""
    from search.engine import search
    from search.state import get_state

    if args.index is None:
        sys.exit("--ranks needs --index: an index of the same corpus, already built")
    state = get_state(args.index, wait=True).warm()
    ranks: dict[str, int | None] = {}
    for seed in seeds:
        for topic in make_topics(docs, args.targets, seed):
            found = search(state, topic["query"], per_page=10, collapse=False, time_limit=2.0)
            ids = [hit["id"] for hit in found.hits]
            key = f"{seed}|{topic['kind']}|{topic['query']}|{topic['target']}"
            ranks[key] = ids.index(topic["target"]) + 1 if topic["target"] in ids else None
        mine = [r for k, r in ranks.items() if k.startswith(f"{seed}|")]
        print(f"seed {seed}: success@1 {sum(r == 1 for r in mine) / len(mine):.4f}, "
              f"success@10 {sum(r is not None for r in mine) / len(mine):.4f}")  # fmt: skip
    args.ranks.write_text(json.dumps(ranks, indent=0), "utf-8")
    if args.against:
        earlier = json.loads(args.against.read_text("utf-8"))
        moved = [(k, earlier[k], r) for k, r in ranks.items() if k in earlier and earlier[k] != r]
        for key, before, now in moved:
            print(f"{before} -> {now}  {key}")
        print(f"{len(moved)} of {len(ranks)} ranks moved")
    return 0


def table(title: str, results: list[tuple[str, dict]]) -> None:
    print(f"\n{title}\n")
    headers = ["system", "all s@1", "all s@10", "MRR@10"]
    headers += [f"{k} s@1 / s@10" for k in KINDS] + ["ms/query"]
    rows = []
    for name, r in results:
        row = [name, f"{r['all'][0]:.3f}", f"{r['all'][1]:.3f}", f"{r['all'][2]:.3f}"]
        row += [f"{r[k][0]:.3f} / {r[k][1]:.3f}" for k in KINDS] + [f"{r['ms']:.1f}"]
        rows.append(row)
    print_table(headers, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaled", help="a generated corpus size, e.g. 100k (default: real 10k)")
    parser.add_argument("--targets", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument("--keep", type=Path, help="keep the indexes in this folder (reused)")
    parser.add_argument("--ranks", type=Path, help="write rocksearch's rank of each target "
                        "(every copy listed) to this JSON file, and nothing else")  # fmt: skip
    parser.add_argument("--index", type=Path, help="with --ranks: an index of the corpus")
    parser.add_argument("--seeds", help="with --ranks: seeds, comma-separated (default --seed)")
    parser.add_argument("--against", type=Path, help="with --ranks: an earlier ranks file")
    args = parser.parse_args()
    corpus = scaled_corpus(args.scaled) if args.scaled else bench_corpus(10000)
    docs = load(corpus)
    if args.ranks:
        seeds = [int(s) for s in (args.seeds or str(args.seed)).split(",")]
        return write_ranks(docs, args, seeds)
    topics = make_topics(docs, args.targets, args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="rocksearch-known-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        collapsed = Rocksearch(corpus, work, collapse=True)
        every = Rocksearch(corpus, work, collapse=False)
        same = collapsed.groups()
        if (work / "fts.db").exists():  # FTS5 and plain Whoosh are built anew each run
            (work / "fts.db").unlink()
        if (work / "wh").exists():
            shutil.rmtree(work / "wh")
        peers = [FTS5(corpus, work), Tantivy(corpus, work, fuzzy=False),
                 Tantivy(corpus, work, fuzzy=True), PlainWhoosh(corpus, work)]  # fmt: skip
        plain = [(every.name, evaluate(every, topics, None))]
        plain += [(p.name, evaluate(p, topics, None)) for p in peers]
        credit = [(collapsed.name, evaluate(collapsed, topics, same))]
        credit += [(p.name, evaluate(p, topics, same)) for p in peers]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    n = len(topics) // len(KINDS)
    print(f"\nKnown-item evaluation: {n} targets x {len(KINDS)} kinds of query, seed "
          f"{args.seed}, {corpus.name} ({len(docs):,} posts; {machine()})")  # fmt: skip
    table("Without credit for duplicates (only the target counts)", plain)
    table("With credit for duplicates (another version of the target counts, for all)", credit)
    examples = {t["kind"]: t["query"] for t in topics[: len(KINDS)]}
    print("\nQueries of the first target:", json.dumps(examples))


if __name__ == "__main__":
    sys.exit(main())
