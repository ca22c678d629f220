"""The search function: one query in, one results object out, for CLI, page and API alike.

Takes an index folder (or a loaded `IndexState`), the query text, facet filters, page,
page size and sort (`search`); gives `Results`, whose `to_dict()` is the JSON every
front end shows. Bad parameters raise `SearchError` (a 400 on the web); odd query text
never raises: it is read leniently (`search.query`) and `warnings` says how.

How a query runs (each step's module named):
1. parse (`search.query`); correct words the collection does not have, choosing among
   near words (`search.typos`) by the query's other words (`search.corrections`);
   split words typed without their spaces (`search.run_together`);
2. the matching documents (`search.matching`): each word or phrase scored with BM25F
   from its postings (`search.scoring`, `search.phrases`; scores as arrays:
   `search.scored`); groups AND together (falling back to a coordinated OR when no
   document has every word), negations and filters (`search.facets`) are ANDed in, and
   the pins in force applied (`search.pins`);
3. totals, and facet counts among the matches, a facet's own selection left out so
   that several values of it can be picked (`search.facets`);
4. ranking (`search.ranking`): the top candidates re-ranked so that a query that is
   (nearly) a post's title or maxim puts that post first (`search.rerank`), one post
   per duplicate group (`search.collapse`);
5. the page's hits, with snippets and highlighted titles (`search.hits`), and a
   likelier spelling for a query that finds little (`search.did_you_mean`).

Some readings search again, and say so: words that name filters (`search.readings`: a kind of
post, "podcasts"; an author, "posts by alice smith"; a period, "posts since 2021", or a
year typed that no article says but some are dated in) are read as those filters, the
rest searched with them; "write this on a rock …" that no maxim answers is read as
words.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from search.asking import read_request, widen_words
from search.bitmasks import bitmap, has, mask_bits, mask_of
from search.collapse import NO_GROUPS, hidden_copies, other_versions, split_by_maxim
from search.corrections import corrected_text, fix_typos
from search.did_you_mean import did_you_mean
from search.explain import explain_hit
from search.facets import count_facets, restriction_masks
from search.fillers import left_of_a_filter
from search.hits import make_hit
from search.initials import also_initials
from search.kinds import KIND_WORDS
from search.matching import (
    TextMatch,
    exact_phrase_warning,
    is_a_title,
    load_for_words,
    match_text,
    scores_of,
    unquote_phrases,
)
from search.maxim_query import strip_maxim_names, strip_maxim_words
from search.phrase_forms import add_gap_forms, add_phrase_forms
from search.pins import apply_pins, pin_docnums, pinned_matches
from search.query import FILTER_FIELDS, ParsedQuery, is_year, parse_day, parse_query
from search.ranking import by_date, rank
from search.readings import readings
from search.run_together import (
    also_written_apart,
    split_after_a_letter,
    split_run_together,
    split_written_apart,
)
from search.scored import Scored
from search.scoring import asked_groups
from search.search_params import SORTS, SearchError
from search.snippets import Matcher
from search.split_words import join_split_words
from search.state import IndexState, state_of
from search.synonyms import Synonyms

# A query read again (a quoted phrase no post has, as its words) has at least this much
# of its time limit left, so that it gives some answer.
LEAST_TIME_LEFT = 0.05
MAX_PAGE = 1000


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


# --- the search -----------------------------------------------------------------------


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
    unquote: bool = False,
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
    so); a sort given stands. `unquote` searches the words of the query's quoted phrases
    as if typed without the quotes, and says so: the answer to a phrase no post has."""
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
    parsed, ordered_by_words = _asked_order(parsed, query, filters, sort, state, time_limit)
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
    # (After the lead-ins and filters are read: quoted words are the reader's words.)
    unquoted = unquote_phrases(parsed) if unquote else []
    results = Results(query=query or "", page=page, per_page=per_page, sort=sort,
                      collapse=bool(collapse))  # fmt: skip
    if unquoted:
        results.loosened = [" ".join(u.words) for u in unquoted]
        parsed.warn(exact_phrase_warning(unquoted))
    maxim_only = _reword(parsed, state, results, synonyms, correct, maxims)

    text_mask = state.all_mask
    for unit in parsed.negatives if parsed.match_all else []:
        # Only words to leave out ("-customer"): every article but those with them.
        text_mask &= ~mask_of(scores_of(unit, state, parsed, deadline).ids)
    found = TextMatch(Scored.empty(), Scored.empty(), parsed)
    if not parsed.match_all:
        found = match_text(parsed, state, deadline, results.corrections, results.loosened,
                           correct, state.maxim_mask if maxim_only else None)  # fmt: skip
        if found.unquote and not unquote:
            # (A quoted phrase no post has: its words, read as if typed without the
            # quotes, typos corrected and a word cut short completed; in the time left,
            # so that the two passes together keep to the limit.)
            left = max(deadline - time.perf_counter(), LEAST_TIME_LEFT)
            return again(query, filters, unquote=True, time_limit=left)
        text_mask = mask_of(found.scores.ids)
    scores, typed = found.scores, found.typed
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
        first_typed, scores, final = _typed_first(state, found, scores, final, restrictions,
                                                  deadline, bonuses)  # fmt: skip
        leading += first_typed
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
    shown = Shown(groups, set(pinned), bonuses, snippet_chars, base_url, explain, maxim_only)
    results.hits = page_hits(state, parsed, scored, results, shown)
    if maxim_only and maxims is None and results.total == 0 and not parsed.cut_short:
        # No maxim has the words that follow, or the collection has no maxims (a blog
        # whose posts say "write this on a rock" in passing): the posts with the words.
        return again(query, filters, maxims=False)
    results.partial = parsed.cut_short
    if not maxim_only and not parsed.negatives:
        results.named = named_filters(state, parsed, results)
    if results.corrected:
        results.did_you_mean = corrected_text(results.query, results.corrections)
    elif not results.corrections and not parsed.match_all and correct:
        # (Not beside a word searched with its near words: the page would say "showing
        # results for" of a spelling that was only offered.)
        results.did_you_mean = did_you_mean(
            parsed, state, results.query, results.total,
            lambda text: again(text, filters, correct=False).total > 0,
        )  # fmt: skip
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


def _asked_order(parsed: ParsedQuery, query: str, filters: dict | None, sort: str | None,
                 state: IndexState, time_limit: float) -> tuple[ParsedQuery, bool]:  # fmt: skip
    """The query without the words that only ask ("posts about pricing": pricing), and
    whether its words ask for an order the request did not choose ("oldest posts": every
    post, the first first; "latest posts on pricing": those, newest first): then
    `parsed.order` is that order. Words that are a post's title as typed are that title."""
    read_request(parsed, state.vocabulary.df)
    ordered_by_words = sort is None and parsed.order is not None
    if ordered_by_words and is_a_title(query, state, time.perf_counter() + time_limit):
        # ("latest php upgrade", of a post titled "Latest PHP upgrade": the words of the
        # title the reader remembers, not the latest posts about "php upgrade")
        parsed, ordered_by_words = parse_query(query), False
        merge_filters(parsed, filters)
    return parsed, ordered_by_words


def _typed_first(state: IndexState, found: TextMatch, scores: Scored, final: int,
                 restrictions: dict, deadline: float,
                 bonuses: dict) -> tuple[list[tuple[int, float | None]], Scored, int]:  # fmt: skip
    """Where a real-word typo was corrected and the words as typed found a handful
    (`found.typed`): those that pass the filters, in the order (and with the scores) the
    query as typed gives them, to lead page 1; and the scores and matches without them."""
    kept = found.typed.within(mask_bits(final))
    leading = []
    if len(kept):
        leading = rank(state, found.as_typed, kept, final, restrictions, 0, len(kept),
                       NO_GROUPS, 0, deadline, bonuses)  # fmt: skip
    scores = scores.without(kept.ids)
    for d in kept.ids.tolist():
        final &= ~(1 << d)
    return leading, scores, final


def _reword(parsed: ParsedQuery, state: IndexState, results: Results,
            synonyms: Synonyms | None, correct: bool, maxims: bool | None) -> bool:  # fmt: skip
    """The query's words as they are searched: synonyms added, typos corrected, words
    typed without their spaces split (and the other way), compounds and initials also
    searched as the posts write them; the words asking for maxims taken out (whether
    there were such: the search keeps to posts with a maxim). What changed goes into
    `results`."""
    expanded = synonyms.expand(parsed) if synonyms else []
    protected = synonyms.protected if synonyms else frozenset()
    # ("ten tips": "10 tips" too; "part iii": "part 3", which is no typo of "ii"; "govt":
    # "government" too, where it had been corrected to "got")
    protected = protected | widen_words(parsed, state.vocabulary)
    # ("customer from hel maxim": "maxim" names what is asked for, and vouches for no
    # correction; the label, "write this on a rok", is known once its typos are fixed.)
    named = maxims is not False and strip_maxim_names(parsed)
    if correct:
        split_after_a_letter(parsed, state)  # ("email": "e-mail", not the typo of "emil")
        # ('"send an e-mail"': "send an email" too, and "mail" is no typo of "email")
        protected = protected | add_phrase_forms(parsed, state)
    results.corrections = fix_typos(parsed, state, protected) if correct else []
    if correct:
        # ('"write * on a rock"': "write this on a rock"; its words corrected first,
        # '"writ * on a rok"')
        add_gap_forms(parsed, state)
    results.synonyms = expanded
    maxim_only = (maxims is not False and strip_maxim_words(parsed)) or named
    if maxim_only and results.corrections:
        # A word of the label corrected ("write this on a rok": "rock") had its other
        # readings ("roi") searched beside it; the label is gone, and they with it.
        searched = {w for group in parsed.groups for unit in group for w in unit.words}
        for correction in results.corrections:
            if not set(correction.get("also", ())) & searched:
                correction.pop("also", None)
    if correct:
        join_split_words(parsed, state)
        # (Words still not the collection's, typos corrected: "phd" is "Ph.D.", but
        # "seta" was "seat", not "set a", which posts say too.)
        split_written_apart(parsed, state)
        results.corrections += split_run_together(parsed, state)
        also_written_apart(parsed, state)  # ("email": "e-mail" too)
        also_initials(parsed, state)  # ("uk": "U.K." too)
    return maxim_only


@dataclass
class Shown:
    """How a page's hits are shown (`page_hits`): the duplicate groups in force, the
    pinned docnums, what re-ranking added to each score (for `explain`), and search()'s
    own parameters."""

    groups: dict
    pinned: set[int]
    bonuses: dict[int, dict]
    snippet_chars: int
    base_url: str
    explain: bool
    maxim_only: bool


def page_hits(state: IndexState, parsed: ParsedQuery, scored: list[tuple[int, float | None]],
              results: Results, shown: Shown) -> list[dict]:  # fmt: skip
    """The hits of the page `scored` ([(docnum, score)], in order), with snippets and
    marks (search/hits.py)."""
    typed_words = [c["from"] for c in results.corrections if c.get("typed_first")]
    # (A paragraph with only a question's word, "what is the tone…" for "what is
    # relevance", or another reading of a corrected word, is a weaker snippet.)
    asked = {w for group in asked_groups(parsed)[1] for u in group for w in u.words}
    said = parsed.marked_as_phrases()
    matcher = Matcher.for_words(
        [w for u in parsed.units if not u.prefix and u not in said for w in u.words] + typed_words,
        [u.words[0] for u in parsed.units if u.prefix],
        {w for u in parsed.units if u.alternative for w in u.words} | asked,
        [u.words for u in said],
    )
    # A post that says the words only in the author's bio line or a blurb many posts
    # share ("age of the customer book": the bio names the book) comes after the page's
    # posts that say them in their own text, in the order it had among those like it.
    # (Of the page only: its snippet, where this is seen, is made for it.)
    hits, aside = [], []
    for docnum, score in scored:
        fields = state.stored_fields(docnum)
        hit, boilerplate_only = make_hit(fields, score, matcher, shown.snippet_chars,
                                         shown.base_url)  # fmt: skip
        hit["pinned"] = docnum in shown.pinned
        hit["other_versions"] = other_versions(shown.groups, docnum, hit["id"])
        if shown.explain:
            hit["explain"] = explain_hit(state, parsed, docnum, hit,
                                         shown.bonuses.get(docnum, {}), results,
                                         shown.groups)  # fmt: skip
        if shown.maxim_only and hit["maxim"] and not parsed.groups:
            hit["maxim_html"] = escape(hit["maxim"])  # the maxim is what was asked for
        if boilerplate_only and results.sort == "relevance" and not hit["pinned"]:
            aside.append(hit)
        else:
            hits.append(hit)
    return hits + aside


def named_filters(state: IndexState, parsed: ParsedQuery, results: Results) -> list[dict]:
    """The categories, tags, author and kinds of post the query's words name, which the
    reader may filter by ({"facet", "value", "count"}). (Offered where the posts say a
    word of it, so the answer may miss posts filed under it; a name no post says found
    those posts already, as did an answer that is the posts filed under it, "start ups".
    Filters chosen are not offered.)"""
    words = parsed.words_in_order()
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
    return [
        n for n in named
        if n["value"] not in parsed.filters.get(n["facet"], [])
        and not results.total == n["count"] == facets.get(n["facet"], {}).get(n["value"])
    ]  # fmt: skip


def maxims_matching(index: str | Path | IndexState, words: str, most: int = 100) -> list[dict]:
    """The posts with a maxim that `words` find, the best first, at most `most`: as
    "write this on a rock" followed by the words searches them (the maxims page's
    search), each a hit (search/hits.py) with its maxim marked (`maxim_html`). Raises
    SearchError for words too long to search."""
    if len(words) > MAX_MAXIM_WORDS:
        raise SearchError(f"q is too long ({MAX_MAXIM_WORDS:,} characters at most)")
    found = search(index, f"write this on a rock {words}", per_page=most, maxims=True)
    return [h for h in found.hits if h["maxim"]]


# (A maxim is a sentence or two: a search for one needs no more.)
MAX_MAXIM_WORDS = 1_000


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
