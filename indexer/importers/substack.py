"""Substack importer: a Substack export's posts.csv in, with the posts/ folder beside it.

Takes the path of posts.csv (`post_id,post_date,is_published,…,type,audience,title,
subtitle,…`, one row a post) and reads each post's text from posts/<post_id>.html next
to it (indexer/importers/layouts.py reads only posts.csv of such an export, so the
HTML files are not read again as pages); gives an `Article` per published post for
everyone, and a `SourceError` per problem. Posts for paying (or only free) subscribers
are not read, as password-protected posts of a WordPress export are not: a public search
must not show what the newsletter keeps behind its sign-in; nor are drafts, discussion
threads or a post whose file is missing (said). A podcast episode is kind "audio".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article, SourceError
from indexer.importers.encoding import file_text, utf8_text
from indexer.importers.html_text import html_paragraphs, with_photos
from indexer.importers.options import ImportOptions
from indexer.importers.post import assemble, first_date, quoted, stable_id

HEADER = b"post_id,post_date,is_published"
# Substack's kinds of post, as rocksearch's post types ("thread": a discussion, not read).
TYPES = {"newsletter": "post", "podcast": "post", "video": "post", "page": "page"}


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf").startswith(HEADER)


def read_substack(
    path: Path, name: str, head: bytes, options: ImportOptions
) -> Iterator[Article | SourceError]:
    text, problems = file_text(path.read_bytes(), name)
    yield from problems
    if text is None:
        return
    folder = path.parent / "posts"
    rows = csv.DictReader(io.StringIO(text, newline=""))
    for row in rows:
        if not isinstance(row.get("post_id"), str) or not row["post_id"]:
            continue  # (a blank line)
        kind = TYPES.get((row.get("type") or "").strip())
        if kind not in options.post_types or (row.get("is_published") or "").lower() != "true":
            continue
        if (row.get("audience") or "everyone").strip() != "everyone":
            continue  # (see the module docstring)
        yield from read_row(row, rows.line_num, folder, name)


def read_row(row: dict, line: int, folder: Path, name: str) -> Iterator[Article | SourceError]:
    post_id, title = row["post_id"].strip(), (row.get("title") or "").strip()
    page = folder / f"{post_id}.html"
    try:
        html, problem = utf8_text(page.read_bytes())
    except OSError:
        missing = f"posts/{post_id}.html is missing; skipped"
        yield SourceError(name, line, f"post {quoted(title)}: {missing}")
        return
    if problem:
        yield SourceError(name, line, f"posts/{post_id}.html {problem}")
    paragraphs = html_paragraphs(html or "")
    hint = "audio" if (row.get("type") or "").strip() == "podcast" else None
    paragraphs, hint = with_photos(paragraphs, html or "", hint)
    day, problem = first_date((row.get("post_date") or "").strip() or None)
    slug = post_id.partition(".")[2] or title
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=line,
        article_id=stable_id(slug, post_id),
        date=day,
        kind_hint=hint,
    )
    if problem:
        yield SourceError(name, line, f"post {quoted(title)}: {problem}; indexed without a date")
