"""Bear Blog importer: a Bear Blog export (Dashboard → Settings → Export, a CSV) in.

Takes the bytes of the export, `uid,title,slug,alias,published date,all tags,publish,
make discoverable,is page,content,…` with one row a post and its Markdown text in
`content`; gives an `Article` per published post (pages too when
`ImportOptions.post_types` asks) and a `SourceError` per problem. Drafts (`publish`
False) are not read. Tags are the JSON list in `all tags`; the text is rendered as the
Markdown importer renders a post's (indexer/importers/markdown.py), its `meta
description` the text of a post with none, marked as an excerpt, else (a photo post)
its images' descriptions. The export names no
address for the blog, so a post's result opens its page here. Read as anything else,
the export was "not an article file".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from indexer.article import Article, SourceError
from indexer.importers.encoding import file_text
from indexer.importers.html_text import collapse_spaces
from indexer.importers.markdown import paragraphs_of
from indexer.importers.options import ImportOptions
from indexer.importers.post import assemble, first_date, quoted, stable_id

HEADER = b"uid,title,slug,alias,published date,all tags,publish"
# A post's text is one CSV field: the csv module's own limit (128 kB) cost a long post.
FIELD_LIMIT = 64 * 2**20


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").startswith(HEADER)


def tags_of(value: str | None) -> list[str]:
    """The `all tags` field: a JSON list of names (a comma list read too)."""
    text = (value or "").strip()
    try:
        found = json.loads(text) if text.startswith("[") else text.split(",")
    except ValueError:
        found = text.strip("[]").split(",")
    return [t.strip().strip('"') for t in found if isinstance(t, str) and t.strip()]


def read_bear_blog(data: bytes, name: str,
                   options: ImportOptions) -> Iterator[Article | SourceError]:  # fmt: skip
    text, problems = file_text(data, name)
    yield from problems
    if text is None:
        return
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    ended = 1  # (the header's line: a row's text may run over many lines)
    try:
        for row in rows:
            line, ended = ended + 1, rows.line_num
            if not (row.get("uid") or "").strip():
                continue  # (a blank line)
            kind = "page" if (row.get("is page") or "").strip() == "True" else "post"
            if kind not in options.post_types or (row.get("publish") or "").strip() != "True":
                continue  # (a draft; a page unless pages are asked for)
            yield from read_row(row, line, name)
    except csv.Error as exc:
        yield SourceError(name, rows.line_num, f"is not a readable CSV from here ({exc}); "
                                               "the posts after this line are skipped")  # fmt: skip


def read_row(row: dict, line: int, name: str) -> Iterator[Article | SourceError]:
    title = collapse_spaces(row.get("title") or "")
    paragraphs, media, alts = paragraphs_of(row.get("content") or "")
    excerpt, shown = False, bool(paragraphs)
    summary = (row.get("meta description") or "").strip()
    if not shown and summary:
        paragraphs, excerpt = [collapse_spaces(summary)], True
    elif not shown:
        paragraphs = alts  # (a photo post: what its images' descriptions say)
    day, problem = first_date((row.get("published date") or "").strip() or None)
    slug = (row.get("slug") or "").strip() or title
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=line,
        article_id=stable_id(slug, row["uid"].strip()),
        date=day,
        tags=tags_of(row.get("all tags")),
        kind_hint=media if not shown else None,
        excerpt=excerpt,
    )
    if problem:
        yield SourceError(name, line, f"post {quoted(title)}: {problem}; indexed without a date")
