"""Whether a page asks search engines not to index it: its robots meta tags, its
X-Robots-Tag headers, the robots that Yoast SEO adds to a WordPress REST API answer, or
the post meta in which Yoast SEO and Rank Math keep a post's noindex.

Takes those values; gives the directives that apply to rocksearch (`meta_directives`,
`header_directives`) and whether they ask for the page to be left out (`asks_noindex`:
"noindex", or "none", which is noindex and nofollow). The generic `robots` name and
rocksearch's own apply; directives addressed to another robot (`googlebot`) do not,
as Google reads them. Algolia's and Elastic's site-search crawlers likewise extract
nothing from a page whose robots meta says noindex or none: an author who marks a
thank-you page, a preview or a thin post so has said it is not for searching.
"""

from __future__ import annotations

from collections.abc import Iterable

AGENT = "rocksearch"  # the name in a "<meta name=rocksearch>" or "X-Robots-Tag: rocksearch: …"
NOINDEX = frozenset({"noindex", "none"})
# Directives that hold a colon themselves ("unavailable_after: 2026-12-31"): not a robot's name.
VALUED = frozenset({"max-snippet", "max-image-preview", "max-video-preview", "unavailable_after"})


def _split(value: str) -> set[str]:
    return {token.strip().lower() for token in value.split(",") if token.strip()}


def meta_directives(doc) -> set[str]:
    """The directives of a parsed HTML page's `<meta name="robots">` and `<meta
    name="rocksearch">` tags (lxml document)."""
    found: set[str] = set()
    for el in doc.xpath("//meta[@name and @content]"):
        if el.get("name").strip().lower() in ("robots", AGENT):
            found |= _split(el.get("content"))
    return found


def header_directives(values: Iterable[str]) -> set[str]:
    """The directives of X-Robots-Tag headers, one value a header: "noindex, nofollow"
    is for every robot, "googlebot: noindex" for that one only."""
    found: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue  # (a crawl state edited by hand)
        head, colon, rest = value.partition(":")
        name = head.strip().lower()
        if colon and name not in VALUED and "," not in name and " " not in name:
            if name != AGENT:
                continue  # another robot's
            value = rest
        found |= _split(value)
    return found


def asks_noindex(directives: set[str]) -> bool:
    return not NOINDEX.isdisjoint(directives)


def yoast_noindex(post: dict) -> bool:
    """Whether a WordPress REST API post says, through Yoast SEO's `yoast_head_json`,
    that its page carries a robots noindex."""
    head = post.get("yoast_head_json")
    robots = head.get("robots") if isinstance(head, dict) else None
    if not isinstance(robots, dict):
        return False
    return any(isinstance(v, str) and v.strip().lower() in NOINDEX for v in robots.values())


def post_meta_noindex(meta_key: str, value: str) -> bool:
    """Whether a WordPress post meta (an export's `wp:postmeta`) says the post's page
    has a robots noindex: Yoast SEO's ("1" is noindex, "2" index, none the post type's
    default) or Rank Math's (a PHP-serialized list of directives)."""
    if meta_key == "_yoast_wpseo_meta-robots-noindex":
        return value.strip() == "1"
    return meta_key == "rank_math_robots" and '"noindex"' in value
