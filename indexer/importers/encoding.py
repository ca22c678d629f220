"""Text that should be UTF-8 and is not quite: its stray bytes read as Windows-1252.

Takes the bytes of a file, a line or a post (`utf8_text`); gives the text and, when it
was not all UTF-8, what was done, for the importer's message. Markdown posts, JSON and
WordPress exports are UTF-8 by their specifications, yet a post pasted from an older
system (Word, an old blog's Latin-1 database) brings bytes such as 0xe9 ("é") or 0x92
("’"): each is read as Windows-1252 (which covers Latin-1's letters), and the rest of
the text stays UTF-8, so a post is never lost, nor its neighbours' accents mangled, for
one byte. (The HTML importer decides per page instead: a page says its character set.)
"""

from __future__ import annotations

import codecs
import json

from indexer.article import SourceError


def _windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """A codec error handler: the bytes that are not UTF-8, read as Windows-1252."""
    return error.object[error.start : error.end].decode("cp1252", "replace"), error.end


codecs.register_error("rocksearch.windows-1252", _windows_1252)


# Past this share of bytes that are not UTF-8 the data is not text in any encoding a
# blog uses (French in Windows-1252 has about one byte in twenty above ASCII; binary
# junk, about half): it is refused, not indexed as gibberish.
MOST_STRAY = 0.2


def utf8_text(data: bytes, encoding: str = "utf-8") -> tuple[str | None, str | None]:
    """(the text, None) when `data` is UTF-8; else (the text with each stray byte read as
    Windows-1252, "is not UTF-8 (byte 0x…); read as Windows-1252 there"), or (None, why
    it is skipped) for data that is not text at all. `encoding` "utf-8-sig" also drops a
    byte order mark."""
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        # ("utf-8-sig" counts from after the byte order mark it took off)
        mark = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" and data.startswith(
            codecs.BOM_UTF8) else 0  # fmt: skip
        first = data[exc.start + mark]
    stray = data.decode(encoding, "replace").count("\ufffd")
    if stray > MOST_STRAY * len(data):
        return None, f"is not text ({stray:,} of its {len(data):,} bytes are not UTF-8); skipped"
    text = data.decode(encoding, "rocksearch.windows-1252")
    return text, f"is not UTF-8 (byte 0x{first:02x}); read as Windows-1252 there"


def first_bad_line(data: bytes) -> int | None:
    """The line (from 1) of the first byte of `data` that is not UTF-8, or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return None


def file_text(data: bytes, name: str) -> tuple[str | None, list[SourceError]]:
    """(the text of file `name`, its byte order mark dropped, or None when it is no text;
    the problem met decoding it, said with the line of its first stray byte)."""
    text, problem = utf8_text(data, "utf-8-sig")
    return text, [SourceError(name, first_bad_line(data), problem)] if problem else []


NOT_JSON = object()  # (json_document's answer for data that holds no JSON document)


def json_document(data: bytes, name: str, what: str) -> tuple[object, list[SourceError]]:
    """(the JSON document in `data`, or NOT_JSON; the problems met reading it) for an
    importer whose file must be one JSON document: `what` names the kind in the message
    when it is not ("a Ghost export")."""
    text, problems = file_text(data, name)
    if text is None:
        return NOT_JSON, problems
    try:
        return json.loads(text), problems
    except (json.JSONDecodeError, RecursionError) as exc:
        return NOT_JSON, [*problems, SourceError(name, None, f"is not {what} (bad JSON: {exc}); "
                                                         "skipped")]  # fmt: skip
