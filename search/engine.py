"""The search function: one query in, one results object out, for CLI, page and API alike.

Takes an index folder (or a loaded `IndexState`), the query text, facet filters, page,
page size and sort (`search`); gives `Results`, whose `to_dict()` is the JSON every
front end shows. Bad parameters raise `SearchError` (a 400 on the web); odd query text
never raises: it is read leniently (`search.query`) and `warnings` says how.

How a query runs:
1. parse; fix words the collection does not have (`search.typos`);
2. the set of matching documents, as a bitmask: each word or phrase is a Whoosh query
   whose matches become an integer bitmask; groups AND together (falling back to OR
   when no document has every word), negations and filters are ANDed in;
3. totals and facet counts are bit counts of those masks (a facet's own selection is
   left out of its counts, so several values of it can be picked);
4. ranking: Whoosh BM25F over title, maxim and body with field boosts, plus optional
   phrase matches of the whole query in each field; the top candidates are re-ranked
   so that a query that is (nearly) a post's title or maxim puts that post first;
5. snippets and highlighted titles for the page's hits only (`search.snippets`).
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

import numpy as np
from rapidfuzz import fuzz
from whoosh.collectors import TimeLimit

from indexer.analysis import STOP_WORDS
from indexer.article import http_url
from search.bitmasks import bitmap, docnums_array, docnums_of, has, mask_bits, mask_of
from search.explain import explain_hit
from search.int_sets import distinct
from search.phrases import Phrases
from search.query import FILTER_FIELDS, ParsedQuery, Unit, parse_day, parse_query
from search.run_together import split_run_together
from search.scored import Scored, coordinated, flagged, intersect
from search.scoring import (
    MAX_PREFIX_TERMS,
    coordination_idf,
    is_stop,
    postings,
    stem,
    unit_scores,
)
from search.segment_data import EXACT_FIELDS
from search.snippets import Matcher, highlight, passage
from search.state import IndexState, state_of
from search.synonyms import SYNONYM_WEIGHT, Synonyms
from search.typos import (
    candidates,
    choose,
    first_letter_candidates,
    is_slip,
    neighbours,
    suggest,
)

SORTS = ("relevance", "newest", "oldest")
FACET_NAMES = ("category", "tag", "author", "year", "kind")
PHRASE_BONUS = 1.0  # a whole-query phrase in title or maxim doubles a score (body: half)
# The phrase in the body with other small words in place of its stop words: a little
# less than the phrase itself (0.5), so the phrase as typed wins a tie.
NEAR_PHRASE_BONUS = 0.4
PARTIAL_MATCH = "No article has all of the words; showing those with some of them."
MAX_PAGE = 1000
# A word in at most RARE posts may be a typo itself: it does not keep the other words
# from vouching for a correction (see fix_typos).
RARE = 2
RERANK = 50  # candidates re-ranked by title and maxim similarity
HEADLINE_LIMIT = 50  # and at most these further down that a title or maxim lifts
# Every content word of the query in a title (not as a phrase) adds a quarter: a lift
# below a phrase's, as Algolia's "attribute" criterion ranks a match in the title
# above one only in the body. (Decided on seeds 1, 3 and 5 of the known-item
# evaluation, 0.25 and 0.5 alike.)
TITLE_WORDS_BONUS = 0.25
NAVIGATIONAL = 85  # rapidfuzz ratio from which a query "is" a title or maxim
FACET_LIMIT = 30
MAXIM_WORDS = ["write", "this", "on", "a", "rock"]
ROCK = " ".join(MAXIM_WORDS)


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
            "hits": self.hits,
            "facets": self.facets,
        }


# --- parameters ---------------------------------------------------------------------


def check_params(page, per_page, sort, max_per_page) -> tuple[int, int, str]:
    try:
        page, per_page = int(page), int(per_page)
    except (TypeError, ValueError):
        raise SearchError("page and per_page must be whole numbers") from None
    if not 1 <= page <= MAX_PAGE:
        raise SearchError(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= per_page <= max_per_page:
        raise SearchError(f"per_page must be between 1 and {max_per_page}")
    if sort not in SORTS:
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
        target = parsed.filters.setdefault(name, [])
        target += [str(v) for v in values if str(v) not in target]


def canonical_filters(parsed: ParsedQuery, state: IndexState) -> None:
    """Match filter values to the index's own spelling, case-insensitively."""
    for target in (parsed.filters, parsed.exclude):
        for name, values in target.items():
            known = {v.lower(): v for v in state.facets.get(name, {})}
            fixed = []
            for value in values:
                canon = known.get(value.lower())
                if canon is None:
                    parsed.warn(f"No article has {name} {value!r}.")
                fixed.append(canon or value)
            target[name] = fixed


# --- typos ----------------------------------------------------------------------------


def fix_typos(
    parsed: ParsedQuery, state: IndexState, protected: set[str] = frozenset()
) -> list[dict]:
    """Correct each word the collection does not have (search/typos.py), choosing among
    near words the one found beside the query's other words; [{"from", "to"} and, when
    the context decided, "over": the nearer or more frequent words passed over]. Words
    in `protected` (those a synonym rule names) are never changed. A word that only the
    query's other words can correct (3 letters, or a typo in the first letter) and that
    has none to vouch for it yet is tried again once the others are corrected: in
    "custmer from hel" only "customer" can vouch for "hell"."""
    vocab = state.vocabulary
    typed = [w for u in parsed.typed_units if not u.prefix for w in u.words if w in vocab.df]
    known = typed
    units = [u for u in parsed.typed_units + parsed.negatives if not u.prefix]
    todo = [(n, i) for n, unit in enumerate(units) for i, word in enumerate(unit.words)
            if word not in vocab.df and word not in protected]  # fmt: skip
    found: dict[tuple[int, int], dict] = {}
    memo: dict[str, np.ndarray] = {}  # (each word's documents, asked once per query)
    for second in (False, True):
        fix = _typo_fixer(parsed, state, known, memo)
        waiting = []
        for n, i in todo:
            correction = fix(units[n], i)
            if correction is WAITING:
                waiting.append((n, i))
            elif correction is not None:
                found[(n, i)] = correction
        if second or not waiting or not found:
            break
        known = typed + [c["to"] for c in found.values()]
        todo = waiting
    known = typed + [c["to"] for c in found.values()]  # (each correction once)
    positive = sum(not u.prefix for u in parsed.typed_units)  # (units: typed, then negatives)
    for n, unit in enumerate(units[:positive]):
        for i, word in enumerate(unit.words):
            if (n, i) not in found and word not in protected:
                widened = widen_rare_word(parsed, state, unit, i, known, memo)
                if widened:
                    found[(n, i)] = widened
    return [found[at] for at in sorted(found)]  # in the order of the query's words


WAITING = object()  # (fix_typos: a word no other word can vouch for yet)


def _typo_fixer(parsed: ParsedQuery, state: IndexState, known: list[str],
                memo: dict[str, np.ndarray] | None = None):  # fmt: skip
    """fix(unit, i): correct word i of `unit` in place (see fix_typos), with `known`
    as the query's words the collection has (`memo`: holding_all's); gives the
    correction, None, or WAITING."""
    vocab = state.vocabulary
    together: Callable[[str], bool] | None = None  # (every word fixed has the same others)

    def fix(unit: Unit, i: int) -> dict | object | None:
        nonlocal together
        word = unit.words[i]
        # (Putting stop-word candidates last, "fuor" as "four" sooner than "for", was
        # tried: no better over four seeds of the known-item evaluation.)
        options = candidates(word, vocab)
        others = vouchers(known, word)
        vouched = first_letter_candidates(word, vocab) if others else []
        if not options and not vouched:
            return None if others else WAITING
        if others and (len(options) > 1 or vouched):
            if together is None:
                together = vouching(state, others, memo)
            fixed, over, also = choose(options, together, vouched)
        else:
            fixed, over, also = options[0][0], [], []
        if fixed is None:
            return None
        stops = [w for w in also if w in STOP_WORDS]
        also = [w for w in also if w not in STOP_WORDS]
        if fixed in STOP_WORDS and also and (is_slip(word, also[0])
                                             or not is_slip(word, fixed)):  # fmt: skip
            # A stop word ranks nothing ("fuor" as "for": what sets the posts apart is
            # whether they have "four"): the nearest other word found with the query's
            # words, as likely a slip, is the correction ("wiht" stays "with", not
            # "wilt"), and the stop word still matches.
            stops, fixed, also, over = [fixed, *stops], also[0], also[1:], [*over, fixed]
        unit.words[i] = fixed
        also = search_also(parsed, unit, also)
        search_also(parsed, unit, stops, weight=0.0)  # matched, never ranked
        return {"from": word, "to": fixed, **({"over": over} if over else {}),
                **({"also": also} if also else {})}  # fmt: skip

    return fix


def vouchers(known: list[str], word: str) -> list[str]:
    """The query's words that can vouch for a change of `word`: the others the
    collection has, stop words aside (in nearly every post, they vouch for anything)."""
    return [w for w in known if w != word and w not in STOP_WORDS]


def vouching(state: IndexState, others: list[str],
             memo: dict[str, np.ndarray] | None = None) -> Callable[[str], bool]:  # fmt: skip
    """together(candidate): whether a document holds `candidate` and every one of
    `others` (exact fields). A word of `others` in at most RARE posts may be a typo
    itself ("raab" for "arab"): when no post holds them all, the rest vouch without it."""
    context = holding_all(state, others, memo)
    rare = [w for w in others if state.vocabulary.df[w] <= RARE]
    if rare and len(rare) < len(others) and not context.any():
        context = holding_all(state, [w for w in others if w not in rare], memo)

    def together(candidate: str) -> bool:
        return any(context[postings(state, name, candidate)[1]].any() for name in EXACT_FIELDS)

    return together


# A word the collection has in at most RARE posts is searched with near words at least
# RARE_FACTOR times as frequent (see widen_rare_word).
RARE_FACTOR = 10


def widen_rare_word(parsed: ParsedQuery, state: IndexState, unit: Unit, i: int,
                    known: list[str], memo: dict | None = None) -> dict | None:  # fmt: skip
    """A word of the query that the collection has, but in at most RARE posts, may be a
    typo that a post shares ("reord" for "record": the posts have typos too). Near
    words within its allowed typos (a first letter too, as for words it does not have),
    at least RARE_FACTOR times as frequent and found with the query's other words
    (`known`), are searched beside it at a synonym's weight, so the posts with the word
    as typed still come first, as Lucene's spell checker suggests only more popular
    words ("suggest_mode": "popular"). Gives {"from", "to": the word unchanged, "also",
    "rare": True}, or None. A lone word is left as it is (at most a "did you mean")."""
    vocab = state.vocabulary
    word = unit.words[i]
    df = vocab.df.get(word, 0)
    if not df or df > RARE or word in STOP_WORDS or unit.phrase or len(unit.words) != 1:
        return None  # (a phrase's words are searched as written: see search_also)
    others = vouchers(known, word)
    if not others:
        return None
    floor = RARE_FACTOR * df
    # Never a stop word or a word of two letters ("he" for "hee"): in nearly every post,
    # it would make the word typed optional.
    near = [(c, d) for c, d in candidates(word, vocab) + first_letter_candidates(word, vocab)
            if vocab.df[c] >= floor and len(c) > 2 and c not in STOP_WORDS]  # fmt: skip
    if not near:
        return None
    # Only words found with the others (choose's `vouched`): each is there to match.
    first, _, also = choose([], vouching(state, others, memo), near)
    if first is None:
        return None
    also = search_also(parsed, unit, [first, *also])
    return {"from": word, "to": word, "also": also, "rare": True} if also else None


def join_split_words(parsed: ParsedQuery, state: IndexState) -> None:
    """Words typed apart that the posts write as one ("e-mail", "smart phones" for
    "email", "smartphones"; Algolia's concatenation, Typesense's split_join_tokens):
    the joined word, if the collection has it, is searched too. For a hyphenated word
    (a phrase of its parts) it is one more way to match that word; for two words typed
    side by side it is added to both, so a post with the joined word holds both (its
    score counted at half in each)."""
    vocab, groups = state.vocabulary, parsed.groups
    for n, group in enumerate(groups):
        unit = group[0]
        if len(group) != 1 or unit.prefix or unit.synonym:
            continue
        if unit.phrase and 1 < len(unit.words) <= 3 and not unit.original.startswith('"'):
            word = "".join(unit.words)
            if word in vocab.df and word not in STOP_WORDS:  # ("u.s." is not "us")
                group.append(Unit([word], original=word, synonym=True))
            continue
        after = groups[n + 1] if n + 1 < len(groups) else None
        if unit.phrase or after is None or len(after) != 1:
            continue
        other = after[0]
        if other.phrase or other.prefix or other.synonym:
            continue
        word = unit.words[0] + other.words[0]
        if word in vocab.df and word not in STOP_WORDS:  # ("on line" is "online")
            extra = Unit([word], original=word, weight=SYNONYM_WEIGHT, synonym=True)
            group.append(extra)
            after.append(extra)


def match_again(parsed: ParsedQuery, state: IndexState, deadline: float) -> Scored:
    """`match` once more, for a query changed after its first match (a real-word typo
    corrected, phrases loosened): the first match's partial-match warning goes, and the
    new match adds it again if it applies."""
    parsed.warnings = [w for w in parsed.warnings if w != PARTIAL_MATCH]
    return match(parsed, state, deadline)[0]


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
            groups += [[Unit([w], original=w)] for w in unit.words]
        elif len(group) == 2 and group[1].split:
            loosened.append(group[1])
            groups += [[Unit([w], original=w)] for w in group[1].words]
        else:
            groups.append(group)
    if loosened:
        parsed.groups = groups
    return loosened


def search_also(parsed: ParsedQuery, unit: Unit, words: list[str],
                weight: float = SYNONYM_WEIGHT) -> list[str]:  # fmt: skip
    """Search `words` too wherever the one-word `unit` is searched, below it (at a
    synonym's weight, or `weight`: see `match`); gives the words added (none for a
    phrase, a prefix or a negative)."""
    group = next((g for g in parsed.groups if any(u is unit for u in g)), None)
    if not words or group is None or unit.phrase or unit.prefix or len(unit.words) != 1:
        return []
    group += [Unit([w], original=w, weight=weight, synonym=True) for w in words]
    return words


def exact_docs(state: IndexState, word: str) -> np.ndarray:
    """The documents with `word` in any exact field (title, body, maxim), as an array;
    deleted ones too, which no search returns."""
    parts = [postings(state, name, word)[1] for name in EXACT_FIELDS]
    return distinct(np.concatenate(parts))


def holding_all(state: IndexState, words: list[str],
                memo: dict[str, np.ndarray] | None = None) -> np.ndarray:  # fmt: skip
    """docnum -> whether the document has every one of `words` (exact fields), as a
    boolean array: sets of Python ints made and intersected took 0.2 s for two common
    words at 100k. `memo` keeps each word's array for the next call (one query asks
    for the same words with one left out, once per word)."""
    flags = np.ones(state.doc_count_all, dtype=bool)
    for word in words:
        has_word = memo.get(word) if memo is not None else None
        if has_word is None:
            has_word = np.zeros(state.doc_count_all, dtype=bool)
            has_word[exact_docs(state, word)] = True
            if memo is not None:
                memo[word] = has_word
        flags &= has_word
    return flags


NO_GROUPS = {"groups": [], "group_of": {}, "docnums": []}  # (never changed by a search)

# A query of several words that finds at most HANDFUL articles is tried with one word
# changed for a more frequent word one edit away; the change counts when it makes at
# least REAL_WORD_GAIN times as many articles (and at least REAL_WORD_MIN) hold every
# word: made when the query found nothing; when it found a few, those come first
# and the change's articles after them. (Most queries are typed as meant: a change on
# weaker evidence, such as one more article, turned correct queries like "gmt instead"
# or "unsure about" into "get instead" and "ensure about".)
HANDFUL = 2
REAL_WORD_GAIN = 5
REAL_WORD_MIN = 3


def real_word_typo(parsed: ParsedQuery, state: IndexState, found: int,
                   keep: set[str] = frozenset()) -> dict | None:  # fmt: skip
    """Real-word typos ("bult" for "built": a typo that is itself a word) in a query of
    several words that finds `found` <= HANDFUL articles: the one change of a word for
    a neighbour (search/typos.py) that makes the most articles hold every word, if it
    makes enough, as a correction ({"from", "to", "real_word": True}); None if none.
    Words in `keep` (rare words already searched with their near words) stay."""
    units = [u for u in parsed.typed_units if not u.prefix and not u.phrase]
    words = [w for u in units for w in u.words if w not in STOP_WORDS]
    if len(words) < 2:
        return None  # a lone word is what was typed: at most a suggestion (did_you_mean)
    vocab = state.vocabulary
    needed = max(REAL_WORD_MIN, REAL_WORD_GAIN * found)
    best: tuple[int, str, str] | None = None
    for word in set(words):
        if word not in vocab.df or word in keep:
            continue
        others = [w for w in words if w != word]
        if not others:
            continue
        context = holding_all(state, others)
        if int(context.sum()) < needed:
            continue  # no variant can make enough articles hold every word
        # A stop word is no change (it is not required: "thus garden" as "this garden"
        # drops a word), and a word the query already has adds nothing ("fare farm" is
        # not "farm farm").
        variants = [v for v in neighbours(word, vocab) if v not in STOP_WORDS and v not in words]
        for variant in variants[:8]:
            count = int(context[exact_docs(state, variant)].sum())
            if best is None or count > best[0]:
                best = (count, word, variant)
    if best is None or best[0] < needed:
        return None
    return {"from": best[1], "to": best[2], "real_word": True}


def corrected_text(text: str, corrections: list[dict]) -> str:
    for c in corrections:
        text = re.sub(rf"(?i)\b{re.escape(c['from'])}\b", c["to"], text)
    return text


# --- matching -------------------------------------------------------------------------


def prefix_words(unit: Unit, state: IndexState, parsed: ParsedQuery) -> list[str]:
    words, cut = state.vocabulary.with_prefix(unit.words[0], MAX_PREFIX_TERMS)
    if cut:
        parsed.warn(f"{unit.words[0]}* matches many words; the {MAX_PREFIX_TERMS} most "
                    f"frequent were used.")  # fmt: skip
    return words


def scores_of(unit: Unit, state: IndexState, parsed: ParsedQuery, deadline: float) -> Scored:
    words = prefix_words(unit, state, parsed) if unit.prefix else None
    return unit_scores(state, unit, deadline, words)


def match(parsed: ParsedQuery, state: IndexState, deadline: float) -> tuple[Scored, bool]:
    """The scores of the documents the text of the query matches; and if partial.

    Stop words ("the", "a") are matched only in phrases, or when the query has nothing
    else: they are in nearly every article, so requiring them costs much and selects
    nothing. They still count for the phrase bonus and are marked in snippets.
    """
    groups = []
    content = [g for g in parsed.groups if not all(is_stop(u) for u in g)]
    for group in content or parsed.groups:
        merged = Scored.empty()
        typed_best = 0.0
        for unit in sorted(group, key=lambda u: u.synonym):  # what was typed first
            found = scores_of(unit, state, parsed, deadline)
            best = found.best()
            if not unit.synonym:
                typed_best = max(typed_best, best)
            elif typed_best and best and unit.weight:  # (0: matches only, see fix_typos)
                # What was typed ranks above its synonyms: the best synonym match counts
                # at most SYNONYM_WEIGHT of the best match of the word typed.
                unit.weight = min(SYNONYM_WEIGHT, SYNONYM_WEIGHT * typed_best / best)
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
    for unit in parsed.negatives:
        scores = scores.without(scores_of(unit, state, parsed, deadline).ids)
    return scores, partial


def date_mask(state: IndexState, after: int | None, before: int | None) -> int:
    lo, hi = after or 1, before or 99999999
    return mask_of(d for d, day in state.days.items() if lo <= day < hi)


def facet_mask(state: IndexState, name: str, values: list[str]) -> int:
    masks = state.facets.get(name, {})
    result = 0
    for value in values:
        result |= masks.get(value, 0)
    return result


# --- the search -----------------------------------------------------------------------


def search(
    index: str | Path | IndexState,
    query: str = "",
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 10,
    sort: str = "relevance",
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
) -> Results:
    """Search the index; see the module docstring. Raises SearchError for bad parameters.
    `groups` pins the duplicate groups to use (default: the state's, as they are now);
    `correct=False` searches the words as typed (the "search instead for" link);
    `synonyms` expands the query's words (search/synonyms.py); `pins` ({"top": [ids],
    "hide": [ids]}) puts articles first on page 1 in that order, or leaves them out;
    `explain` adds to each hit how its score was made (search/explain.py)."""
    started = time.perf_counter()
    page, per_page, sort = check_params(page, per_page, sort, max_per_page)
    parsed = parse_query(query or "")
    merge_filters(parsed, filters)
    state = state_of(index)
    # Loading a generation (once per process and generation) is not the query's time.
    state.warm()
    deadline = time.perf_counter() + time_limit
    canonical_filters(parsed, state)
    results = Results(query=query or "", page=page, per_page=per_page, sort=sort,
                      collapse=bool(collapse))  # fmt: skip
    expanded = synonyms.expand(parsed) if synonyms else []
    protected = synonyms.protected if synonyms else frozenset()
    results.corrections = fix_typos(parsed, state, protected) if correct else []
    results.synonyms = expanded
    maxim_only = strip_maxim_words(parsed)
    if correct:
        join_split_words(parsed, state)
        results.corrections += split_run_together(parsed, state)

    scores = Scored.empty()
    typed = Scored.empty()  # what the words as typed found, kept first (a real-word typo)
    as_typed = parsed
    text_mask = state.all_mask
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
            if correct and not len(scores) and (loosened := loosen_phrases(parsed)):
                # A half-remembered quotation ("write this on the rock"): no post has
                # it word for word, so its words are searched, as web search engines
                # do, and the answer says so (`correct=false` keeps the phrase exact).
                # Words joined by punctuation ("tY+gj") are loosened too, unsaid: the
                # reader typed no phrase.
                results.loosened = [" ".join(u.words) for u in loosened]
                scores = match_again(parsed, state, deadline)
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
    restrictions = restriction_masks(parsed, state, maxim_only)
    final = text_mask
    for m in restrictions.values():
        final &= m
    pinned, final, scores = apply_pins(state, pins, restrictions, final, scores)
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
    text_docs = scores.ids if not parsed.match_all else None
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
    matcher = Matcher.for_words(
        [w for u in parsed.units if not u.prefix for w in u.words] + typed_words,
        [u.words[0] for u in parsed.units if u.prefix],
    )
    pinned_set = set(pinned)
    for docnum, score in scored:
        fields = state.stored_fields(docnum)
        hit = make_hit(fields, score, matcher, snippet_chars, base_url)
        hit["pinned"] = docnum in pinned_set
        hit["other_versions"] = other_versions(groups, docnum, hit["id"])
        if explain:
            hit["explain"] = explain_hit(state, parsed, docnum, hit, bonuses.get(docnum, {}),
                                         results, groups)  # fmt: skip
        if maxim_only and hit["maxim"] and not parsed.groups:
            hit["maxim_html"] = escape(hit["maxim"])  # the maxim is what was asked for
        results.hits.append(hit)
    results.partial = parsed.cut_short
    if results.corrected:
        results.did_you_mean = corrected_text(results.query, results.corrections)
    elif results.total == 0 and not parsed.match_all and correct:
        results.did_you_mean = suggestion(parsed, state, results.query)
    if results.total == 0:
        parsed.warn("No article matches; try fewer words, other words, or fewer filters.")
    results.parsed = ("write this on a rock " if maxim_only else "") + parsed.describe()
    results.warnings = parsed.warnings
    results.took_ms = (time.perf_counter() - started) * 1000
    return results


def apply_pins(state: IndexState, pins: dict | None, restrictions: dict, final: int,
               scores: Scored):  # fmt: skip
    """([docnum] of the pinned articles that pass the filters, in their order; the
    matches without them and without the hidden ones; the scores without them)."""
    if not pins:
        return [], final, scores
    pinned = []
    for article_id in pins.get("top", []):
        d = state.docnum_of(article_id)
        if d is None or d in pinned or any(not (m >> d) & 1 for m in restrictions.values()):
            continue
        pinned.append(d)
    out = []
    for article_id in [*pins.get("hide", []), *pins.get("top", [])]:
        d = state.docnum_of(article_id)
        if d is not None:
            final &= ~(1 << d)
            out.append(d)  # ranking walks the scores: out of them too
    return pinned, final, scores.without(np.array(out, dtype=np.int64))


def strip_maxim_words(parsed: ParsedQuery) -> bool:
    """'write this on a rock …' asks for maxims: keep what follows, filter to maxims."""
    units = [u for g in parsed.groups for u in g]
    words = [w for u in units for w in u.words]
    if len(parsed.groups) != len(units) or words[: len(MAXIM_WORDS)] != MAXIM_WORDS:
        return False
    taken = 0
    while parsed.groups and taken < len(MAXIM_WORDS):
        taken += len(parsed.groups.pop(0)[0].words)
    if taken != len(MAXIM_WORDS):
        return False
    if not parsed.groups:
        parsed.match_all = True
    return True


def restriction_masks(parsed: ParsedQuery, state: IndexState, maxim_only: bool) -> dict:
    """Name -> mask of every filter (one per facet, so facets can leave their own out)."""
    masks = {}
    for name, values in parsed.filters.items():
        masks[name] = facet_mask(state, name, values)
    for name, values in parsed.exclude.items():
        masks[f"-{name}"] = state.all_mask & ~facet_mask(state, name, values)
    if parsed.after or parsed.before:
        masks["date"] = date_mask(state, parsed.after, parsed.before)
    if maxim_only:
        masks["maxim"] = state.maxim_mask
    return masks


def count_facets(state, text_mask, restrictions, parsed, text_docs=None) -> dict:
    """facet -> {value: count}; each facet ignores its own selection (multi-select)."""
    facets = {}
    docs_cache: dict[int, np.ndarray] = {}

    def docs_of(mask: int) -> np.ndarray:  # the same base serves every facet, mostly
        """The docnums in `mask`, ascending, as an array."""
        found = docs_cache.get(id(mask))
        if found is None or found[0] is not mask:
            found = docs_cache[id(mask)] = (mask, docnums_array(mask))
        return found[1]

    for name in FACET_NAMES:
        others = [m for key, m in restrictions.items() if key != name]
        masks = state.facets.get(name, {})
        if text_docs is not None and len(text_docs) < 2 * len(masks):
            # Fewer matches than values: the matches themselves, not every bit of a mask.
            docs = text_docs
            for m in others:
                docs = docs[flagged(docs, mask_bits(m))]
        else:
            base = text_mask
            for m in others:
                base &= m
            docs = docs_of(base)
        values = state.facet_table(name)[2]
        counts = value_counts(state, name, docs)
        held = np.flatnonzero(counts)
        if name == "year":  # newest first, undated last
            order = sorted(held.tolist(), key=lambda i: (values[i] == "undated",
                           -int(values[i]) if values[i].isdigit() else 0))  # fmt: skip
        else:  # most documents first, then by value: sorted in numpy (tags run to thousands)
            order = held[np.lexsort((value_order(state, name)[held], -counts[held]))].tolist()
        selected = set(parsed.filters.get(name, []))
        shown = order[:FACET_LIMIT]
        if selected:
            shown += [i for i in order[FACET_LIMIT:] if values[i] in selected]
        facets[name] = {values[i]: int(counts[i]) for i in shown}
    return facets


def value_order(state: IndexState, name: str) -> np.ndarray:
    """value number -> its place among facet `name`'s values sorted, kept with the state."""
    key = ("_value_order", name)
    found = state.__dict__.get(key)
    if found is None:
        values = state.facet_table(name)[2]
        found = np.empty(len(values), dtype=np.int64)
        found[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
        state.__dict__[key] = found
    return found


def value_counts(state: IndexState, name: str, docs: np.ndarray) -> np.ndarray:
    """value number -> how many of the documents `docs` have it, for facet `name`'s
    values (state.facet_table) (vectorized: one AND and bit count per value took a
    quarter of a query at 100k, where tags have thousands of values)."""
    starts, nums, values = state.facet_table(name)
    none = np.zeros(len(values), dtype=np.int64)
    if not len(docs) or not len(nums):
        return none
    docs = docs[docs < len(starts) - 1]
    first, sizes = starts[docs], starts[docs + 1] - starts[docs]
    total = int(sizes.sum())
    if not total:
        return none
    # The positions of every value of every document in `docs`, laid end to end.
    shift = np.repeat(first - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.bincount(nums[shift + np.arange(total)], minlength=len(values))


def split_by_maxim(state: IndexState, groups: dict) -> dict:
    """For a maxim search: copies of a post that carry another maxim are not hidden
    behind it (each maxim is what was asked for). Kept per state and groups. Only the
    groups whose members carry different maxims are split (their other parts go at the
    end); no group is decoded (decoding all 13,000 took a cold maxim search 0.5 s at
    100k articles)."""
    cached = state.__dict__.get("maxim_groups")
    if cached is not None and cached[0] is groups:
        return cached[1]
    _, maxims = state.headings
    members, of = group_arrays(groups)
    names: dict[str, int] = {"": 0}
    codes = np.fromiter((names.setdefault(maxims.get(d, ""), len(names)) for d in members.tolist()),
                        dtype=np.int64, count=len(members))  # fmt: skip
    pairs = distinct(of * len(names) + codes)
    mixed = np.flatnonzero(np.bincount(pairs // len(names), minlength=len(groups["docnums"])) > 1)
    split = groups
    if len(mixed):
        split = {"group_of": dict(groups["group_of"]), "docnums": list(groups["docnums"])}
        origin = list(range(len(groups["docnums"])))
        for n in mixed.tolist():
            by_maxim: dict[str, list[int]] = {}
            for d in groups["docnums"][n]:
                by_maxim.setdefault(maxims.get(d, ""), []).append(d)
            parts = list(by_maxim.values())
            split["docnums"][n] = parts[0]
            for part in parts[1:]:
                for d in part:
                    split["group_of"][d] = len(split["docnums"])
                split["docnums"].append(part)
                origin.append(n)
        split["groups"] = _Picked(groups["groups"], origin)
    state.__dict__["maxim_groups"] = (groups, split)
    return split


class _Picked(Sequence):
    """items[at[n]] for each n, fetched when asked for."""

    def __init__(self, items: Sequence, at: list[int]):
        self.items, self.at = items, at

    def __len__(self) -> int:
        return len(self.at)

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self.items[i] for i in self.at[n]]
        return self.items[self.at[n]]


_GROUP_ARRAYS: dict[int, tuple] = {}  # id(groups) -> (groups, members, group of each)


def group_arrays(groups: dict) -> tuple[np.ndarray, np.ndarray]:
    """(every member's docnum, the index of its group), made once per groups object."""
    found = _GROUP_ARRAYS.get(id(groups))
    if found is None or found[0] is not groups:
        members = np.fromiter((d for ds in groups["docnums"] for d in ds), dtype=np.int64)
        of = np.repeat(np.arange(len(groups["docnums"])), [len(ds) for ds in groups["docnums"]])
        if len(_GROUP_ARRAYS) > 8:
            _GROUP_ARRAYS.clear()
        found = _GROUP_ARRAYS[id(groups)] = (groups, members, of)
    return found[1], found[2]


def hidden_copies(groups: dict, final: int) -> int:
    """How many matching articles a collapsed list leaves out: all but one of each group
    (vectorized: walking every group in Python was a third of a query's time at 100k)."""
    if not groups["docnums"] or not final:
        return 0
    members, of = group_arrays(groups)
    matching = of[flagged(members, mask_bits(final))]
    counts = np.bincount(matching, minlength=len(groups["docnums"]))
    return int(np.maximum(counts - 1, 0).sum())


def collapsed_order(ordered, groups: dict):
    """`ordered` (docnum, score) pairs, keeping the first of each duplicate group."""
    seen: set[int] = set()
    group_of = groups["group_of"]
    for d, score in ordered:
        g = group_of.get(d)
        if g is not None:
            if g in seen:
                continue
            seen.add(g)
        yield d, score


def other_versions(groups: dict, docnum: int, article_id: str) -> list[dict]:
    g = groups["group_of"].get(docnum)
    if g is None:
        return []
    return [{"id": m["id"], "title": m["title"], "relation": m["relation"]}
            for m in groups["groups"][g]["members"] if m["id"] != article_id]  # fmt: skip


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


def headline_phrase(words: list[str]) -> re.Pattern:
    """The query's words as a phrase of a normalized title or maxim (state.headings)."""
    return re.compile(r"(?<!\S)" + re.escape(" ".join(words)) + r"(?!\S)")


def title_words(words: list[str]) -> set[str]:
    """The words of the query a title must hold for the "words in title" lift: its
    content words (all of them for a query of stop words only)."""
    return {w for w in words if w not in STOP_WORDS} or set(words)


def holds_stems(title: str, stems: set[str]) -> bool:
    """Whether the normalized `title` holds every one of `stems` (those of title_words),
    some maybe in another form: "Seller" for "sellers" ("age sellers" lifts "Leave the
    Age of the Seller behind" as "age seller" does)."""
    return stems <= {stem(w) for w in title.split()}


def headline_matches(state, parsed, candidates: Scored, deadline: float) -> list[tuple]:
    """[(docnum, score)] of the candidates that re-ranking lifts for their title or
    maxim (the query's words as a phrase there, or every content word in the title),
    best first (at most HEADLINE_LIMIT): re-ranked with the BM25F top even when their
    score leaves them out of it. At 100k posts a title such as "Brazil bank strike
    continues" ranked below a hundred long posts that say "Brazil" and "bank" often,
    and so never got the phrase's lift for the query "brazil bank"."""
    words = parsed.words_in_order()
    if len(words) < 2 or not len(candidates):
        return []
    titles, maxims = state.headings
    phrase, wanted = headline_phrase(words), title_words(words)
    stems = {stem(w) for w in wanted}
    # A word by its stem in the stemmed field, a stop word (which only the exact field
    # holds: a query of stop words only) as it is.
    terms = {("_exact", w) if w in STOP_WORDS else ("", stem(w)) for w in wanted}
    found: list[np.ndarray] = []
    try:
        for name in ("title", "maxim"):
            docs = None
            for suffix, word in terms:
                ids = postings(state, name + suffix, word, deadline)[1]
                docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
                if not len(docs):
                    break
            if docs is not None and len(docs):
                found.append(docs)
    except TimeLimit:
        parsed.cut_short = True
        return []
    if not found:
        return []
    docs = distinct(np.concatenate(found)).astype(np.int64)
    at = np.searchsorted(candidates.ids, docs)
    held = at < len(candidates.ids)
    held[held] = candidates.ids[at[held]] == docs[held]
    docs, values = docs[held], candidates.values[at[held]]
    order = np.lexsort((docs, -values))
    out = []
    for d, value in zip(docs[order].tolist(), values[order].tolist(), strict=True):
        title = titles[d]
        if phrase.search(title) or phrase.search(maxims.get(d, "")) or \
                holds_stems(title, stems):  # fmt: skip
            out.append((d, value))
            if len(out) == HEADLINE_LIMIT:
                break
    return out


def rerank(state, top, parsed, deadline, bonuses=None, extra=()):
    """Lift posts whose title or maxim is (nearly) the whole query, then posts that have
    the query's words as a phrase (title and maxim before body), ahead of the rest. The
    BM25F top RERANK are looked at, and `extra` (docnum, score) pairs from further down
    (headline_matches), each then placed by its new score."""
    words = parsed.words_in_order()
    if len(words) < 2 or not top:
        return top
    typed = " ".join(words)
    titles, maxims = state.headings
    # Titles and maxims are normalized the way the query's words are; the phrase in
    # the body is found from positions, reading no stored document.
    phrase = headline_phrase(words)
    pool = top[:RERANK]
    pooled = {d for d, _ in pool}
    extra = [(d, score) for d, score in extra if d not in pooled]
    # The phrase with other small words in place of its stop words ("write this on the
    # rock" for "write this on a rock": a half-remembered quotation).
    loose = [None if w in STOP_WORDS else w for w in words]
    while loose and loose[0] is None:  # (an open end constrains nothing, and would
        loose.pop(0)  # place the phrase's start outside the post)
    while loose and loose[-1] is None:
        loose.pop()
    phrases = Phrases(state, deadline)  # (one for both tests: it keeps what it decoded)
    try:
        in_body = phrases.docs("body_exact", words, within=pooled)
        near_body = {}
        if None in loose and len(loose) - loose.count(None) >= 2:
            near_body = phrases.docs("body_exact", loose, within=pooled - in_body.keys())
    except TimeLimit:
        # Ranked without the phrase test: an answer, but not the one a quiet server gives.
        in_body, near_body = set(), {}
        parsed.cut_short = True
    wanted = title_words(words)
    stems = {stem(w) for w in wanted}
    rescored = []
    for docnum, score in pool + extra:
        title, maxim = titles[docnum], maxims.get(docnum, "")
        best = fuzz.ratio(typed, title)
        if maxim:
            best = max(best, fuzz.ratio(typed, maxim), fuzz.ratio(typed, f"{ROCK} {maxim}"))
        parts = {}
        if best >= NAVIGATIONAL:
            parts["navigational"] = 1000.0 * best / 100
        if phrase.search(title) or phrase.search(maxim):
            parts["phrase in title or maxim"] = score * PHRASE_BONUS
        else:
            if docnum in in_body:
                parts["phrase in body"] = score * PHRASE_BONUS / 2
            elif docnum in near_body:
                # Its content words stand where the phrase puts them: nearly as good.
                parts["phrase in body, other small words"] = score * NEAR_PHRASE_BONUS
            if wanted <= set(title.split()):
                parts["words in title"] = score * TITLE_WORDS_BONUS
            elif holds_stems(title, stems):
                # Every word there as another form ("Seller" for "sellers"): a match,
                # but a weaker sign than the words as typed.
                parts["words in title, other forms"] = score * TITLE_WORDS_BONUS / 2
        if bonuses is not None and parts:
            bonuses[docnum] = parts
        rescored.append((docnum, score + sum(parts.values())))
    rescored.sort(key=lambda ds: -ds[1])
    if not extra:
        return rescored + top[RERANK:]
    lifted = {d for d, _ in extra}
    rest = [(d, score) for d, score in top[RERANK:] if d not in lifted]
    # Sorted together: a lifted post may still score below some of the rest. (Stable:
    # at equal scores the re-ranked come first, as they did before.)
    return sorted(rescored + rest, key=lambda ds: -ds[1])


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


def page_url(article_id: str, base_url: str = "") -> str:
    """The article's page on this site: a path, or absolute under `base_url`."""
    return base_url.rstrip("/") + "/articles/" + quote(article_id, safe="")


def article_fields(stored: dict, base_url: str = "") -> dict:
    """An article's fields as every front end names them, from Whoosh's stored fields.

    `url` is the post's original address (http(s) only), `page_url` its page here."""
    return {
        "id": stored["id"],
        "title": stored.get("title", ""),
        "date": stored.get("date"),
        "author": stored.get("author"),
        "categories": stored.get("category", []),
        "tags": stored.get("tag", []),
        "kind": stored.get("kind", "article"),
        "excerpt": stored.get("excerpt", False),
        "maxim": stored.get("maxim") or None,
        "source": stored.get("source"),
        # Checked again as it is shown: an index built before 0.7.0 may hold any string.
        "url": http_url(stored.get("url")),
        "page_url": page_url(stored["id"], base_url),
    }


# What a result says of a post with no text of its own (an image with its caption as
# the title, an embedded video or recording), instead of an empty snippet.
NO_TEXT = {
    "image": "An image post: its caption is its title.",
    "video": "A video post, with no text of its own.",
    "audio": "An audio post, with no text of its own.",
    "article": "",
}


def make_hit(stored: dict, score, matcher: Matcher, snippet_chars: int, base_url: str = "") -> dict:
    hit = article_fields(stored, base_url)
    text, number = passage(stored.get("body", ""), matcher, snippet_chars)
    maxim = hit["maxim"]
    maxim_spans = matcher.matches(maxim) if maxim else []
    return {
        **hit,
        "maxim_html": highlight(maxim, matcher) if maxim_spans else None,
        "score": None if score is None else round(score, 3),
        "snippet": text or escape(NO_TEXT.get(hit["kind"], "")),
        "paragraph": number,
        "title_html": highlight(stored.get("title", ""), matcher),
    }


def suggestion(parsed: ParsedQuery, state: IndexState, text: str) -> str | None:
    """For a query that finds little: a likelier spelling of its rare words, if any."""
    changes = []
    for unit in parsed.units:
        if unit.prefix or unit.phrase:
            continue
        better = suggest(unit.words[0], state.vocabulary)
        if better:
            changes.append({"from": unit.words[0], "to": better})
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
