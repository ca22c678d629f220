"""The crawler's fetching: one polite, capped, conditional GET at a time.

Takes URLs of one site (`Fetcher.fetch`, `fetch_all`); gives `Page`s, saved through the
crawl's store (`indexer.crawl.storage`), whose memory of each URL's ETag and
Last-Modified makes the next crawl ask conditionally. Politeness and safety live here:
robots.txt (`load_robots`), one host only, request starts at least `delay` seconds apart
across `concurrency` threads (`Gate`), a User-Agent naming rocksearch, 429/503
`Retry-After` honoured, retries with back-off, timeouts, caps on requests, bytes per
response and redirects, http(s) only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from protego import Protego

import indexer.crawl.deadline as deadline
from indexer.addresses import joined, split
from indexer.crawl.storage import CrawlStore, UnsafePath
from indexer.importers import ImportOptions
from indexer.write_refusals import refused

VERSION = "0.7.0"
USER_AGENT = f"rocksearch/{VERSION} (blog search indexer; +https://pypi.org/project/rocksearch/)"

Progress = Callable[[int, int], None]


class CrawlError(Exception):
    """The crawl cannot start (a start URL that is not http(s), a site that never answers)."""


@dataclass
class CrawlLimits:
    delay: float = (
        1.0  # seconds between the starts of two requests (robots' Crawl-delay wins if longer)
    )
    concurrency: int = 2  # requests in flight at once
    max_pages: int = 10_000  # requests per crawl
    max_bytes: int = 10 * 1024 * 1024  # per response
    max_redirects: int = 5
    timeout: float = 20.0  # seconds, per request
    retries: int = 3  # after the first try, for timeouts, 5xx and 429
    max_retry_after: float = 120.0  # the longest Retry-After honoured; longer gives up
    max_crawl_delay: float = 60.0  # the longest robots.txt Crawl-delay followed; longer: no crawl
    per_page: int = 100  # posts per REST API page


@dataclass
class CrawlSummary:
    start_url: str
    discovered_by: str | None = None  # "wordpress-api", "sitemap", "feed" or "archive"
    fetched: int = 0
    not_modified: int = 0
    # Pages not asked for: the sitemap's <lastmod> is the one they were fetched with.
    unchanged_in_sitemap: int = 0
    skipped_by_robots: int = 0
    # Files of earlier crawls of this site that this one did not see (deleted posts, a
    # REST or feed page past the new last one): removed, or kept when it may have missed
    # pages (`kept_why`).
    removed: int = 0
    kept: int = 0
    kept_why: str | None = None
    # Post pages saved whose robots meta tag or X-Robots-Tag says noindex: not indexed.
    noindex: int = 0
    errors: int = 0
    articles_found: int = 0
    files: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def how(self) -> str:
        if self.discovered_by is None:
            return "no list of the posts was found"
        return f"found through the {self.discovered_by}"

    def line(self) -> str:
        gone = f"{self.removed} files no longer on the site removed, " if self.removed else ""
        if self.kept:
            gone = (f"{self.kept} files not seen this time kept ({self.kept_why}: it may "
                    "have missed pages that are still there), ")  # fmt: skip
        dated = self.unchanged_in_sitemap
        dated = f"{dated} unchanged by the sitemap's dates, " if dated else ""
        return (
            f"{self.fetched} fetched, {self.not_modified} not modified, {dated}"
            f"{self.skipped_by_robots} skipped by robots.txt, "
            f"{self.noindex} asking not to be indexed, {gone}{self.errors} errors; "
            f"{self.articles_found} articles in {self.files} files "
            f"({self.how()}) in {self.seconds:.1f} s"
        )


@dataclass
class Page:
    url: str
    status: int  # 200, or 304 with the saved body
    body: bytes
    content_type: str
    total_pages: int | None = None  # X-WP-TotalPages
    etag: str | None = None
    last_modified: str | None = None
    robots: list[str] = field(default_factory=list)  # its X-Robots-Tag headers, one a header


class TooLarge(Exception):
    pass


class TooSlow(httpx.ReadTimeout):
    """The whole answer took longer than the timeout: httpx's timeouts are per read, so a
    server that sends a byte now and then held a crawl on one page for ever."""


class Gate:
    """Spaces the starts of requests `delay` seconds apart across threads."""

    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.next_at = 0.0

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at)
            self.next_at = at + self.delay
        if at > now:
            time.sleep(at - now)

    def hold_off(self, seconds: float) -> None:
        with self.lock:
            self.next_at = max(self.next_at, time.monotonic() + seconds)


def same_blog(url: str, root: str) -> bool:
    """Whether `url` is on `root`'s site but for its scheme (http, https) or a leading
    "www." of its host: the moves a site makes to its one address."""
    a, b = split(url), split(root)
    if a is None or b is None:
        return False

    def bare(netloc: str) -> str:
        netloc = netloc.lower()
        return netloc[4:] if netloc.startswith("www.") else netloc

    return a.scheme in ("http", "https") and bare(a.netloc) == bare(b.netloc)


def no_address(url: str) -> str | None:
    """Why `url` cannot be fetched as it is written, or None: Python cannot take it apart
    ("http://[oops/", indexer/addresses.py), or httpx refuses it (a control character, a
    URL over 64 kB). Listed in a sitemap or sent as a redirect, such a URL stopped the
    whole crawl with a traceback."""
    if split(url) is None:
        return "not a valid address"
    try:
        httpx.URL(url)
    except httpx.InvalidURL as exc:
        return f"not a valid address ({exc!s:.80})"
    return None


def normalise(url: str) -> str:
    """The URL without its fragment, with a path ("/" at least)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))  # fmt: skip


def header_number(value: str | None) -> int | None:
    """A header's whole number (Content-Length, X-WP-TotalPages), or None where it is
    none: ASCII digits only ("\u00b2" is a digit to str.isdigit, and int() raised on
    it, which stopped the crawl)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if (seconds := header_number(value)) is not None:
        return float(seconds)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class Fetcher:
    def __init__(
        self,
        start_url: str,
        corpus: str | Path,
        limits: CrawlLimits | None = None,
        progress: Progress | None = None,
        options: ImportOptions | None = None,
    ):
        url = start_url if "://" in start_url else f"https://{start_url}"
        url = normalise(url) if no_address(url) is None else ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CrawlError(f"{start_url} is not an http(s) address; give the blog's URL")
        self.start = url
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.host = parts.netloc
        self.corpus = Path(corpus)
        self.limits = limits or CrawlLimits()
        self.progress = progress
        self.options = options or ImportOptions()
        self.summary = CrawlSummary(start_url=url)
        self.store = CrawlStore(self.corpus)
        self.lock = threading.Lock()
        self.requests = 0
        self.robots: Protego | None = None
        self.robots_problem: str | None = None
        self.last_status: int | None = None  # of this thread's last request (robots.txt)
        self.last_error: str | None = None
        self.last_refusal = b""  # the start of the last request's answer other than 200
        self.home: Page | None = None  # the start page, once fetched
        self.home_asked = False  # (a start page that failed is asked for, and said, once)
        self.capped: list[str] = []  # pages not fetched: the cap was reached (said once)
        # What decides whether files of earlier crawls that this one did not see may be
        # removed (`may_prune`): the URLs with a problem, those of them the site says are
        # gone (404, 410), and the URLs, probes too, that failed in a way that may pass
        # (timeouts, connection errors, 5xx, 429): a feed page that timed out ends the
        # feed's pages as its end would.
        self.failed: set[str] = set()
        self.gone: set[str] = set()
        self.unsure: set[str] = set()
        # The first write the disk refused (full, read-only): nothing more is fetched,
        # and `crawl` stops with one sentence (each page after would fail the same way).
        self.refused: OSError | None = None
        self.gate = Gate(self.limits.delay)
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=self.limits.timeout,
            follow_redirects=False,
            transport=deadline.transport(),  # (--timeout for the whole answer, headers too)
        )

    # -- state ---------------------------------------------------------------------------

    def problem(self, url: str, message: str, gone: bool = False) -> None:
        """Record a problem with `url`; `gone`: there is no page at it to miss (an
        address that is no address), so it keeps no earlier file from pruning."""
        with self.lock:
            self.summary.errors += 1
            self.summary.problems.append(f"{url}: {message}")
            self.failed.add(url)
            if gone:
                self.gone.add(url)

    def may_prune(self) -> str | None:
        """Why the files of earlier crawls that this one did not see must be kept (None:
        they may go): a crawl that found no list of the posts, stopped at its cap, or
        met a failure other than a page the site says is gone may have missed pages
        that are still there."""
        if self.summary.discovered_by is None:
            return "no list of the posts was found"
        if self.capped:
            return "the crawl stopped at its cap (--max-pages)"
        doubtful = sorted(self.unsure | (self.failed - self.gone))
        if doubtful:
            return f"{doubtful[0]} failed" + (
                f", and {len(doubtful) - 1} more" if len(doubtful) > 1 else ""
            )
        return None

    def report_cap(self) -> None:
        """One problem for the pages not fetched because the cap of requests was reached,
        naming the first and counting the rest."""
        if not self.capped:
            return
        first, more = self.capped[0], len(self.capped) - 1
        others = f" and {more} more page{'s' * (more != 1)}" if more else ""
        cap = self.limits.max_pages
        self.problem(f"{first}{others}", f"not fetched: the cap of {cap} "
                     f"request{'s' * (cap != 1)} per crawl was reached (--max-pages)")  # fmt: skip

    # -- fetching ------------------------------------------------------------------------

    def load_robots(self) -> None:
        """Read robots.txt (RFC 9309): missing (4xx) allows everything; unreachable (5xx
        after retries) disallows everything, so the crawl stops and says why."""
        url = f"{self.root}/robots.txt"
        for _ in range(self.limits.max_redirects + 1):
            result = self.request(url, probe=True, count=False)
            if not isinstance(result, str):
                break
            moved = joined(url, result)
            if moved is None or no_address(moved):
                result = None
                break
            url = normalise(moved)
            if same_blog(url, self.root) and urlsplit(url).path == "/robots.txt":
                self.move_to(url)  # the whole site answers from there
            elif not self.same_site(url):
                result = None
                break
        if isinstance(result, Page):
            text = result.body.decode("utf-8", "replace")
            self.robots = Protego.parse(text)
            delay = self.robots.crawl_delay(USER_AGENT)
            if delay and float(delay) > self.limits.max_crawl_delay:
                # (followed, "Crawl-delay: 86400" made a crawl that looked hung for days)
                self.robots_problem = (
                    f"{url} asks for {float(delay):g} s between requests (Crawl-delay); "
                    f"rocksearch follows up to {self.limits.max_crawl_delay:g} s, and at "
                    "that pace the crawl would take days, so the site is not crawled: "
                    "import a WordPress export (Tools > Export) or a feed instead"
                )
                return
            if delay and float(delay) > self.gate.delay:
                self.gate.delay = float(delay)
                self.gate.hold_off(self.gate.delay)  # from robots.txt's own request on
        elif self.last_status is not None and self.last_status >= 500:
            self.robots_problem = (
                f"{url} answered HTTP {self.last_status}: a site whose robots.txt cannot be "
                "read is treated as closed to crawlers (RFC 9309); try again later"
            )
        elif self.last_status is None and self.last_error:
            self.robots_problem = f"{self.root} cannot be reached ({self.last_error})"

    def move_to(self, url: str) -> None:
        """Crawl the site at `url`'s scheme and host from now on: `example.com` that
        redirects everything to `https://www.example.com` (its robots.txt too) had every
        request refused as another site's, and an http:// start paid a redirect a page."""
        parts, start = urlsplit(url), urlsplit(self.start)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.host = parts.netloc
        self.start = urlunsplit((parts.scheme, parts.netloc, start.path, start.query, ""))
        self.summary.start_url = self.start

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(url, USER_AGENT)

    def same_site(self, url: str) -> bool:
        parts = split(url)
        return (
            parts is not None
            and parts.scheme in ("http", "https")
            and parts.netloc.lower() == self.host
        )

    def fetch(self, url: str, probe: bool = False) -> Page | None:
        """GET one URL politely; None (with the problem recorded unless probing) on failure."""
        if why := no_address(url):
            if not probe:
                self.problem(url, f"{why}; skipped", gone=True)
            return None
        url = normalise(url)
        if not self.same_site(url):
            return None
        if not self.allowed(url):
            with self.lock:
                self.summary.skipped_by_robots += 1
            return None
        chain = [url]
        while True:
            result = self.request(chain[-1], probe)
            if not isinstance(result, str):
                return result
            target = joined(chain[-1], result)
            why = None
            if target is None or no_address(target):
                why = f"redirects to {result[:200]!r}, which is not a valid address; skipped"
            elif (target := normalise(target)) in chain:
                why = f"redirect loop ({' -> '.join(chain + [target])}); skipped"
            elif len(chain) > self.limits.max_redirects:
                why = f"more than {self.limits.max_redirects} redirects; skipped"
            elif not self.same_site(target):
                why = f"redirects off the site to {target}; not followed"
            elif not self.allowed(target):
                with self.lock:
                    self.summary.skipped_by_robots += 1
                return None
            if why:
                if not probe:
                    self.problem(url, why)
                return None
            chain.append(target)

    def request(self, url: str, probe: bool, count: bool = True) -> Page | str | None:
        """One URL with retries: a Page, a redirect's Location, or None. Problems are
        recorded unless `probe` (a URL asked only to see whether the site has it)."""
        self.last_status, self.last_error, self.last_refusal = None, None, b""
        known = self.store.known(url) if count else {}
        if not isinstance(known.get("file"), str) or not (self.corpus / known["file"]).is_file():
            known = {}  # (its file is gone: a 304 would leave nothing to read)
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        for attempt in range(self.limits.retries + 1):
            with self.lock:
                capped = self.requests >= self.limits.max_pages
                if not capped:
                    self.requests += 1
                elif not probe:
                    # (one problem for them all, by `report_cap`: a blog of 50,000 pages
                    # under the default cap would print 40,000 lines that say the same)
                    self.capped.append(url)
            if capped:
                return None
            self.gate.wait()
            last = attempt == self.limits.retries
            try:
                response, body = self.get(url, headers)
            except TooLarge:
                self.problem(url, f"the answer is larger than {self.limits.max_bytes:,} bytes "
                                  "(--max-mb); skipped")  # fmt: skip
                return None
            except httpx.TimeoutException as exc:
                self.last_error = (f"the whole answer took more than {self.limits.timeout:g} s"
                                   if isinstance(exc, TooSlow)
                                   else f"no answer within {self.limits.timeout:g} s")  # fmt: skip
                if last:
                    self.unsure.add(url)
                    self.problem(url, f"{self.last_error} after {attempt + 1} tries; skipped")
                    return None
                time.sleep(min(30.0, 0.5 * 2**attempt))
                continue
            except httpx.HTTPError as exc:
                self.last_error = str(exc) or type(exc).__name__
                if str(exc).startswith("Invalid URL in location header"):
                    # (httpx refuses the redirect's address itself, "http://[::1/": the
                    # same answer again, so it was asked for four times, 3.5 s, for one
                    # problem, and the URL kept earlier files from pruning as unsure)
                    if not probe:
                        self.problem(url, f"redirects to an address that is not valid "
                                          f"({self.last_error}); skipped")  # fmt: skip
                    return None
                if last:
                    self.unsure.add(url)
                    if not probe:
                        self.problem(url, f"could not be fetched ({self.last_error}); skipped")
                    return None
                time.sleep(min(30.0, 0.5 * 2**attempt))
                continue
            status = self.last_status = response.status_code
            if status == 429 or status >= 500:
                wait = retry_after(response.headers.get("Retry-After"))
                if wait is not None and wait > self.limits.max_retry_after:
                    self.unsure.add(url)
                    self.problem(url, f"HTTP {status} asking to wait {wait:.0f} s; skipped")
                    return None
                if last:
                    self.unsure.add(url)
                    if not probe:
                        self.problem(url, f"HTTP {status} after {attempt + 1} tries; skipped")
                    return None
                self.gate.hold_off(wait if wait is not None else min(30.0, 0.5 * 2**attempt))
                continue
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if location:
                    return location
                self.problem(url, f"HTTP {status} without a Location; skipped")
                return None
            if status == 304 and known.get("file"):
                robots = response.headers.get_list("X-Robots-Tag")
                if robots and robots != (known.get("robots") or []):
                    # (an unchanged page newly marked noindex, or no longer: the header
                    # comes with the 304 when the server's rule adds it to every answer,
                    # as nginx's add_header does; a 304 without it says nothing)
                    self.store.note_robots(url, robots)
                    known = {**known, "robots": robots}
                return self.saved_page(url, known)
            if status != 200:
                self.last_refusal = body[:65536]  # (a 404 page may say whose site it is)
                if status in (404, 410):
                    with self.lock:
                        self.gone.add(url)
                if not probe:
                    self.problem(url, f"HTTP {status}; skipped")
                return None
            if count:
                with self.lock:
                    self.summary.fetched += 1
            total = response.headers.get("X-WP-TotalPages")
            return Page(
                url, 200, body, response.headers.get("Content-Type", ""),
                header_number(total),
                response.headers.get("ETag"), response.headers.get("Last-Modified"),
                response.headers.get_list("X-Robots-Tag"),
            )  # fmt: skip
        return None

    def get(self, url: str, headers: dict) -> tuple[httpx.Response, bytes]:
        """The answer to one GET and its body, within --timeout for the whole of it
        (indexer/crawl/deadline.py: httpx's own timeouts are per read)."""
        try:
            with (
                deadline.within(self.limits.timeout),
                self.client.stream("GET", url, headers=headers) as response,
            ):
                size = header_number(response.headers.get("Content-Length"))
                if size is not None and size > self.limits.max_bytes:
                    raise TooLarge
                chunks, total = [], 0
                for chunk in response.iter_bytes():
                    total += len(chunk)
                    if total > self.limits.max_bytes:
                        raise TooLarge
                    chunks.append(chunk)
                return response, b"".join(chunks)
        except httpx.ReadTimeout as exc:
            if deadline.answered():  # (begun, and not finished in time)
                raise TooSlow("the whole answer took too long") from exc
            raise

    def saved_page(self, url: str, known: dict) -> Page | str | None:
        """A 304's page: the body saved by an earlier crawl."""
        body = self.store.saved_body(url, known)
        if body is None:  # the file is gone: ask again without the condition
            return self.request(url, probe=False)
        with self.lock:
            self.summary.not_modified += 1
        return Page(url, 304, body, known.get("content_type", ""), known.get("total_pages"),
                    robots=known.get("robots") or [])  # fmt: skip

    def save(self, page: Page, kind: str) -> None:
        if page.status == 304:  # a 304's file is already there
            return
        try:
            self.store.save(page.url, kind, page.body, {
                "content_type": page.content_type, "total_pages": page.total_pages,
                "etag": page.etag, "last_modified": page.last_modified,
                **({"robots": page.robots} if page.robots else {}),
            })  # fmt: skip
        except (UnsafePath, OSError) as exc:
            if refused(exc):
                with self.lock:
                    self.refused = self.refused or exc
                return
            self.problem(page.url, f"could not be saved ({exc}); skipped")

    def fetch_and_save(self, url: str, kind: str, accept: Callable[[bytes], bool]) -> Page | None:
        if self.refused:
            return None
        page = self.fetch(url)
        if page is None:
            return None
        if page.status == 200 and not accept(page.body):
            self.problem(url, f"is not a {kind} page as expected; not saved")
            return None
        self.save(page, kind)
        return page

    def fetch_all(
        self,
        urls: Iterable[str],
        kind: str,
        accept: Callable[[bytes], bool],
        batch: int | None = None,
    ) -> int:
        """Fetch and save each of `urls`, `concurrency` at a time; gives how many were
        saved. With `batch`, they are asked for that many at a time, in order, and no
        more once a whole batch saved nothing: pages numbered past the last one (a
        REST API whose page count lied, "X-WP-TotalPages: 999999999999", was asked for
        its 10,000 pages the cap allows, each an error)."""
        urls = list(dict.fromkeys(urls))
        done = saved = 0
        size = batch or len(urls) or 1
        with ThreadPoolExecutor(max_workers=max(1, self.limits.concurrency)) as pool:
            for start in range(0, len(urls), size):
                here = 0
                for page in pool.map(
                    lambda u: self.fetch_and_save(u, kind, accept), urls[start : start + size]
                ):
                    done += 1
                    here += page is not None
                    if self.progress:
                        self.progress(done, len(urls))
                    del page
                saved += here
                if (batch and not here) or self.refused:
                    break
        return saved
