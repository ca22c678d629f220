"""JSON Feed importer: a feed in JSON Feed's format (jsonfeed.org, 1.0 and 1.1) in.

Takes the bytes of the feed, `{"version": "https://jsonfeed.org/version/1.1", "items":
[…]}` (Micro.blog's blogs and many static sites publish one beside RSS); gives an
`Article` per item and a `SourceError` per problem. An item's text is its
`content_html` (else `content_text`, else its `summary`, marked as an excerpt); its date
`date_published` (else `date_modified`); its author the item's (`authors`, 1.0's
`author`), else the feed's; its `tags` are tags; an item with no title (a micro-post)
is titled by its first words, as any post without one. Read as JSON before, the whole
feed was one record with no body: "has no body; article skipped".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.article import Article, SourceError, http_url
from indexer.importers.encoding import NOT_JSON, json_document
from indexer.importers.html_text import collapse_spaces, html_paragraphs, inline_text, with_photos
from indexer.importers.post import assemble, first_date, quoted, slug_from_url, stable_id, text_of

VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and bool(VERSION.search(head))


def author_of(value: dict) -> str | None:
    """The first author's name of an item or a feed: 1.1's `authors`, 1.0's `author`."""
    people = value.get("authors")
    first = people[0] if isinstance(people, list) and people else value.get("author")
    name = first.get("name") if isinstance(first, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def kind_hint(item: dict) -> str | None:
    """ "audio" or "video" for an item whose attachment is one (a podcast's episode)."""
    for attachment in item.get("attachments") if isinstance(item.get("attachments"), list) else ():
        mime = attachment.get("mime_type") if isinstance(attachment, dict) else None
        if isinstance(mime, str) and mime.startswith(("audio/", "video/")):
            return mime.split("/")[0]
    return None


def read_json_feed(data: bytes, name: str) -> Iterator[Article | SourceError]:
    feed, problems = json_document(data, name, "a JSON Feed")
    yield from problems
    if feed is NOT_JSON:
        return
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list):
        yield SourceError(name, None, "is a JSON Feed with no list of items; skipped")
        return
    feed_author = author_of(feed)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield SourceError(name, None, f"item {number} is not an object; skipped")
            continue
        yield from read_item(item, number, name, feed_author)


def read_item(item: dict, number: int, name: str,
              feed_author: str | None) -> Iterator[Article | SourceError]:  # fmt: skip
    title = inline_text(text_of(item.get("title")))
    html = text_of(item.get("content_html"))
    paragraphs, excerpt = html_paragraphs(html), False
    if not paragraphs:
        text = text_of(item.get("content_text"))
        paragraphs = [collapse_spaces(p) for p in text.split("\n\n") if p.strip()]
    if not paragraphs and text_of(item.get("summary")).strip():
        paragraphs, excerpt = [collapse_spaces(item["summary"])], True
    paragraphs, hint = with_photos(paragraphs, html, kind_hint(item))
    day, problem = first_date(item.get("date_published") or item.get("date_modified"))
    url = http_url(text_of(item.get("url")))
    key = item.get("id") if isinstance(item.get("id"), str | int) else url or number
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug_from_url(url) or title or f"item-{number}", str(key)),
        date=day,
        author=author_of(item) or feed_author,
        tags=[t for t in tags if isinstance(t, str)],
        kind_hint=hint,
        excerpt=excerpt,
        url=url,
        source_extra={"item": number},
    )
    if problem:
        yield SourceError(name, None, f"item {number} ({quoted(title)}): {problem}; "
                                      "indexed without a date")  # fmt: skip
