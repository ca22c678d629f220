"""Article sources: a corpus path in, a stream of articles and problems out.

Takes a file or a folder (`read_corpus`); gives `Article` and `SourceError` items in a
fixed order. Scraped pages (`.txt`, `.html`) go through the page importer, JSON Lines
(`.jsonl`) are read one record a line. A bad file or line never stops the stream: it
becomes one `SourceError` naming the file and line, and reading goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from indexer.article import KINDS, Article, SourceError, make_id
from indexer.parse import parse_page

PAGE_SUFFIXES = {".txt", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


class CorpusNotFound(Exception):
    """The corpus path does not exist."""


def corpus_files(path: Path) -> list[Path]:
    if not path.exists():
        raise CorpusNotFound(
            f"The corpus {path} does not exist: pass --corpus with a folder of pages or a "
            f".jsonl file, or set ROCKSEARCH_CORPUS."
        )
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if (p.is_file() or p.is_symlink())
        and not any(x.startswith(".") for x in p.relative_to(path).parts)
    )


def read_corpus(path: str | Path) -> Iterator[Article | SourceError]:
    """Yield every article under `path` and a SourceError for each problem met."""
    root = Path(path)
    seen: dict[str, str] = {}  # id -> where it was first seen
    for file in corpus_files(root):
        name = file.name if root.is_file() else file.relative_to(root).as_posix()
        for item in read_file(file, name):
            if isinstance(item, Article):
                where = f"{name}:{item.source.get('line')}"
                if item.id in seen:
                    yield SourceError(
                        name,
                        item.source.get("line"),
                        f"duplicate id {item.id!r} (first at {seen[item.id]}); skipped",
                    )
                    continue
                seen[item.id] = where
            yield item


def read_file(file: Path, name: str) -> Iterator[Article | SourceError]:
    suffix = file.suffix.lower()
    if suffix not in PAGE_SUFFIXES | JSONL_SUFFIXES:
        yield SourceError(name, None, "not an article file (expected .txt, .html or .jsonl)")
        return
    try:
        data = file.read_bytes()
    except OSError as exc:
        yield SourceError(name, None, f"cannot be read: {exc.strerror or exc}")
        return
    if not data.strip():
        yield SourceError(name, None, "the file is empty")
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(data, name)
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield SourceError(name, line, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); skipped")
        return
    yield from parse_page(text.lstrip("\ufeff"), name)


def read_jsonl(data: bytes, name: str) -> Iterator[Article | SourceError]:
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield SourceError(name, number, "is not UTF-8 text; line skipped")
            continue
        except json.JSONDecodeError as exc:
            yield SourceError(name, number, f"is not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield from article_from_record(record, name, number)


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
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
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
    url = record.get("url") if isinstance(record.get("url"), str) else None
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
        url=url,
        source={"file": name, "line": number},
    )
