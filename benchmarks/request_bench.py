"""Where an /api/search request's time goes beyond the search itself, in one process.

    .venv/bin/python benchmarks/request_bench.py [--index DIR] [--rounds 3]

The HTTP benchmark's URLs (benchmarks/http_bench.py: queries drawn the way people type,
pages 1-3, some with a category filter; drawn with another seed; `--classic`: the earlier
set) through each layer in turn,
on the 10k real corpus: the search function alone; with its answer made JSON; the
Flask API through Werkzeug's test client with the rate limiter and search analytics
off; with the rate limiter on (its counters in the SQLite file the workers share); and
with analytics on too (both on is the default, as served). For scale, FTS5's bare WSGI
app (bm25 + snippet, benchmarks/fts5_app.py) through the same test client. No sockets
and no gunicorn: what is left of a served request's time is the server's (see
http_bench.py). Milliseconds per request: the mean of each round, the median of the
rounds, and the median and p99 of single requests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path

from common import bench_corpus, machine, print_table
from http_bench import urls
from query_bench import load, make_queries, typed_queries


def timed(calls: list, rounds: int) -> dict:
    """Each call run once per round, in order; the times of the median round."""
    runs = []
    for _ in range(rounds):
        single = []
        for call in calls:
            start = time.perf_counter()
            call()
            single.append((time.perf_counter() - start) * 1000)
        runs.append(single)
    runs.sort(key=statistics.fmean)
    single = sorted(runs[len(runs) // 2])
    return {"mean": statistics.fmean(single), "p50": single[len(single) // 2],
            "p99": single[min(len(single) - 1, int(len(single) * 0.99))]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an index of the 10k corpus, already built")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--classic", action="store_true",
                        help="the earlier query set, as the tables before 2026-12-03's "
                        "thirteenth session used")  # fmt: skip
    args = parser.parse_args()

    from search.engine import search
    from search.state import get_state
    from web import create_app

    corpus = bench_corpus()
    work = Path(tempfile.mkdtemp(prefix="rocksearch-request-"))
    try:
        index = args.index
        if index is None:
            from indexer.build import build_index
            from search.prepare import prepare_generation

            index = work / "index"
            build_index(corpus, index, before_publish=prepare_generation)
        docs = load(corpus)
        paths = urls(make_queries(docs, seed=5) if args.classic else typed_queries(docs, seed=5))
        del docs
        asked = []
        for path in paths:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
            filters = {"category": query["category"]} if "category" in query else None
            asked.append((query["q"][0], int(query["page"][0]), filters))
        state = get_state(index, wait=True)

        def app_client(limiter: bool, analytics: bool):
            config = {"index": str(index), "analytics": analytics,
                      "rate_limit": "1000000/minute", "RATELIMIT_ENABLED": limiter}  # fmt: skip
            client = create_app(config).test_client()
            for path in paths:  # warm: every worker has answered before it is measured
                assert client.get(path).status_code == 200, path
            return client

        def searching(q, page, filters):
            return lambda: search(state, q, filters, page)

        def with_json(q, page, filters):
            return lambda: json.dumps(search(state, q, filters, page).to_dict())

        rows = [("search() alone", [searching(*a) for a in asked])]
        rows.append(("+ the answer as JSON", [with_json(*a) for a in asked]))
        for name, limiter, analytics in [
            ("the API in Flask, rate limiter and analytics off", False, False),
            ("+ the rate limiter", True, False),
            ("+ search analytics (the defaults: as served)", True, True),
        ]:
            client = app_client(limiter, analytics)
            rows.append((name, [lambda c=client, p=path: c.get(p) for path in paths]))

        import fts5_app
        from werkzeug.test import Client

        db = work / "fts5.sqlite3"
        fts5_app.build(corpus, db)
        os.environ["FTS5_DB"] = str(db)
        fts = Client(fts5_app.make_app())
        for path in paths:
            fts.get(path)
        rows.append(("FTS5 through the same test client", [lambda p=path: fts.get(p)
                                                            for path in paths]))  # fmt: skip

        table = []
        for name, calls in rows:
            found = timed(calls, args.rounds)
            table.append([name, *(f"{found[k]:.2f}" for k in ("mean", "p50", "p99"))])
        print(f"\n{len(paths)} requests, {args.rounds} rounds, 10k real articles ({machine()}), "
              f"milliseconds per request")  # fmt: skip
        print_table(["layer", "mean", "p50", "p99"], table)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
