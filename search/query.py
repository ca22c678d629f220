"""Lenient query syntax: any string in, a `ParsedQuery` and warnings out, never an error.

Takes the text a reader typed (`parse_query`); gives the words, phrases, OR groups,
negations and field filters it means, plus a warning for everything it had to
reinterpret. The syntax:

    customer service        both words (stemmed: "customers" matches too)
    "write this on a rock"  the exact phrase, stop words included
    -hell  NOT hell         without the word (or -"a phrase")
    cash OR credit          either word; OR binds tighter than the implicit AND
    cust*                   words starting with "cust" (at least 2 letters before *)
    title:rock  title:"from hell"  the word or phrase in titles only (-title:x: not there)
    category:"Customer Care"  tag:selling  author:"Jim Blasingame"  kind:video
    year:2022  year:undated  after:2021-06  before:2023-01-01   (-category:x excludes)
                            (after: from the first day of the period on; before: up to it)

A pasted address ("https://example.com/page?x=1") is the phrase of its words, less
the scheme and "www". Unbalanced quotes are closed, unknown fields are read as words,
`~` is dropped (typos are corrected anyway), parentheses are read as spaces. Caps on
the query's length, the number of words and the length of a word keep every query
cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from indexer.analysis import MAX_TOKEN_CHARS, TextAnalyzer, fold, normalize_token

MAX_QUERY_CHARS = 500
# A word of more letters than MAX_TOKEN_CHARS is in no post; one of up to this many
# letters is kept to be split (a hashtag: "#smallbusinessownercashflowtips").
LONGEST_RUN_TOGETHER = 60
LONG_WORD = re.compile(rf"\w{{{MAX_TOKEN_CHARS + 1},}}")
LONG_WORDS = "Words longer than 40 characters are in no article; they were left out."
MAX_UNITS = 24
FILTER_FIELDS = ("category", "tag", "author", "kind", "year")
TEXT_FIELDS = ("title",)  # a word or phrase searched in that field only
DATE_FIELDS = ("before", "after")
SYNTAX = re.compile(r'-?[A-Za-z]+:"[^"]*"?|-?"[^"]*"?|\S+')
DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")

_EXACT = TextAnalyzer(stem=False)


@dataclass
class Unit:
    """One searchable thing: a word, an exact phrase (or quoted word), or a prefix."""

    words: list[str]
    phrase: bool = False
    prefix: bool = False
    original: str = ""
    weight: float = 1.0  # a synonym's score counts less than the word typed
    synonym: bool = False  # added by a synonym rule, not typed
    split: bool = False  # the words of a word typed without its spaces (a hashtag)
    fields: tuple[str, ...] = ()  # searched in these fields only (title:word); all if ()
    optional: bool = False  # scored where present, not required ("tips on hiring")
    joined: bool = False  # words typed apart, as the posts write them ("smartphones")
    # another reading of a word corrected ("roi" beside "rock" for "rok"): a document
    # scores the better of the two readings, never both (see matching.match)
    alternative: bool = False

    def form(self, words: list[str], original: str | None = None) -> Unit:
        """This phrase as the posts also write it (`words`: "email" for "e mail", "write
        this on a rock" for "write * on a rock"), to go beside it in its group: counted
        as the phrase typed (`joined`), in the same fields."""
        return Unit(words, phrase=True, original=original or " ".join(words), synonym=True,
                    joined=True, fields=self.fields)  # fmt: skip

    def describe(self) -> str:
        text = " ".join(self.words)
        field = "".join(f"{name}:" for name in self.fields)
        if self.phrase:
            return f'{field}"{text}"'
        return field + text + ("*" if self.prefix else "")


@dataclass
class ParsedQuery:
    text: str
    groups: list[list[Unit]] = field(default_factory=list)  # AND of ORs
    negatives: list[Unit] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    after: int | None = None  # YYYYMMDD, inclusive
    before: int | None = None  # YYYYMMDD, exclusive
    match_all: bool = False
    warnings: list[str] = field(default_factory=list)
    cut_short: bool = False  # some step stopped at the time limit: the answer is partial
    group_sizes: list[int] = field(default_factory=list)  # documents per AND group (explain)
    coordinated: bool = False  # no document had every word: a partial match was ranked
    too_long: list[str] = field(default_factory=list)  # words left out for their length
    order: str | None = None  # a sort the words ask for ("oldest posts": "oldest")
    # quoted phrases no post has, searched as their words (each its words' units, in
    # order): a post with them nearly so ranks first (search/rerank.py)
    remembered: list[list[Unit]] = field(default_factory=list)

    @property
    def units(self) -> list[Unit]:
        return [u for group in self.groups for u in group]

    @property
    def typed_units(self) -> list[Unit]:
        """The units of what was typed (not those a synonym rule added)."""
        return [u for u in self.units if not u.synonym]

    def words_in_order(self) -> list[str]:
        return [w for u in self.typed_units if not u.prefix for w in u.words]

    def marked_as_phrases(self) -> list[Unit]:
        """Its phrases whose words a snippet or an article page marks where a text says
        the phrase (search/snippets.py `Matcher.for_words`); not one with a wildcard
        ("write * on a rock", marked by its words: the form the posts say it in, "write
        this on a rock", is a phrase of its own)."""
        return [u for u in self.units if u.phrase and "*" not in u.original]

    def describe(self) -> str:
        parts = []
        for group in self.groups:
            text = " OR ".join(u.describe() for u in group)
            parts.append(f"({text})" if len(group) > 1 else text)
        parts += [f"NOT {u.describe()}" for u in self.negatives]
        for name, values in self.filters.items():
            # (values of one filter are alternatives: an article with any of them)
            either = " OR ".join(f'{name}:"{v}"' for v in values)
            parts.append(f"({either})" if len(values) > 1 else either)
        for name, values in self.exclude.items():
            parts += [f'NOT {name}:"{v}"' for v in values]
        if self.after:
            parts.append(f"after:{day_text(self.after)}")
        if self.before:
            parts.append(f"before:{day_text(self.before)}")
        text = " AND ".join(parts)
        return text or "*"

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def words_of(text: str) -> list[str]:
    """The words of `text` as a query reads them (folded, lower case, unstemmed)."""
    return _EXACT.words(fold(text))


def normalise_query(text: str) -> str:
    """A query as analytics and pins key it: folded, lower case, spaces collapsed."""
    text = "".join(c if c.isprintable() else " " for c in fold(text or ""))
    return " ".join(text.lower().split())[:200]


def day_text(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def parse_day(value: str) -> int | None:
    """YYYY, YYYY-MM or YYYY-MM-DD as YYYYMMDD (the first day of the period)."""
    m = DATE_VALUE.match(value.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        first = date(year, month, day)
    except ValueError:
        return None
    return first.year * 10000 + first.month * 100 + first.day


def add_filter(parsed: ParsedQuery, name: str, value: str, negated: bool) -> None:
    value = value.strip()
    if not value:
        parsed.warn(f"{name}: needs a value; ignored.")
        return
    if name in DATE_FIELDS:
        day = parse_day(value)  # after: on or after it; before: strictly before it
        if day is None:
            parsed.warn(f"{name}:{value} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD); ignored.")
        elif name == "after":
            parsed.after = max(parsed.after or 0, day)
        else:
            parsed.before = min(parsed.before or 99999999, day)
        return
    if name == "year" and not is_year(value):
        parsed.warn(f"year:{value} is not a year (use YYYY or undated); ignored.")
        return
    target = parsed.exclude if negated else parsed.filters
    values = target.setdefault(name, [])
    if value not in values:
        values.append(value)


def is_year(value: str) -> bool:
    """Whether a year filter's value is one: four digits, or "undated"."""
    value = value.strip()
    return (len(value) == 4 and value.isascii() and value.isdigit()) or value.lower() == "undated"


# A question's or an exclamation's mark at the end of a word (text_unit).
QUESTION_END = re.compile(r"[?!]+$")
# A pasted address ("https://example.com/pricing?plan=pro", "www.example.com"):
# its ":" is no field and its "?" no wildcard (address_unit).
ADDRESS = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:)\S+$", re.I)


def address_unit(token: str) -> Unit | None:
    """A pasted address as the phrase of its words, less the scheme and "www" (a post
    may write it as "example.com/pricing"), or None if it has no other words."""
    words = _EXACT.words(token)
    if "://" in token or token.lower().startswith("mailto:"):
        words = words[1:]
    if words[:1] == ["www"]:
        words = words[1:]
    return Unit(words, phrase=len(words) > 1, original=token) if words else None


def text_unit(token: str, parsed: ParsedQuery) -> Unit | None:
    """A word token (no field, no quotes) as a unit, or None if nothing searchable is left."""
    if "~" in token:
        token = re.sub(r"~\d*(?:\.\d+)?", "", token)
        parsed.warn("~ is not needed: typos are corrected automatically.")
    prefix = False
    # A question ends with its mark ("why is relevance important?"): punctuation, not the
    # one-letter wildcard some engines read it as; every question showed the warning below.
    token = QUESTION_END.sub("", token)
    if not token:
        return None
    if "*" in token or "?" in token:
        core = token.rstrip("*")
        if core and "*" not in core and "?" not in core and len(core) < len(token):
            prefix = True
        else:
            parsed.warn("* and ? work only at the end of a word (cust*); read as plain words.")
        token = token.replace("*", " ").replace("?", " ")
    words = _EXACT.words(token)
    if not words:
        long = LONG_WORD.findall(fold(token).lower())
        if len(long) == 1 and long[0].isalpha() and len(long[0]) <= LONGEST_RUN_TOGETHER:
            # No post has a word this long, but a hashtag may be this long: it is kept,
            # to be split into the words it is made of (search/run_together.py).
            return Unit([normalize_token(long[0])], original=token)
        left_out_long_words(long, parsed)
        return None
    if prefix and len(words) == 1 and len(words[0]) >= 2:
        return Unit(words, prefix=True, original=token)
    if prefix:
        parsed.warn("A prefix needs at least 2 letters before the *; read as a word.")
    return Unit(words, phrase=len(words) > 1, original=token)


def left_out_long_words(long: list[str], parsed: ParsedQuery) -> None:
    """Say that the words of `long` (longer than any a post has) were left out, and keep
    the first: a query of nothing else matches nothing (see parse_query)."""
    if long:
        parsed.warn(LONG_WORDS)
        parsed.too_long.append(long[0])


def parse_query(text: str) -> ParsedQuery:
    """Read `text` as well as it can be read; see the module docstring."""
    parsed = ParsedQuery(text=text)
    text = fold(text or "")
    text = "".join(c if c.isprintable() else " " for c in text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.warn(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
    if "(" in text or ")" in text:
        text = text.replace("(", " ").replace(")", " ")
        parsed.warn("Parentheses are not needed; they were read as spaces.")
    if text.count('"') % 2:
        parsed.warn("An unbalanced quote was closed at the end of the query.")
    join_next = negate_next = False
    for raw in SYNTAX.findall(text):
        if raw == "OR":
            join_next = bool(parsed.groups)
            continue
        if raw in ("AND", "&&", "+"):
            continue
        if raw in ("NOT", "!"):
            negate_next = True
            continue
        negated, token = negate_next, raw
        negate_next = False
        if token.startswith("-") and len(token) > 1:
            negated, token = True, token[1:]
        token = token.lstrip("+")
        unit: Unit | None = None
        address = ADDRESS.match(token) is not None
        m = None if address else re.match(r"^([A-Za-z]+):(.*)$", token)
        if m and not token.startswith('"'):
            name, value = m.group(1).lower(), m.group(2).strip('"')
            if name in FILTER_FIELDS or name in DATE_FIELDS:
                add_filter(parsed, name, value, negated)
                join_next = False
                continue
            if name in TEXT_FIELDS:
                if not value.strip():
                    parsed.warn(f"{name}: needs a word or a phrase; ignored.")
                    join_next = False
                    continue
                token, fields = m.group(2), (name,)
            else:
                if value.strip():  # ("rock: pay on time", pasted prose, is no field)
                    known = ", ".join(TEXT_FIELDS + FILTER_FIELDS + DATE_FIELDS)
                    parsed.warn(f"Unknown field {m.group(1)}: (searched as words); fields "
                                f"are {known}.")  # fmt: skip
                fields = ()
        else:
            fields = ()
        if token.startswith('"'):
            words = _EXACT.words(token.strip('"'))
            unit = Unit(words, phrase=True, original=token) if words else None
            if unit is None:  # (a quoted key: nothing, as unquoted)
                left_out_long_words(LONG_WORD.findall(fold(token).lower()), parsed)
        elif token.strip("*") == "":
            parsed.match_all = True
            continue
        elif address:
            unit = address_unit(token)
        else:
            unit = text_unit(token, parsed)
        if unit is not None and fields:
            unit.fields = fields
        if unit is None:
            join_next = False
            continue
        if len(parsed.units) + len(parsed.negatives) >= MAX_UNITS:
            parsed.warn(f"Only the first {MAX_UNITS} words and phrases were used.")
            break
        if negated:
            parsed.negatives.append(unit)
        elif join_next and parsed.groups:
            parsed.groups[-1].append(unit)
        else:
            parsed.groups.append([unit])
        join_next = False
    if not parsed.groups and parsed.too_long and not parsed.match_all:
        # Only words longer than any a post has (a pasted key, keyboard mashing): they
        # match nothing, rather than every article as a query of no words does.
        parsed.groups.append([Unit([parsed.too_long[0][: MAX_TOKEN_CHARS + 1]])])
    if not parsed.groups:
        if (
            text.strip()
            and not parsed.match_all
            and not parsed.filters
            and not parsed.exclude
            and parsed.after is None
            and parsed.before is None
            and not parsed.negatives
        ):
            parsed.warn("The query has no words to search for; showing all articles.")
        parsed.match_all = True
    return parsed
