"""Numbers written another way: "ten tips" finds the post titled "10 Tips", "part iii"
finds "Part 3" (and "Part Three"), "3rd quarter" finds "third quarter".

Takes a parsed query and the collection's vocabulary (`number_forms`); gives the words
widened (which typo correction then leaves as typed: "iii" is no typo of "ii"), and
adds, in place, to each one-word unit that names a number its other spellings that
the collection has, searched beside it below the form typed (at a synonym's weight:
see search/matching.py `match`), as Lucene's synonym filters do with a numbers list.

Named: two to twenty and the tens to a hundred, as words and digits; the ordinals to the
twentieth ("third", "3rd"); Roman numerals from ii to xx. A typed Roman numeral is read
as a number anywhere; a number is written as one only after a word that numbers parts
("part 3", "chapter two", "world war 2"): "4 ways" is not "iv ways". "one" and "1" are
left alone: "one" is in most posts, seldom as a count ("one of those customers").

A whole number typed alone also finds the collection's numbers with a decimal point
that begin with it, the commonest DECIMALS of them, each another reading of the word
typed (a post scores the better one), below it: `python 3` finds "Python 3.11", `web 2`
"Web 2.0", `$19` "$19.99". The tokenizer keeps such a number one word (indexer/
analysis.py), so that `5 billion` does not find "2.5 billion"; before, "3.11" was the
words "3" and "11", and `python 3` found it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from search.corrections import search_also
from search.query import ParsedQuery

DECIMALS = 4  # the commonest numbers with a point that a whole number typed also finds


class Words(Protocol):
    """A collection's words (search/state.py's Vocabulary): their document frequencies,
    and the commonest that begin with a prefix."""

    df: Mapping[str, int]

    def with_prefix(self, prefix: str, limit: int) -> tuple[list[str], bool]: ...


CARDINALS = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
]  # fmt: skip
TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90, "hundred": 100}  # fmt: skip
ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip
# Roman numerals, 2 to 20.
ROMAN = [
    "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
    "xv", "xvi", "xvii", "xviii", "xix", "xx",
]  # fmt: skip
# "v" and "x" alone are letters too often ("x" marks the spot, "v" for versus).
LETTERS_TOO = frozenset({"v", "x"})
# Words after which a number may be a Roman numeral ("Part III", "World War II").
NUMBERING = frozenset({
    "part", "parts", "chapter", "vol", "volume", "episode", "season", "book", "phase",
    "act", "war", "step", "stage", "round", "level", "edition", "series", "section",
    "pt", "ch", "ep",
})  # fmt: skip


def suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _spellings() -> dict[str, list[str]]:
    """Each number's spellings, keyed by each spelling: {"10": ["10", "ten", "x"], …}."""
    by_word: dict[str, list[str]] = {}
    values = [(n, word) for n, word in enumerate(CARDINALS, start=2)] + [
        (n, word) for word, n in TENS.items()
    ]
    for n, word in values:
        forms = [str(n), word, *([ROMAN[n - 2]] if n <= 20 else [])]
        for form in forms:
            by_word[form] = forms
    for n, word in enumerate(ORDINALS, start=1):
        forms = [f"{n}{suffix(n)}", word]
        for form in forms:
            by_word[form] = forms
    return by_word


SPELLINGS = _spellings()
ROMAN_NUMERALS = frozenset(ROMAN)


def other_spellings(word: str, before: str | None) -> list[str]:
    """The other ways to write the number `word` names (none if it names none), given
    the word typed before it: a Roman numeral only after a word that numbers parts."""
    numbering = before in NUMBERING
    if word in LETTERS_TOO and not numbering:
        return []
    forms = SPELLINGS.get(word, [])
    return [f for f in forms if f != word and (numbering or f not in ROMAN_NUMERALS)]


def decimals(word: str, words: Words) -> list[str]:
    """The collection's commonest numbers with a decimal point that the whole number
    `word` begins ("3": "3.11", "3.6"), none for any other word."""
    if not (word.isdigit() and word.isascii()):
        return []
    return words.with_prefix(word + ".", DECIMALS)[0]


def number_forms(parsed: ParsedQuery, words: Words) -> set[str]:
    """Search each number typed as a word of its own also as the collection writes it
    otherwise (see the module docstring); gives the words so widened."""
    df = words.df
    widened: set[str] = set()
    before: str | None = None
    for group in parsed.groups:
        unit = group[0]
        word = unit.words[0] if len(unit.words) == 1 else None
        # (search_also leaves a phrase and a prefix as typed)
        if word is not None and len(group) == 1 and not unit.synonym and not unit.optional:
            others = [f for f in other_spellings(word, before) if df.get(f)]
            if search_also(parsed, unit, others, alternative=False):
                widened.add(word)
            if search_also(parsed, unit, decimals(word, words)):
                widened.add(word)
        before = unit.words[-1] if unit.words else None
    return widened
