"""The `rocksearch` command line: arguments in, calls to indexer/ and search/, text out.

Takes argv (`main`); gives an exit status: 0 done, 1 done with problems in the input
(each printed as file:line: message), 2 the command could not run (one sentence).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from indexer.article import Article
from indexer.build import build_index
from indexer.sources import CorpusNotFound, read_corpus
from indexer.store import IndexProblem
from search.settings import SettingError, load_settings


class ProgressBar:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, label: str, stream=sys.stderr):
        self.label = label
        self.stream = stream
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


def cmd_index(args, settings) -> int:
    corpus = args.corpus or settings["corpus"]
    summary = build_index(
        corpus, settings["index"], rebuild=args.rebuild, progress=ProgressBar("indexing")
    )
    for note in summary.notes:
        print(note, file=sys.stderr)
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print(summary.line())
    return 1 if summary.problems else 0


def cmd_export(args, settings) -> int:
    corpus = args.corpus or settings["corpus"]
    problems = 0
    out = sys.stdout
    for item in read_corpus(corpus):
        if isinstance(item, Article):
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        else:
            problems += 1
            print(item, file=sys.stderr)
    return 1 if problems else 0


def cmd_search(args, settings) -> int:
    from search.engine import search

    results = search(settings["index"], " ".join(args.query), per_page=args.per_page)
    if args.json:
        print(json.dumps(results.to_dict(), ensure_ascii=False))
        return 0
    print(f"{results.total} results for {results.query!r}")
    for hit in results.hits:
        print(f"- {hit['title']} ({hit['date'] or 'undated'})")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rocksearch", description="Full-text search over a blog's articles."
    )
    parser.add_argument("--index", help="index folder (default: ROCKSEARCH_INDEX or ./index)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build or update the index from the corpus")
    p.add_argument("--corpus", help="folder or file of articles (default: ./corpus)")
    p.add_argument("--rebuild", action="store_true", help="start over from an empty index")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("export", help="print every article read from the corpus as JSON Lines")
    p.add_argument("--corpus", help="folder or file of articles (default: ./corpus)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("search", help="search the index")
    p.add_argument("query", nargs="+")
    p.add_argument("--per-page", type=int, default=10)
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_search)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        settings = load_settings(overrides={"index": args.index})
        return args.func(args, settings)
    except (CorpusNotFound, IndexProblem, SettingError) as exc:
        print(f"rocksearch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rocksearch: interrupted; the index is as it was before this run.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
