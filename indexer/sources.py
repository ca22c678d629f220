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
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import NamedTuple

from indexer.article import Article, Known, KnownRun, SourceError, Unpublished
from indexer.importers import ImportOptions, read_file, static_sites
from indexer.importers.layouts import chosen, read_beside
from indexer.read_cache import ReadCache

CRAWL_STATE = ".rocksearch-crawl.json"


class CorpusNotFound(Exception):
    """The corpus path does not exist."""


# Folders of a site's source that never hold its posts, left out as Jekyll leaves them
# out of a site: packages (npm's, Bundler's), a generator's built pages (Jekyll's and
# Eleventy's `_site`: every post again as HTML, with the theme's menus), Jekyll's drafts
# (a draft is not published) and its templates and data. Given a blog's whole source
# folder, they gave every package's README as a post.
NOT_CONTENT = frozenset({
    "node_modules", "vendor", "__pycache__",
    "_site", "_drafts", "_layouts", "_includes", "_sass", "_data", "_plugins",
})  # fmt: skip


def corpus_files(path: Path) -> list[tuple[str, str]]:
    """(file's path, its name: the path relative to the corpus folder, or the file's
    own name) of each corpus file, by name as a path (part by part). Hidden files
    and folders (a name starting with ".") and the folders NOT_CONTENT names are
    left out; of a Hugo site's folder only content/ is read, of a Jekyll site's only
    its _posts folders; a symbolic link is listed, not followed into (one that leads
    nowhere is then reported as unreadable)."""
    if not path.exists():
        raise CorpusNotFound(
            f"The corpus {path} does not exist: pass --corpus with a folder, an export, a "
            f"feed or a .jsonl file, or set ROCKSEARCH_CORPUS."
        )
    if path.is_file():
        return [(str(path), _text(path.name))]
    if not path.is_dir():
        raise CorpusNotFound(
            f"The corpus {path} is neither a file nor a folder (a pipe or a device?): pass "
            f"--corpus with a folder, an export, a feed or a .jsonl file."
        )
    # os.scandir, not Path.rglob: the directory entries say what each name is without a
    # stat, and names stay strings (a Path is made only for a file that is read). With a
    # Path per file, each stat twice and made relative, reading a 20,000-file site for a
    # one-post update took 1.3 s; now 0.6 s.
    found: list[tuple[tuple[str, ...], str]] = []
    built = built_output(path)  # (a generator's built site: not walked, see BUILT_OUTPUT)

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except PermissionError:  # (as rglob: a folder that cannot be listed is passed)
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            inner = (*parts, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in NOT_CONTENT and (parts or entry.name != built):
                    walk(entry.path, inner)
            else:
                # A file; a link, not followed (one in a loop raised ELOOP here and
                # stopped the whole run); or a pipe, a socket or a device, which
                # read_corpus names without opening it (left out without a word, a post's
                # file replaced by one lost its posts silently). Each is reported as one
                # file when it cannot be read.
                found.append((inner, entry.path))

    if static_sites.is_hugo_site(path):
        # A Hugo site's folder: its posts are under content/; the rest is its theme,
        # templates (archetypes/ holds a post-shaped template per kind) and built pages.
        walk(str(path / "content"), ("content",))
    elif static_sites.is_hexo_site(path):
        # A Hexo site's folder: its posts and pages are under source/; its scaffolds/
        # (post-shaped templates, "title: {{ title }}") were each three problems.
        walk(str(path / "source"), ("source",))
    else:
        walk(str(path), ())
    if static_sites.is_jekyll_site(path):
        # A Jekyll site's folder: its posts are in _posts folders; beside them, its pages
        # (the home page's index.md is a layout's name and nothing else, a 404.html) and
        # a Gemfile, each a problem in every run.
        found = [(parts, full) for parts, full in found if "_posts" in parts[:-1]]
    found.sort(key=lambda item: item[0])
    kept = set(chosen([parts for parts, _ in found])[0])  # (a platform's export: layouts.py)
    return [(full, _text("/".join(parts))) for parts, full in found if parts in kept]


# Where a site generator writes the site it builds, by the file that marks its project
# folder: a built page is a copy of a post (Astro's dist/ and Gatsby's public/ held one
# of every post, each indexed again from its HTML). Eleventy's _site is in NOT_CONTENT.
BUILT_OUTPUT = {
    "astro.config.mjs": "dist", "astro.config.js": "dist", "astro.config.ts": "dist",
    "gatsby-config.js": "public", "gatsby-config.ts": "public", "gatsby-config.mjs": "public",
    "docusaurus.config.js": "build", "docusaurus.config.ts": "build",
    "next.config.js": "out", "next.config.mjs": "out", "next.config.ts": "out",
    "pelicanconf.py": "output", "mkdocs.yml": "site",
}  # fmt: skip


def built_output(folder: Path) -> str | None:
    """The name of the folder holding the site a generator built from `folder` (a
    project folder BUILT_OUTPUT knows by its marking file), or None."""
    for marker, output in BUILT_OUTPUT.items():
        if (folder / marker).is_file():
            return output
    return None


def _text(name: str) -> str:
    r"""A file's name as text to show and keep: the bytes of a name that are not UTF-8
    (which Python keeps as lone surrogates, "\udcff") written as "\xff". The name goes
    into every post's place, so a lone surrogate made every answer with such a post fail
    (the API's JSON cannot hold one); the file itself is still opened by its path."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


class _Stat(NamedTuple):
    st_mode: int
    st_size: int
    st_mtime_ns: int


def _with_beside(stat: os.stat_result, beside: list[Path]) -> os.stat_result | _Stat:
    """`stat` as the read cache compares it (size, modification time), for a file whose
    reader opens `beside` too (a Substack export's pages: layouts.read_beside): the sizes
    summed, the latest time, so that a page edited alone has the file read again."""
    if not beside:
        return stat
    size, mtime_ns = stat.st_size, stat.st_mtime_ns
    for path in beside:
        try:
            st = os.stat(path)
        except OSError:
            continue  # (removed since listed: the sum is smaller)
        size, mtime_ns = size + st.st_size, max(mtime_ns, st.st_mtime_ns)
    return _Stat(stat.st_mode, size, mtime_ns)


def crawl_origins(root: Path) -> dict[str, dict]:
    """file name -> {"url", "content_type"} as the crawler recorded them (or nothing)."""
    try:
        state = json.loads((root / CRAWL_STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    files = state.get("files") if isinstance(state, dict) else None
    return files if isinstance(files, dict) else {}


# Limits on what one article may bring (a blog post is rarely over 50,000 characters):
# past them the article is cut, and the cut is reported; ids must be usable in a URL.
MAX_BODY_CHARS = 1_000_000
MAX_TITLE_CHARS = 500
MAX_ID_CHARS = 200
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In an id a line break or a tab is one too: it would split the "file:line" messages,
# the CSV reports and the pages' links that carry the id.
ID_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def enforce_limits(article: Article) -> tuple[str | None, list[str]]:
    """(why the article must be skipped, or None; what was cut). Control characters
    (NUL included) are removed from the title and body, an over-long body is cut at a
    paragraph or word boundary, an over-long title at a word."""
    article.id = article.id.strip()
    if not article.id:
        return "its id is empty (only spaces); article skipped", []
    if len(article.id) > MAX_ID_CHARS or ID_CONTROL.search(article.id):
        return f"its id is over {MAX_ID_CHARS} characters or holds control characters; " \
            "article skipped", []  # fmt: skip
    notes = []
    article.title = CONTROL.sub("", article.title).strip()
    article.body = CONTROL.sub("", article.body)
    if not article.title:
        # (A title of nothing but control characters, "\x1b" in a cell or a line, was an
        # untitled result: titled by its first words, as an importer titles a post with
        # no title.)
        article.title = " ".join(article.body.split()[:12]) or "Untitled"
    if len(article.title) > MAX_TITLE_CHARS:
        cut = article.title.rfind(" ", 0, MAX_TITLE_CHARS)
        article.title = article.title[: cut if cut > 0 else MAX_TITLE_CHARS].rstrip() + "…"
        notes.append(f"the title is over {MAX_TITLE_CHARS} characters; cut there")
    if len(article.body) > MAX_BODY_CHARS:
        size = len(article.body)
        cut = article.body.rfind("\n\n", 0, MAX_BODY_CHARS)
        if cut < MAX_BODY_CHARS // 2:
            cut = article.body.rfind(" ", 0, MAX_BODY_CHARS)
        article.body = article.body[: cut if cut > 0 else MAX_BODY_CHARS].rstrip()
        notes.append(
            f"the post {article.title[:60]!r} has {size:,} characters; the first "
            f"{len(article.body):,} are indexed (the limit is {MAX_BODY_CHARS:,})"
        )
    return None, notes


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
    path: str | Path, options: ImportOptions | None = None, cache: ReadCache | None = None
) -> Iterator[Article | Known | KnownRun | SourceError]:
    """Yield every article under `path` and a SourceError for each problem met. With a
    `cache` (indexer/read_cache.py), what is unchanged since it was recorded comes as
    `Known` items, its notes reported again, without being read; the unchanged start or
    end of a JSON Lines file that changed may come as one `KnownRun` (their columns)."""
    root = Path(path)
    options = options or ImportOptions()
    files = corpus_files(root)
    static_sites.forget()  # (a site's configuration added or removed since: seen)
    if cache is not None:
        cache.expect([name for _, name in files])
    if root.is_dir():
        options = replace(options, origins={**crawl_origins(root), **options.origins})
    # id -> where it was first seen, packed as file number * 2**32 + line: the one thing
    # a corpus read keeps per article, so it is kept small (the id strings are the
    # articles' own, which the caller keeps anyway).
    seen: dict[str, int] = {}
    listed: set[str] = set()  # the ids of posts read from list pages (html_pages.py)
    names: list[str] = []
    names_of: dict[str, int] = {}  # (the files inside archives: their numbers in `names`)
    for file, name in files:
        names.append(name)
        items = None
        try:
            stat = os.stat(file)
        except OSError:
            stat = None  # (reading it says why)
        if stat is not None and S_ISDIR(stat.st_mode):
            # (a link to a folder: listed, not followed, as a link may lead back into
            # the corpus; it was said to be "a pipe, a socket or a device")
            yield SourceError(name, None, "is a link to a folder, which is not followed "
                                          "(give the folder itself); skipped")  # fmt: skip
            continue
        if stat is not None and not S_ISREG(stat.st_mode):
            # A link to a pipe, a socket or a device: opening a pipe waits for a writer
            # for ever (the whole run hung on one such link).
            yield SourceError(name, None, "is not a regular file (a pipe, a socket or a "
                                          "device); skipped")  # fmt: skip
            continue
        if cache is not None and stat is not None:
            stat = _with_beside(stat, read_beside(Path(file)))
            items = cache.whole_file(name, stat)
        if items is None:
            known = cache.known_line(name) if cache is not None else None
            items = checked(read_file(Path(file), name, options, known), name)
            if cache is not None and stat is not None:
                items = cache.record(name, stat, items, str(file))
        code = (len(names) - 1) * 2**32  # (this file's number, as `seen` keeps it)
        for each in items:
            if each.__class__ is Unpublished:
                continue  # (not yet published: nothing to index; the cache read it anew)
            if each.__class__ is KnownRun:
                ids = each.ids
                if seen.keys().isdisjoint(ids) and len(set(ids)) == len(ids):
                    seen.update(zip(ids, [code + line for line in each.lines], strict=True))
                    yield each  # (no notes, no problems, no id seen before: handed on whole)
                    continue
                batch = each  # (an id seen before: the articles are looked at one by one)
            else:
                batch = (each,)
            for item in batch:
                if isinstance(item, SourceError):
                    yield item
                    continue
                # (article.place_in_file, inlined: this loop runs once per article)
                source = item.source
                line = source.get("line") or source.get("item")
                at, place = name, code
                if (inner := source.get("file", name)) != name and inner.__class__ is str:
                    # (a file inside an archive, "export.zip/site.xml": named as itself)
                    if inner not in names_of:
                        names_of[inner] = len(names)
                        names.append(inner)
                    at, place = inner, names_of[inner] * 2**32
                if item.__class__ is Known:
                    for note in item.notes:
                        yield SourceError(at, line, note)
                key = item.id
                if key in seen and key in listed and source.get("listing"):
                    continue  # (one post on two list pages, its home page's and its tag's)
                if key in seen:
                    first_file, first_line = divmod(seen[key], 2**32)
                    where = names[first_file] + (f":{first_line}" if first_line else "")
                    yield SourceError(
                        at, line, f"duplicate id {item.id!r} (first at {where}); skipped"
                    )
                    continue
                seen[key] = place + (line or 0)
                if source.get("listing"):
                    listed.add(key)
                yield item
    yield from _unreadable_sites(root)


def _unreadable_sites(root: Path) -> Iterator[SourceError]:
    """A problem for each Hugo or Jekyll configuration file the read met and could not
    read (once, however many posts its site has): the posts were read, without their
    addresses on the live site. Named under the corpus when it is there."""
    for found in static_sites.unreadable_configs():
        try:
            name = found.path.resolve().relative_to(root.resolve()).as_posix()
        except (OSError, ValueError):
            name = str(found.path)
        yield SourceError(name, found.line, f"{found.why}; the site's posts are indexed "
                                            "without their addresses on the live site")  # fmt: skip


def checked(items: Iterator, name: str) -> Iterator[Article | Known | SourceError]:
    """One file's items with the limits applied to each article (see enforce_limits)."""
    for item in items:
        if isinstance(item, Article):
            line = item.line
            if problem := unicode_problem(item):
                yield SourceError(name, line, problem)
                continue
            problem, notes = enforce_limits(item)
            if problem:
                yield SourceError(name, line, problem)
                continue
            for note in notes:
                yield SourceError(name, line, note)
        yield item
