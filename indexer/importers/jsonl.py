"""JSON Lines importer: one article a line, as `rocksearch export` writes them.

Takes the bytes of a `.jsonl` file (`read_jsonl`), or its path and what the last run
read of it (`read_jsonl_file`, which reads only what changed); gives an `Article` per
good line and a `SourceError` per bad one (not JSON, nested too deep, not an object, no
title or body, a list that is not strings), naming the line. A UTF-8 byte order mark is
allowed; a bad date keeps the article, undated.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

from indexer.article import KINDS, Article, Known, KnownRun, SourceError, http_url, make_id
from indexer.file_blocks import Blocks
from indexer.importers.encoding import first_bad_line, utf8_text
from indexer.importers.html_text import collapse_spaces
from indexer.importers.post import parse_when, quoted


def sniff(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


class KnownLines(Protocol):
    """What an earlier run read from this file (indexer/read_cache.py)."""

    def unchanged(self, blocks: Blocks, read: Callable[[int, int], bytes]) -> Unchanged:
        """The articles of the lines at the start and at the end of the file (its
        `blocks`; `read(start, end)` gives its bytes) whose bytes and places are as that
        run read them, and the bytes between, to be read."""

    def __call__(self, number: int, start: int, end: int, raw: memoryview) -> Known | None:
        """The article that run read from these bytes at this line number, or None."""


class Unchanged(NamedTuple):
    head: list  # Known and SourceError items of the lines before `begin`, in order
    begin: int  # where the lines to read start
    number: int  # the line number before `begin` (lines before it, blank ones too)
    stop: int  # where they end: at `stop` a line starts whose article is in `tail`
    tail: list  # the items of the lines from `stop` on, numbered as they are now
    middle: bytes | None = None  # the bytes from `begin` to `stop`, if read already


NOT_SPACE = re.compile(rb"\S")
BOM = b"\xef\xbb\xbf"


def lines(
    data: bytes, begin: int, stop: int, number: int, at_start: bool
) -> Iterator[tuple[int, int, int]]:
    """(line number, start, end) of each line of `data` that holds more than white
    space, from offset `begin` (where line `number` + 1 starts) to `stop`, where a line
    starts; `at_start`: whether `begin` is the file's start (where a byte order mark may
    be). The lines are found, not split off: splitting a 100k-post file into 100,000
    copies took 0.8 s, which a run that parses few of them need not pay."""
    start = begin + 3 if at_start and data[begin : begin + 3] == BOM else begin
    while start < stop:
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        number += 1
        if NOT_SPACE.search(data, start, end):
            yield number, start, end
        start = end + 1


# A JSON document's list of articles may sit under one of these keys ({"posts": […]}).
LIST_KEYS = ("posts", "articles", "items", "entries", "data")


def is_document(head: bytes) -> bool:
    """Whether a .json file's first bytes look like one JSON document (an array, or an
    object over several lines) rather than JSON Lines (an object on each line)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return True
    first = text.split(b"\n", 1)[0]
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return True  # (the first object does not end on its line: read_json says for sure)
    return (
        isinstance(record, dict)
        and "title" not in record
        and any(isinstance(record.get(key), list) for key in LIST_KEYS)
    )  # (a list of articles under a key, on one line)


def read_json(data: bytes, name: str) -> Iterator[Article | Known | SourceError]:
    """The articles of one JSON document: an array of the records a JSON Lines file
    holds, one such record, or an object with such an array under one of LIST_KEYS. A
    record's number in the array stands for its line in messages. A file that is JSON
    Lines after all (named .json) is read as JSON Lines."""
    text, problem = utf8_text(data, "utf-8-sig")
    if text is None:
        yield SourceError(name, None, problem)
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        yield from read_jsonl(data, name)  # (JSON Lines, or broken: it names the lines)
        return
    if problem:  # (read all the same: encoding.py)
        yield SourceError(name, first_bad_line(data), problem)
    records = document
    if isinstance(document, dict) and "title" not in document:
        lists = [document[key] for key in LIST_KEYS if isinstance(document.get(key), list)]
        records = lists[0] if len(lists) == 1 else document
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        yield SourceError(name, None, "is JSON, but neither an article, a list of articles, "
                                      "nor an object holding one; skipped")  # fmt: skip
        return
    if len(records) > 1 and not any(isinstance(r, dict) and ("title" in r or "body" in r)
                                    for r in records):  # fmt: skip
        # (users, categories or media saved from a REST API, a tool's settings: one
        # message for the file, not one for each of its records)
        first = records[0]
        has = (
            f"; the first has {', '.join(map(str, list(first)[:5]))}"
            if isinstance(first, dict) and first
            else ""
        )
        yield SourceError(name, None, f"is JSON, but none of its {len(records)} records is an "
                                      f"article (no title or body{has}); skipped")  # fmt: skip
        return
    for number, record in enumerate(records, start=1):
        yield from article_from_record(record, name, number)


def read_jsonl(
    data: bytes, name: str, known: KnownLines | None = None
) -> Iterator[Article | Known | SourceError]:
    """Each line's article or problem; with `known`, the unchanged lines at the start
    and end of the file come back as their `Known` items unread, and a line between
    that `known` recognises (by its number and bytes) is not parsed."""
    if known is None:
        yield from _lines_read(data, 0, Unchanged([], 0, 0, len(data), []), name, None)
        return
    same = known.unchanged(Blocks.of(data), lambda start, end: data[start:end])
    yield from _lines_read(data, 0, same, name, known)


def read_jsonl_file(
    path: Path, name: str, known: KnownLines
) -> Iterator[Article | Known | SourceError]:
    """read_jsonl of the file at `path`, read a chunk at a time: its blocks digested,
    then only the bytes between the unchanged start and end read (one edit of a 288 MB
    file: 0.25 s and 288 MB less than reading it whole). If the file changed meanwhile
    (its size or time), it is read whole, as read_jsonl does. (Not a mapped file: one
    that an editor truncates while it is read would kill the process with SIGBUS.)"""
    with open(path, "rb") as handle:
        before = os.fstat(handle.fileno())

        def read(start: int, end: int) -> bytes:
            handle.seek(start)
            return handle.read(max(0, end - start))

        try:
            same = known.unchanged(Blocks.of_file(handle, before.st_size), read)
            if same.middle is None:
                same = same._replace(middle=read(same.begin, same.stop))
        except OSError:  # (shorter than it was: being rewritten)
            same = None
        after = os.fstat(handle.fileno())
    if same is None or (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        yield from read_jsonl(path.read_bytes(), name, known)
        return
    yield from _lines_read(same.middle, same.begin, same, name, known)


def _lines_read(data: bytes, offset: int, same: Unchanged, name: str,
                known: KnownLines | None) -> Iterator[Article | Known | SourceError]:  # fmt: skip
    """The items of `same`: its head, then each line from `same.begin` to `same.stop`
    (in `data`, whose first byte is the file's byte `offset`), then its tail."""
    view = memoryview(data)
    begin, stop = same.begin - offset, same.stop - offset
    yield from _whole_or_each(same.head)
    for number, start, end in lines(data, begin, stop, same.number, at_start=same.begin == 0):
        if known is not None:
            with view[start:end] as raw:
                found = known(number, start + offset, end + offset, raw)
            if found is not None:
                yield found
                continue
        text, problem = utf8_text(data[start:end])
        if problem:  # (read all the same, unless it is no text: encoding.py)
            yield SourceError(name, number, problem.replace("; skipped", "; line skipped"))
        if text is None:
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield SourceError(name, number, f"is not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield SourceError(name, number, "is JSON nested too deeply to read; line skipped")
            continue
        yield from article_from_record(record, name, number)
    yield from _whole_or_each(same.tail)


def _whole_or_each(items: list | KnownRun) -> Iterator:
    """A KnownRun as one item; any other list's items one by one."""
    if items.__class__ is KnownRun:
        if items:
            yield items
    else:
        yield from items


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
        raise ValueError(f"'date' must be an ISO date string, not {quoted(value)}")
    try:
        return parse_when(value)
    except ValueError:
        raise ValueError(f"'date' {quoted(value)} is not an ISO date (YYYY-MM-DD)") from None


def article_from_record(record, name: str, number: int) -> Iterator[Article | SourceError]:
    if not isinstance(record, dict):
        yield SourceError(name, number, "is not a JSON object")
        return
    title, body = record.get("title"), record.get("body")
    for field, value in (("title", title), ("body", body)):
        if value is not None and not isinstance(value, str):
            yield SourceError(name, number, f"'{field}' must be a string, not "
                                            f"{value!r:.60}; article skipped")  # fmt: skip
            return
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
        title=collapse_spaces(title),
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
