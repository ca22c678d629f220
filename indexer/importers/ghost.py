"""Ghost importer: a Ghost blog's export (Settings → Advanced → Import/Export) in.

Takes the bytes of the export's JSON, `{"db": [{"meta": …, "data": …}]}` (or its inner
`{"meta": …, "data": …}`); gives an `Article` per published, public post (pages too
when `ImportOptions.post_types` asks) and a `SourceError` per problem. Ghost keeps a
post's tags and authors in tables of their own, joined by `posts_tags` and
`posts_authors` (older exports: the post's `author_id`); they are joined here, so the
article carries names. Drafts, newsletters never posted on the site (status "sent") and
posts for members only are not read, as password-protected posts of a WordPress export
are not: a public search must not show what the blog keeps behind its sign-in; a
scheduled post is read once its time has come. Internal tags (`#…`) are Ghost's own,
not the reader's. Each post's text comes from its `html` (else `plaintext`, else its
custom excerpt, marked excerpt).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from indexer.article import Article, SourceError, Unpublished
from indexer.importers.encoding import NOT_JSON, json_document
from indexer.importers.html_text import collapse_spaces, html_paragraphs, with_photos
from indexer.importers.options import ImportOptions
from indexer.importers.post import assemble, parse_when, quoted, stable_id, text_of


def sniff(head: bytes) -> bool:
    start = head[:2048]
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and b'"exported_on"' in start


def tables(document) -> dict | None:
    """The export's `data` (its tables by name), or None when it has none."""
    if isinstance(document, dict) and isinstance(document.get("db"), list) and document["db"]:
        document = document["db"][0]
    data = document.get("data") if isinstance(document, dict) else None
    return data if isinstance(data, dict) else None


def key(value) -> str | int | None:
    """A row's id as a key: Ghost's ids are text (older exports: numbers); anything else
    (a list, an object) is no id, so one odd row costs only itself."""
    return value if isinstance(value, str | int) else None


def rows(data: dict, table: str) -> list[dict]:
    found = data.get(table)
    return [row for row in found if isinstance(row, dict)] if isinstance(found, list) else []


def joined(data: dict, link: str, column: str, table: str) -> dict[object, list[str]]:
    """post id -> the names of its rows in `table` (tags, users), in Ghost's order."""
    names = {key(row.get("id")): row.get("name") for row in rows(data, table)
             if isinstance(row.get("name"), str) and not row["name"].startswith("#")}  # fmt: skip
    found: dict[object, list[tuple[int, str]]] = {}
    for row in rows(data, link):
        name = names.get(key(row.get(column)))
        if name:
            order = row.get("sort_order") if isinstance(row.get("sort_order"), int) else 0
            found.setdefault(key(row.get("post_id")), []).append((order, name))
    return {post: [name for _, name in sorted(pairs)] for post, pairs in found.items()}


def when(value) -> str | None:
    """A day from Ghost's dates: ISO 8601 text, or (older exports) milliseconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC).date().isoformat()
    return parse_when(value) if isinstance(value, str) else None


def now() -> datetime:
    return datetime.now(UTC)


def due(published_at) -> bool:
    """Whether a scheduled post's time (ISO 8601 text, or milliseconds) has come."""
    if isinstance(published_at, int | float) and not isinstance(published_at, bool):
        return published_at / 1000 <= now().timestamp()
    try:
        when = datetime.fromisoformat(str(published_at).replace("Z", "+00:00"))
    except ValueError:
        return False
    return (when if when.tzinfo else when.replace(tzinfo=UTC)) <= now()


def kind_of(post: dict) -> str:
    if isinstance(post.get("type"), str):
        return post["type"]
    return "page" if post.get("page") in (1, True) else "post"  # (Ghost before 2.0)


def read_ghost(
    data: bytes, name: str, options: ImportOptions
) -> Iterator[Article | SourceError | Unpublished]:
    document, problems = json_document(data, name, "a Ghost export")
    yield from problems
    if document is NOT_JSON:
        return
    data_tables = tables(document)
    if data_tables is None:
        yield SourceError(name, None, "is a Ghost export with no data; skipped")
        return
    tags = joined(data_tables, "posts_tags", "tag_id", "tags")
    authors = joined(data_tables, "posts_authors", "author_id", "users")
    users = {key(row.get("id")): row.get("name") for row in rows(data_tables, "users")}
    found = 0
    for number, post in enumerate(rows(data_tables, "posts"), start=1):
        if kind_of(post) not in options.post_types:
            continue
        status = post.get("status")
        if status not in ("published", "scheduled") or post.get("visibility", "public") != "public":
            continue  # (see the module docstring)
        if status == "scheduled" and not due(post.get("published_at")):
            # Ghost publishes it at its time, which may have come since the export was
            # made: indexed from then; until then the export is read again by every run.
            yield Unpublished(name)
            continue
        found += 1
        yield from read_post(post, number, name, tags, authors, users)
    if not found:
        asked = ", ".join(sorted(options.post_types))
        yield SourceError(name, None, f"the Ghost export holds no published, public post of "
                                      f"the types asked for ({asked})")  # fmt: skip


def read_post(post: dict, number: int, name: str, tags: dict, authors: dict, users: dict):
    title, html = text_of(post.get("title")), text_of(post.get("html"))
    paragraphs, excerpt = html_paragraphs(html), False
    if not paragraphs and isinstance(post.get("plaintext"), str):
        paragraphs = [collapse_spaces(p) for p in post["plaintext"].split("\n\n") if p.strip()]
    if not paragraphs and isinstance(post.get("custom_excerpt"), str):
        paragraphs, excerpt = [post["custom_excerpt"]], True
    paragraphs, hint = with_photos(paragraphs, html, None)
    try:
        day, problem = when(post.get("published_at") or post.get("created_at")), None
    except (ValueError, OverflowError, OSError) as exc:  # (milliseconds past year 9999)
        day, problem = None, f"{exc}; indexed without a date"
    post_id = key(post.get("id"))
    author = (authors.get(post_id) or [users.get(key(post.get("author_id")))])[0]
    slug = post.get("slug") if isinstance(post.get("slug"), str) else None
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=None,
        article_id=stable_id(slug or title, str(post.get("uuid") or post_id or number)),
        date=day,
        author=author if isinstance(author, str) else None,
        tags=tags.get(post_id, []),
        kind_hint=hint,
        excerpt=excerpt,
        source_extra={"item": number},
    )
    if problem:
        yield SourceError(name, None, f"post {number} ({quoted(title)}): {problem}")
