"""HTTP load benchmark: `rocksearch serve` on the 10k real corpus, and FTS5 behind the same server.

    .venv/bin/python benchmarks/http_bench.py [--seconds 20] [--clients 8] [--steady-only]

Queries drawn the way people type (query_bench.typed_queries: 300, mostly one to three
words, many of them common, some with a typo, a few quoted phrases; pages 1-3; some with
a category filter; `--classic`: the earlier set of rarer words, title words, phrases and
transposed letters, kept so that older tables can be compared; `--held-out`: 30,000
typed queries, seeds 3000-3099, after a warm-up on 600 others, so that a run sends a
URL twice only as often as the query generator repeats one (16% of them: common single
words), not because the clients went round a short list again) from
a few concurrent
keep-alive clients on loopback, for a fixed time:
requests/s, p50/p99 and errors. Then the same load while the indexer publishes a new
generation every few seconds (one article changed each time): there must be no errors.
Then "publishing under load": 8 clients for 60 s while 50 changed articles are published
every 5 s; besides errors it counts stale ETags (one URL and ETag seen with two different
answers) and requests over 1 s (`--publishing-only` runs just this row). The publisher
runs in a session of its own, as a service unit does (`--publisher-in-session`: in the
server's). Then search
analytics off and on, alternating twice on one index (`--analytics-only`).
For scale, the same load against SQLite FTS5 (bm25 + snippet) served by the same
gunicorn settings. The steady rows also give the server's CPU time per request (its
processes' user and system time over the requests answered), which the load generator
sharing the machine does not blur. Every request loop is bounded in time and talks
only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from common import CODE, ROOT, bench_corpus, machine, print_table
from query_bench import load, make_queries, typed_queries

from search.settings import BY_NAME


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, path: str, proc) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit("the server exited before it was ready")
        time.sleep(0.2)
    sys.exit("the server did not become ready")


def urls(queries: dict[str, list[str]], seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for qs in queries.values():
        for q in qs:
            params = {"q": q, "page": rng.choice([1, 1, 1, 2, 3])}
            if rng.random() < 0.15:
                params["category"] = rng.choice(["earn", "acq", "crude", "trade"])
            out.append("/api/search?" + urllib.parse.urlencode(params))
    rng.shuffle(out)
    return out


def typed_of(docs: list[dict], seeds) -> dict[str, list[str]]:
    """typed_queries of each seed, kind by kind."""
    out: dict[str, list[str]] = {}
    for seed in seeds:
        for kind, qs in typed_queries(docs, seed).items():
            out.setdefault(kind, []).extend(qs)
    return out


def content_key(body: bytes) -> str:
    """An answer's content without its timing, to compare two answers with one ETag."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")
    data.pop("took_ms", None)
    return json.dumps(data, sort_keys=True)


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's master and workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        out.append(todo.pop())
        todo += children.get(out[-1], [])
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (those gone count 0)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def steady_load(proc, port: int, paths: list[str], seconds: float, clients: int) -> dict:
    """`load_test`, and the server's CPU time per request (all its processes): what a
    request costs the server, whatever the load generator beside it takes."""
    pids = process_tree(proc.pid)
    before = cpu_seconds(pids)
    result = load_test(port, paths, seconds, clients)
    result["cpu_ms"] = (cpu_seconds(pids) - before) * 1000 / max(result["requests"], 1)
    return result


@contextlib.contextmanager
def slow_clients(port: int, count: int):
    """`count` hostile connections beside the load: half send their request a header
    line a second ("slowloris"; again when the server closes the connection), half ask
    for fifty answers at once and read none (a new connection every 12 s).
    (web/slow_clients.py is rocksearch's answer to them; gunicorn's own gthread, FTS5's
    server here, gives each a thread.)"""
    stop = threading.Event()

    def dribbling() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"GET /api/search?q=market HTTP/1.1\r\nHost: x\r\n")
                while not stop.wait(1.0):
                    s.sendall(b"X-Slow: 1\r\n")

    def not_reading() -> None:
        many = b"".join(b"GET /api/search?q=oil&page=%d HTTP/1.1\r\nHost: x\r\n\r\n" % (n % 3 + 1)
                        for n in range(50))  # fmt: skip
        while not stop.is_set():
            with contextlib.suppress(OSError), socket.socket() as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
                s.connect(("127.0.0.1", port))
                s.sendall(many)
                stop.wait(12.0)  # (then again: rocksearch drops it after 10 s of no reading)

    threads = [threading.Thread(target=dribbling if n % 2 == 0 else not_reading, daemon=True)
               for n in range(count)]  # fmt: skip
    for t in threads:
        t.start()
    time.sleep(2)  # every one has begun
    try:
        yield
    finally:
        stop.set()


def load_test(port: int, paths: list[str], seconds: float, clients: int) -> dict:
    """`clients` keep-alive clients for `seconds`: rps, p50, p99, errors, and stale ETags:
    one ETag seen with two different contents for the same URL (a cache holding the first
    would keep serving it as current). The answers are compared after the run: parsing
    each in the clients took their CPU (0.1 ms an answer) from the server beside them,
    and only for a server that sends ETags (FTS5's sends none)."""
    latencies: list[float] = []
    errors = [0]
    slow: list[float] = []  # when requests over 1 s ended, for the publishing row
    tagged: list[tuple[float, str, str, bytes]] = []  # (when, path, ETag, body)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = offset
        mine, answers = [], []
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += clients
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200
                etag = response.getheader("ETag")
                if ok and etag:
                    answers.append((time.monotonic(), path, etag, body))
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append((time.perf_counter() - started) * 1000)
            if mine[-1] > 1000:
                with lock:
                    slow.append(time.monotonic())
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)
            tagged.extend(answers)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    seen: dict[tuple[str, str], str] = {}
    stale = 0
    for _, path, etag, body in sorted(tagged, key=lambda answer: answer[0]):
        content = content_key(body)
        if seen.setdefault((path, etag), content) != content:
            stale += 1
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "errors": errors[0],
        "stale": stale,
        "over_1s": len(slow),
    }


def edit(records: list[dict], rng: random.Random, changed: int, n: int) -> None:
    """Edit `changed` of `records` (edit number `n`). Each edit its own words: one
    sentence added to 50 posts at once would be a new shared paragraph, i.e. boilerplate,
    for which the duplicate finder rightly runs a whole pass (search/duplicate_update.py)."""
    for record in rng.sample(records, changed):
        record["body"] += f"\n\nEdited {n}: {record['title']} market shares rose."


def write_corpus(records: list[dict], path: Path) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def reindex_loop(corpus: Path, index_dir: Path, stop: threading.Event, every: float,
                 changed: int = 1, own_session: bool = True) -> list:  # fmt: skip
    """Publish a new generation every `every` seconds, `changed` articles edited each
    time, by running `rocksearch index` as its own process, as a deployment would (it
    finds the new generation's warm-up and duplicate groups before publishing it).
    With `own_session` it runs in a session of its own, as a service unit or another
    terminal runs it (see the publishing row in rocksearch_rows). Gives (generation,
    seconds the command took) per publish."""
    records = load(corpus)
    work = corpus.parent / "live"
    work.mkdir(exist_ok=True)
    live = work / corpus.name
    done = []
    n = 0
    rng = random.Random(11)
    due = time.monotonic() + every
    command = [sys.executable, "-m", "rocksearch_cli", "index", "--index", str(index_dir),
               "--corpus", str(live), "--json"]  # fmt: skip
    # A publish starts every `every` seconds (at once when the previous one ran longer).
    while not stop.wait(max(0.0, due - time.monotonic())):
        due = max(due + every, time.monotonic())
        n += 1
        edit(records, rng, changed, n)
        write_corpus(records, live)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=CODE, capture_output=True, text=True, timeout=300,
                                start_new_session=own_session)  # fmt: skip
        took = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(f"rocksearch index failed: {result.stderr[-2000:]}")
        done.append((json.loads(result.stdout)["generation"], took))
    return done


def watch_loop(corpus: Path, index_dir: Path, stop: threading.Event, every: float,
               changed: int, own_session: bool = True) -> list:  # fmt: skip
    """As reindex_loop, but the publisher is one long-running `rocksearch index --watch`
    (no start-up per publish; edits that arrive while it works are published together).
    Gives (generation, seconds from the edit to its publish, seconds the run took,
    edits in it) per publish."""
    records = load(corpus)
    work = corpus.parent / "live-watch"
    work.mkdir(exist_ok=True)
    live = work / corpus.name
    write_corpus(records, live)
    command = [sys.executable, "-m", "rocksearch_cli", "index", "--index", str(index_dir),
               "--corpus", str(live), "--json", "--watch"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=CODE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=own_session)  # fmt: skip
    proc.stdout.readline()  # the first run: the copy of the corpus, nothing changed
    edits: list[float] = []  # when each edit was written
    done: list = []
    lock = threading.Lock()

    def reader() -> None:
        published = 0
        for line in proc.stdout:
            summary = json.loads(line)
            now = time.perf_counter()
            with lock:
                # Every edit written before this run started is in it.
                included = [t for t in edits[published:] if t <= now - summary["seconds"]]
                published += len(included)
            if included:
                done.append((summary["generation"], now - included[0], summary["seconds"],
                             len(included)))  # fmt: skip

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    rng = random.Random(11)
    n = 0
    due = time.monotonic() + every
    while not stop.wait(max(0.0, due - time.monotonic())):
        due += every
        n += 1
        edit(records, rng, changed, n)
        tmp = live.with_suffix(".tmp")
        write_corpus(records, tmp)
        with lock:
            edits.append(time.perf_counter())
        os.replace(tmp, live)  # the watcher sees the whole file or the old one
    proc.terminate()
    proc.wait(timeout=60)
    thread.join(timeout=10)
    print(f"{n} edits of {changed} posts, one every {every:.0f} s; {len(done)} publishes "
          f"by the watcher, {sum(d[3] for d in done)} edits published")  # fmt: skip
    return done


def serve(args_env: dict, cmd: list[str], port: int, ready_path: str, cwd: Path = CODE):
    """`cmd` started in `cwd` (whose packages it imports first), once it answers."""
    env = {**os.environ, **args_env}
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_ready(port, ready_path, proc)
    return proc


def rocksearch_server(index_dir: Path, workers: int, threads: int, cwd: Path = CODE,
                      **env: str) -> tuple:  # fmt: skip
    """`rocksearch serve` of the checkout `cwd` on `index_dir` (the rate limit out of the
    load's way; `env`: more settings), once it answers: (process, port)."""
    port = free_port()
    env = {"ROCKSEARCH_INDEX": str(index_dir), "ROCKSEARCH_RATE_LIMIT": "1000000/minute", **env}
    cmd = [sys.executable, "-m", "rocksearch_cli", "serve", "--port", str(port),
           "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
    return serve(env, cmd, port, "/api/search?q=warm", cwd=cwd), port


# The worker classes FTS5's server may run under: gunicorn's gthread, or rocksearch's
# own (what `rocksearch serve` gives gunicorn, web/slow_clients.py, which extends it).
FTS5_WORKERS = {"gthread": "gthread", "rocksearch": "web.slow_clients.BufferingWorker"}


def fts5_server(corpus: Path, db: Path, workers: int, threads: int,
                worker: str = "gthread") -> tuple:  # fmt: skip
    """FTS5's app (fts5_app.py, its database `db` built from `corpus`) behind the settings
    `rocksearch serve` gives gunicorn (web/server.py), its access log too (to stdout,
    discarded here as rocksearch's is: 3-4% of a request's time), once it answers:
    (process, port). Its worker: gthread, or `worker="rocksearch"` rocksearch's (which
    made a request of this app no cheaper, in turns: docs/benchmarks.md, "HTTP")."""
    from fts5_app import build

    build(corpus, db)
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "benchmarks"),
           "-w", str(workers), "--threads", str(threads), "-k", FTS5_WORKERS[worker],
           "--access-logfile", "-", "-b", f"127.0.0.1:{port}", "fts5_app:make_app()"]  # fmt: skip
    env = {"FTS5_CORPUS": str(corpus), "FTS5_DB": str(db)}
    return serve(env, cmd, port, "/api/search?q=warm"), port


def while_publishing(port, paths, corpus, index_dir, seconds, clients, every, changed,
                     watch: bool = False, own_session: bool = True) -> dict:  # fmt: skip
    """The load while the indexer publishes a generation every `every` seconds (with
    `watch`, as one `rocksearch index --watch` process)."""
    stop = threading.Event()
    published: list = []
    loop = watch_loop if watch else reindex_loop
    indexer = threading.Thread(
        target=lambda: published.extend(
            loop(corpus, index_dir, stop, every, changed, own_session=own_session)
        )
    )
    indexer.start()
    result = load_test(port, paths, seconds, clients)
    stop.set()
    indexer.join()
    if published and watch:
        lag = sorted(p[1] for p in published)
        took = sorted(p[2] for p in published)
        print(f"{len(published)} publishes: each run took {took[0]:.1f} to {took[-1]:.1f} s "
              f"(median {took[len(took) // 2]:.1f} s); an edit was searchable {lag[0]:.1f} to "
              f"{lag[-1]:.1f} s after it was written")  # fmt: skip
    elif published:
        took = sorted(p[1] for p in published)
        print(f"{len(published)} publishes: `rocksearch index` took {took[0]:.1f} to "
              f"{took[-1]:.1f} s (median {took[len(took) // 2]:.1f} s) under the load")  # fmt: skip
    return {**result, "publishes": len(published)}


def rocksearch_rows(args, corpus: Path, paths: list[str], work: Path) -> list:
    from indexer.build import build_index
    from search.prepare import prepare_generation

    shutil.copy(corpus, work / corpus.name)
    index_dir = work / "index"
    build_index(work / corpus.name, index_dir, before_publish=prepare_generation)
    proc, port = rocksearch_server(index_dir, args.workers, args.threads)
    rows = []
    try:
        for path in args.warm_paths:  # warm-up pass
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            conn.getresponse().read()
        if not args.publishing_only:
            steady = steady_load(proc, port, paths, args.seconds, args.clients)
            rows.append(["rocksearch", "steady", steady])
            if args.slow_clients:
                with slow_clients(port, args.slow_clients):
                    steady = steady_load(proc, port, paths, args.seconds, args.clients)
                rows.append(
                    ["rocksearch", f"steady, {args.slow_clients} slow clients beside", steady]
                )
            if args.steady_only:
                return rows
            r = while_publishing(port, paths, work / corpus.name, index_dir, args.seconds,
                                 args.clients, every=3.0, changed=1)  # fmt: skip
            rows.append(["rocksearch", f"indexer publishing ({r['publishes']} commits)", r])
        # The publishing-under-load row (#11): 8 clients for 60 s, 50 changed articles
        # published every 5 s. The publisher runs in a session of its own, as it does
        # under a service manager or from another terminal: Linux's scheduler shares
        # the CPU fairly between sessions (autogroups; cgroups under systemd), then
        # between the threads of one. In the benchmark's own session it would compete
        # with the server's dozen threads as one of them (--publisher-in-session).
        own = not args.publisher_in_session
        where = "own session" if own else "the server's session"
        r = while_publishing(port, paths, work / corpus.name, index_dir, 60, 8, every=5.0,
                             changed=50, own_session=own)  # fmt: skip
        rows.append(["rocksearch", f"publishing 50 changed every 5 s, 8 clients, 60 s "
                     f"({r['publishes']} publishes, {where})", r])  # fmt: skip
        r = while_publishing(port, paths, work / corpus.name, index_dir, 60, 8, every=5.0,
                             changed=50, watch=True, own_session=own)  # fmt: skip
        rows.append(["rocksearch", f"the same, published by `rocksearch index --watch` "
                     f"({r['publishes']} publishes, {where})", r])  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return rows


def analytics_rows(args, corpus: Path, paths: list[str], work: Path) -> list:
    """The same load with search analytics off and on (#15: within 5%), alternating
    off/on twice on one index so that a slow moment of the machine hits both."""
    from indexer.build import build_index

    index_dir = work / "analytics-index"
    shutil.copy(corpus, work / corpus.name)
    build_index(work / corpus.name, index_dir)
    rows = []
    for _round in range(2):
        for analytics in ("false", "true"):
            proc, port = rocksearch_server(index_dir, args.workers, args.threads,
                                           ROCKSEARCH_ANALYTICS=analytics)  # fmt: skip
            try:
                for path in args.warm_paths:  # warm-up pass
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("GET", path)
                    conn.getresponse().read()
                r = load_test(port, paths, args.seconds, args.clients)
                rows.append(
                    ["rocksearch", f"analytics {'on' if analytics == 'true' else 'off'}", r]
                )
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    recorded = 0
    db = index_dir / "editorial.sqlite3"
    if db.exists():
        import sqlite3

        recorded = sqlite3.connect(db).execute("SELECT count(*) FROM searches").fetchone()[0]
    on = [r["rps"] for _, phase, r in rows if phase.endswith("on")]
    off = [r["rps"] for _, phase, r in rows if phase.endswith("off")]
    print(f"analytics on/off throughput: {sum(on) / sum(off):.3f} "
          f"({recorded:,} searches recorded while on)")  # fmt: skip
    return rows


def fts5_rows(args, corpus: Path, paths: list[str], work: Path) -> list:
    proc, port = fts5_server(corpus, work / "fts.db", args.workers, args.threads)
    try:
        rows = [["SQLite FTS5 + snippet", "steady",
                 steady_load(proc, port, paths, args.seconds, args.clients)]]  # fmt: skip
        if args.slow_clients:
            with slow_clients(port, args.slow_clients):
                steady = steady_load(proc, port, paths, args.seconds, args.clients)
            beside = f"steady, {args.slow_clients} slow clients beside"
            rows.append(["SQLite FTS5 + snippet", beside, steady])
        return rows
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads",
        type=int,
        default=BY_NAME["threads"].default,
        help="threads per worker, for both servers (default: rocksearch serve's)",
    )
    parser.add_argument("--publishing-only", action="store_true",
                        help="only the publishing-under-load row (60 s, 8 clients)")  # fmt: skip
    parser.add_argument("--publisher-in-session", action="store_true",
                        help="run the publisher in the benchmark's session, where it "
                        "competes with the server's threads one for one")  # fmt: skip
    parser.add_argument("--analytics-only", action="store_true",
                        help="only the analytics off/on rows")  # fmt: skip
    parser.add_argument("--steady-only", action="store_true",
                        help="only the steady rows: rocksearch, then FTS5")  # fmt: skip
    parser.add_argument("--slow-clients", type=int, default=0, metavar="N",
                        help="each server's steady row again beside N hostile clients "
                        "(slow requests, answers not read); with --steady-only")  # fmt: skip
    parser.add_argument("--classic", action="store_true",
                        help="the earlier query set (rarer single words, title words, "
                        "phrases, transposed letters), as the tables before 2026-12-03's "
                        "thirteenth session used")  # fmt: skip
    parser.add_argument("--held-out", action="store_true",
                        help="URLs of typed queries (seeds 3000 on, 300 a seed) after a "
                        "warm-up on 600 others (seeds 2027 and 2028): what a server keeps "
                        "from one query to the next helps as much as new queries share words "
                        "with earlier ones")  # fmt: skip
    parser.add_argument("--held-out-seeds", type=int, default=100, metavar="N",
                        help="with --held-out, seeds 3000 to 3000+N-1 (default 100: 30,000 "
                        "URLs, more than a 20 s run sends; the tables before 2026-12-05's "
                        "third session used 20, 6,000 URLs, which a run went round three "
                        "times)")  # fmt: skip
    args = parser.parse_args()
    corpus = bench_corpus(10000)
    docs = load(corpus)
    paths = urls(make_queries(docs) if args.classic else typed_queries(docs))
    args.warm_paths = paths
    if args.held_out:
        paths = urls(typed_of(docs, range(3000, 3000 + args.held_out_seeds)))
        args.warm_paths = urls(typed_of(docs, (2027, 2028)), seed=8)
    del docs
    work = Path(tempfile.mkdtemp(prefix="rocksearch-http-"))
    try:
        if args.analytics_only:
            rows = analytics_rows(args, corpus, paths, work)
        else:
            rows = rocksearch_rows(args, corpus, paths, work)
        if args.steady_only:
            rows += fts5_rows(args, corpus, paths, work)
        elif not args.publishing_only and not args.analytics_only:
            rows += analytics_rows(args, corpus, paths, work)
            rows += fts5_rows(args, corpus, paths, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{args.clients} clients, {args.seconds:.0f} s each, {args.workers} gunicorn workers "
        f"x {args.threads} threads, 10k real articles, {len(paths)} URLs of "
        f"{'the classic' if args.classic else 'typed'} queries"
        f"{', held out' if args.held_out else ''} ({machine()})\n"
    )
    print_table(
        [
            "server",
            "while",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "stale ETags",
            "> 1 s",
            "server CPU ms/request",
            "rounds of the URLs",
        ],  # fmt: skip
        [
            [
                name,
                phase,
                f"{r['rps']:.0f}",
                f"{r['p50']:.1f}",
                f"{r['p99']:.1f}",
                r["errors"],
                r["stale"],
                r["over_1s"],
                f"{r['cpu_ms']:.2f}" if "cpu_ms" in r else "-",
                f"{r['requests'] / len(paths):.1f}",
            ]
            for name, phase, r in rows
        ],  # fmt: skip
    )


if __name__ == "__main__":
    main()
