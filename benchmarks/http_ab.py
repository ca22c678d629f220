"""Two checkouts of rocksearch served side by side: the server CPU a request of each.

    .venv/bin/python benchmarks/http_ab.py --base /path/to/other/checkout [--rounds 6]

A change of a few percent in a request's CPU is smaller than what the machine's speed
moves from one 20 s run of http_bench.py to the next, and that run is of one server,
then of FTS5's. Here both servers are up at once (`rocksearch serve`, 2 workers x 2
threads, each on its own copy of one 10k index built by this checkout's code), and the
load goes to one, then the other, for a few seconds each, round after round, each round
the same slice of the held-out URLs (`http_bench.py --held-out`'s 30,000: no URL twice)
to both, the first server of a round alternating. It prints each round's requests/s
and server CPU a request (all of a server's processes), and the ratio of the totals.
The other checkout (`git worktree add DIR <commit>`) must read this one's index files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from common import CODE, bench_corpus, machine
from http_bench import (
    cpu_seconds,
    free_port,
    load_test,
    process_tree,
    serve,
    typed_of,
    urls,
)
from query_bench import load

SLICE = 5000  # URLs a round, more than a server answers in its few seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, type=Path, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4, help="of load, a server a round")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
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
        for name, code in (("base", args.base.resolve()), ("this", CODE)):
            index = work / f"index-{name}"
            shutil.copytree(work / "index", index)
            port = free_port()
            env = {"ROCKSEARCH_INDEX": str(index), "ROCKSEARCH_RATE_LIMIT": "1000000/minute"}
            cmd = [sys.executable, "-m", "rocksearch_cli", "serve", "--port", str(port),
                   "--workers", "2", "--threads", "2"]  # fmt: skip
            proc = serve(env, cmd, port, "/api/search?q=warm", cwd=code)
            servers.append((name, proc, port))
        for _, _, port in servers:
            load_test(port, warm, 6, args.clients)
        totals = {name: [0.0, 0] for name, _, _ in servers}
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
                line.append(f"{name} {result['rps']:.0f} requests/s, "
                            f"{cpu * 1000 / result['requests']:.3f} ms")  # fmt: skip
            print(f"round {r + 1}: " + "; ".join(line), flush=True)
        per = {name: cpu * 1000 / count for name, (cpu, count) in totals.items()}
        print(f"server CPU a request: base {per['base']:.3f} ms, this {per['this']:.3f} ms; "
              f"this/base {per['this'] / per['base']:.3f}")  # fmt: skip
    finally:
        for _, proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
