"""RSS and Atom importer: a saved feed (or a feed page a crawl fetched) in, its posts out.

Takes the bytes of an RSS 0.9x/1.0/2.0 or Atom feed; gives one `Article` per entry and a
`SourceError` per problem. Parsing is feedparser's (the long-kept parser that copes with
the feeds found in the wild and sanitises their HTML). The full text comes from
`content:encoded`/Atom `content`; a feed that carries only summaries gives excerpts,
marked as such. RSS does not tell categories from tags (WordPress writes both as
`<category>`), so they are all categories there; Atom terms whose scheme names tags are
tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from indexer.article import Article, SourceError
from indexer.importers.html_text import html_paragraphs, inline_text, media_hint
from indexer.importers.post import assemble, parse_when, slug_from_url, stable_id
from indexer.importers.xmlsafety import entity_problem

FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def _no_such_day(raw: str) -> bool:
    """Whether `raw` starts with an ISO 8601 day that does not exist ("2020-02-30"):
    feedparser carries it over into the next month (March 1) rather than refuse it."""
    if not (m := ISO_DAY.match(raw)):
        return False
    try:
        date(*map(int, m.groups()))
    except ValueError:
        return True
    return False


def sniff(head: bytes) -> bool:
    return bool(FEED_ROOT.search(head[:8192]))


def entry_date(entry) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD or None, a problem or None) from an entry's published/updated date."""
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed and not _no_such_day(entry.get(key) or ""):
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat(), None
            except ValueError:
                pass
        raw = entry.get(key)
        if raw:
            try:
                return parse_when(raw), None
            except ValueError:
                return None, f"date {raw!r} is not a date; indexed without a date"
    return None, None


def enclosure_kind(entry) -> str | None:
    """A podcast or video feed's entries carry their media as an enclosure."""
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure":
            kind = (link.get("type") or "").split("/")[0]
            if kind in ("audio", "video"):
                return kind
    return None


def read_feed(data: bytes, name: str) -> Iterator[Article | SourceError]:
    if problem := entity_problem(data[:65536]):
        yield SourceError(name, None, problem)
        return
    # Imported here, when a feed is read: feedparser takes some 50 ms to import, which
    # every other command (a search, an index of JSON Lines) would pay for nothing.
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        yield SourceError(name, None, f"the feed holds no entries{why}")
        return
    if parsed.get("bozo") and not isinstance(
        parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    ):
        yield SourceError(
            name,
            None,
            f"the feed is not well-formed ({parsed.get('bozo_exception')}); its "
            f"{len(entries)} entries were read leniently",
        )
    for number, entry in enumerate(entries, start=1):
        yield from read_entry(entry, name, number)


def read_entry(entry, name: str, number: int) -> Iterator[Article | SourceError]:
    title = entry.get("title", "")
    if "html" in (entry.get("title_detail") or {}).get("type", ""):
        # (feedparser's word for a title with markup or entities left in it, as in
        # WordPress's Atom feed: "Don&#8217;t" in CDATA; "Q&A" is plain text to it)
        title = inline_text(title)
    link = entry.get("link")
    contents = entry.get("content") or []
    html = "\n".join(c.get("value", "") for c in contents if c.get("value"))
    summary_only = not html.strip()
    if summary_only:
        html = entry.get("summary", "")
    paragraphs = html_paragraphs(html)
    when, problem = entry_date(entry)
    categories, tags = [], []
    for term in entry.get("tags") or []:
        label = term.get("label") or term.get("term")
        if not label:
            continue
        scheme = (term.get("scheme") or "").lower()
        (tags if "tag" in scheme and "categor" not in scheme else categories).append(label)
    key = entry.get("id") or link or f"{name}#{number}"
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug_from_url(link) or title or key, key),
        date=when,
        author=entry.get("author"),
        categories=categories,
        tags=tags,
        kind_hint=enclosure_kind(entry) or (media_hint(html) if not paragraphs else None),
        excerpt=summary_only,
        url=link,
        source_extra={"item": number},
    )
    if problem:
        yield SourceError(name, None, f"entry {number} ({title!r}): {problem}")
