"""Two servers side by side, loaded in turns: two checkouts of rocksearch, or it and FTS5.

    .venv/bin/python benchmarks/http_ab.py --base /path/to/other/checkout [--rounds 6]
    .venv/bin/python benchmarks/http_ab.py --fts5      # against FTS5 behind the same gunicorn
    .venv/bin/python benchmarks/http_ab.py --base . --base-env ROCKSEARCH_ANSWER_CACHE_MB=0

A change of a few percent in a request's CPU is smaller than what the machine's speed
moves from one 20 s run of http_bench.py to the next, and that run is of one server,
then of FTS5's. Here both servers are up at once (`rocksearch serve`, 2 workers x 2
threads, each on its own copy of one 10k index built by this checkout's code), and the
load goes to one, then the other, for a few seconds each, round after round, each round
the same slice of the held-out URLs (`http_bench.py --held-out`'s 30,000: no URL twice)
to both, the first server of a round alternating. It prints each round's requests/s
and server CPU a request (all of a server's processes), and the ratio of the totals.
The other checkout (`git worktree add DIR <commit>`) must read this one's index files;
it may be this one, with other settings (`--base-env NAME=VALUE`, for the base only), or
with its index written by another number of processes (`--base-writers N`: a fresh build
writes a segment a process, so `--base . --base-writers 1` serves one segment against
the two a 2-core build writes, the same code on both).
With `--fts5` the other server is http_bench.py's FTS5 one (bm25 and snippet(), the
same gunicorn settings): #12's requests/s ratio measured in turns, where the machine's
drift between one 20 s run and the next does not fall on one server only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from common import CODE, bench_corpus, machine
from http_bench import (
    FTS5_WORKERS,
    cpu_seconds,
    fts5_server,
    load_test,
    process_tree,
    rocksearch_server,
    typed_of,
    urls,
)
from query_bench import load

SLICE = 5000  # URLs a round, more than a server answers in its few seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    other = parser.add_mutually_exclusive_group(required=True)
    other.add_argument("--base", type=Path, help="the other checkout")
    other.add_argument("--fts5", action="store_true", help="FTS5's server as the other")
    parser.add_argument("--base-env", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the base server only (repeatable)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4, help="of load, a server a round")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--base-writers", type=int, metavar="N",
                        help="the base's index written by N processes (N segments)")  # fmt: skip
    parser.add_argument("--fts5-worker", choices=sorted(FTS5_WORKERS), default="gthread",
                        help="with --fts5: its server's worker class")  # fmt: skip
    args = parser.parse_args()
    if args.fts5 and args.base_env:
        parser.error("--base-env sets the base checkout's server: not with --fts5")
    if not args.fts5 and args.fts5_worker != "gthread":
        parser.error("--fts5-worker sets FTS5's server: only with --fts5")
    if args.fts5 and args.base_writers:
        parser.error("--base-writers builds the base checkout's index: not with --fts5")
    corpus = bench_corpus(10000)
    docs = load(corpus)
    paths = urls(typed_of(docs, range(3000, 3100)))
    warm = urls(typed_of(docs, (2027, 2028)), seed=8)
    del docs
    if args.rounds * SLICE > len(paths):
        sys.exit(f"at most {len(paths) // SLICE} rounds: each takes {SLICE} new URLs")
    from indexer.build import build_index
    from search.prepare import prepare_generation

    work = Path(tempfile.mkdtemp(prefix="rocksearch-ab-"))
    servers = []
    try:
        shutil.copy(corpus, work / corpus.name)
        build_index(work / corpus.name, work / "index", before_publish=prepare_generation)
        if args.base_writers:
            build_index(work / corpus.name, work / "index-built-base",
                        before_publish=prepare_generation, processes=args.base_writers)  # fmt: skip
        base_env = dict(setting.split("=", 1) for setting in args.base_env)
        checkouts = [("this", CODE, {})]
        if not args.fts5:
            checkouts.insert(0, ("base", args.base.resolve(), base_env))
        for name, code, env in checkouts:
            index = work / f"index-{name}"
            built = "index-built-base" if name == "base" and args.base_writers else "index"
            shutil.copytree(work / built, index)
            servers.append((name, *rocksearch_server(index, 2, 2, cwd=code, **env)))
        if args.fts5:
            servers.append(("fts5", *fts5_server(corpus, work / "fts.db", 2, 2, args.fts5_worker)))
        for _, _, port in servers:
            load_test(port, warm, 6, args.clients)
        totals = {name: [0.0, 0, 0.0] for name, _, _ in servers}  # CPU, requests, seconds
        print(f"{args.clients} clients, {args.seconds:.0f} s a server a round ({machine()})")
        for r in range(args.rounds):
            chosen = paths[r * SLICE : (r + 1) * SLICE]
            line = []
            for name, proc, port in servers if r % 2 == 0 else servers[::-1]:
                pids = process_tree(proc.pid)
                before = cpu_seconds(pids)
                result = load_test(port, chosen, args.seconds, args.clients)
                cpu = cpu_seconds(pids) - before
                totals[name][0] += cpu
                totals[name][1] += result["requests"]
                totals[name][2] += result["requests"] / result["rps"]
                line.append(f"{name} {result['rps']:.0f} requests/s, "
                            f"{cpu * 1000 / result['requests']:.3f} ms")  # fmt: skip
            print(f"round {r + 1}: " + "; ".join(line), flush=True)
        other = "fts5" if args.fts5 else "base"
        per = {name: cpu * 1000 / count for name, (cpu, count, _) in totals.items()}
        rate = {name: count / seconds for name, (_, count, seconds) in totals.items()}
        print(f"requests/s: {other} {rate[other]:.0f}, this {rate['this']:.0f}; "
              f"this/{other} {rate['this'] / rate[other]:.3f}")  # fmt: skip
        print(f"server CPU a request: {other} {per[other]:.3f} ms, this {per['this']:.3f} ms; "
              f"this/{other} {per['this'] / per[other]:.3f}")  # fmt: skip
    finally:
        for _, proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
