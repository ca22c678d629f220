"""Suggested fixes for a query that found nothing: what an editor could do about it.

Takes the index (a folder or loaded state), the editors' database connection and the
query (`fixes_for`); gives {"titles": the closest titles, "typo": a spelling the index
knows, or None, "synonym": a candidate rule, or None}. The synonym candidate comes from
what readers clicked after rewording the query (see editorial.analytics.rewordings):
the rarest word of the rewording that the clicked article holds.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rapidfuzz import fuzz, process

from editorial.analytics import rewordings
from indexer.analysis import STOP_WORDS
from search.engine import search
from search.query import words_of
from search.state import IndexState, state_of

TITLES = 3
MIN_TITLE_SCORE = 50


def fixes_for(index: str | Path | IndexState, conn: sqlite3.Connection, query: str) -> dict:
    state = state_of(index)
    titles, _ = state.headings
    live = [(d, t) for d, t in enumerate(titles) if t and d not in state.deleted]
    best = process.extract(" ".join(words_of(query)), dict(live), scorer=fuzz.token_set_ratio,
                           limit=TITLES, score_cutoff=MIN_TITLE_SCORE)  # fmt: skip
    closest = []
    for _, score, docnum in best:
        stored = state.stored_fields(docnum)
        closest.append(
            {"id": stored["id"], "title": stored.get("title", ""), "score": round(score)}
        )
    typo = search(state, query, per_page=1).did_you_mean
    return {"titles": closest, "typo": typo, "synonym": synonym_candidate(state, conn, query)}


def synonym_candidate(state: IndexState, conn: sqlite3.Connection, query: str) -> dict | None:
    """{"rule": "query => word", "from_query", "article_id"} or None."""
    vocab = state.vocabulary
    for row in rewordings(conn, query):
        docnum = state.docnum_of(row["article_id"])
        if docnum is None:
            continue
        stored = state.stored_fields(docnum)
        held = set(words_of(f"{stored.get('title', '')} {stored.get('body', '')}"))
        words = [w for w in words_of(row["query"]) if w not in STOP_WORDS and w in held]
        if words:
            word = min(words, key=lambda w: vocab.df.get(w, 0))
            return {"rule": f"{' '.join(words_of(query))} => {word}", "from_query": row["query"],
                    "article_id": row["article_id"]}  # fmt: skip
    return None
