"""A result as the front ends show it: an article's fields, its snippet, its marks.

Takes a document's stored fields and the query's `Matcher` (`make_hit`); gives the hit's
dict: the article's fields as every front end names them (`article_fields`), its page
here (`page_url`), the best passage of its body and its title, maxim and categories
with the matched words marked (search/snippets.py).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from indexer.article import http_url
from search.snippets import Matcher, highlight, mark, passage


def page_url(article_id: str, base_url: str = "") -> str:
    """The article's page on this site: a path, or absolute under `base_url`."""
    return base_url.rstrip("/") + "/articles/" + quote(article_id, safe="")


def article_fields(stored: dict, base_url: str = "") -> dict:
    """An article's fields as every front end names them, from Whoosh's stored fields.

    `url` is the post's original address (http(s) only), `page_url` its page here."""
    return {
        "id": stored["id"],
        "title": stored.get("title", ""),
        "date": stored.get("date"),
        "author": stored.get("author"),
        "categories": stored.get("category", []),
        "tags": stored.get("tag", []),
        "kind": stored.get("kind", "article"),
        "excerpt": stored.get("excerpt", False),
        "maxim": stored.get("maxim") or None,
        "source": stored.get("source"),
        # Checked again as it is shown: an index built before 0.7.0 may hold any string.
        "url": http_url(stored.get("url")),
        "page_url": page_url(stored["id"], base_url),
    }


# What a result says of a post with no text of its own (an image with its caption as
# the title, an embedded video or recording), instead of an empty snippet.
NO_TEXT = {
    "image": "An image post: its caption is its title.",
    "video": "A video post, with no text of its own.",
    "audio": "An audio post, with no text of its own.",
    "article": "",
}


def make_hit(stored: dict, score, matcher: Matcher, snippet_chars: int,
             base_url: str = "") -> tuple[dict, bool]:  # fmt: skip
    """(the hit, whether its body matched in boilerplate only, and neither its title nor
    its maxim did: the engine lists such hits after the page's others)."""
    hit = article_fields(stored, base_url)
    maxim = hit["maxim"]
    # (A quoted phrase's words are marked in the phrase only, where the post says it.)
    matcher = matcher.said_in([stored.get("body", ""), hit["title"], maxim or ""])
    maxim_spans = matcher.matches(maxim) if maxim else []
    # (A maxim the hit shows marked is not its snippet too: the same sentence twice.)
    text, number, aside = passage(stored.get("body", ""), matcher, snippet_chars,
                                  apart=maxim if maxim_spans else None)  # fmt: skip
    title_html = highlight(stored.get("title", ""), matcher)
    aside = aside and not maxim_spans and "<mark>" not in title_html
    return {
        **hit,
        "maxim_html": mark(maxim, maxim_spans) if maxim_spans else None,
        "score": None if score is None else round(score, 3),
        "snippet": text or escape(NO_TEXT.get(hit["kind"], "")),
        "paragraph": number,
        "title_html": title_html,
        # A post found by its category ("entrepreneurship" for one filed under
        # Entrepreneurship that never says it) shows why: the category's word marked.
        "categories_html": [
            highlight(c, matcher) if matcher.may_match(c) else escape(c) for c in hit["categories"]
        ],
    }, aside
