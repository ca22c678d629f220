"""The rest of a WordPress export that is not well-formed XML, read one post at a time.

Real exports are often not XML (a post pasted from another system with bytes that are
not UTF-8, an `&` or `]]>` in the wrong place): an XML parser stops at the first fault,
and every post after it was lost. WordPress's own importer then falls back to a parser
that reads the file line by line (its `WXR_Parser_Regex`); so does this module. It
takes the export's path, the line of the last post the XML parser finished and the
export's first bytes; it gives each later `<item>` … `</item>` block (each tag on a
line of its own, as WordPress writes them) as an lxml element, with what had to be
mended to read it: bytes that are not UTF-8 are read as Windows-1252 (encoding.py), a
bare `&` as `&amp;`, a block still not XML by libxml2's recovering parser, and a block
with no end is skipped. Nothing is held but one block at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.importers.encoding import utf8_text
from indexer.importers.post import said
from indexer.importers.xmlsafety import CONTROL_BYTES, SAFE_PARSE, mend_character_references

# The namespaces WordPress declares, for an export whose own <rss> tag cannot be found.
DEFAULT_RSS = (
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
)
RSS_TAG = re.compile(rb"<rss\b[^>]*>", re.S)
# An & that starts no character or entity reference ("Q&A", "R & D").
BARE_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_][\w.-]*;)")
CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.S)


@dataclass
class Block:
    """One post's lines of the export: where they start, and how it was read."""

    line: int  # of its <item>
    item: object | None = None  # the <item> element, or None when it could not be read
    mended: list[str] = field(default_factory=list)  # what was done to read it


def item_blocks(path: Path, after_line: int, head: bytes) -> Iterator[Block]:
    """Each post block that starts after `after_line`, read as well as it can be."""
    wrapper = rss_tag(head)
    lines: list[bytes] = []
    start = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            tag = raw.strip()
            if tag == b"<item>":
                if lines:  # (a block with no end: a new one begins)
                    yield Block(start, None, ["it has no </item>; skipped"])
                lines, start = [raw], number
            elif lines:
                lines.append(raw)
                if tag == b"</item>":
                    if start > after_line:
                        yield read_block(b"".join(lines), start, wrapper)
                    lines = []
    if lines and start > after_line:
        yield Block(start, None, ["the export ends inside it; skipped"])


def rss_tag(head: bytes) -> str:
    """The export's own <rss …> tag (its namespace declarations), on one line."""
    m = RSS_TAG.search(head)
    if not m:
        return DEFAULT_RSS
    tag, _ = mend_character_references(m.group())  # (as in each block: see read_block)
    return " ".join(tag.decode("utf-8", "replace").split())


def escape_ampersands(document: str) -> str:
    """Each bare & written &amp;, except inside CDATA sections (where an & is text)."""
    parts = CDATA.split(document)
    parts[::2] = [BARE_AMPERSAND.sub("&amp;", part) for part in parts[::2]]
    return "".join(parts)


def read_block(data: bytes, line: int, wrapper: str) -> Block:
    """One block as an <item> element: strictly if it is XML, else leniently."""
    from lxml import etree

    block = Block(line)
    data, refs = mend_character_references(data.translate(None, CONTROL_BYTES))
    if refs:
        block.mended.append("it refers to a character that does not exist (such as "
                            "&#xD800;); read as \ufffd")  # fmt: skip
    text, problem = utf8_text(data)
    if text is None:
        block.mended.append(f"it {problem}")
        return block
    if problem:
        block.mended.append(f"it {problem}")
    document = f"{wrapper}<channel>{text}</channel></rss>"
    strict = etree.XMLParser(huge_tree=True, **SAFE_PARSE)
    try:
        root = etree.fromstring(document, strict)
    except etree.XMLSyntaxError as exc:
        root = None
        if BARE_AMPERSAND.search(document):  # (the commonest fault of hand-made XML)
            try:
                root = etree.fromstring(escape_ampersands(document), strict)
                block.mended.append("it has an & not written as &amp;; read as one")
            except etree.XMLSyntaxError:
                pass
        if root is None:
            recovering = etree.XMLParser(huge_tree=True, recover=True, **SAFE_PARSE)
            root = etree.fromstring(document, recovering)
            block.mended.append(f"it is not well-formed XML ({said(exc.msg)}); read leniently")
    block.item = root.find("channel/item") if root is not None else None
    if block.item is None:
        block.mended.append("no post could be read from it; skipped")
    return block
