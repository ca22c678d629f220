"""JSON Lines importer: one article a line, as `rocksearch export` writes them.

Takes the bytes of a `.jsonl` file; gives an `Article` per good line and a `SourceError`
per bad one (not JSON, nested too deep, not an object, no title or body, a list that is
not strings), naming the line. A UTF-8 byte order mark is allowed; a bad date keeps the
article, undated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import NamedTuple, Protocol

from indexer.article import KINDS, Article, Known, SourceError, http_url, make_id
from indexer.importers.post import parse_when


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


class KnownLines(Protocol):
    """What an earlier run read from this file (indexer/read_cache.py)."""

    def unchanged(self, data: bytes) -> Unchanged:
        """The articles of the lines at the start and at the end of `data` whose bytes
        and places are as that run read them, and the bytes between, to be read."""

    def __call__(self, number: int, start: int, end: int, raw: memoryview) -> Known | None:
        """The article that run read from these bytes at this line number, or None."""


class Unchanged(NamedTuple):
    head: list  # Known and SourceError items of the lines before `begin`, in order
    begin: int  # where the lines to read start
    number: int  # the line number before `begin` (lines before it, blank ones too)
    stop: int  # where they end: at `stop` a line starts whose article is in `tail`
    tail: list  # the items of the lines from `stop` on, numbered as they are now


NOT_SPACE = re.compile(rb"\S")
BOM = b"\xef\xbb\xbf"


def lines(
    data: bytes, begin: int = 0, stop: int | None = None, number: int = 0
) -> Iterator[tuple[int, int, int]]:
    """(line number, start, end) of each line of `data` that holds more than white
    space, from offset `begin` (where line `number` + 1 starts) to `stop`, where a line
    starts. The lines are found, not split off: splitting a 100k-post file into 100,000
    copies took 0.8 s, which a run that parses few of them need not pay."""
    start = 3 if begin == 0 and data[:3] == BOM else begin
    size = len(data) if stop is None else stop
    while start < size:
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        number += 1
        if NOT_SPACE.search(data, start, end):
            yield number, start, end
        start = end + 1


def read_jsonl(
    data: bytes, name: str, known: KnownLines | None = None
) -> Iterator[Article | Known | SourceError]:
    """Each line's article or problem; with `known`, the unchanged lines at the start
    and end of the file come back as their `Known` items unread, and a line between
    that `known` recognises (by its number and bytes) is not parsed. (Not a mapped
    file: one that an editor truncates while it is read would kill the process with
    SIGBUS.)"""
    view = memoryview(data)
    same = known.unchanged(data) if known is not None else Unchanged([], 0, 0, len(data), [])
    yield from same.head
    for number, start, end in lines(data, same.begin, same.stop, same.number):
        if known is not None:
            with view[start:end] as raw:
                found = known(number, start, end, raw)
            if found is not None:
                yield found
                continue
        try:
            record = json.loads(data[start:end].decode("utf-8"))
        except UnicodeDecodeError:
            yield SourceError(name, number, "is not UTF-8 text; line skipped")
            continue
        except json.JSONDecodeError as exc:
            yield SourceError(name, number, f"is not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield SourceError(name, number, "is JSON nested too deeply to read; line skipped")
            continue
        yield from article_from_record(record, name, number)
    yield from same.tail


def clean_list(value, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{field!r} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def clean_date(value) -> str | None:
    """An ISO date or date-time (any time zone) to YYYY-MM-DD; None stays None."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"'date' must be an ISO date string, not {value!r}")
    try:
        return parse_when(value)
    except ValueError:
        raise ValueError(f"'date' {value!r} is not an ISO date (YYYY-MM-DD)") from None


def article_from_record(record, name: str, number: int) -> Iterator[Article | SourceError]:
    if not isinstance(record, dict):
        yield SourceError(name, number, "is not a JSON object")
        return
    title, body = record.get("title"), record.get("body")
    for field, value in (("title", title), ("body", body)):
        if not isinstance(value, str) or not value.strip():
            yield SourceError(name, number, f"has no {field}; article skipped")
            return
    try:
        categories = clean_list(record.get("categories"), "categories")
        tags = clean_list(record.get("tags"), "tags")
    except ValueError as exc:
        yield SourceError(name, number, f"{exc}; article skipped")
        return
    try:
        when = clean_date(record.get("date"))
    except ValueError as exc:
        # Nothing is lost for a bad date: the article is indexed as undated.
        yield SourceError(name, number, f"{exc}; indexed without a date")
        when = None
    raw_id = record.get("id")
    article_id = str(raw_id).strip() if raw_id not in (None, "") else make_id(title, name, number)
    kind = record.get("kind") if record.get("kind") in KINDS else "article"
    maxim = record.get("maxim") if isinstance(record.get("maxim"), str) else None
    author = record.get("author") if isinstance(record.get("author"), str) else None
    yield Article(
        id=article_id,
        title=" ".join(title.split()),
        body=body.strip(),
        date=when,
        author=author.strip() or None if author else None,
        categories=categories,
        tags=tags,
        maxim=maxim.strip() or None if maxim else None,
        kind=kind,
        excerpt=bool(record.get("excerpt", False)),
        url=http_url(record.get("url")),
        source={"file": name, "line": number},
    )
