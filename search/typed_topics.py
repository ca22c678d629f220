"""Categories and tags typed among a query's words: "posts tagged selling", "tagged
selling", "category customer care", "posts in customer care", "customer care
category", "pricing tagged selling".

Takes a query and the generation's categories and tags (`state.topics`: its index of
names by their words, search/topics.py); gives (`typed_topic`) the category or tag the
query asks for the posts filed under, with the query's other words and how to say it.
A reader on a phone does not type `category:"Customer Care"`: "posts tagged selling"
searched "tagged" among the posts' words (a partial match, the posts that say "selling"
first), and "category customer care" required the word "category".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.authors import typed_words
from search.fillers import POSTS
from search.topics import Topics

# A word that says a category or a tag follows (or comes just before): the facet it
# names, or None for either ("filed under").
MARKERS = {"tagged": "tag", "tag": "tag", "tags": "tag", "category": "category",
           "categories": "category", "categorized": "category", "categorised": "category",
           "filed": None}  # fmt: skip
# Words that may stand between a marker and the name ("filed under …", "tagged as …",
# "in the category …").
BETWEEN = frozenset({"under", "as", "with", "in", "the"})


@dataclass
class TypedTopic:
    """The category or tag a query asks for the posts of, and the query's other words."""

    field: str  # "category" or "tag"
    name: str  # as the facet gives it
    rest: str  # the query less the words naming it
    warning: str
    if_none: str


def _name_start(words: list[str], marker: int) -> int:
    """Where a name may begin after the marker at words[marker]: past "under", "as"…"""
    j = marker + 1
    while j < len(words) and words[j] in BETWEEN:
        j += 1
    return j


def after_a_marker(words: list[str]) -> tuple[str | None, list[str]] | None:
    """(the facet a marker names, or None for either; the words after it) where `words`
    (a query being typed, as search/authors.py's `name_words` reads it) has "tagged",
    "category", "filed under"… and a word after it ("posts tagged cu"); else None."""
    for i, word in enumerate(words):
        if word in MARKERS and (j := _name_start(words, i)) < len(words):
            return MARKERS[word], words[j:]
    return None


# What a query must hold to name a category or tag so (a test on the text, before its
# words are read: most queries hold none of these).
_MARKED = re.compile(r"\b(?:tag|categor|filed|in)", re.I)


def typed_topic(query: str, topics: Topics) -> TypedTopic | None:
    """The category or tag `query` names beside a word that says so: after "tagged",
    "tag", "category" or "filed under" ("posts tagged selling"), before "category" or
    "tag" ("customer care category"), or after "in" beside a word for a post ("posts in
    customer care"); its whole name, as the generation's `topics` read names (case,
    accents and stop words aside), the longest such. None where the query names none so."""
    if not _MARKED.search(query or ""):
        return None
    typed, words, token_of = typed_words(query)

    def named_at(i: int, field: str | None) -> tuple[str, str, int] | None:
        """(field, name, how many words) of the longest name words[i:] begins with."""
        return next((at for at in topics.names_at(words, i) if field in (None, at[0])), None)

    def named_before_marker(i: int) -> tuple[str, str, int] | None:
        """(field, name, how many words) of a name at words[i:] that "category" or "tag"
        follows, the longest."""
        return next((at for at in topics.names_at(words, i) if i + at[2] < len(words)
                     and MARKERS.get(words[i + at[2]]) == at[0]), None)  # fmt: skip

    found = None  # (field, name, the places of the words naming it)
    for i, word in enumerate(words):
        if word in MARKERS:
            j = _name_start(words, i)
            if at := named_at(j, MARKERS[word]):
                found = (at[0], at[1], range(i, j + at[2]))
                break
        if word == "in" and i > 0 and words[i - 1] in POSTS and (at := named_at(i + 1, None)):
            found = (at[0], at[1], range(i, i + 1 + at[2]))
            break
        if at := named_before_marker(i):
            found = (at[0], at[1], range(i, i + at[2] + 1))  # ("customer care category")
            break
    if found is None:
        return None
    field, name, named = found
    cut = {token_of[i] for i in named}
    rest = " ".join(t for n, t in enumerate(typed) if n not in cut)
    said = "filed under" if field == "category" else "tagged"
    return TypedTopic(field, name, rest, f"Showing the posts {said} {name}.",
                      f"No post {said} {name} matches the search.")  # fmt: skip
