"""Finding a blog's posts: REST API, else sitemap, else feed pages, else archive pages.

Takes a `Fetcher` for the site; each `via_*` function fetches and saves what it finds and
returns whether the site offered that way in. `DISCOVERY` lists them in the order
`crawl` tries them: the cheapest complete source first (the REST API gives 100 posts
with their terms per request), the least complete last (archive pages may hold only
excerpts).
"""

from __future__ import annotations

import json
import re
import zlib
from urllib.parse import urlencode, urlsplit

import lxml.html
from lxml import etree

from indexer.addresses import joined
from indexer.crawl.fetcher import Fetcher, Page, no_address
from indexer.importers import feeds, html_pages, json_feed
from indexer.importers.post import said
from indexer.importers.xmlsafety import SAFE_PARSE, entity_problem, first_fatal

NEXT_TEXT = re.compile(
    r"^\W*(?:next(?: page)?|older (?:posts|entries)|older)\W*$|^\W*next\s*[»›→]", re.I
)
# Sitemaps of categories, tags and authors list no posts; those of pages (WordPress's
# wp-sitemap-posts-page-1.xml, Yoast's and Rank Math's page-sitemap.xml, Ghost's
# sitemap-pages.xml) only pages, read when `--post-types` asks for them.
SKIPPED_SITEMAPS = re.compile(r"taxonom|categor|tag|author|user", re.I)
PAGE_SITEMAPS = re.compile(r"page-sitemap|posts-page|sitemap-pages", re.I)


# WordPress's head link to its REST API, as a site without pretty permalinks writes it.
PLAIN_API = re.compile(rb"<link[^>]+rel=[\"']https://api\.w\.org/[\"'][^>]*\?rest_route=")


def is_json_list(body: bytes) -> bool:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(data, list)


def is_feed(body: bytes) -> bool:
    """An RSS or Atom feed, or a JSON Feed (`is_json_feed`)."""
    return feeds.sniff(body[:8192].lstrip()) or is_json_feed(body)


def is_json_feed(body: bytes) -> bool:
    return json_feed.sniff(body[:8192])


def is_html(body: bytes) -> bool:
    return html_pages.sniff(body[:8192]) or b"<html" in body[:8192].lower()


# REST API pages asked for at once (1,000 posts at 100 a page): a batch that saves none
# ends the collection.
REST_BATCH = 10


def via_rest(site: Fetcher) -> bool:
    for plain in (False, True):
        if rest_collection(site, "posts", plain):
            if "page" in site.options.post_types:  # `--post-types post,page`
                rest_collection(site, "pages", plain)
            return True
        # /wp-json/ is a rewrite rule: a WordPress site on plain permalinks ("?p=123")
        # answers it with its 404 page, whose head links the API at ?rest_route= (and
        # the crawl had fallen back to its feed's pages). No other site is asked so.
        if site.last_status != 404 or not PLAIN_API.search(site.last_refusal):
            return False
    return False


def rest_collection(site: Fetcher, collection: str, plain: bool = False) -> bool:
    """Every page of one REST collection (`posts`, `pages`), up to X-WP-TotalPages;
    `plain`: at `?rest_route=`, as a site without pretty permalinks answers it."""

    def page_url(n: int) -> str:
        query = {"_embed": "1", "per_page": site.limits.per_page, "page": n}
        if plain:
            return f"{site.root}/?{urlencode({'rest_route': f'/wp/v2/{collection}', **query})}"
        return f"{site.root}/wp-json/wp/v2/{collection}?{urlencode(query)}"

    first = site.fetch(page_url(1), probe=True)
    if first is None or not is_json_list(first.body):
        return False
    site.save(first, "api")
    if first.total_pages is None:
        # A proxy or plugin that drops X-WP-TotalPages left a crawl at the first 100
        # posts: the pages are then asked for one by one until one is not full.
        page, n, seen = first, 2, {hash(first.body)}
        while len(json.loads(page.body.decode("utf-8-sig"))) >= site.limits.per_page:
            page = site.fetch(page_url(n), probe=True)
            if page is None or not is_json_list(page.body) or hash(page.body) in seen:
                break  # (the same page again: a site that ignores `page`)
            seen.add(hash(page.body))
            site.save(page, "api")
            n += 1
        return True
    # (No more pages than the cap of requests, and one over it to say the cap was met:
    # "X-WP-TotalPages: 999999999999" held the crawl building a list of them for ever.)
    pages = range(2, min(first.total_pages, site.limits.max_pages + 1) + 1)
    # (In order, ten pages at a time, and no further once ten in a row saved nothing.)
    site.fetch_all((page_url(n) for n in pages), "api", is_json_list, batch=REST_BATCH)
    return True


def wanted_sitemap(site: Fetcher, name: str) -> bool:
    """Whether a sitemap index's child sitemap (its file name) may list posts asked for."""
    if SKIPPED_SITEMAPS.search(name):
        return False
    return "page" in site.options.post_types or not PAGE_SITEMAPS.search(name)


# The sitemaps protocol's limit for one sitemap, uncompressed: a gzipped one is read up
# to it (a small file can unzip to gigabytes).
SITEMAP_MAX_BYTES = 50 * 1024 * 1024


def unzipped(body: bytes) -> tuple[bytes, str | None]:
    """(a sitemap's XML, a problem or None): a gzipped sitemap (`sitemap.xml.gz`, which
    the protocol allows and generators write) unzipped; any other body as it is."""
    if not body.startswith(b"\x1f\x8b"):
        return body, None
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        xml = unzip.decompress(body, SITEMAP_MAX_BYTES)
    except zlib.error as exc:
        return b"", f"the gzipped sitemap cannot be unzipped ({exc}); skipped"
    if not unzip.eof:  # (more to unzip past the limit, or the file ends too soon)
        if unzip.unconsumed_tail or unzip.decompress(b"", 1):
            return (
                b"",
                f"the gzipped sitemap is over {SITEMAP_MAX_BYTES // 2**20} MB unzipped; skipped",
            )
        return b"", "the gzipped sitemap is cut short; skipped"
    return xml, None


def is_sitemap(body: bytes) -> bool:
    """Whether an answer is a sitemap or a sitemap index, gzipped or not."""
    if body.startswith(b"\x1f\x8b"):
        try:  # (its start is enough)
            body = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body[:65536], 65536)
        except zlib.error:
            return False
    return b"<urlset" in body or b"<sitemapindex" in body


def sitemap_root(body: bytes) -> tuple:
    """(the root element of a sitemap's XML, None; or None, the fault that stopped the
    parser). Faults libxml2 reads past are let be: a plugin's `<image:image>` whose
    prefix the sitemap never declares had cost every URL it lists. (A sitemap cut
    short is still no sitemap: its URLs are not all the site's.)"""
    parser = etree.XMLParser(recover=True, **SAFE_PARSE)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:  # (nothing at all to read)
        return None, exc
    fatal = first_fatal(parser.error_log)
    if fatal or root is None:
        return None, fatal[1] if fatal else "no element"
    return root, None


def sitemap_urls(
    site: Fetcher, body: bytes, url: str, depth: int = 0
) -> list[tuple[str, str | None]]:
    """The page URLs a sitemap lists, each with its `<lastmod>` (None when it gives
    none), following a sitemap index (posts' sitemaps only)."""
    body, problem = unzipped(body)
    if problem:
        site.problem(url, problem)
        return []
    if entity_problem(body[:65536]):
        site.problem(url, "the sitemap declares XML entities; refused")
        return []
    root, fault = sitemap_root(body)
    if fault:
        site.problem(url, f"the sitemap is not well-formed XML ({said(fault)}); skipped")
        return []
    if root.tag.endswith("sitemapindex"):
        pages: list[tuple[str, str | None]] = []
        for child in [(el.text or "").strip() for el in root.iter("{*}loc")]:
            if depth < 2 and wanted_sitemap(site, child.rsplit("/", 1)[-1]):
                page = site.fetch(child)
                if page is not None:
                    site.save(page, "sitemaps")
                    pages += sitemap_urls(site, page.body, child, depth + 1)
        return pages
    listed = [((entry.findtext("{*}loc") or "").strip(),
               (entry.findtext("{*}lastmod") or "").strip() or None)
              for entry in root.iter("{*}url")]  # fmt: skip
    for u, _ in listed:
        if u and (why := no_address(u)):
            site.problem(u, f"listed in {url}, is {why}; skipped", gone=True)
    return [(u, lastmod) for u, lastmod in listed if u and site.same_site(u)]


def via_sitemap(site: Fetcher) -> bool:
    robots_maps = list(site.robots.sitemaps) if site.robots else []
    # (WordPress's own, Yoast's and Rank Math's, the protocol's usual name, Astro's)
    candidates = robots_maps + [
        f"{site.root}/wp-sitemap.xml", f"{site.root}/sitemap_index.xml", f"{site.root}/sitemap.xml",
        f"{site.root}/sitemap-index.xml",
    ]  # fmt: skip
    for url in dict.fromkeys(candidates):
        page = site.fetch(url, probe=True)
        if page is None or not is_sitemap(page.body):
            continue
        site.save(page, "sitemaps")
        pages = sitemap_urls(site, page.body, url)
        if pages:
            # A page whose <lastmod> is the one it had when it was last fetched is not
            # asked for again: at one request a second, a blog of 2,000 posts took 33
            # minutes to crawl again when nothing had changed.
            asked = [u for u, lastmod in pages if not site.store.unchanged_since(u, lastmod)]
            site.summary.unchanged_in_sitemap = len(pages) - len(asked)
            site.fetch_all(asked, "pages", is_html)
            for u, lastmod in pages:
                if lastmod:
                    site.store.note_lastmod(u, lastmod)
            return True
    return False


def home(site: Fetcher) -> Page | None:
    if not site.home_asked:  # (one try with its retries: a failure said once)
        site.home_asked = True
        site.home = site.fetch(site.start)
    return site.home


# The feeds a home page links, in the order asked: RSS or Atom (WordPress pages them),
# else a JSON Feed (jsonfeed.org: Micro.blog's blogs and some static sites offer only it;
# `application/feed+json`, not WordPress's `application/json` link to a page's REST
# answer, which every page of a WordPress site has).
FEED_TYPES = ("contains(@type, 'rss') or contains(@type, 'atom')",
              "contains(@type, 'feed+json')")  # fmt: skip


def feed_links(site: Fetcher) -> list[str]:
    """The feeds to try: those the home page links, else WordPress's and the usual JSON
    Feed's addresses."""
    page = home(site)
    found: list[str] = []
    if page is not None and is_html(page.body):
        try:
            doc = lxml.html.document_fromstring(page.body)
            for types in FEED_TYPES:
                for link in doc.xpath(f"//link[@rel='alternate'][{types}]/@href"):
                    if (url := joined(page.url, link)) is not None and url not in found:
                        found.append(url)
        except (etree.ParserError, ValueError):
            pass
    return found or [f"{site.root}/feed/", f"{site.root}/feed.json"]


def atom_next(body: bytes) -> str | None:
    m = re.search(rb"<(?:atom:)?link\b[^>]*\brel=[\"']next[\"'][^>]*>", body[:65536])
    href = re.search(rb"href=[\"']([^\"']+)", m.group(0)) if m else None
    return href.group(1).decode("utf-8", "replace") if href else None


def via_start_feed(site: Fetcher) -> bool:
    """A start URL that is itself a feed (`rocksearch crawl https://blog/feed/`)."""
    if urlsplit(site.start).path in ("", "/"):
        return False
    page = home(site)
    return page is not None and is_feed(page.body) and via_feed(site, page)


def via_feed(site: Fetcher, first: Page | None = None) -> bool:
    if first is None:
        for url in feed_links(site):
            first = site.fetch(url, probe=True)
            if first is not None and is_feed(first.body):
                break
        else:
            return False
    if is_json_feed(first.body):
        return via_json_feed(site, first)
    url = first.url
    site.save(first, "feed")
    seen = {first.body}
    page, number = first, 1
    while True:
        # RFC 5005's rel="next", else WordPress's ?paged=N on its feeds.
        number += 1
        nxt = atom_next(page.body) or f"{url}{'&' if '?' in url else '?'}paged={number}"
        nxt = joined(url, nxt)
        page = site.fetch(nxt, probe=True) if nxt is not None else None
        if page is None or not is_feed(page.body) or page.body in seen or b"<item" not in \
                page.body and b"<entry" not in page.body:  # fmt: skip
            return True
        seen.add(page.body)
        site.save(page, "feed")


# JSON Feed pages followed at most (by `next_url`): a feed whose pages link back to one
# another is caught by their bodies, one that makes up new ones forever by this.
JSON_FEED_PAGES = 10_000


def via_json_feed(site: Fetcher, first: Page) -> bool:
    """A JSON Feed and the pages its `next_url` leads to (JSON Feed 1.1's paging)."""
    site.save(first, "json-feed")
    seen, page = {first.body}, first
    for _ in range(JSON_FEED_PAGES):
        try:
            nxt = json.loads(page.body.decode("utf-8-sig")).get("next_url")
        except (UnicodeDecodeError, ValueError, RecursionError, AttributeError):
            break
        nxt = joined(page.url, nxt) if isinstance(nxt, str) else None
        page = site.fetch(nxt, probe=True) if nxt is not None and site.same_site(nxt) else None
        if page is None or not is_json_feed(page.body) or page.body in seen:
            break
        seen.add(page.body)
        site.save(page, "json-feed")
    return True


def next_link(page: Page) -> str | None:
    try:
        doc = lxml.html.document_fromstring(page.body)
    except (etree.ParserError, ValueError):
        return None
    for href in doc.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href"):
        return joined(page.url, href)
    for a in doc.xpath("//a[@href]"):
        if NEXT_TEXT.search(a.text_content().strip()):
            return joined(page.url, a.get("href"))
    return None


def via_archive(site: Fetcher) -> bool:
    page = home(site)
    if page is None or not is_html(page.body):
        return False
    seen = {page.url}
    while page is not None:
        site.save(page, "pages")
        url = next_link(page)
        if not url or url in seen or not site.same_site(url):
            break
        seen.add(url)
        page = site.fetch(url)
        if page is not None and not is_html(page.body):
            break
    return True


DISCOVERY = [
    ("feed", via_start_feed),
    ("wordpress-api", via_rest),
    ("sitemap", via_sitemap),
    ("feed", via_feed),
    ("archive", via_archive),
]
