"""RSS and Atom importer: a saved feed (or a feed page a crawl fetched) in, its posts out.

Takes the bytes of an RSS 0.9x/1.0/2.0 or Atom feed; gives one `Article` per entry and a
`SourceError` per problem. Parsing is feedparser's (the long-kept parser that copes with
the feeds found in the wild and sanitises their HTML). The full text comes from
`content:encoded`/Atom `content`; a feed that carries only summaries gives excerpts,
marked as such. RSS does not tell categories from tags (WordPress writes both as
`<category>`), so they are all categories there; Atom terms whose scheme names tags are
tags. A Blogger backup is such a feed of the whole blog: only its published posts (and
pages, when `ImportOptions.post_types` asks) are read, its labels as categories.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from indexer.article import Article, SourceError
from indexer.importers.html_text import html_paragraphs, inline_text, media_hint, with_photos
from indexer.importers.options import ImportOptions
from indexer.importers.post import (
    assemble,
    parse_when,
    post_alone,
    quoted,
    said,
    slug_from_url,
    stable_id,
    text_of,
)
from indexer.importers.xmlsafety import entity_problem, mend_character_references

FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
# An XML declaration's encoding, and the text of an element that names a person (its
# first AUTHOR_BYTES kept, to a whole character): see _mended.
AUTHOR_BYTES = 1000
AUTHOR_TEXT = re.compile(
    rb"(<(?:[\w-]+:)?(?:author|creator|name|managingEditor|webMaster|contributor|email)\b"
    rb"[^>]*>(?:\s*<!\[CDATA\[)?)([^<\]]{%d}[\x80-\xbf]*)[^<\]]*" % AUTHOR_BYTES,
    re.I,
)
# A category (RSS's, Atom's, iTunes') or a Dublin Core subject, its text bounded (a
# term is a few words; unbounded, one never closed was looked for to the end of the
# feed from each one), and where an entry starts. See _few_terms.
MAX_TERMS = 500
TERM = re.compile(
    rb"<((?:[\w-]+:)?(?:category|subject))\b[^<>]{0,2000}?"
    rb"(?:/>|>(?:<!\[CDATA\[[^\]]{0,2000}\]\]>|[^<]{0,2000})</\1\s*>)",
    re.I,
)
ENTRY_START = re.compile(rb"(?=<(?:item|entry)\b)")
DECLARED_ENCODING = re.compile(rb"^(\s*<\?xml[^>\n]*?)\sencoding=([\"'])([^\"'>]*)\2")
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


def _mended(data: bytes) -> bytes:
    """The feed with what feedparser raises on, rather than reads leniently, mended:
    character references to no character (xmlsafety.py), and an XML declaration's
    encoding that is not ASCII left out (its "encoding='u\\xf8f-8'" lost the feed). And
    an author's name cut to its first thousand bytes: feedparser looks for an e-mail
    address in it with a pattern whose time grows with the square of its length, and a
    feed of 100 kB whose one author was a run of 100,000 letters took 94 s to read."""
    data, _ = mend_character_references(data)
    data = AUTHOR_TEXT.sub(rb"\1\2", data)
    declared = DECLARED_ENCODING.match(data)
    if declared and not declared.group(3).isascii():
        data = declared.group(1) + data[declared.end() :]
    return data


def _few_terms(data: bytes) -> tuple[bytes, bool]:
    """The feed with each entry's categories and subjects after its first MAX_TERMS left
    out, and whether any were. feedparser keeps an entry's terms in a list it searches
    for each new one, so the time grows with the square of their number: an entry of
    20,000 categories took 7 s to read, of 100,000 minutes. Each term starts a tag, so an
    entry of no more tags than MAX_TERMS is left as it is, unsearched (a whole feed's
    terms were counted first, then each entry's searched again)."""
    if data.count(b"<") <= MAX_TERMS:
        return data, False
    cut = False

    def first_ones(part: bytes) -> bytes:
        if part.count(b"<") <= MAX_TERMS:
            return part
        seen = 0

        def term(m: re.Match) -> bytes:
            nonlocal seen, cut
            seen += 1
            cut = cut or seen > MAX_TERMS
            return m.group(0) if seen <= MAX_TERMS else b""

        return TERM.sub(term, part)

    parts = [first_ones(part) for part in ENTRY_START.split(data)]
    return (b"".join(parts) if cut else data), cut


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
                return None, f"date {quoted(raw)} is not a date; indexed without a date"
    return None, None


def enclosure_kind(entry) -> str | None:
    """A podcast or video feed's entries carry their media as an enclosure."""
    for link in entry.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "enclosure":
            kind = (link.get("type") or "").split("/")[0]
            if kind in ("audio", "video"):
                return kind
    return None


# A Blogger backup (Settings → Back up content) is an Atom feed of everything the blog
# holds: posts, pages and comments, and in the older format its settings and template
# too, each an <entry>. Only published posts (and pages, when asked) are articles.
# Older backups say an entry's kind with a category of this scheme ("…/kind#post") and a
# draft with <app:draft>yes; newer ones (2021 on) with <blogger:type>POST and
# <blogger:status>LIVE (or DRAFT, SOFT_TRASHED).
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
# Blogger's labels (the one way it files posts), in the older and the newer backups.
BLOGGER_LABELS = ("http://www.blogger.com/atom/ns#", "tag:blogger.com,")


def blogger_kind(entry) -> str | None:
    """ "post", "page", "comment", "settings", "template"… of a Blogger backup's entry;
    None for an entry of any other feed."""
    if kind := entry.get("blogger_type"):
        return kind.lower()
    for term in entry.get("tags") or []:
        if term.get("scheme") == KIND_SCHEME:
            return (term.get("term") or "").rpartition("#")[2].lower()
    return None


def blogger_published(entry) -> bool:
    if (status := entry.get("blogger_status")) is not None:
        return status.strip().upper() == "LIVE"
    return (entry.get("app_draft") or "").strip().lower() != "yes"


def read_feed(
    data: bytes, name: str, options: ImportOptions | None = None
) -> Iterator[Article | SourceError]:
    if problem := entity_problem(data[:65536]):
        yield SourceError(name, None, problem)
        return
    # Imported here, when a feed is read: feedparser takes some 50 ms to import, which
    # every other command (a search, an index of JSON Lines) would pay for nothing.
    import feedparser

    data, cut = _few_terms(_mended(data))
    if cut:
        yield SourceError(name, None, f"an entry has more than {MAX_TERMS} categories; the "
                                      f"first {MAX_TERMS} of each were read")  # fmt: skip
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        why = f" ({said(parsed.get('bozo_exception'))})" if parsed.get("bozo") else ""
        yield SourceError(name, None, f"the feed holds no entries{why}")
        return
    if parsed.get("bozo") and not isinstance(
        parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    ):
        yield SourceError(
            name,
            None,
            f"the feed is not well-formed ({said(parsed.get('bozo_exception'))}); its "
            f"{len(entries)} entries were read leniently",
        )
    options = options or ImportOptions()
    backup = found = 0
    for number, entry in enumerate(entries, start=1):
        if (kind := blogger_kind(entry)) is not None:
            backup += 1
            if kind not in options.post_types or not blogger_published(entry):
                continue  # (comments, settings, the template, drafts: see KIND_SCHEME)
        found += 1
        yield from post_alone(read_entry(entry, name, number), name, None, f"entry {number}")
    if backup and not found:
        asked = ", ".join(sorted(options.post_types))
        yield SourceError(name, None, f"the Blogger backup holds no published entry of the "
                                      f"types asked for ({asked})")  # fmt: skip


def read_entry(entry, name: str, number: int) -> Iterator[Article | SourceError]:
    title = text_of(entry.get("title"))
    if "html" in (entry.get("title_detail") or {}).get("type", ""):
        # (feedparser's word for a title with markup or entities left in it, as in
        # WordPress's Atom feed: "Don&#8217;t" in CDATA; "Q&A" is plain text to it)
        title = inline_text(title)
    link = text_of(entry.get("link")) or None  # ("<links>" typed for "<link>": a dict)
    if link and not link.startswith(("http://", "https://")):
        # (a newer Blogger backup's entry has no address, only its path: the feed's
        # parser gave the entry's id, "tag:blogger.com,…", as its link)
        link = None
    slug = slug_from_url(link) or slug_from_url(text_of(entry.get("blogger_filename")))
    contents = entry.get("content") or []
    html = "\n".join(c.get("value", "") for c in contents if c.get("value"))
    summary_only = not html.strip()
    if summary_only:
        html = text_of(entry.get("summary"))
    paragraphs = html_paragraphs(html)
    hint = enclosure_kind(entry) or (media_hint(html) if not paragraphs else None)
    paragraphs, hint = with_photos(paragraphs, html, hint)
    when, problem = entry_date(entry)
    categories, tags = [], []
    for term in entry.get("tags") or []:
        if not isinstance(term, dict):
            continue
        label = term.get("label") or term.get("term")
        if not label:
            continue
        scheme = (term.get("scheme") or "").lower()
        if scheme == KIND_SCHEME:
            continue  # (a Blogger backup's word for what the entry is: not a category)
        if scheme.startswith(BLOGGER_LABELS):  # (its "tag:blogger.com,…" is no tag)
            categories.append(label)
            continue
        (tags if "tag" in scheme and "categor" not in scheme else categories).append(label)
    key = text_of(entry.get("id")) or link or f"{name}#{number}"
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug or title or key, key),
        date=when,
        author=text_of(entry.get("author")) or None,
        categories=categories,
        tags=tags,
        kind_hint=hint,
        excerpt=summary_only,
        url=link,
        source_extra={"item": number},
    )
    if problem:
        yield SourceError(name, None, f"entry {number} ({quoted(title)}): {problem}")
