"""Initials typed as a word, searched as the posts write them with dots too.

Takes a parsed query and the index state (`also_initials`); adds to the query's groups
the letters of each short word that the posts also write as initials: "uk" is "U.K.",
"usa" "U.S.A.", "pm" "p.m."; not a common word of English ("tax" is no "T.A.X."). The
tokenizer keeps the letters of "U.K." apart, so a post saying "U.K." has the words "u"
and "k" and no "uk": a reader typing "uk economy" found the 3 posts that write "UK" and
not the 18 that write "U.K.".

In a phrase, or words joined by a hyphen, the same ("us-japan trade": "U.S.-Japan
trade", where a post says it so).

"us" is the pronoun ("customers like us"), a stop word that is never required. Typed
"US", alone, or first in a query of other words ("us economy", "us trade deficit"), it
is the country where posts write "U.S.": the posts that say so come first among those
with the other words, which are not narrowed to them (a blog that says "U.S." once is
not cut down to that post).

(A word whose letters the collection has no initials for, "phd" for "Ph.D.", is
searched as the letters alone: search/run_together.py, `split_written_apart`.)
"""

from __future__ import annotations

import re
import time

from whoosh.collectors import TimeLimit

from indexer.analysis import STOP_WORDS
from search.english import is_common_english
from search.generation_memo import MISSING, GenerationMemo
from search.phrases import Phrases
from search.query import ParsedQuery, Unit
from search.scoring import is_stop
from search.state import IndexState

LONGEST = 3  # letters of a word read as initials (dotted ones of four are rare)
# The initials are searched where at least this share of the posts with their rarest
# letter say them (the rule of words written apart, search/run_together.py): of the
# posts with a lone "k", most say "U.K."; of those with a lone "d", few say "A.D.".
SHARE = 0.02
SECONDS = 0.05  # the lookups of one query (a phrase of two letters takes microseconds)
FIELDS = ("title_exact", "body_exact")
COUNTRY = "us"
_TYPED_US = re.compile(r"(?<![\w.])US(?![\w.])")
# What each word's lookup decided, per loaded generation (a phrase of single letters
# costs 0.4-1 ms to look up, and most short words a reader types are no initials):
# at most MEMO words a generation.
MEMO = 4096
_said = GenerationMemo(MEMO)


def also_initials(parsed: ParsedQuery, state: IndexState) -> None:
    """Beside each lone word of two to LONGEST letters that the posts also write as
    initials, those letters as a phrase (as the word itself: see the module docstring);
    "us" as "U.S.", not required, where it is read as the country."""
    df = state.vocabulary.df
    phrases = None

    def phrases_of() -> Phrases:
        nonlocal phrases
        phrases = phrases or Phrases(state, time.perf_counter() + SECONDS)
        return phrases

    def said(letters: list[str]) -> bool:
        word = "".join(letters)
        known = _said.get(state, word)
        if known is not MISSING:
            return known
        if not all(letter in df for letter in letters):
            return False
        found = phrases_of().posts(FIELDS, letters)
        known = len(found) >= max(1, SHARE * min(df[letter] for letter in letters))
        _said.put(state, word, known)
        return known

    content = [g for g in parsed.groups if not all(is_stop(u) for u in g)]  # (asked_groups')
    try:
        for n, group in enumerate(parsed.groups):
            unit = group[0]
            if len(group) == 1 and unit.phrase and not unit.synonym and len(unit.words) > 1:
                if (dotted := _dotted_phrase(unit.words, df, phrases_of)) is not None:
                    group.append(unit.form(dotted))
                continue
            if len(group) != 1 or unit.phrase or unit.prefix or unit.synonym:
                continue
            if len(unit.words) != 1:
                continue
            word = unit.words[0]
            if not _short(word):
                continue
            letters = list(word)
            if word == COUNTRY:
                # (an all-capitals query says nothing by its "US"; a query of that one
                # word asks for no pronoun: "us" alone, or "US", found no post that
                # writes "U.S.", and every post that says "us")
                typed = not parsed.text.isupper() and _TYPED_US.search(parsed.text)
                alone = len(parsed.groups) == 1
                country = (n == 0 and (len(content) > 0 or alone)) or typed
                if country and said(letters):
                    group[0] = Unit(letters, phrase=True, original="U.S.", optional=True,
                                    fields=unit.fields)  # fmt: skip
            elif (
                word in df
                and word not in STOP_WORDS
                and not is_common_english(word)
                and said(letters)
            ):  # ("bank", "tax")
                group.append(unit.form(letters, ".".join(letters) + "."))
    except TimeLimit:
        return


def _dotted_phrase(words: list[str], df, phrases_of) -> list[str] | None:
    """A phrase typed with initials as a word ("us-japan trade", "uk-based"), with their
    letters apart where posts say it so ("U.S.-Japan trade"), or None. Only the first
    such word is tried: one lookup a phrase."""
    at = next((i for i, w in enumerate(words)
               if _short(w) and (w == COUNTRY or w not in df or not is_common_english(w))
               and all(letter in df for letter in w)), None)  # fmt: skip
    if at is None:
        return None
    dotted = [*words[:at], *words[at], *words[at + 1 :]]
    return dotted if phrases_of().posts(FIELDS, dotted) else None


def _short(word: str) -> bool:
    """Whether `word` may be initials typed as a word: two to LONGEST ASCII letters."""
    return 2 <= len(word) <= LONGEST and word.isascii() and word.isalpha()
