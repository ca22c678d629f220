"""One changed post, and a fresh process's first answer: what a `rocksearch` command costs.

    .venv/bin/python benchmarks/update_bench.py --index DIR [--runs 10] [--compare TREE]

Takes an index of the corpus (by default the 100k scaled corpus, `--scaled`; built
here if `--index` is not given, which takes minutes), copied with hard links into a
temporary folder (the index given is not changed), with the corpus copied beside it.
Each run appends words to one post of the copy, in place (the way an editor's save
rewrites a JSON Lines corpus), and times the real `rocksearch index` command, Python's
start and imports included: runs in turns append words every post has, and the same
words with one no post has (a name, a typo: its stem is not in the index, so the command
imports NLTK to make it, as an editor's real change often makes it do); then it times
fresh `rocksearch search` processes
for a query of known words, one with typos, and one with a word the posts lack. #12's
targets: each under a second at 100k.

`--compare TREE`: runs alternate with another checkout of this project (its code on
`PYTHONPATH`, its own copy of the index), because this machine's speed moves by a third
from hour to hour and only runs in the same minutes compare. Before the timed runs each
code indexes one edit untimed, writing its duplicate finder's base in its own format,
and each tree's modules are compiled to bytecode first (a tree without would compile
them in every timed process).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, print_table, scaled_corpus

QUERIES = ("oil prices", "custmer servise", "zebrafish")
WORDS = "market shares rose"  # words every scaled corpus has: no new word to stem


def new_word(run: int) -> str:
    """A word no post has, another each run (letters only, as a name or a typo)."""
    return "zorblax" + string.ascii_lowercase[run % 26] + string.ascii_lowercase[run // 26 % 26]


def linked_copy(index: Path, into: Path) -> Path:
    """`index` as hard links in `into` (a generation's files are never changed in place:
    a run writes a new generation, so the original is untouched)."""
    shutil.copytree(index, into, copy_function=os.link)
    return into


def edit_one(corpus: Path, number: int, words: str = WORDS) -> None:
    """Append `words` to the body of the post on line `number`, rewriting the file."""
    lines = corpus.read_bytes().split(b"\n")
    post = json.loads(lines[number])
    post["body"] += f" {words}"
    lines[number] = json.dumps(post, ensure_ascii=False).encode("utf-8")
    corpus.write_bytes(b"\n".join(lines))


RUN = "import sys; from rocksearch_cli import run; sys.argv[0] = 'rocksearch'; run()"
# The same run, after which the duplicate finder writes a new base of its working data
# (search/duplicate_work.py): each code then reads a base in its own format, as after
# BASE_CHANGES changed posts (an older format is read, the newer only by newer code).
NEW_BASE = "import search.duplicate_work as work; work.BASE_CHANGES = -1; " + RUN


def timed(tree: Path, args: list[str], code: str = RUN) -> float:
    """Seconds of one `rocksearch` command run from `tree`'s code, start to exit."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=tree, env=env,
                          capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"rocksearch {' '.join(args)} failed ({tree}):\n{done.stderr}")
    return seconds


def compiled(tree: Path) -> None:
    """Each tree's modules compiled to bytecode before any run is timed: a process that
    finds none compiles every module it imports (and, with PYTHONDONTWRITEBYTECODE set,
    does so in every run), which made a checkout never run before 0.1-0.3 s slower."""
    packages = ("indexer", "search", "web", "editorial", "rocksearch_cli")  # as run.sh does
    folders = [str(tree / name) for name in packages]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an index of the corpus, already built")
    parser.add_argument("--scaled", default="100k", help="the scaled corpus (default 100k)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--compare", type=Path, help="another checkout, run alternately")
    args = parser.parse_args()

    source = scaled_corpus(args.scaled)
    # (beside the index given: its copy is made of hard links, which stay on one device)
    beside = args.index.resolve().parent if args.index else None
    work = Path(tempfile.mkdtemp(prefix="rocksearch-update-", dir=beside))
    try:
        corpus = work / source.name
        shutil.copyfile(source, corpus)
        trees = {"this code": ROOT}
        if args.compare:
            trees[f"{args.compare}"] = args.compare.resolve()
        for tree in trees.values():
            compiled(tree)
        index = args.index
        if index is None:
            index = work / "built"
            timed(ROOT, ["index", "--corpus", str(corpus), "--index", str(index)])
        indexes = {name: linked_copy(index, work / f"index-{n}") for n, name in enumerate(trees)}
        posts = corpus.read_bytes().count(b"\n")
        edit_one(corpus, posts // 2)  # (untimed: the copied corpus read, a base written)
        for name, tree in trees.items():
            timed(tree, ["index", "--corpus", str(corpus), "--index", str(indexes[name])],
                  NEW_BASE)  # fmt: skip
        updates: dict[tuple[str, str], list[float]] = {}
        firsts: dict[tuple[str, str], list[float]] = {}
        for run in range(args.runs):
            # A post spread over the file each run (one in a dense cluster of copies costs
            # more: docs/benchmarks.md), the same change for each code.
            # (in turns: words the posts have, and with them a word new to them)
            new = run % 2 == 1
            edit_one(corpus, (run * 7919) % posts, f"{WORDS} {new_word(run)}" if new else WORDS)
            for name, tree in trees.items():
                seconds = timed(tree, ["index", "--corpus", str(corpus),
                                       "--index", str(indexes[name])])  # fmt: skip
                kind = "a new word" if new else "known words"
                updates.setdefault((name, kind), []).append(seconds)
        for query in QUERIES:
            for _ in range(max(3, args.runs // 2)):
                for name, tree in trees.items():
                    seconds = timed(tree, ["--index", str(indexes[name]), "search", query])
                    firsts.setdefault((name, query), []).append(seconds)

        def row(what: str, name: str, times: list[float]) -> list:
            return [what, name, len(times), f"{min(times):.2f}", f"{statistics.median(times):.2f}",
                    f"{max(times):.2f}", sum(t < 1.0 for t in times)]  # fmt: skip

        rows = [row(f"one changed post, {kind}: `rocksearch index`", n, t)
                for (n, kind), t in sorted(updates.items(), key=lambda u: u[0][1])]  # fmt: skip
        rows += [row(f'first answer: `rocksearch search "{q}"`', n, t)
                 for (n, q), t in firsts.items()]  # fmt: skip
        print(f"\n{args.scaled} scaled corpus, {posts:,} posts ({machine()}), seconds")
        print_table(["command", "code", "runs", "min", "median", "max", "under 1 s"], rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
