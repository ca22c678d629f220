"""CSV importer: a table of posts, one row a post, its columns named by a header row.

Takes the bytes of a `.csv` (or `.tsv`) file; gives an `Article` per published post and
a `SourceError` per problem. This is what site builders and databases export a blog as:
Webflow's CMS collections (`Name`, `Slug`, `Post Body`, `Post Summary`, `Published On`,
`Draft`, `Archived`), a HubSpot blog (`Post Title`, `Post Body`, `Publish Date`,
`Author`, `State`), Wix's tables, an Airtable or Notion table with a column of the
posts' text (Notion's own export keeps a page's text in a Markdown file of its own), a
spreadsheet kept by hand. Each platform names its columns, and a collection's own
fields are named by whoever made it, so a column is recognised by its name (any case,
spaces, marks and emoji aside: "🪘 Category" is a category), from the lists in
`COLUMNS`, the first listed first. A table with no column for a post's title and none
for its text is said to be one, with the columns it has.

A row's text is HTML where it holds HTML's closing tags, a line break or an image (a
rich text field), Markdown where it shows Markdown's marks, else plain text, its blank
lines parting its paragraphs; with no text, its summary, marked as an excerpt, else (a
photo post) its images' descriptions. A table with no id, address or slug column
names a post by its title and how many rows before it have that title. A row marked a
draft, archived, deleted or unpublished (a `Draft`, `Archived` or `Published` column
saying so, or a status column such as Webflow's or HubSpot's `State`) is not read; one
dated in the future is read on its day (`Unpublished`). Dates written with slashes or
dots are read day first or month first as the column's other dates show
("25/03/2024": day first), month first where none does, as US spreadsheets write them.
Tags and categories are lists in one cell, split at ";", "|" or ",". A file whose
delimiter is ";" or a tab (as a spreadsheet in a European locale, or a `.tsv`, saves
it) is read as such.

Bear Blog's and Substack's exports are CSV too, with importers of their own
(bear_blog.py, substack.py), which `choose` asks first.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from indexer.article import Article, SourceError, Unpublished, make_id
from indexer.importers.columns import (
    COLUMNS,
    NO,
    NOT_SHOWN,
    SCHEDULED,
    YES,
    as_iso,
    day_first,
    hidden,
    names_in,
    normal,
)
from indexer.importers.encoding import file_text
from indexer.importers.html_text import (
    PARAGRAPH_BREAK,
    collapse_spaces,
    html_paragraphs,
    inline_text,
    with_photos,
)
from indexer.importers.markdown import paragraphs_of
from indexer.importers.options import ImportOptions
from indexer.importers.post import assemble, first_date, quoted, stable_id

SUFFIXES = {".csv", ".tsv"}
# A post's text is one cell: the csv module's own limit (128 kB) cost a long post.
FIELD_LIMIT = 64 * 2**20

DELIMITERS = ",;\t"
# A cell of Markdown: a heading, a list, a quote, emphasis, a link or an image, code. Any
# other text is plain, and read as it is: rendered as Markdown, a paragraph that began
# with "<Video Shopping Mall Inc>" was an HTML block, and lost.
MARKDOWN = re.compile(r"^(?:#{1,6} |[-*+] |\d+[.)] |> )|\*\*|__|\]\(|!\[|`", re.M)
# A cell of rich text holds closing tags of HTML's blocks and phrases, or a line break or
# an image; a cell of plain text may hold "<Video Shopping Mall Inc>", a news agency's
# way of naming a company, which read as HTML was an element, and the post had no text.
HTML_TAG = re.compile(r"</(?:p|div|span|a|b|i|u|em|strong|ul|ol|li|h[1-6]|figure|blockquote|"
                      r"table|pre|code|section|article|figcaption|sup|sub)\s*>|<(?:br|hr|img)"
                      r"\b[^>]*>", re.I)  # fmt: skip


def _header(head: bytes) -> tuple[list[str], str] | None:
    """(the header row's cells, the delimiter) of a file starting with `head`; None if
    its first line is not a row of cells."""
    text = head.lstrip(b"\xef\xbb\xbf").decode("utf-8", "replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        return None
    delimiter = max(DELIMITERS, key=first.count)  # (a tie: the comma, listed first)
    try:
        cells = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    return cells, delimiter


def columns_of(cells: list[str]) -> dict[str, list[str]]:
    """What each of the header's cells holds: {role: [cells, the likeliest first]}."""
    by_name: dict[str, str] = {}
    for cell in cells:
        by_name.setdefault(normal(cell), cell)
    found: dict[str, list[str]] = {}
    for role, names in COLUMNS.items():
        held = [by_name[n] for n in names if n in by_name]
        if held:
            found[role] = held
    return found


def table_of_posts(cells: list[str]) -> bool:
    """Whether a header row of these cells is a table of posts': it names a column for
    their titles and one for their text (or summary)."""
    found = columns_of(cells)
    return "title" in found and ("text" in found or "summary" in found)


def sniff(head: bytes) -> bool:
    """Whether a CSV file starting with `head` is a table of posts."""
    header = _header(head)
    return header is not None and table_of_posts(header[0])


def lacking(cells: list[str], what: str = "CSV table") -> str:
    """The problem of a table (a `what`) whose header row of `cells` is not a table of
    posts': what it lacks, and the columns it has."""
    found = columns_of(cells)
    missing = [it for role, it in (("title", "a post's title (title, name, headline…)"),
                                   ("text", "a post's text (body, content, summary…)"))
               if role not in found and not (role == "text" and "summary" in found)]  # fmt: skip
    named = ", ".join(quoted(c) for c in cells[:12]) + (", …" if len(cells) > 12 else "")
    return (f"is a {what}, but not one of posts: its header row names no column for "
            f"{' nor for '.join(missing)}; its columns: {named or 'none'}")  # fmt: skip


def why_not(head: bytes) -> str:
    """The problem of a CSV file that `sniff` does not take."""
    header = _header(head)
    return lacking(header[0] if header else [])


Item = Article | SourceError | Unpublished


def read_csv_posts(data: bytes, name: str, options: ImportOptions) -> Iterator[Item]:
    text, problems = file_text(data, name)
    yield from problems
    if text is None:
        return
    text = text.lstrip("\ufeff")
    header = _header(text[:8192].encode("utf-8"))
    if header is None:
        yield SourceError(name, 1, "is a CSV file with no header row; skipped")
        return
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    delimiter = header[1]
    pieces, unclosed = pieces_of(text, delimiter)
    try:  # (the header as the first piece reads it: its quotes may open what nothing closes)
        quoting = csv.QUOTE_MINIMAL if pieces[0][2] else csv.QUOTE_NONE
        cells = next(csv.reader(io.StringIO(pieces[0][1], newline=""), delimiter=delimiter,
                                quoting=quoting), [])  # fmt: skip
    except csv.Error:
        cells = header[0]
    fault: list[SourceError] = []  # (where the text stops being CSV, once)

    def rows() -> Iterator[tuple[int, dict]]:
        for first, piece, quoted_cells in pieces:
            quoting = csv.QUOTE_MINIMAL if quoted_cells else csv.QUOTE_NONE
            reader = csv.DictReader(io.StringIO(piece, newline=""), cells if first > 1 else None,
                                    delimiter=delimiter, quoting=quoting)  # fmt: skip
            ended = 1 if first == 1 else 0  # (the header's line: a row may run over many)
            try:
                for row in reader:
                    yield first + ended, row
                    ended = reader.line_num
            except csv.Error as exc:
                fault[:] = [SourceError(name, first - 1 + reader.line_num,
                                        f"is not a readable CSV from here ({exc}); the posts "
                                        "after this line are skipped")]  # fmt: skip
                return

    yield from read_table(cells, rows, name, options)
    yield from fault
    for line in unclosed:
        yield SourceError(name, line, "a quote opens a cell here that is not closed as CSV "
                                      "closes one; the line is read without quotes, the next "
                                      "as rows")  # fmt: skip


def pieces_of(text: str, delimiter: str) -> tuple[list[tuple[int, str, bool]], list[int]]:
    """The text as (its first line, the text, whether its quotes quote) pieces, and the
    lines where a row's quotes are not as CSV writes them (`unclosed_quote`). Read as it
    is, a quote that opens a cell nothing closes runs to the end of the file, or to the
    next quote, and every post in between was that one cell's text: such a line is read
    without quotes instead, and the lines after it as rows again."""
    pieces, unclosed, first = [], [], 1
    while text:
        line = unclosed_quote(text, delimiter)
        if line is None:
            pieces.append((first, text, True))
            break
        lines = text.splitlines(keepends=True)
        before, broken, after = "".join(lines[: line - 1]), lines[line - 1], "".join(lines[line:])
        if before:
            pieces.append((first, before, True))
        pieces.append((first + line - 1, broken.replace('"', ""), False))
        unclosed.append(first + line - 1)
        first, text = first + line, after
    return pieces, unclosed


def unclosed_quote(text: str, delimiter: str) -> int | None:
    """The line (of `text`) where the row starts whose quotes are not as CSV writes
    them: a quoted cell that nothing closes, or that a later quote closes, with text
    after it ("',' expected after '\"'"); or None. (Found by the csv module read
    strictly; read leniently, such a cell takes in the lines after it up to the next
    quote, or the end of the file.)"""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        return start
    return None


def read_table(cells: list[str], rows: Callable[[], Iterable[tuple[int, dict]]], name: str,
               options: ImportOptions) -> Iterator[Item]:  # fmt: skip
    """The posts of a table: its header's `cells`, and `rows()` giving (line, {cell:
    value}) of each row (a CSV file's, or a spreadsheet's: spreadsheets.py), asked twice:
    first for the order of its dates' numbers (`day_first`), then for its posts, so that a
    long table's rows are never all held at once."""
    columns = columns_of(cells)
    dated = columns.get("date", [])
    orders = dict.fromkeys(dated, "mdy")
    if dated:
        for _, row in rows():
            for cell in dated:
                if orders[cell] == "mdy" and day_first(row.get(cell)):
                    orders[cell] = "dmy"
    seen: dict[str, int] = {}  # title -> rows with it so far (see read_row's `occurrence`)
    for line, row in rows():
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # (a blank line)
        title = title_of(row, columns)
        occurrence = seen[title] = seen.get(title, -1) + 1
        yield from read_row(row, line, name, columns, orders, options, occurrence, title)


def title_of(row: dict, columns: dict[str, list[str]]) -> str:
    """A row's title: the first of its title columns with one, as plain text."""
    for cell in columns.get("title", ()):
        value = row.get(cell)
        if isinstance(value, str) and value.strip():
            return inline_text(value.strip())
    return ""


def read_row(row: dict, line: int, name: str, columns: dict[str, list[str]],
             orders: dict[str, str], options: ImportOptions, occurrence: int = 0,
             title: str | None = None) -> Iterator[Item]:  # fmt: skip
    """The post of one row, or nothing where the row is not on the site. Its id comes
    from its id, address or slug column; a table with none names a post by its title
    and `occurrence` (how many rows before it have the same title), not its line, so
    that a row added above it does not change its id, and two posts titled alike
    ("Monday's tip") are two posts, not one skipped as a duplicate id."""

    def first(role: str) -> str:
        for cell in columns.get(role, ()):
            value = row.get(cell)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    status = normal(first("status"))
    if status in NOT_SHOWN or hidden(row):
        return
    # (A page only where pages are asked for; any other type of row is a post.)
    if ("page" if normal(first("type")) == "page" else "post") not in options.post_types:
        return
    dates = [as_iso(row.get(cell), orders[cell]) for cell in columns.get("date", ())]
    # (A `Published` column of yes and no is no date.)
    day, problem = first_date(*[d for d in dates if d and d.lower() not in YES | NO])
    if day is not None and day > datetime.now(UTC).date().isoformat():
        yield Unpublished(name)  # (read again by each run: indexed on its day)
        return
    if status in SCHEDULED:
        return  # (scheduled, with no date to say when)
    title = title_of(row, columns) if title is None else title
    content = first("text")
    hint = None
    if HTML_TAG.search(content):
        paragraphs, hint = with_photos(html_paragraphs(content), content, None)
    elif MARKDOWN.search(content):
        paragraphs, _, alts = paragraphs_of(content)
        hint = "image" if not paragraphs and alts else None
        paragraphs = paragraphs or alts
    else:  # (plain text: its blank lines part its paragraphs)
        paragraphs = [collapse_spaces(p) for p in PARAGRAPH_BREAK.split(content) if p.strip()]
    excerpt = False
    summary = first("summary")
    if (not paragraphs or hint == "image") and summary:
        paragraphs, excerpt, hint = html_paragraphs(summary), True, None
    url = next((v for cell in columns.get("url", ()) if (v := (row.get(cell) or "").strip())
                and v.lower().startswith(("http://", "https://"))), None)  # fmt: skip
    slug = first("slug")
    key = first("id") or url or slug
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=line,
        article_id=stable_id(slug or title, key) if key else make_id(title, name, occurrence),
        date=day,
        author=first("author") or None,
        categories=names_in(first("categories")),
        tags=names_in(first("tags")),
        kind_hint=hint,
        excerpt=excerpt,
        url=url,
    )
    if problem and day is None:
        yield SourceError(name, line, f"post {quoted(title)}: {problem}; indexed without a date")
