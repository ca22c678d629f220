"""Web addresses as sources and sites give them, read leniently.

Takes a link as a file or a page wrote it; gives its parts, or an absolute address,
or None where it is no address at all. Python's `urlsplit` and `urljoin` raise
ValueError on a host with an unclosed or empty bracket ("http://[oops/", "http://[]/"),
a bracket with no IPv6 address in it, or a host with characters that change under
NFKC normalisation. One such link on a page, in a sitemap or in a redirect stopped a
whole crawl with a traceback, and lost every post of a saved page or a feed: here it is
no link, and the caller goes on (a crawl names it as a problem).
"""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit


def split(url: str) -> SplitResult | None:
    """`url`'s parts, as `urlsplit` gives them; None where it cannot take it apart."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def joined(base: str, link: str) -> str | None:
    """`link` made absolute against `base`, as `urljoin` does; None where either of them
    cannot be taken apart."""
    try:
        return urljoin(base, link)
    except ValueError:
        return None
