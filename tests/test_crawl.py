"""The crawler against a WordPress-like site served on 127.0.0.1 (tests/wp_site.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from indexer.article import Article, SourceError
from indexer.build import build_index
from indexer.crawl import USER_AGENT, CrawlError, CrawlLimits, crawl
from indexer.crawl.fetcher import CrawlSummary
from indexer.crawl.storage import CrawlStore
from indexer.sources import read_corpus
from search.engine import search
from search.state import get_state
from tests.wp_site import POSTS, WordPressSite, post_path

FAST = CrawlLimits(delay=0.01, timeout=0.5, retries=1, max_bytes=500_000)


@pytest.fixture
def site_factory():
    sites = []

    def make(**flags) -> WordPressSite:
        sites.append(WordPressSite(**flags))
        return sites[-1]

    yield make
    for site in sites:
        site.close()


def gaps(site: WordPressSite) -> list[float]:
    times = sorted(t for t, _, _ in site.requests)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def assert_spaced(site: WordPressSite, delay: float) -> None:
    """Requests reached the site `delay` apart. The times are taken by the site's handler
    threads, which share the GIL with the crawler's in this process: a time taken late
    makes one gap short and the next as much longer (seen: 69 ms and 7 ms for 100, on a
    busy machine). So on average the gap is the delay, and no two gaps in a row are
    short together, as two requests sent at once and the next one a delay later are."""
    measured = gaps(site)
    assert sum(measured) / len(measured) >= delay * 0.98, measured
    pairs = [a + b for a, b in zip(measured, measured[1:], strict=False)]
    assert min(pairs, default=2 * delay) >= delay * 1.5, measured


def test_rest_api_first_then_a_second_crawl_is_answered_by_304s(site_factory, tmp_path):
    site = site_factory()
    limits = CrawlLimits(delay=0.01, per_page=5)
    first = crawl(site.root, tmp_path / "corpus", limits)
    assert first.discovered_by == "wordpress-api"
    assert (first.fetched, first.errors, first.articles_found) == (3, 0, len(POSTS))
    assert site.paths()[0] == "/robots.txt"
    assert all(p.startswith("/wp-json/") for p in site.paths()[1:])
    assert {ua for _, _, ua in site.requests} == {USER_AGENT}
    titles = {a.title for a in read_corpus(tmp_path / "corpus")}
    assert titles == {p["title"] for p in POSTS}

    before = len(site.requests)
    second = crawl(site.root, tmp_path / "corpus", limits)
    assert (second.fetched, second.not_modified, second.articles_found) == (0, 3, len(POSTS))
    assert len(site.requests) - before == 4  # robots.txt and three 304s

    build_index(tmp_path / "corpus", tmp_path / "index")
    hits = search(tmp_path / "index", "oxygen").hits
    assert [h["title"] for h in hits] == ["Cash flow is the oxygen of a business"]
    assert hits[0]["url"] == site.root + "/2022/02/post-1/"


def test_a_crawl_stops_at_its_cap_of_requests_and_says_so(site_factory, tmp_path):
    """At --max-pages the crawl stops asking, says which pages it did not fetch and why,
    and keeps what it fetched. (It used to take its lock a second time to say so, and
    waited for ever: a blog of more than 10,000 pages hung its crawl.)"""
    import threading

    site = site_factory()
    limits = CrawlLimits(delay=0.01, per_page=5, max_pages=2)
    done = []
    # (in a thread of its own: a crawl that hangs fails this test, not the whole run)
    worker = threading.Thread(target=lambda: done.append(
        crawl(site.root, tmp_path / "corpus", limits)), daemon=True)  # fmt: skip
    worker.start()
    worker.join(timeout=60)
    assert done, "the crawl did not finish"
    summary = done[0]
    assert len(site.requests) == 2  # robots.txt and the API's first page
    assert summary.fetched == 1 and summary.articles_found == 5
    # One problem for the pages left, naming the first: not a line per page (a blog of
    # 50,000 pages under the default cap printed 40,000 lines saying the same).
    assert summary.problems == [
        f"{site.root}/wp-json/wp/v2/posts?_embed=1&per_page=5&page=2 and 1 more page: "
        "not fetched: the cap of 2 requests per crawl was reached (--max-pages)"
    ]
    assert summary.errors == 1
    assert len({a.id for a in read_corpus(tmp_path / "corpus")}) == 5
    assert "(found through the wordpress-api)" in summary.line()
    none = CrawlSummary(start_url=site.root)  # (where no way of listing posts worked)
    assert "(no list of the posts was found)" in none.line()


def test_a_start_page_that_fails_is_asked_for_and_reported_once(site_factory, tmp_path):
    """Each way of finding posts that starts from the start page (a feed it links to,
    its archive pages) used to ask for it again after it failed, and report it again."""
    site = site_factory(rest=False, sitemap=False, feed=False)
    summary = crawl(site.root + "/missing/", tmp_path, FAST)
    assert summary.problems == [f"{site.root}/missing/: HTTP 404; skipped"]
    assert summary.errors == 1 and summary.discovered_by is None
    assert site.paths().count("/missing/") == 1


@pytest.mark.parametrize("path", ["/trickle/", "/trickle-headers/"])
def test_a_page_that_trickles_in_costs_its_timeout_not_the_crawl(site_factory, tmp_path, path):
    """--timeout is for the whole request: httpx's is per read, so a server that sent a
    byte every tenth of a second held the crawl on that page for ever (here 30 s a try),
    in its body and, before indexer/crawl/deadline.py, in its headers too."""
    import time

    site = site_factory()
    started = time.monotonic()
    summary = crawl(site.root + path, tmp_path, FAST)
    assert time.monotonic() - started < 10
    assert summary.problems[0] == (f"{site.root}{path}: the whole answer took more than "
                                   "0.5 s after 2 tries; skipped")  # fmt: skip
    assert summary.discovered_by == "wordpress-api"  # and the crawl went on


def test_a_crawl_delay_of_an_hour_is_refused_before_any_page(site_factory, tmp_path):
    """Followed, robots.txt's "Crawl-delay: 3600" made a crawl that looked hung (one page
    an hour); it is refused at once, saying why and what to do instead."""
    site = site_factory(crawl_delay=3600)
    with pytest.raises(CrawlError, match=r"asks for 3600 s between requests \(Crawl-delay\)"):
        crawl(site.root, tmp_path, FAST)
    assert site.paths() == ["/robots.txt"]


def test_a_cap_reached_before_any_post_is_one_problem(site_factory, tmp_path):
    site = site_factory(rest=False)
    summary = crawl(site.root, tmp_path, CrawlLimits(delay=0.01, max_pages=1))
    assert summary.problems == [
        f"{site.root}/: not fetched: the cap of 1 request per crawl was reached (--max-pages)"
    ]  # (not also "no posts found": what stopped the crawl is said)


def test_sitemap_crawl_obeys_robots_and_survives_every_bad_page(site_factory, tmp_path):
    site = site_factory(rest=False, crawl_delay=0.1)
    summary = crawl(site.root, tmp_path, FAST)
    assert summary.discovered_by == "sitemap"
    paths = site.paths()
    assert not any(p.startswith("/private/") for p in paths)  # Disallow: /private/
    assert "/wp-sitemap-taxonomies-category-1.xml" not in paths
    assert summary.skipped_by_robots == 1
    # Crawl-delay 0.1 s is longer than the asked 0.01 s: it wins, between every request.
    assert_spaced(site, 0.1)
    # The 500 was retried and recovered; the 429 with Retry-After: 1 was retried a second
    # or more later, and recovered.
    assert len([p for p in paths if p == "/flaky/"]) == 2
    busy = [t for t, p, _ in site.requests if p == "/busy/"]
    assert len(busy) == 2 and busy[1] - busy[0] >= 0.99
    problems = "\n".join(summary.problems)
    assert "/loop-a/: redirect loop" in problems
    assert "/missing/: HTTP 404" in problems
    assert "/big/: the answer is larger than 500,000 bytes" in problems
    assert "/slow/: no answer within 0.5 s after 2 tries" in problems
    # An address Python cannot take apart, listed or sent as a redirect: named, and the
    # crawl goes on (it stopped the whole crawl with a ValueError's traceback).
    assert (f"http://[oops/: listed in {site.root}/wp-sitemap-posts-post-1.xml, is not a "
            "valid address; skipped") in problems  # fmt: skip
    assert (f"{site.root}/moved/: redirects to 'http://[bad/', which is not a valid "
            "address; skipped") in problems  # fmt: skip
    assert f"{site.root}/moved-again/: redirects to an address that is not valid" in problems
    assert len([p for p in paths if p == "/moved-again/"]) == 1  # (not retried: the same)
    assert summary.errors == 7
    articles = {a.title: a for a in read_corpus(tmp_path) if hasattr(a, "title")}
    assert set(articles) == {p["title"] for p in POSTS} | {
        "A page that recovered", "A page after a wait", "Café crème pricing"}  # fmt: skip
    assert articles["Café crème pricing"].body == "Un café coûte deux euros."  # ISO-8859-1
    assert articles["Celebrate your customers this week"].url == site.root + "/2022/01/post-0/"
    # Everything stays inside the corpus folder; sitemaps only in its hidden crawl folder.
    assert all(tmp_path in f.resolve().parents for f in tmp_path.rglob("*"))

    again = crawl(site.root, tmp_path, FAST)
    assert again.fetched == 0 and again.not_modified == 17  # 15 pages and 2 sitemaps


def test_feed_pages_when_there_is_no_api_or_sitemap(site_factory, tmp_path):
    site = site_factory(rest=False, sitemap=False, crawl_delay=0)
    summary = crawl(site.root, tmp_path, FAST)
    assert summary.discovered_by == "feed"
    assert "/feed/?paged=3" in site.paths()
    assert summary.articles_found == len(POSTS) and summary.errors == 0


def test_a_feed_address_crawls_that_feed_and_its_pages(site_factory, tmp_path):
    site = site_factory(crawl_delay=0)
    summary = crawl(site.root + "/feed/", tmp_path, FAST)
    assert summary.discovered_by == "feed"
    assert not any(p.startswith("/wp-json/") for p in site.paths())
    assert summary.articles_found == len(POSTS)


def test_archive_pages_as_the_last_resort(site_factory, tmp_path):
    site = site_factory(rest=False, sitemap=False, feed=False, crawl_delay=0)
    summary = crawl(site.root, tmp_path, FAST)
    assert summary.discovered_by == "archive"
    assert [p for p in site.paths() if p.startswith("/page/")] == ["/page/2/", "/page/3/"]
    assert summary.articles_found == len(POSTS)


def test_default_politeness_is_one_second_between_requests(site_factory, tmp_path):
    site = site_factory(crawl_delay=0)
    crawl(site.root, tmp_path, CrawlLimits(per_page=5))  # robots.txt + 3 API pages
    assert len(site.requests) == 4
    assert_spaced(site, 1.0)


def test_a_site_closed_by_robots_txt_is_not_crawled(site_factory, tmp_path):
    site = site_factory(robots="User-agent: *\nDisallow: /\n")
    summary = crawl(site.root, tmp_path, FAST)
    assert site.paths() == ["/robots.txt"]
    assert summary.fetched == 0 and summary.skipped_by_robots >= 1


def test_only_http_addresses_are_crawled(tmp_path):
    with pytest.raises(CrawlError, match="not an http"):
        crawl("file:///etc/passwd", tmp_path)


def test_no_file_is_written_outside_the_corpus(tmp_path):
    store = CrawlStore(tmp_path / "corpus")
    for url in ("http://127.0.0.1:9/../../../etc/passwd", "http://127.0.0.1:9/%2e%2e/%2e%2e/x",
                "http://127.0.0.1:9/a/..%2f..%2f..%2fb?x=/../../c"):  # fmt: skip
        path = store.file_for(url, "pages")
        assert (tmp_path / "corpus") in path.parents
        assert ".." not in path.name


def test_cli_crawl_prints_a_json_summary(site_factory, tmp_path, cli_command):
    site = site_factory(crawl_delay=0)
    out = subprocess.run(
        [*cli_command, "crawl", site.root, "--corpus", str(tmp_path / "c"), "--delay", "0",
         "--json"], capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("fetched", "not_modified", "skipped_by_robots", "errors", "articles_found"):
        assert key in data
    assert data["articles_found"] == len(POSTS)
    assert Path(tmp_path / "c" / ".rocksearch-crawl.json").exists()


HIDDEN = [
    {**POSTS[0], "id": 900, "slug": "thank-you", "title": "Thank you for subscribing",
     "body": ["Check your inbox for the confirmation link."], "noindex": "meta"},
    {**POSTS[1], "id": 901, "slug": "preview", "title": "A preview of next week",
     "body": ["Next week: pricing for the holidays."], "noindex": "header"},
    {**POSTS[2], "id": 902, "slug": "for-google", "title": "Kept from Google only",
     "body": ["Only Googlebot is asked to leave this out."], "noindex": "googlebot"},
]  # fmt: skip


@pytest.mark.parametrize("rest", [False, True], ids=["sitemap", "rest-api"])
def test_posts_that_ask_not_to_be_indexed_are_not_found(site_factory, tmp_path, rest):
    """A post its author marked noindex (a thank-you page, a preview) was crawled and
    found like any other. By its page's robots meta or X-Robots-Tag header, or by the
    REST API's Yoast robots, it is now left out and counted; a noindex for Google alone
    keeps it; a page that drops its noindex is found after the next crawl."""
    posts = [dict(p) for p in POSTS + HIDDEN]
    site = site_factory(rest=rest, extras=False, crawl_delay=0, posts=posts)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    summary = crawl(site.root, corpus, FAST)
    assert summary.discovered_by == ("wordpress-api" if rest else "sitemap")
    assert summary.articles_found == len(POSTS) + 1 and summary.errors == 0
    if not rest:  # (the REST API's posts are not pages: nothing is saved for them)
        assert summary.noindex == 2 and "2 asking not to be indexed" in summary.line()
    build_index(corpus, index)

    def titles(query: str) -> list[str]:
        found = search(get_state(index, wait=True), query, collapse=False)
        return [hit["title"] for hit in found.to_dict()["hits"]]

    assert titles("confirmation link inbox") == []
    assert titles("holidays pricing") == []
    assert titles("googlebot") == ["Kept from Google only"]

    posts[len(POSTS)]["noindex"] = None  # the thank-you page is opened to search
    again = crawl(site.root, corpus, FAST)
    assert again.articles_found == len(POSTS) + 2
    build_index(corpus, index)
    assert titles("confirmation link inbox") == ["Thank you for subscribing"]
    if not rest:
        # A page whose text is unchanged (a 304) but which the server now marks noindex
        # by its header: left out by the next crawl's index, not kept from the first.
        posts[len(POSTS)]["noindex"] = "header"  # (the thank-you page's text as it was)
        third = crawl(site.root, corpus, FAST)
        assert third.fetched == 0 and third.not_modified > 0  # (every page a 304)
        assert third.noindex == 2
        build_index(corpus, index)
        assert titles("confirmation link inbox") == []


WAYS = {
    "wordpress-api": {},
    "sitemap": {"rest": False},
    "feed": {"rest": False, "sitemap": False},
    "archive": {"rest": False, "sitemap": False, "feed": False},
}


@pytest.mark.parametrize("way", list(WAYS))
def test_posts_deleted_from_the_site_leave_the_corpus_and_the_index(site_factory, tmp_path, way):
    """A post deleted from the blog stayed in the corpus for ever: its page's file was
    never removed (found by a sitemap crawl), and a REST API, feed or archive page past
    the new last page kept posts that had moved to the pages before it (every
    `rocksearch index` then said "duplicate id … skipped", or listed a post twice). A
    complete crawl now removes the files it did not see, and says how many."""
    posts = [dict(p) for p in POSTS]
    site = site_factory(extras=False, crawl_delay=0, posts=posts, **WAYS[way])
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    limits = CrawlLimits(delay=0.01, timeout=0.5, retries=1, per_page=5)
    assert crawl(site.root, corpus, limits).articles_found == len(POSTS)
    build_index(corpus, index)
    deleted = posts[:3]
    del posts[:3]
    for post in deleted:
        del site.by_path[post_path(post)]
    again = crawl(site.root, corpus, limits)
    assert again.discovered_by == way and again.errors == 0
    assert again.removed >= 1 and f"{again.removed} files no longer on the site" in again.line()
    assert again.articles_found == len(POSTS) - 3
    items = list(read_corpus(corpus))
    assert [str(i) for i in items if isinstance(i, SourceError)] == []
    assert sorted(a.title for a in items if isinstance(a, Article)) == sorted(
        p["title"] for p in posts
    )
    summary = build_index(corpus, index)
    # (An archive page's posts are named by their page too: moved, they are new ids.)
    assert (summary.documents, summary.errors) == (len(POSTS) - 3, 0)
    state = get_state(index, wait=True)
    for post in deleted:  # searched by its title, it is not found
        assert post["title"] not in [hit["title"] for hit in search(state, post["title"]).hits]


def test_a_crawl_that_may_have_missed_pages_removes_nothing(site_factory, tmp_path):
    """The feed's second page timing out ends its pages as the feed's end would: taken
    for complete, that crawl would have removed the posts of pages two and three. A
    crawl with a failure that may pass (a timeout, a 5xx) keeps every file and says why;
    the next complete crawl removes what is gone."""
    site = site_factory(rest=False, sitemap=False, crawl_delay=0, slow_seconds=1.0)
    corpus = tmp_path / "corpus"
    limits = CrawlLimits(delay=0.01, timeout=0.5, retries=1)
    assert crawl(site.root, corpus, limits).articles_found == len(POSTS)
    site.stalled.add("/feed/?paged=2")
    partial = crawl(site.root, corpus, limits)
    assert partial.removed == 0 and partial.kept == 2
    assert f"{site.root}/feed/?paged=2 failed" in partial.kept_why
    assert "2 files not seen this time kept" in partial.line()
    assert sum(isinstance(a, Article) for a in read_corpus(corpus)) == len(POSTS)
    site.stalled.clear()
    complete = crawl(site.root, corpus, limits)
    assert (complete.removed, complete.kept, complete.articles_found) == (0, 0, len(POSTS))


def test_a_sitemap_that_lists_archive_pages_gives_each_post_once(site_factory, tmp_path):
    """A Hugo site's sitemap lists its home and list pages beside the posts: each post
    was read from its own page and again, as another post, from every list page showing
    it. A list page's post whose own page the crawl saved is now read there only; a
    mirror folder without the crawl's addresses still reads list pages whole."""
    site = site_factory(rest=False, extras=False, crawl_delay=0, listings=True)
    corpus = tmp_path / "corpus"
    summary = crawl(site.root, corpus, FAST)
    assert summary.discovered_by == "sitemap" and summary.files == len(POSTS) + 2
    assert summary.articles_found == len(POSTS)
    articles = [a for a in read_corpus(corpus) if isinstance(a, Article)]
    assert sorted(a.title for a in articles) == sorted(p["title"] for p in POSTS)
    assert not any(a.excerpt for a in articles)

    (corpus / ".rocksearch-crawl.json").unlink()  # as a folder of saved pages
    assert sum(isinstance(a, Article) for a in read_corpus(corpus)) == len(POSTS) + 10


def test_a_sitemap_with_a_plugin_s_undeclared_tags_is_read(site_factory, tmp_path):
    """An image plugin's `<image:image>` in a sitemap that never declares the prefix: an
    XML fault libxml2 reads past, but the strict parse refused the whole sitemap, and the
    crawl fell back to the feed. A sitemap cut short is still refused, and said."""
    site = site_factory(rest=False, extras=False, crawl_delay=0, sitemap_fault="undeclared")
    summary = crawl(site.root, tmp_path / "read", FAST)
    assert (summary.discovered_by, summary.errors) == ("sitemap", 0)
    assert summary.articles_found == len(POSTS)

    site = site_factory(rest=False, extras=False, crawl_delay=0, sitemap_fault="cut")
    summary = crawl(site.root, tmp_path / "cut", FAST)
    assert summary.discovered_by != "sitemap" and summary.articles_found == len(POSTS)
    (problem,) = [p for p in summary.problems if "sitemap" in p]
    assert problem.startswith(f"{site.root}/wp-sitemap-posts-post-1.xml: the sitemap is not "
                              "well-formed XML (")  # fmt: skip
    assert problem.endswith("); skipped")


def test_astros_sitemap_index_is_found_though_robots_txt_names_none(site_factory, tmp_path):
    """Astro's sitemap integration writes sitemap-index.xml, which robots.txt often does
    not name: the crawl looked for wp-sitemap.xml, sitemap_index.xml and sitemap.xml, and
    fell back to the feed's pages."""
    site = site_factory(rest=False, extras=False, crawl_delay=0, robots="User-agent: *\n",
                        sitemap_index="sitemap-index.xml")  # fmt: skip
    summary = crawl(site.root, tmp_path / "astro", FAST)
    assert (summary.discovered_by, summary.errors) == ("sitemap", 0)
    assert summary.articles_found == len(POSTS)


def test_pages_sitemaps_are_crawled_only_when_pages_are_asked_for(site_factory, tmp_path):
    """The sitemaps of a site's pages (WordPress's wp-sitemap-posts-page, Yoast's
    page-sitemap, Ghost's sitemap-pages; Ghost's was read as posts) are skipped, as the
    REST API's pages are, unless `--post-types` asks for pages; then they are read."""
    from indexer.crawl.discover import PAGE_SITEMAPS
    from indexer.importers import ImportOptions

    assert all(PAGE_SITEMAPS.search(name) for name in ("wp-sitemap-posts-page-1.xml",
               "page-sitemap.xml", "sitemap-pages.xml"))  # fmt: skip
    site = site_factory(rest=False, extras=False, crawl_delay=0)
    posts = crawl(site.root, tmp_path / "posts", FAST)
    assert "/about/" not in site.paths() and posts.articles_found == len(POSTS)
    pages = ImportOptions(post_types=frozenset({"post", "page"}))
    both = crawl(site.root, tmp_path / "both", FAST, options=pages)
    assert "/about/" in site.paths() and both.articles_found == len(POSTS) + 1


def test_a_sitemap_s_dates_spare_asking_again_for_unchanged_posts(site_factory, tmp_path):
    """Crawling again asked for every post (a 304 each, at one request a second: 33
    minutes for a blog of 2,000 posts when nothing had changed). A post whose sitemap
    <lastmod> is the one it had when it was fetched is now not asked for; an edited one
    (its date moves) is, and so is one whose saved file is gone."""
    posts = [dict(p) for p in POSTS]
    site = site_factory(rest=False, extras=False, crawl_delay=0, posts=posts, lastmods=True)
    corpus = tmp_path / "corpus"
    first = crawl(site.root, corpus, FAST)
    assert (first.fetched, first.unchanged_in_sitemap) == (len(POSTS) + 2, 0)

    posts[4]["body"] = ["Edited: no problem is still a problem."]
    posts[4]["modified"] = "2026-12-01T10:00:00+00:00"
    lost = CrawlStore(corpus).known(site.root + post_path(posts[7]))["file"]
    (corpus / lost).unlink()
    before = len(site.requests)
    again = crawl(site.root, corpus, FAST)
    asked = sorted(p for p in site.paths()[before:] if p.startswith("/2022/"))
    assert asked == sorted([post_path(posts[4]), post_path(posts[7])])
    assert again.unchanged_in_sitemap == len(POSTS) - 2 and again.removed == 0
    assert f"{len(POSTS) - 2} unchanged by the sitemap's dates" in again.line()
    articles = {a.title: a for a in read_corpus(corpus) if isinstance(a, Article)}
    assert len(articles) == len(POSTS) == again.articles_found
    assert articles[posts[4]["title"]].body == "Edited: no problem is still a problem."


def test_a_gzipped_sitemap_is_read_within_the_protocol_s_limit(site_factory, tmp_path, monkeypatch):
    """A sitemap.xml.gz (the protocol allows them; generators write them) was taken for
    no sitemap, and the crawl fell back to the feed's pages. It is now unzipped, up to
    the protocol's 50 MB a sitemap: past that it is named and skipped."""
    from indexer.crawl import discover

    site = site_factory(rest=False, sitemap=False, crawl_delay=0, gzipped_sitemap=True)
    summary = crawl(site.root, tmp_path / "a", FAST)
    assert summary.discovered_by == "sitemap" and summary.articles_found == len(POSTS)
    assert summary.errors == 0

    monkeypatch.setattr(discover, "SITEMAP_MAX_BYTES", 200)
    summary = crawl(site.root, tmp_path / "b", FAST)
    assert summary.discovered_by == "feed" and summary.articles_found == len(POSTS)
    assert summary.problems == [f"{site.root}/sitemap.xml.gz: the gzipped sitemap is over "
                                "0 MB unzipped; skipped"]  # fmt: skip


def test_a_blog_that_answers_at_its_www_address_is_crawled_there(
    site_factory, tmp_path, monkeypatch
):
    """`rocksearch crawl example.com` of a blog that redirects every request to
    www.example.com found nothing: each redirect was refused as another site's. A move
    of the whole site (its robots.txt too) to its www. name or to https is followed, and
    the crawl goes on there; a redirect to another host is still not followed."""
    import socket

    site = site_factory(crawl_delay=0, extras=False)
    port = site.server.server_address[1]
    site.canonical = f"www.localhost:{port}"
    site.root = f"http://{site.canonical}"  # (its own links name it so)
    resolve = socket.getaddrinfo  # www.localhost is this machine, as localhost is

    def local(host, *args, **kwargs):
        return resolve("127.0.0.1" if host == "www.localhost" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local)
    summary = crawl(f"http://localhost:{port}", tmp_path / "www", FAST)
    assert summary.start_url == f"http://www.localhost:{port}/"
    assert (summary.discovered_by, summary.articles_found, summary.errors) == (
        "wordpress-api", len(POSTS), 0)  # fmt: skip
    assert site.paths() == ["/robots.txt", "/robots.txt", site.paths()[2]]  # one redirect

    site.canonical = f"127.0.0.1:{port}"  # another host altogether
    site.root = f"http://{site.canonical}"
    summary = crawl(f"http://localhost:{port}", tmp_path / "other", FAST)
    assert summary.articles_found == 0
    assert f"redirects off the site to http://127.0.0.1:{port}/" in "\n".join(summary.problems)


@pytest.mark.parametrize("count", [len(POSTS), 10])
def test_a_rest_api_without_its_page_count_is_read_to_its_last_page(site_factory, tmp_path, count):
    """A proxy or a security plugin that drops X-WP-TotalPages left the crawl at the
    first page of posts (and, crawled again, it would have removed the others' files as
    no longer on the site). The pages are now asked for until one is not full."""
    site = site_factory(crawl_delay=0, extras=False, totals=False, posts=POSTS[:count])
    summary = crawl(site.root, tmp_path, CrawlLimits(delay=0.01, per_page=5))
    assert summary.discovered_by == "wordpress-api" and summary.errors == 0
    assert summary.articles_found == count
    asked = [p for p in site.paths() if p.startswith("/wp-json/")]
    assert len(asked) == count // 5 + 1  # the last full page, then one more


def test_a_page_count_of_a_trillion_or_a_digit_that_is_no_number_is_survived(
    site_factory, tmp_path
):
    """X-WP-TotalPages: 999999999999 held the crawl for ever, building the list of a
    trillion pages' addresses before asking for any (a hostile fuzz of the test site
    found it); then it asked for the 10,000 pages the cap allows, each an error, which
    at one request a second is three hours. "\u00b2", a digit to str.isdigit, stopped it
    with int()'s ValueError. Pages are now asked for ten at a time, and no further
    once ten in a row saved nothing; "\u00b2" is no count."""
    site = site_factory(crawl_delay=0, extras=False, totals="999999999999")
    summary = crawl(site.root, tmp_path, CrawlLimits(delay=0.01, per_page=5))
    assert summary.discovered_by == "wordpress-api"
    assert summary.articles_found == len(POSTS)  # (its three pages of five)
    asked = [p for p in site.paths() if p.startswith("/wp-json/")]
    assert len(asked) == 21  # (page 1, pages 2-11 with two of posts, then 12-21: none)
    assert summary.errors == 18 and summary.problems[0].endswith("page=4: HTTP 400; skipped")
    site = site_factory(crawl_delay=0, extras=False, totals="\u00b2")
    summary = crawl(site.root, tmp_path / "2", CrawlLimits(delay=0.01, per_page=5))
    assert summary.discovered_by == "wordpress-api" and summary.errors == 0
    assert summary.articles_found == len(POSTS)


def test_a_site_on_plain_permalinks_is_read_through_its_rest_api(site_factory, tmp_path):
    """WordPress on plain permalinks ("?p=123") has no /wp-json/ (a rewrite rule): its
    REST API answers at ?rest_route= only, and the crawl had fallen back to the feed's
    pages. It now asks there when /wp-json/ is not found."""
    site = site_factory(crawl_delay=0, extras=False, plain=True)
    summary = crawl(site.root, tmp_path, CrawlLimits(delay=0.01, per_page=5))
    assert summary.discovered_by == "wordpress-api" and summary.errors == 0
    assert summary.articles_found == len(POSTS)
    assert sum(p.startswith("/?rest_route=%2Fwp%2Fv2%2Fposts") for p in site.paths()) == 3


@pytest.mark.parametrize("start", ["", "/feed.json"])
def test_a_sites_json_feed_and_its_pages_when_it_offers_no_other(site_factory, tmp_path, start):
    """A blog whose only feed is a JSON Feed (Micro.blog's, some static sites'), found by
    its home page's link or given as the start address: its pages, followed by their
    `next_url`, are saved as JSON Feeds and read as posts. Before, the crawl had fallen
    back to the archive pages, which may hold excerpts only, and a JSON Feed given as
    the start was no feed."""
    site = site_factory(rest=False, sitemap=False, feed="json", crawl_delay=0)
    summary = crawl(site.root + start, tmp_path, FAST)
    assert summary.discovered_by == "feed"
    assert "/feed.json?page=3" in site.paths()
    assert not any(p.startswith("/page/") for p in site.paths())
    assert summary.articles_found == len(POSTS) and summary.errors == 0
    saved = sorted(p.suffix for p in tmp_path.rglob("json-feed/*"))
    assert saved == [".json"] * 3
    found = list(read_corpus(tmp_path))
    assert [str(e) for e in found if isinstance(e, SourceError)] == []
    first = next(a for a in found if isinstance(a, Article) and a.title == POSTS[0]["title"])
    assert (first.body, first.tags, first.date) == (
        "\n\n".join(POSTS[0]["body"]), [POSTS[0]["tag"]], POSTS[0]["date"])  # fmt: skip
