"""Articles as stored in a generation, read back as plain dicts.

Takes an `IndexState`; gives every article of its generation (`articles_of`), one
article's dict from its stored fields (`article_dict`: the fields every front end names,
search/hits.py, and its body), and an article's docnum by id (`find_docnum`). What the
duplicate finder reads (search/duplicate_index.py, search/duplicate_update.py), apart
from the query layer: `rocksearch index` updating the groups imports this, not the
search engine (30 ms of the command's start).
"""

from __future__ import annotations

from collections.abc import Iterator

from search.hits import article_fields
from search.state import IndexState


def article_dict(stored: dict, base_url: str = "") -> dict:
    return {**article_fields(stored, base_url), "body": stored.get("body", "")}


def articles_of(state: IndexState) -> Iterator[dict]:
    """Every article of `state`'s generation, read one at a time (a whole pass of the
    duplicate finder keeps only what it needs of each)."""
    for stored in state.searcher().all_stored_fields():
        yield article_dict(state.placed(stored))


def find_docnum(state: IndexState, article_id: str) -> int | None:
    return state.docnum_of(article_id)
