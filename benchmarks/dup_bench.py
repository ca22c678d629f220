"""Duplicate-finder benchmark: planted variants in a real or scaled corpus.

    .venv/bin/python benchmarks/dup_bench.py                 # the real 10k corpus
    .venv/bin/python benchmarks/dup_bench.py --scaled 100k   # a generated 100k corpus

Picks originals (100+ words, that the finder pairs with nothing in the corpus), plants one variant
of each kind (exact copy, retitled, excerpt: the first 40% of paragraphs, edited: 10% of
the words replaced), runs the finder over corpus + variants, and prints per kind:
recall (the variant is grouped with its original), precision (of the pairs the finder
reports with a planted variant, those within its own family), the same two counting
as family any post that holds the variant's whole text (recall*, precision*: in the
scaled corpus several posts share one opening, so an excerpt of one is word for word
an excerpt of each), relation accuracy, and the run time.
"""

from __future__ import annotations

import argparse
import random
import time

from common import bench_corpus, machine, print_table, scaled_corpus
from query_bench import load

from indexer.analysis import TextAnalyzer

_EXACT = TextAnalyzer(stem=False)

KINDS = ("exact", "retitled", "excerpt", "edited")


def plant(rng: random.Random, original: dict, kind: str) -> dict:
    v = {**original, "id": f"{original['id']}~{kind}"}
    paragraphs = original["body"].split("\n\n")
    if kind == "retitled":
        v["title"] = f"Again: {original['title'].lower()} revisited"
    elif kind == "excerpt":
        words = original["body"].split(" ")
        if len(paragraphs) >= 3:
            v["body"] = "\n\n".join(paragraphs[: max(1, int(len(paragraphs) * 0.4))])
        else:
            v["body"] = " ".join(words[: max(20, int(len(words) * 0.4))])
        v["excerpt"] = True
    elif kind == "edited":
        vocab = ["market", "customer", "value", "plan", "team", "price", "growth", "trust"]
        v["body"] = " ".join(
            rng.choice(vocab) if rng.random() < 0.1 else w for w in original["body"].split(" ")
        )
    return v


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaled", help="use a generated corpus of this size (e.g. 100k)")
    parser.add_argument("--originals", type=int, default=250)
    args = parser.parse_args()
    from search.duplicates import find_groups

    corpus = scaled_corpus(args.scaled) if args.scaled else bench_corpus(10000)
    docs = load(corpus)
    started = time.perf_counter()
    linked: list[tuple[str, str]] = []
    natural = find_groups(docs, pairs=linked)
    base_seconds = time.perf_counter() - started
    # Originals the finder pairs with nothing: a post it already finds the same as
    # another (grouped or not) would bring that other into its family's group.
    grouped = {m["id"] for g in natural for m in g["members"]} | {i for p in linked for i in p}
    rng = random.Random(11)
    pool = [d for d in docs if d["id"] not in grouped and len(d["body"].split()) >= 100]
    originals = rng.sample(pool, min(args.originals, len(pool)))
    planted = [plant(rng, o, kind) for o in originals for kind in KINDS]
    started = time.perf_counter()
    groups = find_groups(docs + planted)
    seconds = time.perf_counter() - started
    group_of, relation_of, members_of = {}, {}, {}
    for n, g in enumerate(groups):
        ids = [m["id"] for m in g["members"]]
        members_of[n] = ids
        for m in g["members"]:
            group_of[m["id"]] = n
            relation_of[m["id"]] = m["relation"]
    by_id = {d["id"]: d for d in docs + planted}
    paragraphs: dict[str, list[str]] = {}

    def paragraphs_of(article_id: str) -> list[str]:
        if article_id not in paragraphs:
            body = by_id[article_id]["body"]
            paragraphs[article_id] = [" ".join(_EXACT.words(p)) for p in body.split("\n\n")]
        return paragraphs[article_id]

    def holds(container: str, variant: str) -> bool:
        """Whether `container` has all of the variant's text: each of its paragraphs
        (its words, when it is cut inside a paragraph). Then the two are the same
        writing whatever the family: the scaled corpus gives one opening to many
        posts, so an excerpt of one is, word for word, an excerpt of each."""
        theirs, ours = paragraphs_of(container), paragraphs_of(variant)
        if set(ours) <= set(theirs):
            return True
        return " ".join(ours) in " ".join(theirs)

    rows = []
    for kind in KINDS:
        found = found_any = right = right_any = reported = labelled = 0
        for o in originals:
            vid = f"{o['id']}~{kind}"
            g = group_of.get(vid)
            if g is not None and group_of.get(o["id"]) == g:
                found += 1
            if g is not None:
                others = [x for x in members_of[g] if x != vid]
                family = [x for x in others if x.split("~")[0] == o["id"]]
                found_any += bool(family) or any(holds(x, vid) for x in others)
                reported += len(others)
                right += len(family)
                right_any += len(family) + sum(
                    1 for x in others if x not in family and holds(x, vid)
                )
                labelled += relation_of.get(vid) == kind or (
                    relation_of.get(vid) == "canonical" and relation_of.get(o["id"]) == kind
                )
        n = len(originals)
        rows.append([kind, n, f"{found / n:.3f}", f"{right / reported if reported else 1:.3f}",
                     f"{found_any / n:.3f}", f"{right_any / reported if reported else 1:.3f}",
                     f"{labelled / n:.3f}"])  # fmt: skip
    print(f"\n{len(docs):,} documents from {corpus.name} + {len(planted)} planted variants "
          f"({machine()})\n")  # fmt: skip
    print_table(["variant", "planted", "recall", "precision", "recall*", "precision*",
                 "relation right"], rows)  # fmt: skip
    print("\n* also counting as its family any post that holds all of the variant's text")
    print(f"\nfinder on the corpus alone: {base_seconds:.1f} s ({len(natural)} groups found); "
          f"with the variants: {seconds:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
