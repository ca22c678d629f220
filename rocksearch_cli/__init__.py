"""The `rocksearch` command line: arguments in, calls to indexer/ and search/, text out.

Takes argv (`main`); gives an exit status: 0 done, 1 done with problems in the input
(each printed as file:line: message), 2 the command could not run (one sentence).
"""

from __future__ import annotations

import os

# numpy's OpenBLAS starts a thread per core that spins after start-up; nothing here does
# linear algebra, and on a two-core machine that spinning took 0.1-0.15 s of CPU from a
# one-post `rocksearch index` at 100k posts (and from each server worker). Set before
# numpy is first imported; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import contextlib
import gc
import html
import json
import math
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.store import IndexProblem
from search.duplicate_index import refresh_duplicates
from search.duplicate_store import load_duplicates, load_summary, save_summary
from search.search_params import SORTS, SearchError
from search.settings import BY_NAME, SettingError, convert, load_settings
from search.state import get_state

# The indexer's, the importers' and the crawler's modules (lxml, feedparser, httpx,
# numpy…) are imported by the commands that use them: a `rocksearch search` from a
# cold process does not pay for them (0.2 s). So is the query layer (search.engine): a
# `rocksearch index` after one changed post does not load it (30 ms).
if TYPE_CHECKING:
    from indexer.importers import ImportOptions


class ProgressBar:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, label: str, stream=None):
        self.label = label
        # (sys.stderr as it is now, not as it was when this module was imported: a
        # caller, or a test's capture, may have replaced it since.)
        self.stream = stream = sys.stderr if stream is None else stream
        self.enabled = stream.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def import_options(args) -> ImportOptions:
    from indexer.importers import ImportOptions

    # (WordPress's type names are lower-case: "Post" and "POST" mean "post")
    types = [t.strip().lower() for t in (args.post_types or "post").split(",") if t.strip()]
    return ImportOptions(post_types=frozenset(types or ["post"]))


def cmd_index(args, settings) -> int:
    if not args.watch:
        return index_once(args, settings)
    from indexer import watch
    from indexer.build import STOP

    corpus = args.corpus or settings["corpus"]
    # The event SIGINT sets (see _interrupt), not one of its own: the KeyboardInterrupt
    # that SIGINT raises is lost when it lands in a finalizer (a garbage collection
    # between runs), and then only the event stops the watching.
    stop = STOP
    seen = watch.signature(corpus)
    code = _index_watched(args, settings)  # (a corpus missing from the start: an error)
    print(f"rocksearch: watching {corpus} (Ctrl-C stops)", file=sys.stderr, flush=True)
    while True:
        # (Each day is indexed when it begins too: a post scheduled for it is published
        # then, though no file changed; and a run the disk refused is tried again soon.)
        wake = watch.next_day()
        if code == TRY_AGAIN:
            wake = min(wake, time.time() + RETRY_SECONDS)
        seen = watch.wait_for_change(corpus, seen, stop, wake=wake)
        if seen is None:
            return 2 if code == TRY_AGAIN else code
        code = _index_watched(args, settings, watching=True)


# `index --watch` after a run the disk refused (full, read-only): it says so, and tries
# again after RETRY_SECONDS or at the next change, whichever comes first (space is often
# freed by something else: a log rotated, a backup moved), where it used to exit.
TRY_AGAIN = 75  # (EX_TEMPFAIL: a temporary failure)
RETRY_SECONDS = 60.0


def _index_watched(args, settings, watching: bool = False) -> int:
    """One run of `index --watch`: a corpus file that changed while it was read (being
    written) is said, and the watching goes on (it changed: the next run reads it). So it
    does when the corpus went away after the first run (a deployment that replaces the
    folder, a checkout of another branch): the index is left as it was until it is back."""
    from indexer.sources import CorpusNotFound
    from indexer.store import CorpusChanged, IndexNotWritten

    try:
        return index_once(args, settings)
    except IndexNotWritten as exc:
        print(f"rocksearch: {exc.what} Free some space (or allow the write): it is tried "
              f"again in {RETRY_SECONDS:g} s, or at the next change.", file=sys.stderr,
              flush=True)  # fmt: skip
        return TRY_AGAIN
    except CorpusChanged as exc:
        # (Not "run it again": the watching does, once the file holds still.)
        print(f"rocksearch: {exc.what}; indexing it again once it holds still.",
              file=sys.stderr, flush=True)  # fmt: skip
        return 2
    except CorpusNotFound as exc:
        if not watching:
            raise
        print(f"rocksearch: {exc} The index is left as it was; watching for the corpus to "
              "come back.", file=sys.stderr, flush=True)  # fmt: skip
        return 2


def cmd_replicate(args, settings) -> int:
    from editorial.db import path_of
    from editorial.pins import copy_pins
    from indexer.replicate import replicate

    name = replicate(settings["index"], args.destination)
    pins = copy_pins(path_of(settings), Path(args.destination) / "editorial.sqlite3")
    print(f"{args.destination} serves {name} ({pins} pins copied)")
    return 0


@contextlib.contextmanager
def collector_paused(resume: bool = True):
    """Python's cyclic garbage collector paused for one indexing run (or one search). A
    run makes hundreds of thousands of objects and keeps most of them to its end (an
    entry a post), so the collector's full passes walked them all again and again, finding
    nothing: 0.3-0.4 s of a one-post update at 100k posts (14%), more in a long-running
    `--watch`. Reference counting still frees everything acyclic; cycles wait for the
    collector's next pass after the run (not forced here: a one-off run would spend
    0.15 s on it just before exiting). `resume=False`: left paused, for a process that
    exits next (resumed, the collector's first pass walks every object the run made:
    0.03-0.05 s of a one-post update at 100k)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was and resume:
            gc.enable()


def index_once(args, settings) -> int:
    """One `rocksearch index` run: the summary printed, the exit status returned."""
    # (The `rocksearch` command exits once a run without --watch is done: see run().)
    with collector_paused(resume=args.watch or not getattr(args, "exiting", False)):
        return _index_once(args, settings)


def _index_once(args, settings) -> int:
    from indexer.build import build_index
    from indexer.store import open_current, read_pointer
    from search.prepare import prepare_generation, refresh_cache

    corpus = args.corpus or settings["corpus"]
    before = read_pointer(Path(settings["index"]))
    prepared: dict = {}  # what the indexer found before publishing (groups, seconds)
    summary = build_index(
        corpus,
        settings["index"],
        rebuild=args.rebuild,
        progress=ProgressBar("indexing"),
        options=import_options(args),
        before_publish=lambda generation: prepared.update(prepare_generation(generation)),
    )
    for note in summary.notes:
        print(note, file=sys.stderr)
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    if summary.generation and summary.generation == before:
        # Nothing changed: an index an older version built gets the warm-up cache this
        # version reads (else every cold search computes it).
        refresh_cache(open_current(settings["index"]))
    # The indexer found the groups before publishing (search/prepare.py); an index
    # that has none yet (nothing changed since an older version built it) gets them now.
    kept = Path(settings["index"]) / summary.generation if summary.generation else None
    # `seconds`: the time this run took to find the groups; None when it found none
    # (they are the generation's, unchanged: their old time would read as this run's).
    seconds = None
    if prepared:
        count, seconds = len(prepared["groups"]), prepared["seconds"]
    elif kept and (counted := load_summary(kept)):  # (the groups are not read: 0.24 s)
        count = counted["count"]
    else:
        found = load_duplicates(kept) if kept else None
        if found is not None:  # an older version's generation: it gets its summary now
            with contextlib.suppress(OSError):  # (only a speed-up for the next run)
                save_summary(kept, len(found["groups"]), found["seconds"])
        else:
            found = refresh_duplicates(settings["index"])
            seconds = found["seconds"]
        count = len(found["groups"])
    # An update that found the groups by a whole pass (over a fifth of the posts changed,
    # no working data, the boilerplate decided otherwise) says so, and why: minutes at
    # 100k posts, not a fraction of a second.
    whole = bool(prepared) and not prepared["updated"] and not summary.rebuilt
    why = prepared.get("whole_pass") if whole else None
    if args.json:
        data = summary.to_dict()
        data["duplicate_groups"] = count
        data["duplicates_whole_pass"] = whole
        data["duplicates_whole_pass_why"] = why
        print(json.dumps(data, ensure_ascii=False), flush=True)
    else:
        print(summary.line())
        how = (f", a whole pass: {why}" if why else ", a whole pass") if whole else ""
        took = "unchanged" if seconds is None else f"{seconds:.2f} s{how}"
        print(f"{count} groups of duplicate posts ({took})", flush=True)
    return 1 if summary.problems else 0


def cmd_duplicates(args, settings) -> int:
    state = get_state(settings["index"], wait=True)
    data = load_duplicates(state.generation.path) or refresh_duplicates(settings["index"])
    groups = [
        g
        for g in data["groups"]
        if any(m["scores"].get("score", 0) >= args.min_score for m in g["members"][1:])
    ]
    if args.json:
        print(json.dumps({"ok": True, "groups": groups}, ensure_ascii=False))
        return 0
    for group in groups:
        head, *rest = group["members"]
        print(f"{head['title']}  [{head['id']}, {where(head)}]")
        for m in rest:
            s = m["scores"]
            print(
                f"  {m['relation']:<9} {m['title']}  [{m['id']}, {where(m)}]"
                f"  containment {s['containment']:.2f} similarity {s['similarity']:.2f}"
                f" title {s['title']:.2f}"
            )
    print(f"\n{len(groups)} groups")
    return 0


def where(member: dict) -> str:
    source = member.get("source") or {}
    return f"{source.get('file')}:{source.get('line')}" if source else "?"


def cmd_crawl(args, settings) -> int:
    from indexer.crawl import CrawlLimits, crawl

    corpus = args.corpus or settings["corpus"]
    limits = CrawlLimits(
        delay=args.delay,
        concurrency=args.concurrency,
        max_pages=args.max_pages,
        max_bytes=int(args.max_mb * 1024 * 1024),
        timeout=args.timeout,
    )
    summary = crawl(
        args.url, corpus, limits, progress=ProgressBar("crawling"), options=import_options(args)
    )
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print(summary.line())
        if summary.articles_found:
            print(f"Now run `rocksearch index --corpus {corpus}` to search them.")
    return 1 if summary.errors else 0


def cmd_export(args, settings) -> int:
    from indexer.article import Article
    from indexer.sources import read_corpus

    corpus = args.corpus or settings["corpus"]
    problems = 0
    out = sys.stdout
    for item in read_corpus(corpus, import_options(args)):
        if isinstance(item, Article):
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        else:
            problems += 1
            print(item, file=sys.stderr)
    return 1 if problems else 0


def marked_text(html_text: str, tty: bool) -> str:
    """A snippet's HTML as terminal text: <mark> as reverse video, or **word** in a pipe."""
    on, off = ("\033[7m", "\033[0m") if tty else ("**", "**")
    text = html_text.replace("<mark>", "\0").replace("</mark>", "\1")
    return html.unescape(text).replace("\0", on).replace("\1", off)


def cmd_search(args, settings) -> int:
    # A search in a process of its own loads the generation's state, hundreds of
    # thousands of objects kept to its end: paused, the collector does not walk them
    # again and again (0.07 s of a first search at 100k posts, 0.14 s with a typo).
    with collector_paused(resume=not getattr(args, "exiting", False)):
        return _search_once(args, settings)


def _search_once(args, settings) -> int:
    from search.engine import search

    filters = {
        name: getattr(args, name)
        for name in ("category", "tag", "author", "kind", "year", "after", "before")
        if getattr(args, name)
    }
    if not " ".join(args.query).strip() and not filters:
        args.usage(sys.stderr)
        raise SearchError(
            "give words to search for (`rocksearch search customer service`), or a filter "
            "such as --category to list its articles"
        )
    results = search(
        settings["index"],
        " ".join(args.query),
        filters=filters,
        page=args.page,
        per_page=settings["per_page"] if args.per_page is None else args.per_page,
        sort=args.sort,
        max_per_page=settings["max_per_page"],
        snippet_chars=settings["snippet_chars"],
        time_limit=settings["time_limit"],
        base_url=settings["base_url"],
        collapse=not args.all,
        correct=not args.as_typed,
        **editorial_extras(settings, " ".join(args.query)),
    )
    if args.json:
        print(json.dumps(results.to_dict(), ensure_ascii=False))
        return 0
    tty = sys.stdout.isatty()
    for warning in results.warnings:
        print(f"note: {warning}")
    if results.did_you_mean and results.corrections:
        print(f"showing results for: {results.did_you_mean} (--as-typed searches the words "
              "as typed)")  # fmt: skip
    elif results.did_you_mean:
        print(f"did you mean: {results.did_you_mean}")
    for c in results.corrections:
        if c.get("partial"):
            print(f"no post has all the words with {c['from']!r}, which may be the start of "
                  f"a word: searched for {', '.join(c['also'])} (--as-typed searches the "
                  "words as typed)")  # fmt: skip
        elif c.get("rare"):
            why = "may be the start of a word" if c.get("completed") else "is in few posts"
            print(f"{c['from']!r} {why}: also searched for {', '.join(c['also'])}, "
                  "below its posts (--as-typed searches the words as typed)")  # fmt: skip
    first = (results.page - 1) * results.per_page + 1
    last = first + len(results.hits) - 1
    shown = f"{first}-{last} of " if results.hits else ""
    print(f"{shown}{results.total} results for {results.parsed} ({results.took_ms:.0f} ms)")
    if results.collapsed:
        print(f"{results.collapsed} of them are other versions of a post shown, not listed; "
              "--all lists every copy")  # fmt: skip
    print()
    for hit in results.hits:
        print(marked_text(hit["title_html"], tty))
        meta = [hit["date"] or "undated", ", ".join(hit["categories"]), hit["kind"]]
        print("  " + " · ".join(m for m in meta if m and m != "article"))
        if hit["maxim_html"]:
            print("  Write this on a rock … " + marked_text(hit["maxim_html"], tty))
        print("  " + marked_text(hit["snippet"], tty))
        for other in hit.get("other_versions") or []:
            print(f"  also: {other['title']} [{other['id']}, {other['relation']}]")
        print()
    return 0


def editorial_extras(settings: dict, query: str) -> dict:
    """The synonyms and pins the site applies, so the CLI finds what the site finds."""
    from editorial.db import path_of
    from editorial.pins import PinBoard
    from search.synonyms import load

    return {"synonyms": load(settings["synonyms"]),
            "pins": PinBoard(path_of(settings)).for_query(query)}  # fmt: skip


def read_password(args) -> str:
    """The new password: from standard input with --password-stdin (scripts), else asked
    twice without echo."""
    import getpass

    from editorial.accounts import AccountError

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        # (getpass then reads the input as a prompt would, echoing it, and fails with a
        # traceback at its end: a script or a container has no terminal to ask on)
        raise AccountError("there is no terminal to ask for the password on; give it on "
                           "standard input with --password-stdin")  # fmt: skip
    try:
        first = getpass.getpass("New password: ")
        again = getpass.getpass("Again: ")
    except EOFError:
        raise AccountError("no password was given; nothing was changed") from None
    if again != first:
        raise AccountError("the two passwords differ; nothing was changed")
    return first


def cmd_editor(args, settings) -> int:
    from editorial import accounts, audit
    from editorial.db import connect, path_of

    conn = connect(path_of(settings))
    if args.action == "add":
        existed = accounts.exists(conn, args.name)
        accounts.add_editor(conn, args.name, read_password(args))
        action = "password" if existed else "add editor"
        audit.record(conn, "(command line)", action, args.name)
        print(f"editor {args.name} {'has a new password' if existed else 'added'}")
    else:
        token = accounts.new_token(conn, args.name)
        audit.record(conn, "(command line)", "new token", args.name)
        print(token)
        print("Send it as 'Authorization: Bearer <token>' to /api/editor/...; it is shown "
              "only now.", file=sys.stderr)  # fmt: skip
    return 0


def cmd_maxims(args, settings) -> int:
    from search.engine import list_maxims

    maxims = list_maxims(settings["index"])
    if args.json:
        print(json.dumps({"ok": True, "total": len(maxims), "maxims": maxims}, ensure_ascii=False))
        return 0
    for item in maxims:
        print(f"{item['maxim']}\n  — {item['title']} ({item['date'] or 'undated'})")
    print(f"\n{len(maxims)} maxims")
    return 0


def cmd_serve(args, settings) -> int:
    from indexer.store import open_current
    from web.server import check_address, check_secret_key, serve

    for name in ("host", "port", "workers", "threads"):
        if getattr(args, name) is not None:
            value = getattr(args, name)
            settings[name] = convert(BY_NAME[name], value, named=f"--{name} {value}")
    open_current(settings["index"])  # say now, in one sentence, if there is no index
    check_address(settings["host"], settings["port"])  # and if the port is taken
    check_secret_key(settings)  # (and if the folder cannot keep the editors' key)
    print(
        f"rocksearch: serving {settings['index']} at http://{settings['host']}:{settings['port']}/"
        f" ({settings['workers']} workers x {settings['threads']} threads)",
        file=sys.stderr,
    )
    serve(settings)
    return 0


def number(kind: type = int, least: float | None = None, more_than: float | None = None,
           most: float | None = None) -> Callable[[str], int | float]:  # fmt: skip
    """An argparse type: a finite number of `kind` within the bounds given, else argparse
    says which (a --delay of -1 sent requests at once, --max-pages 0 asked for nothing,
    a --timeout of 0 failed every request as "Operation now in progress")."""

    def parse(text: str) -> int | float:
        value = kind(text)  # (a ValueError: argparse says "invalid int value")
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text} is not a finite number")
        if least is not None and value < least:
            raise argparse.ArgumentTypeError(f"{text} is less than {least:g}")
        if more_than is not None and value <= more_than:
            raise argparse.ArgumentTypeError(f"{text} must be more than {more_than:g}")
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(f"{text} is more than {most:g}")
        return value

    parse.__name__ = kind.__name__  # (argparse names the type in its messages)
    return parse


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rocksearch", description="Full-text search over a blog's articles."
    )
    parser.add_argument("--index", help="index folder (default: ROCKSEARCH_INDEX or ./index)")
    sub = parser.add_subparsers(dest="command", required=True)
    # `--index` is also taken after the command (`rocksearch index --index DIR`).
    index_option = argparse.ArgumentParser(add_help=False)
    index_option.add_argument("--index", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    post_types = "WordPress post types to import, comma-separated (default: post; e.g. post,page)"
    p = sub.add_parser(
        "index", parents=[index_option], help="build or update the index from the corpus"
    )
    p.add_argument("--corpus", help="folder or file of articles (default: ./corpus)")
    p.add_argument("--post-types", help=post_types)
    p.add_argument("--rebuild", action="store_true", help="start over from an empty index")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--watch", action="store_true",
                   help="stay running: index again whenever the corpus changes")  # fmt: skip
    p.set_defaults(func=cmd_index)

    p = sub.add_parser(
        "replicate",
        parents=[index_option],
        help="copy the current generation to another index folder (a read replica)",
    )
    p.add_argument("destination", metavar="DEST", help="the replica's index folder")
    p.set_defaults(func=cmd_replicate)

    p = sub.add_parser(
        "export",
        parents=[index_option],
        help="print every article read from the corpus as JSON Lines",
    )
    p.add_argument("--corpus", help="folder or file of articles (default: ./corpus)")
    p.add_argument("--post-types", help=post_types)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "crawl", parents=[index_option], help="fetch a live blog into the corpus folder"
    )
    p.add_argument("url", help="the blog's address, e.g. https://blog.example/")
    p.add_argument("--corpus", help="folder to save pages in (default: ./corpus)")
    p.add_argument("--delay", type=number(float, least=0), default=1.0,
                   help="seconds between requests (1)")  # fmt: skip
    p.add_argument("--concurrency", type=number(int, least=1), default=2,
                   help="requests at a time (2)")  # fmt: skip
    p.add_argument("--max-pages", type=number(int, least=1), default=10_000,
                   help="requests per crawl (10000)")  # fmt: skip
    p.add_argument("--max-mb", type=number(float, more_than=0), default=10.0,
                   help="largest answer in MB (10)")  # fmt: skip
    p.add_argument("--timeout", type=number(float, more_than=0), default=20.0,
                   help="seconds per request (20)")  # fmt: skip
    p.add_argument("--post-types", help=post_types)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser(
        "search", parents=[index_option], help="search the index (query syntax: see README)"
    )
    p.add_argument("query", nargs="*", help='words, "phrases", -word, OR, field:value')
    for name in ("category", "tag", "author", "kind"):
        p.add_argument(f"--{name}", action="append", help=f"only this {name} (repeatable)")
    p.add_argument("--year", action="append", help="only this year, or 'undated' (repeatable)")
    p.add_argument("--after", help="on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--before", help="before this date")
    p.add_argument("--sort", choices=SORTS, help="order of the results (default: relevance, "
                   "or the order the words ask for: 'latest posts on pricing')")  # fmt: skip
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--per-page", type=int, help="results per page (default: 10)")
    p.add_argument("--all", action="store_true", help="list every copy of duplicate posts")
    p.add_argument("--as-typed", action="store_true", help="search the words as typed: "
                   "correct no typos")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_search, usage=p.print_usage)

    p = sub.add_parser(
        "serve", parents=[index_option], help="run the web site and JSON API (gunicorn)"
    )
    p.add_argument("--host", help="address to listen on (default: ROCKSEARCH_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: ROCKSEARCH_PORT or 8000)")
    p.add_argument("--workers", type=int, help="worker processes (default: 2)")
    p.add_argument("--threads", type=int, help="threads per worker (default: 4)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("duplicates", parents=[index_option], help="list groups of duplicate posts")
    p.add_argument("--json", action="store_true", help="print the groups as JSON")
    p.add_argument(
        "--min-score",
        type=number(float, least=0, most=1),
        default=0.0,
        help="only groups with a member scoring at least this (0-1)",
    )
    p.set_defaults(func=cmd_duplicates)

    p = sub.add_parser(
        "editor", parents=[index_option], help="add an editor, or make an editor an API token"
    )
    p.add_argument("action", choices=["add", "token"],
                   help="add: create NAME or set its password; token: a token for it")  # fmt: skip
    p.add_argument("name", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input, not a prompt")  # fmt: skip
    p.set_defaults(func=cmd_editor)

    p = sub.add_parser("maxims", parents=[index_option], help="list every maxim with its article")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_maxims)
    return parser


def _interrupt(signum, frame) -> None:
    build = sys.modules.get("indexer.build")  # imported only if indexing
    if build is not None:
        build.STOP.set()  # see indexer.build.STOP: the indexer checks it before publishing
    raise KeyboardInterrupt


def explained(exc: Exception) -> bool:
    """Whether `exc` is one of the problems told in one sentence (not a bug)."""
    told = [IndexProblem, SettingError, SearchError]
    for module, name in (("indexer.sources", "CorpusNotFound"), ("indexer.crawl", "CrawlError"),
                         ("editorial.accounts", "AccountError"),
                         ("indexer.replicate", "ReplicaError"),
                         ("web.server", "ServeError"),
                         ("search.synonyms", "SynonymError")):  # fmt: skip
        if module in sys.modules:  # imported by the command that can raise it
            told.append(getattr(sys.modules[module], name))
    return isinstance(exc, tuple(told))


def database_unavailable(exc: Exception) -> bool:
    """Whether `exc` is SQLite saying the editors' database cannot be opened or written
    (`editor add` on a full disk or a read-only index folder), not a fault of ours."""
    db = sys.modules.get("editorial.db")  # (imported by the commands that use it)
    return db is not None and isinstance(exc, db.sqlite3.Error) and db.unavailable(exc)


def query_words_as_words(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """`rocksearch search -hell cash --tag x`: after `search`, a word that starts with "-"
    but is not one of its options is a query word (an exclusion), not an unknown option;
    options go first and the query's words last, so they may come in any order."""
    if "search" not in argv:
        return argv
    start = argv.index("search") + 1
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    actions = sub.choices["search"]._option_string_actions
    options, words = [], []
    tokens = iter(argv[start:])
    for token in tokens:
        action = actions.get(token.split("=", 1)[0]) if token.startswith("-") else None
        if action is None:
            # No longer an option: the query reader strips the space.
            words.append(" " + token if token.startswith("-") and len(token) > 1 else token)
            continue
        options.append(token)
        if action.nargs is None and "=" not in token:  # the option's value follows
            options.append(next(tokens, ""))
    return argv[:start] + options + words


def run() -> None:
    """The `rocksearch` command: main(), then exit without freeing every object one by
    one (5 s after a 100k update's work was done). main() has written and synced all it
    writes by then; only the standard streams are flushed here."""
    # A character the output's encoding lacks (PYTHONIOENCODING=ascii, a Latin-1
    # terminal) is printed as "?", not a UnicodeEncodeError that ends the command
    # part-way (the maxims' dashes and the posts' curly quotes). (stderr replaces already.)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    code = main(exiting=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


def main(argv: list[str] | None = None, exiting: bool = False) -> int:
    """Run the command `argv` (the process's arguments by default); `exiting`: the
    process exits once it returns (run() does), so what only a long-lived process needs
    may be left undone."""
    parser = make_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(query_words_as_words(argv, parser))
    args.exiting = exiting
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
    try:
        settings = load_settings(overrides={"index": args.index})
        return args.func(args, settings)
    except BrokenPipeError:  # `rocksearch search … | head`: the reader has had enough
        return 0
    except KeyboardInterrupt:
        print("rocksearch: interrupted; the index is as it was before this run.", file=sys.stderr)
        return 130
    except Exception as exc:
        if database_unavailable(exc):
            print(f"rocksearch: the editors' database cannot be used ({exc}): is the disk "
                  "full, or its folder read-only?", file=sys.stderr)  # fmt: skip
            return 2
        if not explained(exc):
            raise
        print(f"rocksearch: {exc}", file=sys.stderr)
        return 2
