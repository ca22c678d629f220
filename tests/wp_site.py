"""A WordPress-like test site served on 127.0.0.1, for the crawler's tests.

`WordPressSite(rest=…, sitemap=…, feed=…)` starts a threaded HTTP server with literal
posts and the ways in a real WordPress site offers (REST API with `X-WP-TotalPages`,
a sitemap index, paged RSS feeds, archive pages with "Older Posts" links; `feed="json"`:
a paged JSON Feed at /feed.json instead of RSS), plus what a
polite crawler must cope with: robots.txt with a Disallow and a Crawl-delay, a page
that fails once with 503 and Retry-After, a slow page, a redirect loop, a 404, an answer
larger than the crawler's cap, a page in ISO-8859-1, and a sitemap entry and a redirect
whose address is none ("http://[oops/"). A post with "noindex" says so
in its page's robots meta ("meta"), in an X-Robots-Tag header ("header") or to Google
alone ("googlebot"), and in Yoast SEO's robots in the REST API. Every answer has an ETag and
honours If-None-Match. `requests` records (monotonic time, path, User-Agent) of each
request, so tests can check what was fetched, what never was, and the gaps between.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

POSTS = [
    {
        "id": 100 + n,
        "slug": f"post-{n}",
        "title": title,
        "date": f"2022-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}",
        "category": ["Customer Care", "Cash Flow", "Marketing"][n % 3],
        "tag": ["customers", "cash", "stories"][n % 3],
        "body": [
            f"{title} is a lesson every small business learns {n} times.",
            "Customers notice what you do more than what you say.",
        ]
        + ([f"Write this on a rock … Maxim number {n} of the test site."] if n % 4 == 0 else []),
    }
    for n, title in enumerate(
        [
            "Celebrate your customers this week",
            "Cash flow is the oxygen of a business",
            "Storytelling gave birth to the marketplace",
            "Smartphones and customer expectations",
            "No problem is a problem",
            "Relevance is the new prime expectation",
            "The age of the customer begins",
            "Invoices are promises with dates",
            "Networking without a net",
            "Greet your customers early",
            "Authentic businesses win trust",
            "Plan for success, operate for survival",
        ]
    )
]
PER_PAGE = 5


def post_path(post: dict) -> str:
    return f"/2022/{post['date'][5:7]}/{post['slug']}/"


def body_html(post: dict) -> str:
    return "".join(f"<p>{b}</p>" for b in post["body"])


class WordPressSite:
    def __init__(self, rest=True, sitemap=True, feed=True, crawl_delay=0.2, robots=None,
                 slow_seconds=1.5, posts=None, extras=True, listings=False,
                 lastmods=False, gzipped_sitemap=False, canonical=None,
                 totals=True, plain=False, sitemap_fault=None,
                 sitemap_index="wp-sitemap.xml"):  # fmt: skip
        self.rest, self.sitemap, self.feed = rest, sitemap, feed
        self.posts = posts or POSTS  # the benchmark serves 1,000 generated posts
        self.by_path = {post_path(p): p for p in self.posts}
        self.extras = extras  # the bad pages the sitemap lists (off for the benchmark)
        self.listings = listings  # the sitemap lists archive pages too
        self.lastmods = lastmods  # the sitemap dates its posts (a post's "modified")
        self.gzipped_sitemap = gzipped_sitemap  # robots.txt names a sitemap.xml.gz
        # The one host:port the site answers at (its www. name): any other redirects there.
        self.canonical = canonical
        # the REST API says X-WP-Total and X-WP-TotalPages (a str: what it says instead)
        self.totals = totals
        self.plain = plain  # plain permalinks: the REST API at /?rest_route= only
        # The posts' sitemap with "undeclared" image tags (a plugin's, whose prefix it
        # never declares: libxml2 reads past them), or "cut" short.
        self.sitemap_fault = sitemap_fault
        # Where the sitemap index is (Astro's sitemap-index.xml, named by no robots.txt).
        self.sitemap_index = sitemap_index
        self.crawl_delay = crawl_delay
        self.robots = robots
        self.slow_seconds = slow_seconds
        self.stalled: set[str] = set()  # request paths (query included) answered too late
        self.requests: list[tuple[float, str, str]] = []
        self.flaky_calls = 0
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                # The crawler hangs up on an answer over its cap: expected.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    site.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [p for _, p, _ in self.requests]

    # -- routing ---------------------------------------------------------------------

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((time.monotonic(), req.path, req.headers.get("User-Agent", "")))
        parts = urlsplit(req.path)
        query = parse_qs(parts.query)
        path = parts.path
        if path == "/trickle-headers/":  # the same, before the headers are all there
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 300:
                req.wfile.write(bytes([byte]))
                req.wfile.flush()
                time.sleep(0.1)
            return None
        if path == "/trickle/":  # a byte every 0.1 s: each read in time, the answer never
            req.send_response(200)
            req.send_header("Content-Type", "text/html")
            req.send_header("Content-Length", "300")
            req.end_headers()
            for _ in range(300):
                req.wfile.write(b" ")
                req.wfile.flush()
                time.sleep(0.1)
            return None
        host = req.headers.get("Host", "")
        if self.canonical and host != self.canonical:  # the site has one address
            return self.send(req, 301, b"", "text/html",
                             {"Location": f"http://{self.canonical}{req.path}"})  # fmt: skip
        if req.path in self.stalled:  # (set by a test: this URL now times out)
            time.sleep(self.slow_seconds)
        answer = self.route(path, query)
        if answer is None:
            # (WordPress's head, on its 404 page too)
            head = f'<link rel="https://api.w.org/" href="{self.root}/?rest_route=/">'
            page = f"<html><head>{head if self.plain else ''}</head><body>Not found</body></html>"
            return self.send(req, 404, page.encode(), "text/html")
        status, body, ctype, headers = answer
        self.send(req, status, body, ctype, headers)

    def route(self, path: str, query: dict):
        if path == "/robots.txt":
            sitemap = "sitemap.xml.gz" if self.gzipped_sitemap else self.sitemap_index
            text = self.robots if self.robots is not None else (
                f"User-agent: *\nDisallow: /private/\nCrawl-delay: {self.crawl_delay}\n"
                f"Sitemap: {self.root}/{sitemap}\n"
            )  # fmt: skip
            return 200, text.encode(), "text/plain", {}
        if path == "/" and "rest_route" in query and self.rest and self.plain:
            if query["rest_route"] != ["/wp/v2/posts"]:
                return None
            return self.rest_page(int(query.get("page", ["1"])[0]),
                                  int(query.get("per_page", ["10"])[0]))  # fmt: skip
        if path == "/wp-json/wp/v2/posts" and self.rest and not self.plain:
            return self.rest_page(int(query.get("page", ["1"])[0]),
                                  int(query.get("per_page", ["10"])[0]))  # fmt: skip
        if path == f"/{self.sitemap_index}" and self.sitemap:
            maps = ["wp-sitemap-posts-post-1.xml", "wp-sitemap-posts-page-1.xml",
                    "wp-sitemap-taxonomies-category-1.xml"]  # fmt: skip
            locs = "".join(f"<sitemap><loc>{self.root}/{m}</loc></sitemap>" for m in maps)
            xml = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'
            return 200, xml.encode(), "application/xml", {}
        if path == "/wp-sitemap-posts-post-1.xml" and self.sitemap:
            # A Hugo site's sitemap lists its home and list pages beside the posts.
            pages = ["/", "/page/2/"] if self.listings else []
            urls = pages + [post_path(p) for p in self.posts] + ([
                "/private/secret-post/", "/flaky/", "/busy/", "/slow/", "/loop-a/", "/missing/",
                "/big/", "/latin1/", "/moved/", "/moved-again/",
            ] if self.extras else [])  # fmt: skip
            dates = {post_path(p): p.get("modified", p["date"]) for p in self.posts}
            locs = "".join(
                f"<url><loc>{self.root}{u}</loc>"
                + (f"<lastmod>{dates[u]}</lastmod>" if self.lastmods and u in dates else "")
                + "</url>"
                for u in urls
            )
            if self.extras:  # (no address: Python's urlsplit raises on it)
                locs += "<url><loc>http://[oops/</loc></url>"
            if self.sitemap_fault == "undeclared":
                image = f"<image:image><image:loc>{self.root}/photo.jpg</image:loc></image:image>"
                locs = locs.replace("</loc></url>", f"</loc>{image}</url>")
            xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            if self.sitemap_fault == "cut":
                xml = xml[: len(xml) // 2]
            return 200, xml.encode(), "application/xml", {}
        if path == "/wp-sitemap-posts-page-1.xml" and self.sitemap:
            xml = f"<urlset><url><loc>{self.root}/about/</loc></url></urlset>"
            return 200, xml.encode(), "application/xml", {}
        if path == "/about/":  # a WordPress page, not a post
            about = {**POSTS[0], "slug": "about", "title": "About this blog",
                     "body": ["Jim writes about small business."]}  # fmt: skip
            return 200, self.post_page(about).encode(), "text/html; charset=utf-8", {}
        if path == "/sitemap.xml.gz" and self.gzipped_sitemap:  # (what robots.txt names)
            locs = "".join(f"<url><loc>{self.root}{post_path(p)}</loc></url>" for p in self.posts)
            xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            return 200, gzip.compress(xml.encode()), "application/x-gzip", {}
        if path == "/wp-sitemap-taxonomies-category-1.xml":
            xml = f"<urlset><url><loc>{self.root}/category/x/</loc></url></urlset>"
            return 200, xml.encode(), "application/xml", {}
        if path == "/feed/" and self.feed is True:
            return self.feed_page(int(query.get("paged", ["1"])[0]))
        if path == "/feed.json" and self.feed == "json":
            return self.json_feed_page(int(query.get("page", ["1"])[0]))
        if path == "/" or path.startswith("/page/"):
            number = int(path.strip("/").split("/")[-1]) if path.startswith("/page/") else 1
            return self.archive_page(number)
        if path in self.by_path:
            post = self.by_path[path]
            page = self.post_page(post).encode()
            # A post marked noindex by a header (a server's or a plugin's rule), to
            # every robot ("header") or to Google only ("googlebot").
            robots = {"header": "noindex", "googlebot": "googlebot: noindex"}.get(
                post.get("noindex")
            )
            return 200, page, "text/html; charset=UTF-8", {"X-Robots-Tag": robots} if robots else {}
        return self.special(path)

    def special(self, path: str):
        if path in ("/flaky/", "/busy/"):
            with self.lock:
                self.flaky_calls += 1
                self.calls[path] = self.calls.get(path, 0) + 1
                first = self.calls[path] == 1
            if first and path == "/flaky/":
                return 500, b"oops", "text/plain", {}
            if first:
                return 429, b"slow down", "text/plain", {"Retry-After": "1"}
            if path == "/busy/":
                page = self.post_page({**POSTS[2], "slug": "busy", "title": "A page after a wait",
                                       "body": ["It said 429 once, then answered."]})  # fmt: skip
                return 200, page.encode(), "text/html; charset=utf-8", {}
            page = self.post_page({**POSTS[0], "slug": "flaky", "title": "A page that recovered",
                                   "body": ["It failed once and then answered."]})  # fmt: skip
            return 200, page.encode(), "text/html; charset=utf-8", {}
        if path == "/slow/":
            time.sleep(self.slow_seconds)
            return (
                200,
                b"<html><body><article><h1>Slow</h1><p>Late.</p></article></body></html>",
                "text/html",
                {},
            )  # noqa: E501
        if path == "/loop-a/":
            return 302, b"", "text/plain", {"Location": "/loop-b/"}
        if path == "/loop-b/":
            return 302, b"", "text/plain", {"Location": "/loop-a/"}
        if path == "/moved/":
            return 301, b"", "text/plain", {"Location": "http://[bad/"}
        if path == "/moved-again/":  # (an address httpx itself refuses)
            return 301, b"", "text/plain", {"Location": "http://[::1/"}
        if path == "/big/":
            return 200, b"<html><body>" + b"x" * 2_000_000 + b"</body></html>", "text/html", {}
        if path == "/latin1/":
            latin = {**POSTS[1], "slug": "latin1", "title": "Café crème pricing",
                     "body": ["Un café coûte deux euros."]}  # fmt: skip
            page = self.post_page(latin, charset=False)
            return 200, page.encode("iso-8859-1"), "text/html; charset=ISO-8859-1", {}
        if path.startswith("/private/"):
            return (
                200,
                b"<html><body><article><h1>Secret</h1><p>Secret.</p></article></body></html>",
                "text/html",
                {},
            )  # noqa: E501
        return None

    def send(self, req, status: int, body: bytes, ctype: str, headers: dict | None = None):
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200 and req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            if "X-Robots-Tag" in (headers or {}):  # (nginx's add_header sends it with a 304)
                req.send_header("X-Robots-Tag", headers["X-Robots-Tag"])
            req.end_headers()
            return
        req.send_response(status)
        req.send_header("Content-Type", ctype)
        req.send_header("Content-Length", str(len(body)))
        if status == 200:
            req.send_header("ETag", etag)
        for name, value in (headers or {}).items():
            req.send_header(name, value)
        req.end_headers()
        req.wfile.write(body)

    # -- pages -----------------------------------------------------------------------

    def rest_page(self, page: int, per_page: int):
        total = -(-len(self.posts) // per_page)
        if page > total:
            return 400, b'{"code":"rest_post_invalid_page_number"}', "application/json", {}
        chunk = self.posts[(page - 1) * per_page : page * per_page]
        data = [
            {
                "id": p["id"], "date": f"{p['date']}T10:00:00", "date_gmt": f"{p['date']}T10:00:00",
                "guid": {"rendered": f"{self.root}/?p={p['id']}"}, "slug": p["slug"],
                "status": "publish", "type": "post", "link": self.root + post_path(p),
                "title": {"rendered": p["title"]},
                "content": {"rendered": "".join(f"<p>{b}</p>\n" for b in p["body"]),
                            "protected": False},
                "excerpt": {"rendered": f"<p>{p['body'][0]}</p>", "protected": False},
                "format": "standard",
                "yoast_head_json": {"robots": {
                    "index": "noindex" if p.get("noindex") in ("meta", "header") else "index",
                    "follow": "follow"}},
                "_embedded": {
                    "author": [{"id": 1, "name": "Jim Blasingame"}],
                    "wp:term": [
                        [{"id": 1, "name": p["category"], "taxonomy": "category"}],
                        [{"id": 2, "name": p["tag"], "taxonomy": "post_tag"}],
                    ],
                },
            }
            for p in chunk
        ]  # fmt: skip
        headers = {"X-WP-Total": str(len(self.posts)), "X-WP-TotalPages": str(total)}
        if not self.totals:  # (dropped by a proxy or a security plugin)
            headers = {}
        elif isinstance(self.totals, str):  # (a broken or hostile server's)
            headers = {"X-WP-TotalPages": self.totals}
        return 200, json.dumps(data).encode(), "application/json; charset=UTF-8", headers

    def listing(self, page: int) -> list[dict]:
        """The posts of a feed or archive page (PER_PAGE a page, the first page is 1)."""
        return self.posts[(page - 1) * PER_PAGE : page * PER_PAGE]

    def feed_page(self, page: int):
        chunk = self.listing(page)
        if not chunk:
            return None
        items = "".join(
            f"<item><title>{p['title']}</title><link>{self.root}{post_path(p)}</link>"
            f'<guid isPermaLink="false">{self.root}/?p={p["id"]}</guid>'
            f"<pubDate>{p['date']}</pubDate><category>{p['category']}</category>"
            f"<content:encoded><![CDATA[{body_html(p)}]]>"
            f"</content:encoded></item>"
            for p in chunk
        )
        xml = (
            '<?xml version="1.0"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Test blog</title><link>{self.root}</link>{items}</channel></rss>"
        )
        return 200, xml.encode(), "application/rss+xml; charset=UTF-8", {}

    def json_feed_page(self, page: int):
        """A page of the JSON Feed, linking the next by `next_url` (JSON Feed 1.1)."""
        chunk = self.listing(page)
        if not chunk:
            return None
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Test blog",
                "home_page_url": self.root, "items": [
                    {"id": str(p["id"]), "url": f"{self.root}{post_path(p)}",
                     "title": p["title"], "content_html": body_html(p),
                     "date_published": f"{p['date']}T10:00:00Z", "tags": [p["tag"]]}
                    for p in chunk]}  # fmt: skip
        if page * PER_PAGE < len(self.posts):
            feed["next_url"] = f"{self.root}/feed.json?page={page + 1}"
        return 200, json.dumps(feed).encode(), "application/feed+json", {}

    def archive_page(self, number: int):
        chunk = self.listing(number)
        if not chunk:
            return None
        articles = "".join(
            f'<article class="post type-post"><h2 class="entry-title"><a rel="bookmark" '
            f'href="{post_path(p)}">{p["title"]}</a></h2><time datetime="{p["date"]}">x</time>'
            f'<div class="entry-content">{body_html(p)}</div>'
            f'<footer><a rel="category tag" href="/category/c/">{p["category"]}</a></footer>'
            f"</article>"
            for p in chunk
        )
        older = (f'<a href="/page/{number + 1}/">Older Posts</a>'
                 if number * PER_PAGE < len(self.posts) else "")  # fmt: skip
        feed = {True: '<link rel="alternate" type="application/rss+xml" href="/feed/">',
                "json": '<link rel="alternate" type="application/feed+json" href="/feed.json">',
                }.get(self.feed, "")  # fmt: skip
        page = (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Test blog</title>{feed}'
            f"</head><body><nav><ul><li>Home</li></ul></nav><main>{articles}</main>"
            f'<div class="pagination">{older}</div></body></html>'
        )
        return 200, page.encode(), "text/html; charset=UTF-8", {}

    def post_page(self, p: dict, charset: bool = True) -> str:
        body = body_html(p)
        meta = '<meta charset="utf-8">' if charset else ""
        if p.get("noindex") == "meta":  # (as Yoast SEO writes it for a post set so)
            meta += '<meta name="robots" content="noindex, follow">'
        elif p.get("noindex") == "googlebot":
            meta += '<meta name="googlebot" content="noindex">'
        return (
            f"<!DOCTYPE html><html><head>{meta}<title>{p['title']}</title>"
            f'<link rel="canonical" href="{self.root}{post_path(p)}"></head><body>'
            f'<nav><ul><li><a href="/">Home</a></li></ul></nav>'
            f'<article class="post type-post format-standard"><h1 class="entry-title">'
            f'{p["title"]}</h1><time datetime="{p["date"]}T10:00:00+00:00">{p["date"]}</time>'
            f'<div class="entry-content">{body}</div><footer>'
            f'<a rel="category tag" href="/category/c/">{p["category"]}</a>'
            f'<a rel="tag" href="/tag/t/">{p["tag"]}</a></footer></article></body></html>'
        )
