"""Dates typed among a query's words: a year no article says but some are dated in
("pricing 2022"), and a month named beside such a year ("march 2023", "Mar. 2023",
"2023 march"); and a period counted back from today where the words around it ask for
posts ("posts from last year", "articles from this month", "last week's posts").

Takes the query as typed and the collection's year facet and vocabulary; gives each
date as the filters it stands for and how to say it. As words they could only match
nothing (no article says the year); the engine (search/engine.py) searches the rest of
the query with the filters instead (the answer's `filters` or `parsed` has them), and
says so. A period counted back is words too where no word for a post is beside it:
"sales rose last year" is about what posts say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from search.fillers import POSTS  # (the words a lead-in reads as a post, one list)
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
    # The query to search with the filters (default: the query less `words`).
    rest: str | None = None
    # What the answer says when the period has no posts; given, that empty answer
    # stands ("posts from last year" asks for the period, whatever it holds), instead
    # of the words searched.
    if_none: str | None = None


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


# "posts from last year", "articles in the past month", "this week's posts".
RELATIVE = frozenset({"last", "this", "past"})
UNITS = frozenset({"year", "month", "week"})
PERIOD_LINKS = frozenset({"from", "in", "of", "during"})


def period(which: str, unit: str, today: dt.date) -> tuple[str, str | None, str]:
    """(after, before or None, how to say it) of "last year", "this month", "past week"
    …, from `today`: "last" and "this" are calendar periods (weeks from Monday), "past"
    the days up to today."""
    if which == "past":
        if unit == "year":
            start = today.replace(year=today.year - 1, day=min(today.day, 28))
        elif unit == "month":
            start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=min(today.day, 28))
        else:
            start = today - dt.timedelta(days=7)
        return start.isoformat(), None, f"the past {unit} (since {start.isoformat()})"
    back = which == "last"
    if unit == "year":
        year = today.year - back
        return f"{year}-01-01", f"{year + 1}-01-01", f"{which} year ({year})"
    if unit == "month":
        first = today.replace(day=1)
        if back:
            first = (first - dt.timedelta(days=1)).replace(day=1)
        after = (first + dt.timedelta(days=31)).replace(day=1)
        named = f"{MONTHS[first.month - 1].capitalize()} {first.year}"
        return first.isoformat(), after.isoformat(), f"{which} month ({named})"
    monday = today - dt.timedelta(days=today.weekday() + 7 * back)
    end = monday + dt.timedelta(days=7)
    return monday.isoformat(), end.isoformat(), f"{which} week (from {monday.isoformat()})"


def _posts_around(low: list[str], start: int, end: int) -> tuple[bool, bool]:
    """Whether a word for a post and a link come just before the words low[start:end]
    ("posts from …"), and whether a word for a post comes just after them ("… posts")."""
    before = start >= 2 and low[start - 1] in PERIOD_LINKS and low[start - 2] in POSTS
    return before, end < len(low) and low[end] in POSTS


def relative_period(query: str, today: dt.date | None = None) -> TypedDate | None:
    """The period counted back from today that `query` asks for posts of: after a word
    for a post and a link ("posts from last year", "articles in the past month") or
    before such a word ("last week's posts", "this year posts"); None where it has none."""
    typed = (query or "").split()
    low = [t.strip(TRIM).lower().replace("’", "'") for t in typed]
    for i in range(len(low) - 1):
        j = i + (low[i] == "the" and i + 2 < len(low))
        unit = low[j + 1].removesuffix("'s")
        if low[j] not in RELATIVE or unit not in UNITS:
            continue
        after_posts, before_posts = _posts_around(low, i, j + 2)
        if not (after_posts or before_posts):
            continue
        # ("the last year" is the past year: "posts from the last year")
        which = "past" if j > i and low[j] == "last" else low[j]
        after, before, named = period(which, unit, today or dt.date.today())
        # (The link goes with the period: "pricing posts from last year" is "pricing
        # posts" of that period.)
        cut = range(i - after_posts, j + 2)
        rest = " ".join(t for n, t in enumerate(typed) if n not in cut)
        filters = {"after": after, **({"before": before} if before else {})}
        return TypedDate([typed[n] for n in cut], filters, f"Showing the posts from {named}.",
                         rest, if_none=f"No post is from {named}.")  # fmt: skip
    return None


# "posts since 2022", "pricing before march 2023", "articles from 2020 to 2022": a year
# (a month may come before it) after one of these words is the start or the end of a
# period. "after" and "until" take the year typed whole; "since" and "before" do not.
STARTS = {"since": False, "after": True}  # (whether the period starts after the year)
ENDS = {"before": False, "until": True, "till": True, "through": True}  # (... ends after it)
ON = frozenset({"on", "onward", "onwards"})  # ("from 2022 on")
NOW = frozenset({"now", "today", "present", "date"})  # ("from 2022 to now")
# A year, or a month of one, typed after these with no end is the whole period, where
# posts are asked for ("posts from 2022", "articles in march 2022").
WITHIN = ("from", "in", "during", "of")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def _moment(tokens: list[str], i: int) -> tuple[int, int | None, int] | None:
    """(year, month or None, how many words) of a year, or a month and a year, typed at
    `tokens[i]`; None if there is none."""
    month = month_number(tokens[i]) if i < len(tokens) else None
    j = i + (month is not None)
    if j >= len(tokens) or not (len(tokens[j]) == 4 and tokens[j].isdigit()):
        return None
    year = int(tokens[j])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    return year, month, j - i + 1


def _day(year: int, month: int | None, past: bool) -> str:
    """The first day of the year or month, or (`past`) of the one after it: a filter's
    date (YYYY or YYYY-MM)."""
    if month is None:
        return str(year + past)
    if past:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year}-{month:02d}"


def _said(year: int, month: int | None) -> str:
    return f"{MONTHS[month - 1].capitalize()} {year}" if month else str(year)


def range_period(query: str, state: IndexState) -> TypedDate | None:
    """A period bounded by a year (or a month of one) that `query` asks for posts of:
    "since 2022" (from its first day), "after 2022" (from 2023), "before 2023" (up to
    its first day), "until 2022" (to its end), "from 2020 to 2022", "between 2020 and
    2022", "from 2022 on"; the year or month itself after "from", "in", "during" or "of"
    ("posts from 2022", "articles in march 2022"). Taken where a word for a post is in
    the query ("posts since 2022") or no article says the year (then, as words, it
    matches nothing: "pricing since 2022" on a blog that never writes "2022"); elsewhere
    the words may be what posts say ("sales rose since 1987"). None where it has none."""
    # ("2021-2022", "2021–22" as typed is "2021 to 2022")
    typed = [w for t in (query or "").split() for w in _years_joined(t)]
    tokens = [t.strip(TRIM).lower() for t in typed]
    asks = any(t in POSTS for t in tokens)
    said = state.vocabulary.df
    # (A whole year where posts are asked for only: "pricing in 2022", of a year no post
    # says, is that year's filter, as typed_dates reads a year.)
    for find in (_bounds, _whole) if asks else (_bounds,):
        for i in range(len(tokens)):
            found = find(tokens, i)
            if found is None:
                continue
            filters, words, years, named = found
            if not (asks or all(str(y) not in said for y in years)):
                continue
            rest = " ".join(t for n, t in enumerate(typed) if not i <= n < i + words)
            return TypedDate(typed[i : i + words], filters, f"Showing the posts {named}.",
                             rest, if_none=f"No post {named} matches the search.")  # fmt: skip
    return None


YEARS_JOINED = re.compile(r"((?:19|20)\d\d)[-\u2013\u2014]((?:19|20)?\d\d)")


def _years_joined(token: str) -> list[str]:
    """A range of years typed as one word ("2021-2022", "2021–22") as three words,
    "2021 to 2022"; any other word as itself."""
    m = YEARS_JOINED.fullmatch(token.strip(TRIM))
    if not m:
        return [token]
    start, end = m.group(1), m.group(2)
    return [start, "to", start[:2] + end if len(end) == 2 else end]


def _bounds(tokens: list[str], i: int) -> tuple[dict, int, list[int], str] | None:
    """(the filters, how many words, the years typed, how to say it) of a period typed
    from `tokens[i]` on (see range_period), or None."""
    token = tokens[i]
    if token not in STARTS and token not in ENDS and token not in ("from", "between"):
        return _bare_range(tokens, i)
    first = _moment(tokens, i + 1)
    if first is None:
        return None
    year, month, n = first
    when = _said(year, month)
    if token in STARTS:
        return {"after": _day(year, month, STARTS[token])}, 1 + n, [year], f"{token} {when}"
    if token in ENDS:
        named = f"before {when}" if token == "before" else f"up to the end of {when}"
        return {"before": _day(year, month, ENDS[token])}, 1 + n, [year], named
    if ranged := _up_to(tokens, i + 1 + n, year, month, ("to", "and", "until", "till")):
        filters, m, years, named = ranged
        return filters, 1 + n + m, years, named
    link = tokens[i + 1 + n] if i + 1 + n < len(tokens) else None
    if token != "from":
        return None
    if link in ON:  # ("from 2022 on")
        return {"after": _day(year, month, False)}, 2 + n, [year], f"since {when}"
    now = tokens[i + 2 + n] if i + 2 + n < len(tokens) else None
    if link in ("to", "until", "till") and now in NOW:  # ("from 2022 to now")
        return {"after": _day(year, month, False)}, 3 + n, [year], f"since {when}"
    return None


def _whole(tokens: list[str], i: int) -> tuple[dict, int, list[int], str] | None:
    """`_bounds` of a year, or a month of one, typed after "from", "in", "during" or "of"
    with no end: the whole period ("posts from 2022", "articles in march 2022")."""
    if tokens[i] not in WITHIN:
        return None
    first = _moment(tokens, i + 1)
    if first is None:
        return None
    year, month, n = first
    filters = {"after": _day(year, month, False), "before": _day(year, month, True)}
    return filters, 1 + n, [year], f"from {_said(year, month)}"


def _bare_range(tokens: list[str], i: int) -> tuple[dict, int, list[int], str] | None:
    """`_bounds` of a period typed with no word before it: "2021 to 2022", "march 2021
    through may 2022" (and "2021-2022", split so by range_period)."""
    first = _moment(tokens, i)
    if first is None:
        return None
    year, month, n = first
    ranged = _up_to(tokens, i + n, year, month, ("to", "through", "until", "till"))
    if ranged is None:
        return None
    filters, m, years, named = ranged
    return filters, n + m, years, named


def _up_to(tokens: list[str], j: int, year: int, month: int | None,
           links: tuple[str, ...]) -> tuple[dict, int, list[int], str] | None:  # fmt: skip
    """The period from `year` (and `month`) to a year, or a month of one, typed after
    one of `links` at tokens[j] ("… to 2022"), no earlier than its start: (the filters,
    how many words from j, the years, how to say it); None if there is none."""
    link = tokens[j] if j < len(tokens) else None
    last = _moment(tokens, j + 1) if link in links else None
    if last is None or (last[0], last[1] or 12) < (year, month or 1):
        return None
    end_year, end_month, m = last
    filters = {"after": _day(year, month, False), "before": _day(end_year, end_month, True)}
    named = f"from {_said(year, month)} to {_said(end_year, end_month)}"
    return filters, 1 + m, [year, end_year], named


def month_of_posts(query: str, state: IndexState, today: dt.date | None = None) -> TypedDate | None:
    """A month named without a year where the words around it ask for posts ("posts
    from march", "articles in sept", "march posts"): the latest such month, up to
    today's, that has posts (the answer says which); None where no year is typed and no
    such words are, or a year is typed (see typed_dates)."""
    typed = (query or "").split()
    low = [t.strip(TRIM).lower().removesuffix("'s").removesuffix("\u2019s") for t in typed]
    if any(len(t) == 4 and t.isdigit() for t in low):
        return None
    for i, token in enumerate(low):
        month = month_number(token)
        if month is None:
            continue
        after_posts, before_posts = _posts_around(low, i, i + 1)
        if not (after_posts or before_posts):
            continue
        today = today or dt.date.today()
        latest = f"{today.year}-{today.month:02d}"
        held = sorted((m for m in state.facets.get("month", {})
                       if m[5:] == f"{month:02d}" and m <= latest), reverse=True)  # fmt: skip
        year = int(held[0][:4]) if held else today.year - (month > today.month)
        after = f"{year}-{month:02d}"
        before = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
        named = f"{MONTHS[month - 1].capitalize()} {year}"
        cut = range(i - after_posts, i + 1)  # (the link goes with the month)
        rest = " ".join(t for n, t in enumerate(typed) if n not in cut)
        if_none = (f"No post from {named} matches the search." if held else
                   f"No post is from {MONTHS[month - 1].capitalize()}.")  # fmt: skip
        return TypedDate([typed[n] for n in cut], {"after": after, "before": before},
                         f"Showing the posts from {named}.", rest, if_none)  # fmt: skip
    return None


def typed_period(query: str, state: IndexState) -> TypedDate | None:
    """The period `query` asks for posts of, counted back ("posts from last year"),
    bounded by a year ("posts since 2021") or a month of no year ("posts from march"),
    or None: what the article page leaves unmarked."""
    return relative_period(query) or range_period(query, state) or month_of_posts(query, state)


def typed_dates(query: str, state: IndexState) -> list[TypedDate]:
    """The readings of `query`'s dates to try, in order: a period counted back from
    today, asked for ("posts from last year": `relative_period`); a month beside a year
    ("march 2023": from 2023-03 to before 2023-04); the years alone (["2022"], several as
    one filter), the month a word ("march madness 2023"); the years without their
    months, none of whose articles is of those months. Empty where none of these is
    typed, or every year typed is a word some article says or no article is dated in."""
    if relative := relative_period(query):
        return [said_latest(relative, state)]
    if ranged := range_period(query, state):
        return [said_latest(ranged, state)]
    if month := month_of_posts(query, state):
        return [month]  # (of no post: "No post is from May", of any year)
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


def said_latest(date: TypedDate, state: IndexState) -> TypedDate:
    """`date`, its `if_none` going on, where every dated post is older than the period
    ("posts from last year", of a blog quiet since 2023), to say when the latest post
    is from ("… The latest post is from March 10, 2023.")."""
    after = date.filters.get("after")
    days = state.days
    newest = next((days[d] for d in state.newest_first if days[d]), 0)
    if not date.if_none or not isinstance(after, str) or not newest:
        return date
    if newest >= int(after.replace("-", "").ljust(8, "0")):  # (YYYY, YYYY-MM, YYYY-MM-DD)
        return date
    year, month, day = newest // 10000, newest // 100 % 100, newest % 100
    said = f" The latest post is from {MONTHS[month - 1].capitalize()} {day}, {year}."
    return replace(date, if_none=date.if_none + said)


def without(query: str, words: list[str]) -> str:
    """`query` less the words of a date (as `typed_dates` gives them: without a comma
    or a question mark after them), the rest as typed."""
    return " ".join(t for t in (query or "").split() if t.strip(TRIM) not in words)
