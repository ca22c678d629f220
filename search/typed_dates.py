"""Dates typed among a query's words: a year no article says but some are dated in
("pricing 2022"), and a month named beside such a year ("march 2023", "Mar. 2023",
"2023 march").

Takes the query as typed and the collection's year facet and vocabulary; gives each
date as the filters it stands for and how to say it. As words they could only match
nothing (no article says the year); the engine (search/engine.py) searches the rest of
the query with the filters instead, which the reader sees selected, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.state import IndexState

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip
# A month as readers type it: its name, or the first three letters (and "sept").
MONTH_NUMBERS = {
    **{name: n for n, name in enumerate(MONTHS, 1)},
    **{name[:3]: n for n, name in enumerate(MONTHS, 1)},
    "sept": 9,
}


@dataclass
class TypedDate:
    """Words of the query that name a period, and the period as filters."""

    words: list[str]  # as typed, to be taken out of the query
    filters: dict[str, list[str] | str]
    warning: str  # what the answer says of it


# What may end a word typed before a comma or at a question's end ("2022?").
TRIM = ".,;:!?"


def _tokens(query: str) -> list[str]:
    return [t.strip(TRIM) for t in (query or "").split()]


def typed_years(query: str, state: IndexState) -> list[str]:
    """The words of `query` that are years some article is dated in and none says
    ("2022", "2022?")."""
    dated, said = state.facets.get("year", {}), state.vocabulary.df
    return [t for t in dict.fromkeys(_tokens(query))
            if len(t) == 4 and t.isdigit() and t in dated and t not in said]  # fmt: skip


def month_number(token: str) -> int | None:
    """The month a word names ("March", "mar", "Sept": as `_tokens` gives it, without
    the dot or comma typed after it), or None."""
    return MONTH_NUMBERS.get(token.lower())


def typed_dates(query: str, state: IndexState) -> list[TypedDate]:
    """The readings of `query`'s dates to try, in order: a month beside a year ("march
    2023": from 2023-03 to before 2023-04); the years alone (["2022"], several as one
    filter), the month a word ("march madness 2023"); the years without their months,
    none of whose articles is of those months. Empty where no article is dated in a
    year typed, or every such year is a word some article says."""
    years = typed_years(query, state)
    if not years:
        return []
    tokens = _tokens(query)
    said = " or ".join(years)
    years_note = f"No article says {said}; showing the articles from {said}."
    readings = [TypedDate(years, {"year": years}, years_note)]
    periods = []  # (the month's word, the year's word, the month's number)
    for i, token in enumerate(tokens):
        if token not in years:
            continue
        # (The month before the year, as "March 2023" is written, else after it.)
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens) and month_number(tokens[j])]
        if beside:
            periods.append((tokens[beside[0]], token, month_number(tokens[beside[0]])))
    if len(periods) == 1:  # (two months, "dec 2022 jan 2023", are no single period)
        month_word, year_word, month = periods[0]
        year = int(year_word)
        named = f"{MONTHS[month - 1].capitalize()} {year}"
        after = f"{year}-{month:02d}"
        before = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
        note = f"No article says {year_word}; showing the articles from {named}."
        readings.insert(0, TypedDate([month_word, year_word], {"after": after, "before": before},
                                     note))  # fmt: skip
    if periods:
        words = [*years, *(p[0] for p in periods)]
        note = years_note
        if len(periods) == 1 and not without(query, words).strip():
            # (True where the month's reading came first and found nothing; with other
            # words, it only found none of them there: the years' note is said.)
            note = f"No article is from {named}; showing the articles from {said}."
        readings.append(TypedDate(words, {"year": years}, note))
    return readings


def without(query: str, words: list[str]) -> str:
    """`query` less the words of a date (as `typed_dates` gives them: without a comma
    or a question mark after them), the rest as typed."""
    return " ".join(t for t in (query or "").split() if t.strip(TRIM) not in words)
