"""The search function: one query in, one results object out, for CLI, page and API alike.

Takes an index folder (or a loaded `IndexState`), the query text, facet filters, page,
page size and sort (`search`); gives `Results`, whose `to_dict()` is the JSON every
front end shows. Bad parameters raise `SearchError` (a 400 on the web); odd query text
never raises: it is read leniently (`search.query`) and `warnings` says how.

How a query runs (each step's module named):
1. parse (`search.query`); correct words the collection does not have, choosing among
   near words (`search.typos`) by the query's other words (`search.corrections`);
   split words typed without their spaces (`search.run_together`);
2. the matching documents: each word or phrase scored with BM25F from its postings
   (`search.scoring`, `search.phrases`; scores as arrays: `search.scored`); groups AND
   together (falling back to a coordinated OR when no document has every word),
   negations and filters (`search.facets`) are ANDed in;
3. totals, and facet counts among the matches, a facet's own selection left out so
   that several values of it can be picked (`search.facets`);
4. ranking: the top candidates re-ranked so that a query that is (nearly) a post's
   title or maxim puts that post first (`search.rerank`), one post per duplicate
   group (`search.collapse`);
5. the page's hits, with snippets and highlighted titles (`search.hits`).

Some readings search again, and say so: words that name filters (`readings`: a kind of
post, "podcasts"; an author, "posts by alice smith"; a period, "posts since 2021", or a
year typed that no article says but some are dated in) are read as those filters, the
rest searched with them; "write this on a rock …" that no maxim answers is read as
words.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import numpy as np
from whoosh.collectors import TimeLimit

from indexer.analysis import STEMS
from search.asking import read_request, widen_words
from search.authors import typed_author
from search.bitmasks import bitmap, docnums_of, has, mask_bits, mask_of
from search.collapse import (
    NO_GROUPS,
    collapsed_order,
    hidden_copies,
    other_versions,
    split_by_maxim,
)
from search.corrections import (
    HANDFUL,
    complete_partial,
    corrected_text,
    fix_typos,
    join_split_words,
    real_word_typo,
)
from search.explain import explain_hit
from search.facets import count_facets, restriction_masks
from search.fillers import DETERMINERS, LINKS, left_of_a_filter, plain_word
from search.hits import make_hit
from search.initials import also_initials
from search.kinds import KIND_WORDS, typed_kind
from search.query import FILTER_FIELDS, ParsedQuery, Unit, is_year, parse_day, parse_query
from search.rerank import MAXIM_WORDS, RERANK, headline_matches, rerank
from search.run_together import (
    also_written_apart,
    said_in,
    split_run_together,
    split_written_apart,
)
from search.scored import Scored, coordinated, intersect
from search.scoring import (
    MAX_PREFIX_TERMS,
    asked_groups,
    coordination_idf,
    unit_scores,
)
from search.snippets import Matcher
from search.state import IndexState, state_of
from search.synonyms import SYNONYM_WEIGHT, Synonyms
from search.topics import files_by_topic
from search.typed_dates import typed_dates, without
from search.typos import (
    nearest,
    suggest,
)

SORTS = ("relevance", "newest", "oldest")
PARTIAL_MATCH = "No article has all of the words; showing those with some of them."
MAX_PAGE = 1000


class SearchError(ValueError):
    """A parameter that cannot be used (page 0, an unknown sort…); the message says why."""


@dataclass
class Results:
    query: str
    parsed: str = ""
    warnings: list[str] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    took_ms: float = 0.0
    did_you_mean: str | None = None
    corrections: list[dict] = field(default_factory=list)
    synonyms: list[dict] = field(default_factory=list)
    hits: list[dict] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    sort: str = "relevance"
    filters: dict[str, list[str]] = field(default_factory=dict)
    collapse: bool = True
    collapsed: int = 0  # matching articles not shown because another version of them is
    partial: bool = False  # a step stopped at the time limit: total or ranking is a part
    loosened: list[str] = field(default_factory=list)  # phrases no post has, searched as words
    # categories and tags the query names ("customer care"), which a reader may filter by
    named: list[dict] = field(default_factory=list)
    # the request the answer is to, as parameters, when the query's words were read as
    # filters ("pricing by alice smith": {"q": "pricing", "author": ["Alice Smith"]};
    # see readings), or None; `correct=false` reads them as words
    read_as: dict | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def corrected(self) -> bool:
        """Whether a word of the query was changed (a rare word searched with its near
        words is kept as typed: see widen_rare_word)."""
        return any(not c.get("rare") for c in self.corrections)

    def to_dict(self) -> dict:
        return {
            "ok": True,
            "query": self.query,
            "parsed": self.parsed,
            "warnings": self.warnings,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "sort": self.sort,
            "filters": self.filters,
            "collapse": self.collapse,
            "collapsed": self.collapsed,
            "distinct": self.total - self.collapsed,
            "partial": self.partial,
            "took_ms": round(self.took_ms, 2),
            "did_you_mean": self.did_you_mean,
            "corrections": self.corrections,
            "synonyms": self.synonyms,
            "loosened": self.loosened,
            "named": self.named,
            "read_as": self.read_as,
            "hits": self.hits,
            "facets": self.facets,
        }


# --- parameters ---------------------------------------------------------------------


def check_params(page, per_page, sort, max_per_page) -> tuple[int, int, str | None]:
    try:
        page, per_page = int(page), int(per_page)
    except (TypeError, ValueError):
        raise SearchError("page and per_page must be whole numbers") from None
    if not 1 <= page <= MAX_PAGE:
        raise SearchError(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= per_page <= max_per_page:
        raise SearchError(f"per_page must be between 1 and {max_per_page}")
    if sort is not None and sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    return page, per_page, sort


def merge_filters(parsed: ParsedQuery, filters: dict | None) -> None:
    for name, values in (filters or {}).items():
        if values in (None, "", []):
            continue
        values = [values] if isinstance(values, str) else list(values)
        values = [v for v in values if str(v).strip()]  # an empty value is no filter
        if not values:
            continue
        if name in ("after", "before"):
            day = parse_day(str(values[0]))
            if day is None:
                raise SearchError(f"{name} must be a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            setattr(parsed, name, day)
            continue
        if name not in FILTER_FIELDS:
            raise SearchError(f"unknown filter {name!r}; filters are {', '.join(FILTER_FIELDS)}")
        if name == "year":  # (as the API says it: a library or CLI caller got 0 results)
            for value in values:
                if not is_year(str(value)):
                    raise SearchError(f"year must be a year (YYYY) or 'undated', not {value!r}")
        target = parsed.filters.setdefault(name, [])
        target += [str(v) for v in values if str(v) not in target]


def canonical_filters(parsed: ParsedQuery, state: IndexState) -> None:
    """Match filter values to the index's own spelling: as written if a value is spelt
    so, else case-insensitively, to every value spelt so ("TOM": "Tom" and "tom").
    (Matched case-insensitively first, the author "Tom" of 34 posts was taken for the
    author "tom" of one: the facet offered 34, the filter showed 1.)"""
    for target in (parsed.filters, parsed.exclude):
        for name, values in target.items():
            spelt = state.facets.get(name, {})
            by_case: dict[str, list[str]] = {}
            fixed: list[str] = []
            for value in values:
                if value in spelt:
                    found = [value]
                else:
                    if not by_case:
                        for v in spelt:
                            by_case.setdefault(v.lower(), []).append(v)
                    found = by_case.get(value.lower(), [])
                if not found:
                    parsed.warn(f"No article has {name} {value!r}.")
                    found = [value]
                fixed += [v for v in found if v not in fixed]
            target[name] = fixed


# --- typos ----------------------------------------------------------------------------


def match_again(parsed: ParsedQuery, state: IndexState, deadline: float) -> Scored:
    """`match` once more, for a query changed after its first match (a real-word typo
    corrected, phrases loosened): the first match's partial-match warning goes, and the
    new match adds it again if it applies."""
    parsed.warnings = [w for w in parsed.warnings if w != PARTIAL_MATCH]
    return match(parsed, state, deadline)[0]


def left_out_all(parsed: ParsedQuery, state: IndexState, deadline: float) -> bool:
    """Whether the words to leave out are what left nothing ('"from hell" -customer',
    where every post with the phrase has the word): then the phrase is not loosened."""
    if not parsed.negatives:
        return False
    # (a look only: what matching notes on the query is put back)
    kept = (parsed.negatives, list(parsed.warnings), parsed.coordinated, parsed.group_sizes)
    parsed.negatives = []
    try:
        return bool(len(match(parsed, state, deadline)[0]))
    finally:
        parsed.negatives, parsed.warnings, parsed.coordinated, parsed.group_sizes = kept


def loosen_phrases(parsed: ParsedQuery) -> list[Unit]:
    """Each typed phrase of several words that is a group of its own becomes one group
    per word, as if typed without quotes (stop words then not required), and so do the
    words of a word typed without its spaces ("#ageofcustomers": no post has "age of
    customers" word for word); gives the phrases so changed (none: nothing to loosen)."""
    loosened, groups = [], []
    for group in parsed.groups:
        unit = group[0]
        if len(group) == 1 and unit.phrase and len(unit.words) > 1 and not unit.synonym:
            loosened.append(unit)
            groups += [[Unit([w], original=w, fields=unit.fields)] for w in unit.words]
        elif len(group) == 2 and group[1].split:
            loosened.append(group[1])
            groups += [[Unit([w], original=w, fields=group[1].fields)] for w in group[1].words]
        else:
            groups.append(group)
    if loosened:
        parsed.groups = groups
    return loosened


# --- matching -------------------------------------------------------------------------


def prefix_words(unit: Unit, state: IndexState, parsed: ParsedQuery) -> list[str]:
    words, cut = state.vocabulary.with_prefix(unit.words[0], MAX_PREFIX_TERMS)
    if cut:
        parsed.warn(f"{unit.words[0]}* matches many words; the {MAX_PREFIX_TERMS} most "
                    f"frequent were used.")  # fmt: skip
    return words


def scores_of(unit: Unit, state: IndexState, parsed: ParsedQuery, deadline: float) -> Scored:
    """The documents that match `unit`, scored; for a word only categories or tags have
    ("entrepreneurship"), the posts filed under them too (search/topics.py), whether the
    unit is searched for or left out ("-entrepreneurship")."""
    words = prefix_words(unit, state, parsed) if unit.prefix else None
    found = unit_scores(state, unit, deadline, words)
    if files_by_topic(unit, state.vocabulary):
        found = found.plus(state.topics.scores(unit.words[0], state.all_mask.bit_count()))
    return found


def load_for_words(parsed: ParsedQuery, state: IndexState) -> None:
    """Make now what the query's words need loaded once per process, before its time
    limit starts: a word no vocabulary has is stemmed by NLTK's stemmer, made on the
    first such word (0.13-0.45 s, the import), and looked up among the categories' and
    tags' words by their stems (as are two words a category's name joins, "start ups").
    Counted against the limit, that load cut short a cold `rocksearch search "start
    ups"` on a busy machine, which then found nothing."""
    vocab, topics = state.vocabulary.df, state.topics
    words = parsed.words_in_order()
    pairs = zip(words, words[1:], strict=False)
    joined = [a + b for a, b in pairs if topics.knows(a + b, forms=False)]
    for word in words + [w for u in parsed.negatives for w in u.words] + joined:
        if word not in vocab:
            STEMS[word]  # (a word no vocabulary taught: NLTK's stemmer is made)
            topics.knows(word)


def is_a_title(query: str, state: IndexState, deadline: float) -> bool:
    """Whether a post's title has the words of `query`, as typed and in order."""
    words = parse_query(query).words_in_order()
    if len(words) < 2:
        return False
    probe = parse_query('title:"{}"'.format(" ".join(words)))
    load_for_words(probe, state)
    try:
        scores, partial = match(probe, state, deadline)
    except TimeLimit:
        return False
    return bool(len(scores)) and not partial


def match(parsed: ParsedQuery, state: IndexState, deadline: float) -> tuple[Scored, bool]:
    """The scores of the documents the text of the query matches; and if partial.

    Stop words ("the", "a") are matched only in phrases, or when the query has nothing
    else: they are in nearly every article, so requiring them costs much and selects
    nothing. They still count for the phrase bonus and are marked in snippets. Question
    words ("why") add their score where they are, but are not required (asked_groups).
    """
    groups = []
    required, asking = asked_groups(parsed)
    for group in required:
        merged = Scored.empty()
        typed_best = 0.0
        for unit in sorted(group, key=lambda u: u.synonym):  # what was typed first
            found = scores_of(unit, state, parsed, deadline)
            best = found.best()
            if not unit.synonym:
                typed_best = max(typed_best, best)
            elif typed_best and best and unit.weight:  # (0: matches only, see fix_typos)
                # What was typed ranks above its synonyms: the best synonym match counts
                # at most SYNONYM_WEIGHT of the best match of the word typed. Words typed
                # apart, joined as the posts write them ("smart phones": "smartphones"),
                # are the words typed, not a synonym: their best counts as much as the
                # best match of the word typed (at SYNONYM_WEIGHT, the post about
                # smartphones came after one that says "smart" and "phone" apart).
                most = 1.0 if unit.joined else SYNONYM_WEIGHT
                unit.weight = min(most, most * typed_best / best)
            if unit.alternative:
                # (One word typed, read two ways: "write this on a rok" found a post
                # that says "rock" and "ROI" above those that say "rock" alone.)
                merged = merged.or_better(found, unit.weight)
            else:
                merged = merged.plus(found, unit.weight)
        groups.append(merged)
    if len(groups) > 1:
        # For explain: each group's idf as coordination weighs it (see coordinated).
        parsed.group_sizes = [len(g) for g in groups]
    groups.sort(key=len)
    first, rest = groups[0], groups[1:]
    scores = intersect(first, rest) if rest else first
    partial = False
    if not len(scores) and len(groups) > 1:
        # Each word weighs its idf: a document with the query's rare words outranks one
        # with only its common words, whatever fields they are in.
        documents = state.all_mask.bit_count()
        scores = coordinated(groups, [coordination_idf(len(g), documents) for g in groups])
        if len(scores):
            partial = parsed.coordinated = True
            parsed.warn(PARTIAL_MATCH)
    for group in asking:  # (question words: more score where they are, never required)
        for unit in group:
            scores = scores.added(scores_of(unit, state, parsed, deadline), unit.weight)
    for unit in parsed.negatives:
        scores = scores.without(scores_of(unit, state, parsed, deadline).ids)
    return scores, partial


# --- the search -----------------------------------------------------------------------


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
    if "year" in chosen:
        return
    dated = parsed.after is not None or parsed.before is not None
    for date in typed_dates(query, state):
        if dated and "year" not in date.filters:
            continue  # (the reader's own dates stand)
        rest = without(query, date.words) if date.rest is None else date.rest
        yield rest, date.filters, date.warning, date.if_none


def _read_as(found: Results, query: str | None, warning: str, read: dict) -> Results:
    """The answer `found` to the query read with the filters `read` (an author's or a
    period's posts, the rest of its words searched), as the answer to `query` as typed,
    saying so."""
    # (`found` answers the rest of the words, left_of_a_filter's: its query is them, or
    # what was left of them after a reading of their own, which then stands)
    found.read_as = {"q": found.query, **read, **(found.read_as or {})}
    found.query = query or ""
    if found.corrected:  # (said of the whole query)
        found.did_you_mean = corrected_text(found.query, found.corrections)
    found.warnings.insert(0, warning)
    return found


def _said_word(state: IndexState) -> Callable[[str], bool]:
    """said(word): whether a post says `word`, in either number."""
    df = state.vocabulary.df
    return lambda word: any(form in df for form in (word, word + "s", word.removesuffix("s")))


def _says(state: IndexState) -> Callable[[list[str]], bool]:
    """says(words): whether a post has `words` in its title or body, in that order (past
    the time for phrase lookups, yes: then they are searched as words)."""
    df, said = state.vocabulary.df, said_in(state, past_time=True)
    return lambda words: all(w in df for w in words) and (len(words) == 1 or said(words))


def search(
    index: str | Path | IndexState,
    query: str = "",
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 10,
    sort: str | None = None,
    *,
    collapse: bool = True,
    max_per_page: int = 100,
    snippet_chars: int = 220,
    time_limit: float = 0.5,
    base_url: str = "",
    groups: dict | None = None,
    correct: bool = True,
    synonyms: Synonyms | None = None,
    pins: dict | None = None,
    explain: bool = False,
    maxims: bool | None = None,
) -> Results:
    """Search the index; see the module docstring. Raises SearchError for bad parameters.
    `groups` pins the duplicate groups to use (default: the state's, as they are now);
    `correct=False` searches the words as typed (the "search instead for" link);
    `synonyms` expands the query's words (search/synonyms.py); `pins` ({"top": [ids],
    "hide": [ids]}) puts articles first on page 1 in that order, or leaves them out;
    `explain` adds to each hit how its score was made (search/explain.py);
    "write this on a rock …" asks for the maxims, and is read as words when no maxim
    has the words that follow; `maxims=True` keeps it the maxims' (the maxims page),
    `maxims=False` reads it as words. `sort=None` ranks by relevance, or in the order the
    query's words ask for ("latest posts on pricing": newest first, and a warning says
    so); a sort given stands."""
    started = time.perf_counter()
    page, per_page, sort = check_params(page, per_page, sort, max_per_page)
    # The call as made, for the answers that search again with the query read otherwise
    # (bound now: `groups` is reassigned below).
    again = functools.partial(
        search, index, page=page, per_page=per_page, sort=sort, collapse=collapse,
        max_per_page=max_per_page, snippet_chars=snippet_chars, time_limit=time_limit,
        base_url=base_url, groups=groups, correct=correct, synonyms=synonyms, pins=pins,
        explain=explain, maxims=maxims,
    )  # fmt: skip
    parsed = parse_query(query or "")
    merge_filters(parsed, filters)
    state = state_of(index)
    # Loading a generation (once per process and generation) is not the query's time.
    state.warm()
    read_request(parsed, state.vocabulary.df)  # ("posts about pricing": pricing)
    # ("oldest posts": every post, the first first; "latest posts on pricing": those,
    # newest first), where the request chose no order itself.
    ordered_by_words = sort is None and parsed.order is not None
    if ordered_by_words and is_a_title(query, state, time.perf_counter() + time_limit):
        # ("latest php upgrade", of a post titled "Latest PHP upgrade": the words of the
        # title the reader remembers, not the latest posts about "php upgrade")
        parsed, ordered_by_words = parse_query(query), False
        merge_filters(parsed, filters)
    sort = parsed.order if ordered_by_words else sort or "relevance"
    load_for_words(parsed, state)
    deadline = time.perf_counter() + time_limit
    canonical_filters(parsed, state)
    for rest, read, warning, if_none in readings(query, parsed, state) if correct else ():
        # The query's words name filters: a kind of post, an author, a period (see
        # readings). Its other words are searched with them, the filters are the answer's
        # (`filters` or `parsed`), and the answer says so. (`correct=false`, the "search
        # instead for" link, keeps them words.)
        # (What asks for nothing but posts is no words to search: "from" of "from 2022",
        # "from" and "2022" left of "podcasts from 2022", had found no post of 2022.)
        found = again(left_of_a_filter(rest), {**(filters or {}), **read})
        if found.total or if_none:
            # ("posts from last year", of a blog quiet since: "No post is from …")
            return _read_as(found, query, warning if found.total else if_none, read)
    results = Results(query=query or "", page=page, per_page=per_page, sort=sort,
                      collapse=bool(collapse))  # fmt: skip
    expanded = synonyms.expand(parsed) if synonyms else []
    protected = synonyms.protected if synonyms else frozenset()
    # ("ten tips": "10 tips" too; "part iii": "part 3", which is no typo of "ii"; "govt":
    # "government" too, where it had been corrected to "got")
    protected = protected | widen_words(parsed, state.vocabulary.df)
    results.corrections = fix_typos(parsed, state, protected) if correct else []
    results.synonyms = expanded
    maxim_only = maxims is not False and strip_maxim_words(parsed)
    if correct:
        join_split_words(parsed, state)
        # (Words still not the collection's, typos corrected: "phd" is "Ph.D.", but
        # "seta" was "seat", not "set a", which posts say too.)
        split_written_apart(parsed, state)
        results.corrections += split_run_together(parsed, state)
        also_written_apart(parsed, state)  # ("email": "e-mail" too)
        also_initials(parsed, state)  # ("uk": "U.K." too)

    scores = Scored.empty()
    typed = Scored.empty()  # what the words as typed found, kept first (a real-word typo)
    as_typed = parsed
    text_mask = state.all_mask
    for unit in parsed.negatives if parsed.match_all else []:
        # Only words to leave out ("-customer"): every article but those with them.
        text_mask &= ~mask_of(scores_of(unit, state, parsed, deadline).ids)
    if not parsed.match_all:
        try:
            scores, partial = match(parsed, state, deadline)
            found = 0 if partial else len(scores)
            real = None
            if correct and found <= HANDFUL and len(parsed.units) > 1:
                # (A rare word already searched with its near words is not changed.)
                widened = {c["from"] for c in results.corrections if c.get("rare")}
                real = real_word_typo(parsed, state, found, widened)
            if real:
                if found:
                    # A handful found: those may be just what was meant (a post that has
                    # the word as typed), so they stay first, and the change's posts
                    # follow them (on relevance; by date, all are in date order).
                    typed, as_typed = scores, copy.deepcopy(parsed)
                    real = {**real, "typed_first": True}
                for unit in parsed.typed_units:
                    if not unit.prefix and not unit.phrase:
                        unit.words = [real["to"] if w == real["from"] else w for w in unit.words]
                results.corrections.append(real)
                scores = match_again(parsed, state, deadline)
                if len(typed):
                    scores = scores.without(typed.ids).plus(typed)
            elif correct and partial and (completed := complete_partial(parsed, state)):
                # No post has every word, but one has them with a word the last begins
                # ("thank you is gold": "golden").
                results.corrections.append(completed)
                parsed.coordinated = False
                scores = match_again(parsed, state, deadline)
            typed_groups = parsed.groups  # (loosen_phrases makes new ones)
            if (correct and not len(scores) and not left_out_all(parsed, state, deadline)
                    and (loosened := loosen_phrases(parsed))):  # fmt: skip
                # A half-remembered quotation ("write this on the rock"): no post has
                # it word for word, so its words are searched, as web search engines
                # do, and the answer says so (`correct=false` keeps the phrase exact).
                # Words joined by punctuation ("tY+gj") are loosened too, unsaid: the
                # reader typed no phrase.
                results.loosened = [" ".join(u.words) for u in loosened]
                scores = match_again(parsed, state, deadline)
                if parsed.coordinated and all(u.split for u in loosened):
                    # No post has all the words of a word's split ("dissapoint" as "dis
                    # sa point"): it was no split, and some of them are no answer.
                    parsed.groups, parsed.coordinated, results.loosened = typed_groups, False, []
                    parsed.warnings = [w for w in parsed.warnings if w != PARTIAL_MATCH]
                    scores = Scored.empty()
                    splits = {" ".join(u.words) for u in loosened}  # (and no typo in one)
                    results.corrections = [c for c in results.corrections
                                           if c["to"] not in splits]  # fmt: skip
                quoted = ", ".join(f'"{" ".join(u.words)}"' for u in loosened
                                   if u.original.startswith('"'))  # fmt: skip
                if quoted:
                    parsed.warn(
                        f"No post has the exact phrase {quoted}; showing posts with its words."
                    )
        except TimeLimit:
            parsed.cut_short = True
            parsed.warn("The query took too long to match and was stopped; try fewer words.")
        text_mask = mask_of(scores.ids)
    text_docs = scores.ids if not parsed.match_all else None  # (text_mask's, for facets)
    restrictions = restriction_masks(parsed, state, maxim_only)
    final = text_mask
    for m in restrictions.values():
        final &= m
    pin_docs = pin_docnums(state, pins)
    pinned, final, scores = apply_pins(pin_docs, restrictions, final, scores)
    bonuses: dict[int, dict] = {}
    leading = [(d, None) for d in pinned]  # what takes the first places of page 1
    if len(typed) and sort == "relevance":
        # In the order (and with the scores) the query as typed gives them.
        kept = typed.within(mask_bits(final))
        if len(kept):
            leading += rank(state, as_typed, kept, final, restrictions, 0, len(kept),
                            NO_GROUPS, 0, deadline, bonuses)  # fmt: skip
        scores = scores.without(kept.ids)
        for d in kept.ids.tolist():
            final &= ~(1 << d)
    results.total = final.bit_count() + len(leading)
    if pins:  # the posts shown: the hidden ones not, the pinned ones too
        text_mask, text_docs = pinned_matches(pin_docs, text_mask), None
    results.facets = count_facets(state, text_mask, restrictions, parsed, text_docs)
    results.filters = {k: list(v) for k, v in parsed.filters.items()}

    if not collapse:
        groups = NO_GROUPS
    elif groups is None:
        groups = state.groups
    if maxim_only and groups["docnums"]:
        groups = split_by_maxim(state, groups)
    results.collapsed = hidden_copies(groups, final)
    # Pinned articles (and the posts of a real-word typo as typed) take the first places
    # of page 1: the ranked list starts after them.
    first, count = (page - 1) * per_page, per_page
    if leading:
        first, count = 0, page * per_page
    if len(scores) and sort == "relevance":
        scored = rank(state, parsed, scores, final, restrictions, first, count, groups,
                      results.collapsed, deadline, bonuses)  # fmt: skip
    else:
        scored = by_date(state, final, sort, first, count, groups)
    if leading:
        scored = (leading + scored)[(page - 1) * per_page : page * per_page]
    typed_words = [c["from"] for c in results.corrections if c.get("typed_first")]
    # (A paragraph with only a question's word, "what is the tone…" for "what is
    # relevance", or another reading of a corrected word, is a weaker snippet.)
    asked = {w for group in asked_groups(parsed)[1] for u in group for w in u.words}
    matcher = Matcher.for_words(
        [w for u in parsed.units if not u.prefix for w in u.words] + typed_words,
        [u.words[0] for u in parsed.units if u.prefix],
        {w for u in parsed.units if u.alternative for w in u.words} | asked,
    )
    pinned_set = set(pinned)
    # A post that says the words only in the author's bio line or a blurb many posts
    # share ("age of the customer book": the bio names the book) comes after the page's
    # posts that say them in their own text, in the order it had among those like it.
    # (Of the page only: its snippet, where this is seen, is made for it.)
    aside = []
    for docnum, score in scored:
        fields = state.stored_fields(docnum)
        hit, boilerplate_only = make_hit(fields, score, matcher, snippet_chars, base_url)
        hit["pinned"] = docnum in pinned_set
        hit["other_versions"] = other_versions(groups, docnum, hit["id"])
        if explain:
            hit["explain"] = explain_hit(state, parsed, docnum, hit, bonuses.get(docnum, {}),
                                         results, groups)  # fmt: skip
        if maxim_only and hit["maxim"] and not parsed.groups:
            hit["maxim_html"] = escape(hit["maxim"])  # the maxim is what was asked for
        if boilerplate_only and sort == "relevance" and not hit["pinned"]:
            aside.append(hit)
        else:
            results.hits.append(hit)
    results.hits += aside
    if maxim_only and maxims is None and results.total == 0 and not parsed.cut_short:
        # No maxim has the words that follow, or the collection has no maxims (a blog
        # whose posts say "write this on a rock" in passing): the posts with the words.
        return again(query, filters, maxims=False)
    results.partial = parsed.cut_short
    words = parsed.words_in_order()
    # (Offered where the posts say a word of it, so the answer may miss posts filed under
    # it; a name no post says found those posts already, as did an answer that is the
    # posts filed under it, "start ups". Filters chosen are not offered.)
    if not maxim_only and not parsed.negatives:
        named = []
        if any(w in state.vocabulary.df for w in words):
            named = state.topics.named(words)
            if author := state.authors.named(words):  # ("carol king", whom the posts name)
                count = state.facets["author"][author].bit_count()
                named.append({"facet": "author", "value": author, "count": count})
        kinds = state.facets.get("kind", {})
        for kind in dict.fromkeys(KIND_WORDS[w] for w in words if w in KIND_WORDS):
            if kind in kinds:  # ("videos", which the posts say: every video post offered)
                named.append({"facet": "kind", "value": kind, "count": kinds[kind].bit_count()})
        facets = results.facets
        results.named = [
            n for n in named
            if n["value"] not in parsed.filters.get(n["facet"], [])
            and not results.total == n["count"] == facets.get(n["facet"], {}).get(n["value"])
        ]  # fmt: skip
    if results.corrected:
        results.did_you_mean = corrected_text(results.query, results.corrections)
    elif (
        results.total < SUGGEST_BELOW
        and not results.corrections
        and not parsed.match_all
        and correct
    ):
        # (Not beside a word searched with its near words: the page would say "showing
        # results for" of a spelling that was only offered.)
        results.did_you_mean = suggestion(parsed, state, results.query, results.total)
        if (results.did_you_mean and not results.total
                and not again(results.did_you_mean, filters, correct=False).total):  # fmt: skip
            results.did_you_mean = None  # (what finds nothing either is no help)
    if results.total == 0:
        parsed.warn("No article matches; try fewer words, other words, or fewer filters.")
    elif ordered_by_words and not parsed.match_all:
        # (A date order over posts found by words may not put the best match first; every
        # article listed needs no such note.)
        parsed.warn(f"{sort.capitalize()} first, as the search asks; sort by relevance "
                    "for the best matches first.")  # fmt: skip
    results.parsed = ("write this on a rock " if maxim_only else "") + parsed.describe()
    results.warnings = parsed.warnings
    results.took_ms = (time.perf_counter() - started) * 1000
    return results


def pin_docnums(state: IndexState, pins: dict | None) -> tuple[list[int], list[int]]:
    """(the docnums of the articles `pins` puts on top, in its order, each once; those of
    the articles it hides), live documents only (docnum_of)."""
    top: list[int] = []
    hide: list[int] = []
    for key, found in (("top", top), ("hide", hide)):
        for article_id in (pins or {}).get(key, []):
            d = state.docnum_of(article_id)
            if d is not None and d not in found:
                found.append(d)
    return top, hide


def apply_pins(pins: tuple[list[int], list[int]], restrictions: dict, final: int,
               scores: Scored):  # fmt: skip
    """([docnum] of the pinned articles (`pins`: pin_docnums') that pass the filters, in
    their order; the matches without them and without the hidden ones; the scores
    without them)."""
    top, hide = pins
    if not top and not hide:
        return [], final, scores
    pinned = [d for d in top if all((m >> d) & 1 for m in restrictions.values())]
    for d in (*hide, *top):
        final &= ~(1 << d)
    # (ranking walks the scores: out of them too)
    return pinned, final, scores.without(np.array([*hide, *top], dtype=np.int64))


def pinned_matches(pins: tuple[list[int], list[int]], text_mask: int) -> int:
    """The mask of what the query's text matched as the reader is shown it: without the
    posts hidden, with those pinned to the top (matched or not; `pins`: pin_docnums'),
    which the facets count (they counted hidden posts, and, for a facet of many values,
    not the pinned)."""
    top, hide = pins
    for d in hide:
        text_mask &= ~(1 << d)
    for d in top:
        text_mask |= 1 << d
    return text_mask


# What the site calls the maxims (its /maxims page, its menu): a query that begins or ends
# with one asks for them as "write this on a rock …" does ("customer from hell maxim").
MAXIM_NAMES = frozenset({"maxim", "maxims"})


def strip_maxim_words(parsed: ParsedQuery) -> bool:
    """'write this on a rock …', '… maxim' and 'maxims …' ask for maxims: keep the
    other words, filter to maxims. (Where no maxim has them, the search reads the query
    as words again: a blog that says "maxims" in passing, or has none.)"""
    units = [u for g in parsed.groups for u in g]
    words = [w for u in units for w in u.words]
    groups = parsed.groups
    lead = 0  # ("the maxims", "any maxim on …")
    while lead < len(groups) - 1 and plain_word(groups[lead]) in DETERMINERS:
        lead += 1
    for n in (lead, -1):
        if groups and plain_word(groups[n]) in MAXIM_NAMES:
            if n == -1:
                del groups[-1]
            else:
                del groups[: n + 1]
                # ("maxims about customers", "the maxim on relevance": the rest is the subject)
                while len(groups) > 1 and plain_word(groups[0]) in LINKS:
                    del groups[0]
            parsed.match_all = not groups
            return True
    if len(parsed.groups) != len(units) or words[: len(MAXIM_WORDS)] != MAXIM_WORDS:
        return False
    if any(u.fields for u in units[: len(MAXIM_WORDS)]):
        return False  # (title:"write this on a rock": a title, not the maxims)
    # (Counted before any is taken: a phrase that runs past the label, '"write this on a
    # rock customer', is no maxim query and must be left whole, where it was emptied.)
    taken = n = 0
    while n < len(parsed.groups) and taken < len(MAXIM_WORDS):
        taken += len(parsed.groups[n][0].words)
        n += 1
    if taken != len(MAXIM_WORDS):
        return False
    del parsed.groups[:n]
    if not parsed.groups:
        parsed.match_all = True
    return True


def rank(state, parsed, scores, final, restrictions, first, count, groups, hidden, deadline,
         bonuses=None):  # fmt: skip
    """[(docnum, score)] of ranks first..first+count: BM25F, then the top candidates
    re-ranked; one article per duplicate group when collapsing (`hidden` more are
    fetched for that). `bonuses` gets what re-ranking added to each ({docnum: parts})."""
    candidates = scores.within(mask_bits(final)) if restrictions else scores
    want = first + count
    # Enough candidates for the page once other versions are left out: `hidden` is how
    # many may be; fetching them all (thousands at 100k) cost more than the search.
    # nlargest's first n are the same for any larger n, so asking again with more
    # gives the same order.
    k = max(want, RERANK) + min(hidden, 2 * want + 16)
    extra = headline_matches(state, parsed, candidates, deadline)
    while True:
        top = candidates.top(k)
        ranked = rerank(state, top, parsed, deadline, bonuses, extra)
        if groups["group_of"]:
            ranked = list(collapsed_order(ranked, groups))
        if len(ranked) >= want or len(top) < k or k >= max(want, RERANK) + hidden:
            return ranked[first:want]
        k = min(4 * k, max(want, RERANK) + hidden)


def by_date(state, final, sort, first, per_page, groups):
    """[(docnum, None)] of ranks first..first+per_page in date order; undated articles
    last either way."""
    if not final:
        return []
    order = state.oldest_first if sort == "oldest" else state.newest_first
    if final.bit_count() * 8 < len(order):
        # Few matches: sort them, rather than walk every document in date order.
        position = state.position(sort == "oldest")
        matching = ((d, None) for d in sorted(docnums_of(final), key=position.__getitem__))
    else:
        bits = bitmap(final)
        matching = ((d, None) for d in order if has(bits, d))
    skip, out = first, []
    for d, _ in collapsed_order(matching, groups):
        if skip:
            skip -= 1
            continue
        out.append((d, None))
        if len(out) == per_page:
            break
    return out


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
        else:
            better = (suggest(word, state.vocabulary, most=1, gain=SUGGEST_FOUND_GAIN) if found
                      else suggest(word, state.vocabulary))  # fmt: skip
        if better and STEMS[better] != STEMS[word]:
            changes.append({"from": word, "to": better})
    return corrected_text(text, changes) if changes else None


def list_maxims(index: str | Path | IndexState) -> list[dict]:
    """Every post with a maxim, newest first: id, title, date, maxim, source."""
    state = state_of(index)
    bits = bitmap(state.maxim_mask)
    out = []
    for docnum in state.newest_first:
        if has(bits, docnum):
            s = state.stored_fields(docnum)
            out.append({"id": s["id"], "title": s["title"], "date": s.get("date"),
                        "maxim": s.get("maxim"), "source": s.get("source")})  # fmt: skip
    return out
