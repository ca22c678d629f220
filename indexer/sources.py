"""Article sources: a corpus path in, a stream of articles and problems out.

Takes a file or a folder (`read_corpus`); gives `Article` and `SourceError` items in a
fixed order (files by name). Each file goes to the importer its content calls for
(`indexer.importers`). A bad file, line or post never stops the stream: it becomes one
`SourceError` naming the file and line (or item), and reading goes on. A folder that
`rocksearch crawl` filled also holds `.rocksearch-crawl.json`, where each fetched file's
URL and Content-Type are recorded; the importers get them through `ImportOptions`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from indexer.article import Article, SourceError
from indexer.importers import ImportOptions, read_file

CRAWL_STATE = ".rocksearch-crawl.json"


class CorpusNotFound(Exception):
    """The corpus path does not exist."""


def corpus_files(path: Path) -> list[Path]:
    if not path.exists():
        raise CorpusNotFound(
            f"The corpus {path} does not exist: pass --corpus with a folder, an export, a "
            f"feed or a .jsonl file, or set ROCKSEARCH_CORPUS."
        )
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if (p.is_file() or p.is_symlink())
        and not any(x.startswith(".") for x in p.relative_to(path).parts)
    )


def crawl_origins(root: Path) -> dict[str, dict]:
    """file name -> {"url", "content_type"} as the crawler recorded them (or nothing)."""
    try:
        state = json.loads((root / CRAWL_STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    files = state.get("files") if isinstance(state, dict) else None
    return files if isinstance(files, dict) else {}


def unicode_problem(article: Article) -> str | None:
    """A lone surrogate (from a JSON "\\ud800" escape) cannot be stored: name the field."""
    for field in ("id", "title", "body", "author", "maxim", "url"):
        value = getattr(article, field)
        if value is not None and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"its {field} holds a lone surrogate (not valid Unicode); article skipped"
    for value in article.categories + article.tags:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a category or tag holds a lone surrogate (not valid Unicode); article skipped"
    return None


def read_corpus(
    path: str | Path, options: ImportOptions | None = None
) -> Iterator[Article | SourceError]:
    """Yield every article under `path` and a SourceError for each problem met."""
    root = Path(path)
    options = options or ImportOptions()
    files = corpus_files(root)
    if root.is_dir():
        options = replace(options, origins={**crawl_origins(root), **options.origins})
    seen: dict[str, str] = {}  # id -> where it was first seen
    for file in files:
        name = file.name if root.is_file() else file.relative_to(root).as_posix()
        for item in read_file(file, name, options):
            if isinstance(item, Article):
                line = item.source.get("line") or item.source.get("item")
                if problem := unicode_problem(item):
                    yield SourceError(name, line, problem)
                    continue
                if item.id in seen:
                    yield SourceError(
                        name, line, f"duplicate id {item.id!r} (first at {seen[item.id]}); skipped"
                    )
                    continue
                seen[item.id] = f"{name}:{line}" if line else name
            yield item
