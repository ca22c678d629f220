"""Words typed apart that the posts write as one ("smart phones": "smartphones"),
searched also as the posts write them.

Takes the parsed query and the state (`join_split_words`, in place); `parts_of_words`
gives the places of words that are such parts (no typos), `joined_in` the joined word.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Container, Iterator

from whoosh.collectors import TimeLimit

from indexer.analysis import STOP_WORDS
from search.neighbours import ADJACENT_FIELDS, ADJACENT_SECONDS
from search.phrases import Phrases
from search.query import ParsedQuery, Unit
from search.scoring import QUESTION_WORDS
from search.state import IndexState


def join_split_words(parsed: ParsedQuery, state: IndexState) -> None:
    """Words typed apart that the posts write as one ("e-mail", "smart phones" for
    "email", "smartphones"; Algolia's concatenation, Typesense's split_join_tokens):
    the joined word, if the collection has it (or its plural or singular: "smart phone"
    finds "smartphones"), is searched too. For a hyphenated word
    (a phrase of its parts) it is one more way to match that word; for two words typed
    side by side it is added to both, so a post with the joined word holds both (its
    score counted at half in each). A category's or tag's name joined ("start ups",
    "start-ups": "Start Ups" is "startups", search/topics.py) finds the posts filed
    under it so, where no post says the words together (posts that say "world bank"
    rank by their words, as for any word the posts say)."""
    joined = joined_words(state)
    for words, owners, places in typed_apart(parsed.groups):
        if word := joined(words):
            extra = Unit([word], original=word, synonym=True, joined=True,
                         fields=places[0][0].fields)  # fmt: skip
            for group in owners:
                group.append(extra)


def typed_apart(groups: list[list[Unit]]) -> Iterator[tuple[list[str], list, list]]:
    """The words typed apart that join_split_words may join: (the words, the groups the
    joined word is added to, (unit, i) of each word). A hyphenated word's parts ("e-mail":
    one phrase of two or three words) and two plain words side by side."""
    for n, group in enumerate(groups):
        unit = group[0]
        if len(group) != 1 or unit.prefix or unit.synonym:
            continue
        if unit.phrase and 1 < len(unit.words) <= 3 and not unit.original.startswith('"'):
            yield list(unit.words), [group], [(unit, i) for i in range(len(unit.words))]
            continue
        after = groups[n + 1] if n + 1 < len(groups) else None
        if unit.phrase or after is None or len(after) != 1:
            continue
        other = after[0]
        if other.phrase or other.prefix or other.synonym or other.fields != unit.fields:
            continue
        if unit.words[0] in QUESTION_WORDS:
            # A question's word is asked with the next, not written with it: "how to lose
            # weight" joined as "howto" (a collection of software notes has it) made
            # "how" and "to" required words of the query (a group of two ways is no
            # question word, nor a stop word: scoring.asked_groups), and a post that
            # says "how" three times came above the one about losing weight.
            continue
        yield [unit.words[0], other.words[0]], [group, after], [(unit, 0), (other, 0)]


def parts_of_words(parsed: ParsedQuery, vocab) -> set[tuple[int, int]]:
    """(id(unit), i) of each word the collection lacks that, joined with the word typed
    beside it, is a word it has ("star date": "stardate"): join_split_words searches
    the joined word, so the part is no typo. (Corrected as one, "star" to "stardate",
    it left "date" required, which the post with "Stardate 10912" never says.)"""
    parts = set()
    for words, _, places in typed_apart(parsed.groups):
        if joined_in(words, vocab.df):
            parts.update((id(u), i) for u, i in places if u.words[i] not in vocab.df)
    return parts


def _joined_forms(word: str) -> list[str]:
    """A word joined from words typed apart, then its plural, then its singular."""
    return [word, word + "s", *([word[:-1]] if word.endswith("s") else [])]


def joined_in(words: list[str], df: Container[str]) -> str | None:
    """The form of `words` joined that the collection has (`df`: its words), itself or
    its plural or singular ("e-book" is "ebooks", where the posts never say "ebook");
    never a stop word. None if none. (Another form is not found by its stem: no stemmer
    for the joined word.)"""
    word = "".join(words)
    if word in STOP_WORDS:
        return None
    return next((form for form in _joined_forms(word) if form in df), None)


def joined_words(state: IndexState) -> Callable[[list[str]], str | None]:
    """The word `words` are to be searched as, joined, too, if any: the joined word if
    the collection has it, or its plural or singular ("e-book" is "ebooks", where the
    posts never say "ebook"), or a category's or tag's name when no post says the words
    together; never a stop word ("u.s." is not "us", "on line" is "online")."""
    vocab, topics = state.vocabulary.df, state.topics

    def joined(words: list[str]) -> str | None:
        word = "".join(words)
        if word in STOP_WORDS:
            return None
        if said := joined_in(words, vocab):
            return said
        # ("start up" is filed as "Start Ups" too: the name's singular or plural.)
        named = next((form for form in _joined_forms(word) if topics.knows(form, forms=False)),
                     None)  # fmt: skip
        if named is None:
            return None
        try:
            phrases = Phrases(state, time.perf_counter() + ADJACENT_SECONDS)
            return None if phrases.posts(ADJACENT_FIELDS, words) else named
        except TimeLimit:
            return None

    return joined
