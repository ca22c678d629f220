"""Movable Type importer: the export of a Movable Type or TypePad blog (its "Import /
Export" page), a text file of entries.

Takes the export's text; gives an `Article` per published entry and a `SourceError`
per problem. The format, as Movable Type documents it ("Movable Type Import Format"):
entries apart by a line of eight dashes; in each, lines of metadata (`AUTHOR:`,
`TITLE:`, `BASENAME:`, `STATUS:`, `DATE: 03/25/2024 10:00:00 AM`, `PRIMARY CATEGORY:`,
`CATEGORY:` once per category, `TAGS:`, `CONVERT BREAKS:`), then sections each after a
line of five dashes and named by their first line (`BODY:`, `EXTENDED BODY:`,
`EXCERPT:`, `KEYWORDS:`, and a reader's `COMMENT:` or a `PING:`). An entry's text is
its body and its extended body: HTML, or text whose blank lines part its paragraphs
(`CONVERT BREAKS: 1`, the default), or Markdown; with neither, its excerpt (marked as
such). Drafts are not read; an entry scheduled for a day to come is read on its day.
Readers' comments and pings are not the author's posts, and are passed over. The
export names no address for an entry, so its result opens its page here; its id comes
from its basename (else its title and date), so it survives an edit.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from indexer.article import Article, SourceError, Unpublished
from indexer.importers.columns import as_iso
from indexer.importers.html_text import html_paragraphs, with_photos
from indexer.importers.markdown import paragraphs_of
from indexer.importers.post import assemble, first_date, quoted, stable_id

ENTRY_END = "--------"
SECTION_END = "-----"
# An export starts with an entry's metadata: one of these keys, a colon, its value.
FIRST_KEYS = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:AUTHOR|TITLE|BASENAME|STATUS|DATE|"
                        rb"PRIMARY CATEGORY|CATEGORY|ALLOW COMMENTS|ALLOW PINGS|"
                        rb"CONVERT BREAKS|TAGS|UNIQUE URL):[^\n]*\r?\n")  # fmt: skip
SECTION_START = re.compile(rb"\n-----\r?\n[A-Z ]+:\r?\n")
MARKDOWN_BREAKS = ("markdown", "markdown_with_smartypants")
LINE_BREAKS = ("1", "__default__", "convert_breaks", "")


def sniff(head: bytes) -> bool:
    """Whether a file starting with `head` is a Movable Type export: an entry's metadata
    first, then a section of its text."""
    return bool(FIRST_KEYS.match(head)) and SECTION_START.search(head) is not None


def entries(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of each entry of an export's text."""
    lines, start = [], 1
    for number, line in enumerate(text.split("\n"), start=1):
        if line.rstrip("\r") == ENTRY_END:
            if any(s.strip() for s in lines):
                yield start, lines
            lines, start = [], number + 1
        else:
            lines.append(line.rstrip("\r"))
    if any(s.strip() for s in lines):
        yield start, lines  # (an export cut short: its last entry has no closing line)


def parse_entry(lines: list[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(metadata: key -> its values, in order; sections: name -> text) of one entry."""
    meta: dict[str, list[str]] = {}
    sections: dict[str, str] = {}
    parts: list[list[str]] = [[]]
    for line in lines:
        if line == SECTION_END:
            parts.append([])
        else:
            parts[-1].append(line)
    for line in parts[0]:
        key, colon, value = line.partition(":")
        if colon and key.strip().isupper():
            meta.setdefault(key.strip(), []).append(value.strip())
    for part in parts[1:]:
        while part and not part[0].strip():
            part = part[1:]
        if not part or not part[0].endswith(":"):
            continue
        name = part[0][:-1].strip()
        if name not in sections:  # (the first of a name: comments come one a section)
            sections[name] = "\n".join(part[1:]).strip("\n")
    return meta, sections


def read_movable_type(text: str, name: str) -> Iterator[Article | SourceError | Unpublished]:
    text = text.replace("\r\n", "\n")
    found = 0
    for line, lines in entries(text):
        meta, sections = parse_entry(lines)
        if not meta and not sections:
            continue
        found += 1
        yield from read_entry(meta, sections, line, name)
    if not found:
        yield SourceError(name, None, "the Movable Type export holds no entries")


def tags_of(values: list[str]) -> list[str]:
    """The TAGS line's names: apart by commas, a name with a space or comma in quotes."""
    out = []
    for value in values:
        try:
            out += next(csv.reader([value], skipinitialspace=True), [])
        except csv.Error:
            out += value.split(",")
    return [t.strip() for t in out if t.strip()]


def text_of(body: str, breaks: str) -> list[str]:
    """The paragraphs of an entry's text, as its CONVERT BREAKS setting writes it."""
    if breaks in MARKDOWN_BREAKS:
        return paragraphs_of(body)[0]
    if breaks in LINE_BREAKS:  # (blank lines part paragraphs; HTML inside them is HTML)
        blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip()]
        return html_paragraphs("".join(f"<p>{b}</p>" for b in blocks))
    return html_paragraphs(body)  # ("0", "richtext": HTML as written)


def read_entry(meta: dict[str, list[str]], sections: dict[str, str], line: int,
               name: str) -> Iterator[Article | SourceError | Unpublished]:  # fmt: skip
    def one(key: str) -> str:
        return (meta.get(key) or [""])[0]

    title = one("TITLE")
    status = one("STATUS").lower()
    if status in ("draft", "unpublished", "review", "2"):  # (MT's own numbers too)
        return
    day, problem = first_date(as_iso(one("DATE"), "mdy"))
    to_come = day is not None and day > datetime.now(UTC).date().isoformat()
    if to_come or status in ("future", "scheduled", "4") and day is None:
        yield Unpublished(name)  # (scheduled: read again by each run, indexed on its day)
        return
    breaks = one("CONVERT BREAKS").lower()
    body = "\n\n".join(t for t in (sections.get("BODY", ""), sections.get("EXTENDED BODY", ""))
                       if t.strip())  # fmt: skip
    paragraphs = text_of(body, breaks)
    paragraphs, hint = with_photos(paragraphs, body, None)
    excerpt = False
    if not paragraphs and sections.get("EXCERPT", "").strip():
        paragraphs, excerpt = text_of(sections["EXCERPT"], breaks), True
    categories = [*meta.get("PRIMARY CATEGORY", []), *meta.get("CATEGORY", [])]
    basename = one("BASENAME")
    yield assemble(
        title=title,
        paragraphs=paragraphs,
        file=name,
        line=line,
        article_id=stable_id(basename or title, basename or f"{title}\0{one('DATE')}"),
        date=day,
        author=one("AUTHOR") or None,
        categories=categories,
        tags=tags_of(meta.get("TAGS", [])),
        kind_hint=hint,
        excerpt=excerpt,
        url=one("UNIQUE URL") or None,
    )
    if problem:
        yield SourceError(name, line, f"entry {quoted(title)}: {problem}; indexed without a date")
