"""Documents importer: an article written in Word (`.docx`) or as an OpenDocument text
(`.odt`, LibreOffice's and Google Docs' download), one article a file: a columnist's
folder of the pieces they wrote.

Takes the file; gives its article, or a problem naming it. Its title is the document's
own (its properties' title), else its first paragraph styled as a title or a top
heading, else its first paragraph's words; its text is its paragraphs in order
(headings, list items, each table row one paragraph), without its headers, footers,
comments, deleted revisions or field codes; its author is the properties' creator. Its
date is the one its file's name starts with ("2023-03-10-pricing.docx"; "2019-13-45"
is no date, said as a problem, as the Markdown importer says it), else none: the
date a document says it was created is when the file was begun (or its template), not
when the piece was published. Read with lxml, with no entities and no network
(xmlsafety.py); a part that declares, or unpacks to, more than MAX_PART bytes is not
read (a zip bomb named .docx). An old Word file (`.doc`) is one problem saying to save
it as `.docx`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from indexer.article import Article, SourceError
from indexer.importers.html_text import collapse_spaces
from indexer.importers.post import assemble, parse_when, stable_id
from indexer.importers.xmlsafety import SAFE_PARSE, entity_problem

SUFFIXES = {".docx", ".odt"}
MAX_PART = 64 * 2**20  # a book-length column is a few MB of XML
DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_ ]|$)")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
# Word's style ids, and OpenDocument's style names, of a document's title.
TITLE_STYLES = frozenset({"title", "heading1", "heading 1", "titel", "titre", "título"})


class TooLarge(Exception):
    """A part declares, or unpacks to, more than MAX_PART bytes."""


def _part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A part of the document, or None where it has none; TooLarge past MAX_PART."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise TooLarge
    with archive.open(info) as part:
        data = part.read(MAX_PART + 1)
    if len(data) > MAX_PART:
        raise TooLarge  # (its header said less)
    return data


def _tree(data: bytes):
    from lxml import etree

    if entity_problem(data[:4096]):
        raise ValueError("it declares entities")
    return etree.fromstring(data, etree.XMLParser(**SAFE_PARSE))


def word_paragraphs(root) -> list[tuple[str, str]]:
    """(style, text) of each paragraph of a Word document's body; a table row is one."""
    out = []
    body = root.find(f"{W}body")
    for para in body.iter(f"{W}p", f"{W}tr") if body is not None else ():
        if para.tag == f"{W}p" and any(a.tag == f"{W}tc" for a in para.iterancestors()):
            continue  # (a cell's paragraph: its row is the paragraph)
        pieces = []
        for node in para.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}tc"):
            if node.tag == f"{W}t":
                pieces.append(node.text or "")
            else:  # (a tab, a line break, and a row's next cell: words apart)
                pieces.append(" ")
        style = para.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(f"{W}val", "") if style is not None else "", "".join(pieces)))
    return out


def _odt_text(node) -> str:
    """The text of an OpenDocument element: its spaces, tabs and line breaks as spaces,
    its notes and comments left out."""
    out = [node.text or ""]
    for child in node:
        if child.tag == f"{TEXT}s":
            out.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif child.tag in (f"{TEXT}tab", f"{TEXT}line-break"):
            out.append(" ")
        elif child.tag not in (f"{TEXT}note", f"{OFFICE}annotation"):
            out.append(_odt_text(child))
        out.append(child.tail or "")
    return "".join(out)


def odt_paragraphs(root) -> list[tuple[str, str]]:
    """(style, text) of each paragraph and heading of an OpenDocument text's body."""
    out = []
    text = root.find(f"{OFFICE}body/{OFFICE}text")
    for para in text.iter(f"{TEXT}p", f"{TEXT}h") if text is not None else ():
        if any(a.tag in (f"{TEXT}note", f"{OFFICE}annotation") for a in para.iterancestors()):
            continue  # (a footnote's or a comment's text)
        level = para.get(f"{TEXT}outline-level")
        style = "heading1" if para.tag == f"{TEXT}h" and level in (None, "1") else \
            para.get(f"{TEXT}style-name", "")  # fmt: skip
        out.append((style, _odt_text(para)))
    return out


def read_document(path: Path, name: str, head: bytes, options) -> Iterator[Article | SourceError]:
    """The article of one document file."""
    from lxml import etree

    odt = path.suffix.lower() == ".odt"
    kind, paragraphs_of = ("OpenDocument text", odt_paragraphs) if odt else \
        ("Word document", word_paragraphs)  # fmt: skip
    parts = ("content.xml", "meta.xml") if odt else ("word/document.xml", "docProps/core.xml")
    try:
        with zipfile.ZipFile(path) as archive:
            body, meta = _part(archive, parts[0]), _part(archive, parts[1])
            if body is None:
                yield SourceError(name, None, f"is no {kind}: it has no text part; skipped")
                return
            paragraphs = paragraphs_of(_tree(body))
            properties = _tree(meta) if meta else None
    except TooLarge:
        yield SourceError(name, None, f"has a part that unpacks to more than "
                                      f"{MAX_PART // 2**20} MB; skipped")  # fmt: skip
        return
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError,
            etree.XMLSyntaxError) as exc:  # fmt: skip
        yield SourceError(name, None, f"is not a document that can be read ({exc}); skipped")
        return
    texts = [(style, collapse_spaces(text)) for style, text in paragraphs]
    texts = [(style, text) for style, text in texts if text]
    own = properties.findtext(f"{DC}title") if properties is not None else None
    title = collapse_spaces(own or "")
    if not title and texts:
        n = next((i for i, (style, _) in enumerate(texts)
                  if style.lower().replace("-", "") in TITLE_STYLES), None)  # fmt: skip
        if n is not None and n <= 2:  # (a title under a line or two: a kicker, a date)
            title = texts.pop(n)[1]
    creator = properties.findtext(f"{DC}creator") if properties is not None else None
    if properties is not None and not creator:
        creator = properties.findtext(f".//{META}initial-creator")
    stem = PurePosixPath(name).stem
    dated = DATED_NAME.match(stem)
    try:  # (read as the Markdown importer reads a Jekyll post's name: "2019-13-45" is none)
        when = parse_when("-".join(dated.groups())) if dated else None
    except ValueError as exc:
        when = None
        yield SourceError(name, None, f"{exc}; indexed without a date")
    yield assemble(
        title=title,
        paragraphs=[text for _, text in texts],
        file=name,
        line=None,
        article_id=stable_id(title or stem, name),
        date=when,
        author=collapse_spaces(creator) if creator else None,
    )
