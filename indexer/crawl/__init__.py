"""Crawling a live blog into the corpus folder: `crawl(URL, corpus)`.

Takes a start URL and a corpus folder; gives a `CrawlSummary` (fetched, not_modified,
skipped_by_robots, noindex, removed, kept, errors, articles_found, and each problem as
"URL: what happened"). The corpus stays the source of truth: every fetched REST API
page, feed page or post page becomes one file under `<corpus>/<host>/`, which
`rocksearch index` reads like any other, and a file of an earlier crawl that this one
did not see is removed when the crawl was complete (a deleted post then leaves the
index with its next update). How posts are found is in `discover`; how each URL is
fetched, politely and within caps, and saved, is in `fetcher`.
"""

from __future__ import annotations

import time

from indexer.article import Article
from indexer.crawl.discover import DISCOVERY
from indexer.crawl.fetcher import (
    USER_AGENT,
    CrawlError,
    CrawlLimits,
    CrawlSummary,
    Fetcher,
    Progress,
)
from indexer.importers import ImportOptions, html_pages, read_file
from indexer.sources import crawl_origins
from indexer.write_refusals import reason, refused


def crawl(
    start_url: str,
    corpus,
    limits: CrawlLimits | None = None,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
) -> CrawlSummary:
    """Fetch the blog at `start_url` into `corpus`; see the module docstring."""
    started = time.perf_counter()
    site = Fetcher(start_url, corpus, limits, progress, options)
    try:
        site.load_robots()
        if site.robots_problem:
            raise CrawlError(site.robots_problem)
        for name, discover in DISCOVERY:
            if discover(site):
                site.summary.discovered_by = name
                break
        else:
            if not site.summary.problems and not site.capped:
                site.problem(site.start, "no posts found: no REST API, sitemap, feed or page")
        if site.refused:
            raise CrawlError(f"could not save what was fetched: {reason(site.refused)}. The "
                             "crawl stopped; the files saved before are kept. Run it again "
                             "once there is room.")  # fmt: skip
        site.report_cap()
        # The corpus mirrors the site: what an earlier crawl saved and this one did not
        # see (a deleted post's page, a REST or feed page past the new last one, whose
        # posts would come twice) goes, unless this crawl may have missed pages.
        unseen = site.store.unseen(site.host)
        site.summary.kept_why = site.may_prune() if unseen else None
        if site.summary.kept_why is None:
            site.summary.removed = site.store.remove(unseen)
        else:
            site.summary.kept = len(unseen)
        try:
            site.store.save_state()
        except OSError as exc:
            if not refused(exc):
                raise
            message = (f"could not save the crawl's record: {reason(exc)}. The pages were "
                       "saved; the next crawl asks for them again.")  # fmt: skip
            raise CrawlError(message) from exc
    finally:
        site.client.close()
    site.summary.files = sum(1 for name in site.store.touched if not name.startswith("."))
    site.summary.articles_found = count_articles(site)
    site.summary.seconds = time.perf_counter() - started
    return site.summary


def count_articles(site: Fetcher) -> int:
    """Articles in the files this crawl fetched or confirmed, as `rocksearch index` reads them."""
    options = ImportOptions(site.options.post_types, crawl_origins(site.corpus))
    found = 0
    for name in sorted(site.store.touched):
        if name.startswith("."):
            continue  # sitemaps, kept for the next crawl
        path = site.corpus / name
        here = sum(isinstance(item, Article) for item in read_file(path, name, options))
        if not here and name.endswith(".html") and left_out_as_noindex(path, options.origin(name)):
            site.summary.noindex += 1
        found += here
    return found


def left_out_as_noindex(path, origin: dict) -> bool:
    try:
        return html_pages.left_out_as_noindex(path.read_bytes(), origin)
    except OSError:  # (gone since it was saved: read_file said so)
        return False


__all__ = ["USER_AGENT", "CrawlError", "CrawlLimits", "CrawlSummary", "crawl"]
