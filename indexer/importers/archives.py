"""Zip and gzip archives of article files, read as the files inside them.

WordPress.com's Export gives a `.zip` of WXR files (one per 15 MB or so), and exports,
feeds and JSON Lines are often kept gzipped; each used to be passed over without a word
as a site mirror's download. Takes an archive (`is_archive` tells one by its first
bytes) and the function that reads one file (`read_member`: importers.read_file); gives
the articles and problems of each file inside it whose content an importer reads, named
`archive.zip/inner.xml` (members that are no article file, a zipped site's images and
stylesheets, are passed over as they are in a folder). Members are copied out one at a
time into a temporary folder, so memory stays flat; a member or an archive that unpacks
to more than MAX_UNPACKED bytes (a zip bomb) is stopped there and said.
"""

from __future__ import annotations

import gzip
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from indexer.article import Article, Known, SourceError
from indexer.importers.layouts import chosen
from indexer.importers.options import ImportOptions

ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"
MAX_UNPACKED = 4 * 2**30  # bytes out of one archive; a blog's export is a few hundred MB
CHUNK = 2**20

ReadMember = Callable[[Path, str, ImportOptions], Iterator[Article | Known | SourceError]]


def is_archive(head: bytes) -> bool:
    return head.startswith((ZIP_MAGIC, GZIP_MAGIC))


class TooBig(Exception):
    """The archive unpacks to more than MAX_UNPACKED bytes."""


def _copy(source, target: Path, budget: int) -> int:
    """Copy `source` (a file object) to `target`, at most `budget` bytes; the bytes."""
    copied = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            copied += len(chunk)
            if copied > budget:
                raise TooBig
            out.write(chunk)
    return copied


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Copy one member of `archive` to `target` (its folders made), at most `budget`
    bytes; the bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(info) as source:
        return _copy(source, target, budget)


def read_archive(
    file: Path, name: str, head: bytes, options: ImportOptions, read_member: ReadMember
) -> Iterator[Article | Known | SourceError]:
    """Every article of the files inside the archive `file` (named `name`)."""
    with tempfile.TemporaryDirectory(prefix="rocksearch-archive-") as folder:
        if head.startswith(GZIP_MAGIC):
            yield from _gzip(file, name, Path(folder), options, read_member)
        else:
            yield from _zip(file, name, Path(folder), options, read_member)


def _gzip(file: Path, name: str, folder: Path, options: ImportOptions, read_member: ReadMember):
    inner = PurePosixPath(name).name
    inner = inner[: -len(".gz")] if inner.lower().endswith(".gz") else inner + ".unpacked"
    copy = folder / inner  # (the inner name's suffix: it helps choose the importer)
    try:
        with gzip.open(file, "rb") as source:
            _copy(source, copy, MAX_UNPACKED)
    except TooBig:
        yield SourceError(name, None, f"unpacks to more than {MAX_UNPACKED // 2**30} GB; skipped")
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield SourceError(name, None, f"is a broken gzip file ({exc}); skipped")
        return
    yield from read_member(copy, f"{name}/{inner}", options)


def _is_zip(file: Path) -> bool:
    with file.open("rb") as handle:
        return handle.read(len(ZIP_MAGIC)) == ZIP_MAGIC


def _zip(file: Path, name: str, folder: Path, options: ImportOptions, read_member: ReadMember,
         nested: bool = True):  # fmt: skip
    """The articles of the files in the zip `file` (unpacked into `folder`); `nested`:
    whether a zip of nothing but zips is read as the zips' files (at the top level only)."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        yield SourceError(name, None, f"is a broken zip file ({exc}); skipped")
        return
    budget = MAX_UNPACKED
    with archive:
        document = document_kind(archive)
        if document:
            # (A zip, but no archive of files: the posts inside one were passed over in
            # silence, and the corpus seemed to have none.)
            yield SourceError(name, None, f"is {document}, not a blog's posts nor an archive of "
                                          "them; skipped (save the posts as HTML or Markdown, "
                                          "or export the blog)")  # fmt: skip
            return
        members = {}
        for info in archive.infolist():
            path = PurePosixPath(info.filename)
            if info.is_dir() or path.is_absolute():
                continue
            parts = path.parts
            if any(part.startswith(".") or part == "__MACOSX" for part in parts):
                continue  # (hidden files, "..", and macOS's resource forks)
            members[parts] = info
        # (in order of name, as the files of a folder are read; a platform's export: the
        # files its readers open beside them are unpacked first, where they were)
        to_read, beside = chosen(sorted(members))
        # (an archive of nothing but zips: the parts of one export, read as archives)
        parts_of_one = bool(to_read) and nested and all(
            p[-1].lower().endswith(".zip") for p in to_read)  # fmt: skip
        for parts in beside:
            try:
                budget -= _unpack(archive, members[parts], folder / Path(*parts), budget)
            except TooBig:
                yield SourceError(name, None, f"unpacks to more than "
                                              f"{MAX_UNPACKED // 2**30} GB; skipped")  # fmt: skip
                return
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError):
                continue  # (said by the reader that misses it)
        for parts in to_read:
            inner = f"{name}/{'/'.join(parts)}"
            copy = folder / Path(*parts)  # (its own name: README.md is known as no post)
            try:
                budget -= _unpack(archive, members[parts], copy, budget)
            except TooBig:
                yield SourceError(inner, None, f"the archive unpacks to more than "
                                               f"{MAX_UNPACKED // 2**30} GB; the rest of it "
                                               "is skipped")  # fmt: skip
                return
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError) as exc:
                # (RuntimeError: an encrypted member)
                yield SourceError(inner, None, f"cannot be unpacked ({exc}); skipped")
                continue
            if parts_of_one and _is_zip(copy):
                # Notion exports a workspace as a zip of zips ("Export-…-Part-1.zip"):
                # each inner zip is read as the files in it (and no deeper).
                inside = folder / f".{parts[-1]}.unpacked"
                inside.mkdir()
                yield from _zip(copy, inner, inside, options, read_member, nested=False)
                copy.unlink()
                continue
            for item in read_member(copy, inner, options):
                if isinstance(item, SourceError) and item.line is None and not_an_article(item):
                    continue  # (a zipped site's other files: passed over, as in a folder)
                yield item
            copy.unlink()


# An office document is a zip of its parts: Office Open XML names them in
# [Content_Types].xml, OpenDocument and EPUB begin with a `mimetype` member.
DOCUMENT_PARTS = {"word/": "a Word document (read when its name ends in .docx)",
                  "ppt/": "a PowerPoint presentation",
                  "xl/": "an Excel workbook (read when its name ends in .xlsx)"}  # fmt: skip
DOCUMENT_TYPES = {"application/epub+zip": "an EPUB book",
                  "application/vnd.oasis.opendocument.text": "an OpenDocument text (read when "
                                                              "its name ends in .odt)",
                  "application/vnd.oasis.opendocument.presentation": "an OpenDocument "
                                                                     "presentation",
                  "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument "
                  "spreadsheet (read when its name ends in .ods)"}  # fmt: skip


def document_kind(archive: zipfile.ZipFile) -> str | None:
    """What office document or book the zip `archive` is ("a Word document"), or None
    where it is an archive of files."""
    names = archive.namelist()
    if "[Content_Types].xml" in names:
        kinds = (kind for prefix, kind in DOCUMENT_PARTS.items()
                 if any(n.startswith(prefix) for n in names))  # fmt: skip
        return next(kinds, "an Office document")
    if names and names[0] == "mimetype":
        try:
            said = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, OSError, RuntimeError, zlib.error):
            said = ""
        return DOCUMENT_TYPES.get(said, "an OpenDocument file")
    return None


def not_an_article(problem: SourceError) -> bool:
    """Whether `problem` says only that a file is no article file at all."""
    return problem.message.startswith(NO_ARTICLE_FILE)


NO_ARTICLE_FILE = ("not an article file", "is XML or markup, but not", "is a binary file",
                   "is a CSV table, but not one of", "is a workbook, but not one of")  # fmt: skip
