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

import numpy as np
from rapidfuzz import fuzz, process

from editorial.analytics import rewordings
from indexer.analysis import STOP_WORDS
from search.corrections import corrected_text, fix_typos
from search.did_you_mean import suggestion
from search.query import parse_query, words_of
from search.state import IndexState, state_of

TITLES = 3
MIN_TITLE_SCORE = 50


def fixes_for(index: str | Path | IndexState, conn: sqlite3.Connection, query: str) -> dict:
    return fixes_for_all(index, conn, [query])[0]


def fixes_for_all(index: str | Path | IndexState, conn: sqlite3.Connection,
                  queries: list[str]) -> list[dict]:  # fmt: skip
    """fixes_for of each query. The titles are compared with all the queries in one
    rapidfuzz cdist on every core (10 queries x 10k titles: tens of ms, where one
    extract per query took 20 ms each)."""
    state = state_of(index)
    titles, _ = state.headings
    docnums = [d for d, t in enumerate(titles) if t and d not in state.deleted]
    typed = [" ".join(words_of(q)) for q in queries]
    scores = process.cdist(typed, [titles[d] for d in docnums], scorer=fuzz.token_set_ratio,
                           dtype=np.uint8, workers=-1, score_cutoff=MIN_TITLE_SCORE)  # fmt: skip
    out = []
    for row, query in zip(scores, queries, strict=True):
        closest = []
        for i in np.argsort(row)[::-1][:TITLES]:
            if row[i] < MIN_TITLE_SCORE:
                break
            stored = state.stored_fields(docnums[i])
            closest.append({"id": stored["id"], "title": stored.get("title", ""),
                            "score": int(row[i])})  # fmt: skip
        typo = spelling(state, query)
        out.append({"titles": closest, "typo": typo,
                    "synonym": synonym_candidate(state, conn, query)})  # fmt: skip
    return out


def spelling(state: IndexState, query: str) -> str | None:
    """The query with its typos corrected as a search corrects them, or else the search's
    own "did you mean"; None if neither changes it."""
    parsed = parse_query(query)
    corrections = fix_typos(parsed, state)
    if corrections:
        return corrected_text(query, corrections)
    return suggestion(parsed, state, query)


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
