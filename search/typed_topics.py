"""Categories and tags typed among a query's words: "posts tagged selling", "tagged
selling", "category customer care", "posts in customer care", "customer care
category", "pricing tagged selling".

Takes a query and the collection's facets (`state.facets`: category and tag names);
gives (`typed_topic`) the category or tag the query asks for the posts filed under,
with the query's other words and how to say it. A reader on a phone does not type
`category:"Customer Care"`: "posts tagged selling" searched "tagged" among the posts'
words (a partial match, the posts that say "selling" first), and "category customer
care" required the word "category".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from search.authors import name_words, typed_words
from search.fillers import POSTS

# A word that says a category or a tag follows (or comes just before): the facet it
# names, or None for either ("filed under").
MARKERS = {"tagged": "tag", "tag": "tag", "tags": "tag", "category": "category",
           "categories": "category", "categorized": "category", "categorised": "category",
           "filed": None}  # fmt: skip
# Words that may stand between a marker and the name ("filed under …", "tagged as …",
# "in the category …").
BETWEEN = frozenset({"under", "as", "with", "in", "the"})
FIELDS = ("category", "tag")


@dataclass
class TypedTopic:
    """The category or tag a query asks for the posts of, and the query's other words."""

    field: str  # "category" or "tag"
    name: str  # as the facet gives it
    rest: str  # the query less the words naming it
    warning: str
    if_none: str


def after_a_marker(words: list[str]) -> tuple[str | None, list[str]] | None:
    """(the facet a marker names, or None for either; the words after it) where `words`
    (a query being typed, as `name_words` reads it) has "tagged", "category", "filed
    under"… and a word after it ("posts tagged cu"); else None."""
    for i, word in enumerate(words):
        if word in MARKERS:
            j = i + 1
            while j < len(words) and words[j] in BETWEEN:
                j += 1
            if j < len(words):
                return MARKERS[word], words[j:]
    return None


class TopicNames:
    """A generation's category and tag names by their words (`topic_names` keeps one
    per generation: made for each query, it took 1 ms of every search at 10k posts)."""

    def __init__(self, facets: Mapping[str, Mapping[str, int]]) -> None:
        self.by_words: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for field in FIELDS:
            for name in facets.get(field, {}):
                words = tuple(name_words(name))
                if words:
                    self.by_words.setdefault(words, []).append((field, name))
        self.longest = max(map(len, self.by_words), default=0)


def topic_names(state) -> TopicNames:
    """The state's TopicNames, made once."""
    names = state.__dict__.get("topic_names")
    if names is None:
        names = state.__dict__["topic_names"] = TopicNames(state.facets)
    return names


# What a query must hold to name a category or tag so (a test on the text, before its
# words are read: most queries hold none of these).
_MARKED = re.compile(r"\b(?:tag|categor|filed|in)", re.I)


def typed_topic(query: str, topics: TopicNames) -> TypedTopic | None:
    """The category or tag `query` names beside a word that says so: after "tagged",
    "tag", "category" or "filed under" ("posts tagged selling"), before "category" or
    "tag" ("customer care category"), or after "in" beside a word for a post ("posts in
    customer care"); its whole name, as the facet has it (case and accents aside), the
    longest such. None where the query names none so."""
    names, longest = topics.by_words, topics.longest
    if not names or not _MARKED.search(query or ""):
        return None
    typed, words, token_of = typed_words(query)

    def named_at(i: int, field: str | None) -> tuple[str, str, int] | None:
        """(field, name, how many words) of the longest name words[i:] begins with."""
        for n in range(min(longest, len(words) - i), 0, -1):
            for found_field, name in names.get(tuple(words[i : i + n]), ()):
                if field is None or found_field == field:
                    return found_field, name, n
        return None

    def named_before_marker(i: int) -> tuple[str, str, int] | None:
        """(field, name, how many words) of a name at words[i:] that "category" or "tag"
        follows, the longest."""
        for n in range(min(longest, len(words) - i - 1), 0, -1):
            field = MARKERS.get(words[i + n])
            for found_field, name in names.get(tuple(words[i : i + n]), ()) if field else ():
                if found_field == field:
                    return field, name, n
        return None

    found = None  # (field, name, the places of the words naming it)
    for i, word in enumerate(words):
        if word in MARKERS:
            j = i + 1
            while j < len(words) and words[j] in BETWEEN:
                j += 1
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
