"""WordPress REST API importer: `/wp-json/wp/v2/posts?_embed` answers saved as JSON.

Takes the bytes of one answer (a list of posts, or one post); gives an `Article` per
published post of the asked post types and a `SourceError` per problem. With `_embed`,
each post carries its author and its terms under `_embedded`: names are read from there
(categories by taxonomy "category", tags by "post_tag", the kind by "post_format"), so
nothing is left as a numeric id. The id is made from the slug and guid, as the WXR
importer makes it, so the same post from an export or from the API has the same id.
A post whose page carries a robots noindex, as Yoast SEO's `yoast_head_json` says, is
left out, as a crawl of its page would leave it (robots_meta.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from indexer.article import Article, SourceError
from indexer.importers.encoding import NOT_JSON, json_document
from indexer.importers.html_text import html_paragraphs, inline_text, media_hint, with_photos
from indexer.importers.options import ImportOptions, no_type_asked
from indexer.importers.post import assemble, first_date, quoted, slug_from_url, stable_id
from indexer.importers.robots_meta import yoast_noindex


def sniff(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith((b"[", b"{")) and b'"rendered"' in head[:65536]


def rendered(value) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def embedded_terms(post: dict) -> tuple[list[str], list[str], str | None]:
    categories: list[str] = []
    tags: list[str] = []
    post_format = None
    groups = (post.get("_embedded") or {}).get("wp:term") or []
    for group in groups if isinstance(groups, list) else []:
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or not isinstance(term.get("name"), str):
                continue
            taxonomy = term.get("taxonomy")
            if taxonomy == "category":
                categories.append(term["name"])
            elif taxonomy == "post_tag":
                tags.append(term["name"])
            elif taxonomy == "post_format":
                post_format = term.get("slug") or term["name"]
    return categories, tags, post_format


def embedded_author(post: dict) -> str | None:
    authors = (post.get("_embedded") or {}).get("author") or []
    for author in authors if isinstance(authors, list) else []:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            return author["name"]
    return None


def read_rest(data: bytes, name: str, options: ImportOptions) -> Iterator[Article | SourceError]:
    posts, problems = json_document(data, name, "a WordPress REST API answer")
    yield from problems
    if posts is NOT_JSON:
        return
    if isinstance(posts, dict):
        posts = [posts]
    if not isinstance(posts, list) or not posts:
        yield SourceError(name, None, "the REST API answer holds no posts")
        return
    asked = 0  # published items of the types asked for
    other_types: dict[str, int] = {}  # published items of the others
    for number, post in enumerate(posts, start=1):
        if not isinstance(post, dict) or "title" not in post:
            yield SourceError(name, None, f"post {number} is not a WordPress post; skipped")
            continue
        if post.get("status", "publish") != "publish":
            continue
        kind = post.get("type", "post")
        if kind not in options.post_types:
            other_types[str(kind)] = other_types.get(str(kind), 0) + 1
            continue
        asked += 1
        if yoast_noindex(post):
            continue  # its page asks not to be indexed (robots_meta.py), as a crawl would see
        yield from read_post(post, name, number)
    if not asked and other_types:
        # (an answer of pages or media saved by hand: said, not silent, as for an export)
        yield SourceError(name, None, no_type_asked(options, other_types))


def read_post(post: dict, name: str, number: int) -> Iterator[Article | SourceError]:
    title = rendered(post.get("title"))
    title = inline_text(title)
    content = rendered(post.get("content"))
    if (post.get("content") or {}).get("protected"):
        return  # password-protected
    link = post.get("link") if isinstance(post.get("link"), str) else None
    guid = rendered(post.get("guid")) or link or f"{name}#{post.get('id', number)}"
    paragraphs = html_paragraphs(content)
    is_excerpt = False
    if not paragraphs:
        paragraphs = html_paragraphs(rendered(post.get("excerpt")))
        is_excerpt = bool(paragraphs)
    categories, tags, post_format = embedded_terms(post)
    hint = (post_format or (post.get("format") if post.get("format") != "standard" else None)
            or (media_hint(content) if not paragraphs else None))  # fmt: skip
    paragraphs, hint = with_photos(paragraphs, content, hint)
    when, problem = first_date(post.get("date_gmt"), post.get("date"))
    slug = post.get("slug") if isinstance(post.get("slug"), str) else None
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug or slug_from_url(link) or title, guid),
        date=when,
        author=embedded_author(post),
        categories=categories,
        tags=tags,
        kind_hint=hint,
        excerpt=is_excerpt,
        url=link,
        source_extra={"item": number},
    )
    if problem:
        yield SourceError(
            name, None, f"post {number} ({quoted(title)}): {problem}; indexed without a date"
        )
