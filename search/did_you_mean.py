"""Did you mean: a likelier spelling offered for a query that finds little.

Takes the parsed query, the index state and the query's text; gives the text with its
rare words respelt (`suggestion`), or None; `did_you_mean` decides whether the answer
offers it.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.analysis import STEMS
from search.corrections import corrected_text
from search.english import is_common_english
from search.query import ParsedQuery
from search.state import IndexState
from search.typos import nearest, suggest, two_edit_candidates

# A query that finds fewer posts than this (less than a page) is offered a likelier
# spelling of its rare words (`suggestion`).
SUGGEST_BELOW = 10


# Where the query finds some posts, only a word of at least this many letters is
# offered another spelling, one edit away, SUGGEST_FOUND_GAIN times as frequent: a
# shorter rare word is most often a name or an abbreviation ("aepi", "artu": tickers),
# and more words are one edit from it; two edits reach other words ("intersects":
# "interests", "republicbank": "republican"); and of 400 rare words of six letters or
# more drawn from the 10k corpus, those offered a word 10-20 times as frequent were
# mostly words ("charting": "charging", "hurling": "hurting", "sparse": "spare"), those
# offered one more frequent still mostly misspellings ("realted", "ownerhsip").
SUGGEST_FROM = 6
SUGGEST_FOUND_GAIN = 20


def suggestion(parsed: ParsedQuery, state: IndexState, text: str, found: int = 0) -> str | None:
    """For a query that finds little (`found` posts): a likelier spelling of its rare
    words, if any; not a spelling that is a form of the word ("canadas", which finds
    "canada" already). For one that finds nothing, the nearest word the posts say to
    its one word they do not say."""
    changes = []
    df = state.vocabulary.df
    unknown = [w for u in parsed.units for w in u.words if w not in df]
    for unit in parsed.units:
        word = unit.words[0]
        if unit.prefix or unit.phrase or (found and len(word) < SUGGEST_FROM):
            continue
        if not found and unknown == [word] and word.isalpha():
            # The one word no post says, which correcting left as typed: a word of
            # English ("photography", where the posts say "photograph"; a word the
            # reader meant is never changed unasked) or one with no likelier near word.
            # The nearest word the posts say is offered (the caller keeps it only where
            # it finds posts; of two such words, "photography tips" on a blog with
            # neither, "photograph trips" would be a guess twice over).
            better = nearest(word, state.vocabulary, min_df=1, most=1)
            if better is None and (far := two_edit_candidates(word, state.vocabulary)):
                # ("cryslar": "chrysler", two edits from a word of seven letters, which
                # is corrected only one edit away; the page had offered nothing.)
                better = far[0][0]
            if better and is_common_english(word) and not related(word, better):
                # A word of English the posts lack is no slip for the nearest word they
                # say: of 400 such words searched on the sample blog, 37 were offered
                # one, each another word ("novice": "notice", "taxes": "takes",
                # "cremation": "creation"). A word whose letters begin the other's may
                # be its relative ("photography": "photograph"), and is offered.
                better = None
        else:
            better = (suggest(word, state.vocabulary, most=1, gain=SUGGEST_FOUND_GAIN) if found
                      else suggest(word, state.vocabulary))  # fmt: skip
        if better and STEMS[better] != STEMS[word]:
            changes.append({"from": word, "to": better})
    return corrected_text(text, changes) if changes else None


def related(word: str, other: str) -> bool:
    """Whether one of two words is the other with letters added at its end
    ("photograph", "photography"), as a word's relatives mostly are."""
    return word.startswith(other) or other.startswith(word)


def did_you_mean(parsed: ParsedQuery, state: IndexState, text: str, found: int,
                 finds: Callable[[str], bool]) -> str | None:  # fmt: skip
    """For a query that changed no word and finds fewer than SUGGEST_BELOW posts
    (`found`): a likelier spelling (`suggestion`); where the query finds nothing, only
    one that `finds(spelling)` posts (what finds nothing either is no help)."""
    if found >= SUGGEST_BELOW:
        return None
    better = suggestion(parsed, state, text, found)
    if better and not found and not finds(better):
        return None
    return better
