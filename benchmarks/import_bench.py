"""Import benchmark: posts parsed to articles per second, and peak memory, by source format.

    .venv/bin/python benchmarks/import_bench.py              # 10k real documents (+ 100k WXR)
    .venv/bin/python benchmarks/import_bench.py --no-100k    # skip the 100k export

The 10k benchmark corpus (JSON Lines) is written out once, by this script, as a
WordPress export (one WXR file), as 10,000 HTML post pages in a WordPress theme's
markup (tests/exporters.py writes both, as the round-trip test does), and as a table of
posts, a CSV file and an Excel workbook (title, text, date, category, tags, author,
as a site builder exports a blog); the 100k scaled
corpus as a WXR export too. Each is then read by `read_corpus` in a child process
(parsing to articles; indexing excluded): posts/s and the peak RSS of the child, next to
the JSON Lines path. Then `rocksearch crawl` fetches a 1,000-post WordPress-like site
served on 127.0.0.1 (tests/wp_site.py) with no delay, through its sitemap (1,000 post
pages, dated) and through its REST API (10 pages of 100 posts): pages/s and posts/s;
and crawls it again, nothing changed: how many requests and seconds that takes (at the
default one request a second, the requests are the seconds).
Targets on this 2-core machine: WXR >= 2,000 posts/s, HTML >= 300 pages/s, and the
100k export's peak memory <= 1.5x the 10k export's.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import CACHE, bench_corpus, machine, print_table, run_measured, scaled_corpus


def write_wxr(jsonl: Path, out: Path) -> int:
    """The corpus as one WXR file, written a post at a time (the 100k export is ~300 MB)."""
    from tests.exporters import WXR_TAIL, wxr_head, wxr_item

    count = 0
    with out.open("w", encoding="utf-8") as f:
        f.write(wxr_head())
        for count, article in enumerate(iter_articles(jsonl), start=1):
            f.write(wxr_item(article, count))
        f.write(WXR_TAIL)
    return count


def iter_articles(jsonl: Path):
    from indexer.article import Article
    from indexer.importers.jsonl import read_jsonl

    with jsonl.open("rb") as f:
        for number, line in enumerate(f, start=1):
            for item in read_jsonl(line, jsonl.name):
                if isinstance(item, Article):
                    item.source["line"] = number
                    yield item


def write_html(jsonl: Path, folder: Path) -> int:
    from tests.exporters import write_html_pages

    articles = list(iter_articles(jsonl))
    write_html_pages(articles, folder)
    return len(articles)


TABLE_HEADER = ["Title", "Body", "Published On", "Category", "Tags", "Author"]


def table_rows(jsonl: Path):
    """The corpus as a table's rows, the header first: a site builder's export of it."""
    yield TABLE_HEADER
    for a in iter_articles(jsonl):
        yield [a.title, a.body, a.date or "", "; ".join(a.categories), "; ".join(a.tags),
               a.author or ""]  # fmt: skip


def write_csv(jsonl: Path, out: Path) -> int:
    import csv

    with out.open("w", newline="", encoding="utf-8") as f:
        rows = csv.writer(f)
        rows.writerows(table_rows(jsonl))
    return sum(1 for _ in iter_articles(jsonl))


def write_workbook(jsonl: Path, out: Path) -> int:
    from tests.exporters import write_xlsx

    rows = list(table_rows(jsonl))
    write_xlsx(out, {"Posts": rows})
    return len(rows) - 1


def read_count(path: Path) -> int:
    """Articles read from `path`, each dropped once counted (as the indexer's stream would
    hand them on): the peak is the reader's, not a list of 100k articles'."""
    from indexer.article import Article
    from indexer.sources import read_corpus

    return sum(1 for a in read_corpus(path) if isinstance(a, Article))


def read_count_importer(path: Path) -> int:
    """The WXR importer alone, without the corpus read's duplicate-id bookkeeping."""
    from indexer.article import Article
    from indexer.importers import read_file

    return sum(1 for a in read_file(path, path.name) if isinstance(a, Article))


def crawl_site(mode: str) -> dict:
    from indexer.crawl import CrawlLimits, crawl
    from tests.wp_site import WordPressSite

    posts = [
        {"id": 10_000 + n, "slug": f"post-{n}", "title": f"Post number {n} about customers",
         "date": f"2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}", "category": ["A", "B", "C"][n % 3],
         "tag": f"t{n % 50}", "body": [f"Paragraph one of post {n}. " * 20,
                                       "Customers notice what you do. " * 30]}
        for n in range(1000)
    ]  # fmt: skip
    site = WordPressSite(rest=mode == "rest", crawl_delay=0, posts=posts, extras=False,
                         lastmods=True)  # fmt: skip
    limits = CrawlLimits(delay=0, per_page=100)
    try:
        with tempfile.TemporaryDirectory() as corpus:
            started = time.perf_counter()
            summary = crawl(site.root, corpus, limits)
            seconds = time.perf_counter() - started
            # The same site again, nothing changed: what a nightly crawl costs.
            asked = len(site.requests)
            started = time.perf_counter()
            again = crawl(site.root, corpus, limits)
            again_seconds = time.perf_counter() - started
    finally:
        site.close()
    return {"fetched": summary.fetched, "articles": summary.articles_found, "seconds": seconds,
            "again_requests": len(site.requests) - asked, "again_seconds": again_seconds,
            "again_articles": again.articles_found}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-100k", action="store_true", help="skip the 100k WXR export")
    args = parser.parse_args()
    jsonl = bench_corpus(10000)
    out = CACHE / "import"
    out.mkdir(parents=True, exist_ok=True)
    wxr10, html10 = out / "export-10k.xml", out / "html-10k"
    if not wxr10.exists():
        run_measured(write_wxr, jsonl, wxr10)
    if not html10.exists():
        run_measured(write_html, jsonl, html10)
    csv10, xlsx10 = out / "posts-10k.csv", out / "posts-10k.xlsx"
    if not csv10.exists():
        run_measured(write_csv, jsonl, csv10)
    if not xlsx10.exists():
        run_measured(write_workbook, jsonl, xlsx10)
    inputs = [("JSON Lines (10k)", jsonl, "posts"), ("WordPress export (10k)", wxr10, "posts"),
              ("HTML post pages (10k)", html10, "pages"), ("CSV table (10k)", csv10, "posts"),
              ("Excel workbook (10k)", xlsx10, "posts")]  # fmt: skip
    if not args.no_100k:
        wxr100 = out / "export-100k.xml"
        if not wxr100.exists():
            run_measured(write_wxr, scaled_corpus("100k"), wxr100)
        inputs.append(("WordPress export (100k)", wxr100, "posts"))
    rows, figures = [], {}
    for label, path, unit in inputs:
        count, seconds, peak = run_measured(read_count, path)
        size = sum(f.stat().st_size for f in path.rglob("*")) if path.is_dir() else \
            path.stat().st_size  # fmt: skip
        figures[label] = (count / seconds, peak)
        rows.append([label, f"{size / 1e6:,.0f} MB", f"{count:,} {unit}", f"{seconds:.1f}",
                     f"{count / seconds:,.0f} {unit}/s", f"{peak:,.0f}"])  # fmt: skip
    for mode in ("sitemap", "rest"):
        result, _, peak = run_measured(crawl_site, mode)
        label = "crawl, sitemap (1,000 pages)" if mode == "sitemap" else \
            "crawl, REST API (1,000 posts)"  # fmt: skip
        unit = "pages" if mode == "sitemap" else "posts"
        rate = result["articles"] / result["seconds"]
        rows.append([label, "-", f"{result['articles']:,} posts", f"{result['seconds']:.1f}",
                     f"{rate:,.0f} {unit}/s", f"{peak:,.0f}"])  # fmt: skip
        rows.append([f"{label}, again, unchanged", f"{result['again_requests']:,} requests",
                     f"{result['again_articles']:,} posts", f"{result['again_seconds']:.1f}",
                     "-", "-"])  # fmt: skip
    print(f"# import benchmark, {machine()}\n")
    print_table(["input", "size", "read", "seconds", "rate", "peak MB"], rows)
    if "WordPress export (100k)" in figures:
        ratio = figures["WordPress export (100k)"][1] / figures["WordPress export (10k)"][1]
        print(f"\npeak memory, 100k export / 10k export: {ratio:.2f}x (target <= 1.5x)")
        alone = [run_measured(read_count_importer, p)[2] for p in (wxr10, out / "export-100k.xml")]
        print(
            f"the WXR importer alone (no duplicate-id check): {alone[0]:.0f} MB and "
            f"{alone[1]:.0f} MB, {alone[1] / alone[0]:.2f}x"
        )
    print(json.dumps({k: [round(v, 1) for v in f] for k, f in figures.items()}))


if __name__ == "__main__":
    main()
