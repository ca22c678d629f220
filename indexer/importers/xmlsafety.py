"""XML attacks refused before any parser sees the file.

Takes the first bytes of an XML file; gives the reason to refuse it, or None
(`entity_problem`), and the lxml settings every XML read here uses (`SAFE_PARSE`), with
the control bytes to drop before parsing (`CONTROL_BYTES`).
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
