"""XML attacks refused before any parser sees the file.

Takes the first bytes of an XML file; gives the reason to refuse it, or None
(`entity_problem`), and the lxml settings every XML read here uses (`SAFE_PARSE`), with
the control bytes to drop before parsing (`CONTROL_BYTES`) and the character references
to no character to mend (`mend_character_references`), and, after a parse, the fault
that stopped lxml's parser (`first_fatal`).
A WordPress export, a feed or a sitemap never declares entities; a file that does is
an entity-expansion ("billion laughs") or external-entity attack, or something no
blog tool wrote, and is refused whole with one message. libxml2 also caps entity
amplification, and nothing here ever loads a DTD or touches the network.
"""

from __future__ import annotations

import re

DOCTYPE = re.compile(rb"<!DOCTYPE\b(.*?)(?:\[(.*?)\])?\s*>", re.S | re.I)

# For lxml's parsers and iterparse: no entity substitution, no DTD, no network.
SAFE_PARSE = {"resolve_entities": False, "no_network": True, "load_dtd": False}
# C0 controls that XML forbids but real exports carry (pasted from Word, mail): dropped
# from the bytes before they are parsed, so that one stray form feed does not end an
# export there (wxr.ControlFree, wxr_recovery.read_block).
CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


# A numeric character reference, in the markup or in HTML carried escaped ("&amp;#8217;").
CHARACTER_REFERENCE = re.compile(rb"&(amp;)?#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def mend_character_references(data: bytes) -> tuple[bytes, int]:
    """`data` with each character reference to no character (beyond U+10FFFF, or a lone
    surrogate: "&#x110000;", "&#xD800;") written as U+FFFD's, and how many there were.
    libxml2's recovering parser keeps a surrogate as bytes that are no UTF-8, and lxml
    then raised on the element's text; feedparser raises on both kinds
    (kurtmckee/feedparser#591 and #599, open). Each lost a whole export or feed."""
    mended = 0

    def character(m: re.Match) -> bytes:
        nonlocal mended
        digits = (m.group(2) or m.group(3)).lstrip(b"0") or b"0"
        code = int(digits, 16 if m.group(2) else 10) if len(digits) <= 8 else -1
        if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return m.group(0)
        mended += 1
        return b"&" + (m.group(1) or b"") + b"#xFFFD;"

    if b"&#" not in data and b"&amp;#" not in data:
        return data, 0
    return CHARACTER_REFERENCE.sub(character, data), mended


def entity_problem(head: bytes) -> str | None:
    """Why a file starting with `head` must not be parsed, or None when it may be."""
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        start = head.upper().find(b"<!DOCTYPE")
    if start < 0:
        return None
    m = DOCTYPE.match(head, start)
    subset = (m.group(2) or b"") if m else head[start:]
    if b"<!ENTITY" in subset.upper():
        return (
            "declares XML entities (the shape of an entity-expansion or external-entity "
            "attack; no blog export does this); the whole file is refused"
        )
    return None


def first_fatal(error_log, after: int = 0) -> tuple[int, str] | None:
    """(line, message) of the first fault in lxml's `error_log`, at or after line
    `after`, that stopped its parser; None if none did. libxml2 reads past some faults
    (a namespace prefix never declared), and lxml's exception names the first fault of
    any kind, not the one it stopped at."""
    from lxml import etree

    for entry in error_log:
        if entry.level == etree.ErrorLevels.FATAL and entry.line >= after:
            return entry.line, f"{entry.message}, line {entry.line}, column {entry.column}"
    return None
