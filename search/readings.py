"""Readings: a query whose words name filters, read as those filters.

Takes the query, its `ParsedQuery` and the `IndexState`; gives (`readings`) the ways to
read it with filters, in the order the engine tries them (search/engine.py searches the
rest of the words with each, and says so): a kind of post (search/kinds.py), an author
(search/authors.py), a category or tag (search/typed_topics.py), or dates
(search/typed_dates.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from search.authors import typed_author
from search.kinds import typed_kind
from search.query import ParsedQuery
from search.run_together import said_in
from search.state import IndexState
from search.typed_dates import typed_dates, without
from search.typed_topics import typed_topic


def readings(query: str | None, parsed: ParsedQuery,
             state: IndexState) -> Iterator[tuple[str, dict, str, str | None]]:  # fmt: skip
    """The query read with filters its words name, to try in order, each as (the rest of
    its words, the filters, what the answer says, what it says where nothing is found,
    or None: then the next reading is tried): a kind of post ("podcasts":
    search/kinds.py), else an author ("posts by alice smith": search/authors.py), else
    dates (search/typed_dates.py): a period counted back ("posts from last year") or
    bounded by a year ("posts since 2021"), a month beside a year no article says
    ("march 2023"), such a year alone ("2022"), or the years without their months
    ("march madness 2023"). A filter the request chose stands."""
    chosen, kinds = parsed.filters, state.facets.get("kind", {})
    if "kind" not in chosen and (kind := typed_kind(query, kinds, _said_word(state))):
        yield kind.rest, {"kind": [kind.kind]}, kind.warning, kind.if_none
        return
    if "author" not in chosen and (by := typed_author(query, state.authors, _says(state))):
        yield by.rest, {"author": [by.author]}, by.warning, by.if_none
        return
    topic = typed_topic(query, state.topics)
    if topic and topic.field not in chosen:
        yield topic.rest, {topic.field: [topic.name]}, topic.warning, topic.if_none
        return
    if "year" in chosen:
        return
    dated = parsed.after is not None or parsed.before is not None
    for date in typed_dates(query, state):
        if dated and "year" not in date.filters:
            continue  # (the reader's own dates stand)
        rest = without(query, date.words) if date.rest is None else date.rest
        yield rest, date.filters, date.warning, date.if_none


def _said_word(state: IndexState) -> Callable[[str], bool]:
    """said(word): whether a post says `word`, in either number."""
    df = state.vocabulary.df
    return lambda word: any(form in df for form in (word, word + "s", word.removesuffix("s")))


def _says(state: IndexState) -> Callable[[list[str]], bool]:
    """says(words): whether a post has `words` in its title or body, in that order (past
    the time for phrase lookups, yes: then they are searched as words)."""
    df, said = state.vocabulary.df, said_in(state, past_time=True)
    return lambda words: all(w in df for w in words) and (len(words) == 1 or said(words))
