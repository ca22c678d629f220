"""Pins: the articles editors put first for a query, or hide from it, in a search.

Takes the pins in force for the query ({"top": [ids], "hide": [ids]}, editorial/pins.py)
and the index state; gives their docnums (`pin_docnums`), the matches and scores with
them taken out (`apply_pins`), and the matches as facets count them (`pinned_matches`).
"""

from __future__ import annotations

import numpy as np

from search.scored import Scored
from search.state import IndexState


def pin_docnums(state: IndexState, pins: dict | None) -> tuple[list[int], list[int]]:
    """(the docnums of the articles `pins` puts on top, in its order, each once; those of
    the articles it hides), live documents only (docnum_of)."""
    top: list[int] = []
    hide: list[int] = []
    for key, found in (("top", top), ("hide", hide)):
        for article_id in (pins or {}).get(key, []):
            d = state.docnum_of(article_id)
            if d is not None and d not in found:
                found.append(d)
    return top, hide


def apply_pins(pins: tuple[list[int], list[int]], restrictions: dict, final: int,
               scores: Scored):  # fmt: skip
    """([docnum] of the pinned articles (`pins`: pin_docnums') that pass the filters, in
    their order; the matches without them and without the hidden ones; the scores
    without them)."""
    top, hide = pins
    if not top and not hide:
        return [], final, scores
    pinned = [d for d in top if all((m >> d) & 1 for m in restrictions.values())]
    for d in (*hide, *top):
        final &= ~(1 << d)
    # (ranking walks the scores: out of them too)
    return pinned, final, scores.without(np.array([*hide, *top], dtype=np.int64))


def pinned_matches(pins: tuple[list[int], list[int]], text_mask: int) -> int:
    """The mask of what the query's text matched as the reader is shown it: without the
    posts hidden, with those pinned to the top (matched or not; `pins`: pin_docnums'),
    which the facets count (they counted hidden posts, and, for a facet of many values,
    not the pinned)."""
    top, hide = pins
    for d in hide:
        text_mask &= ~(1 << d)
    for d in top:
        text_mask |= 1 << d
    return text_mask
