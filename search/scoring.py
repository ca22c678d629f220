"""Matching and BM25F scoring straight from Whoosh's posting blocks.

Takes a loaded `IndexState` and a query unit (`unit_scores`); gives the scores of
every live document the unit matches (a `Scored`: docnums and scores as arrays). A
word scores by BM25F (Robertson, Zaragoza and Taylor): its frequency in each field,
normalized by the field's length (B=0.75) and weighted by the field's boost, summed
over the fields, then saturated once (K1=1.2; Whoosh's idf); and so again by the form
typed, in the unstemmed fields (EXACT_FORM_WEIGHT). Phrases score per field, as Lucene
scores them.

Why not Whoosh's matchers: they walk every posting through a tree of Python matcher
objects (union over fields, intersection over words), which measured 17 to 40 ms for a
two-word query on 10k articles here. Reading each term's posting blocks once, as
arrays, and scoring them in one loop gives the same numbers several times faster.
The block reader (indexer/positions.py, `posting_blocks`) uses W3 codec internals
(whoosh-reloaded 2.7, pinned); any other matcher falls back to the public
id()/weight()/next() walk. Quoted phrases are matched
in search/phrases.py and scored here by how often they occur (`add_phrase`).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

import numpy as np
from whoosh.collectors import TimeLimit
from whoosh.reading import TermNotFound

from indexer.analysis import STOP_WORDS, TextAnalyzer
from indexer.positions import posting_blocks
from search.int_sets import distinct_inverse
from search.phrases import Phrases
from search.scored import Scored

K1 = 1.2
B = 0.75
FIELD_BOOSTS = {"title": 3.0, "maxim": 2.0, "body": 1.0}
EXACT_BOOSTS = {f"{field}_exact": boost for field, boost in FIELD_BOOSTS.items()}
# A word scores twice over, each saturated on its own and summed: by its stem in the
# stemmed fields (any form: "customer" for "customers") and by the form typed in the
# exact fields. So a post that has the word as typed ranks above one that has only
# another form of it, as a multi-field of stemmed and unstemmed text searched
# together ranks in Elasticsearch or Solr. A reader remembers a post's words in the
# forms it used: on the known-item evaluation's tuning seeds (1, 3, 5) success@1 rose
# by 3-4 points on body and typo queries and 7-12 on vague ones, titles and phrases
# unmoved (weights 0.5, 0.75, 1 and 2 tried; 1 and 2 alike, 0.5 short).
EXACT_FORM_WEIGHT = 1.0
PHRASE_FACTOR = 1.5  # a quoted phrase's words count half again
MAX_PREFIX_TERMS = 50  # a prefix (cust*) searches its most frequent completions

_STEM = TextAnalyzer(stem=True)


def leaf_postings(leaf, field: str, btext: bytes) -> tuple[int, object] | None:
    """(document frequency, matcher) of a term in one segment; None if it has none."""
    terms = getattr(leaf, "_terms", None)
    try:
        if hasattr(terms, "term_info") and hasattr(leaf, "_codec"):
            info = terms.term_info(field, btext)
            matcher = leaf._codec.postings_reader(
                terms._postfile, info, leaf.schema[field].format, term=(field, btext)
            )
            return info.doc_frequency(), matcher
        # another reader: the public calls
        return leaf.doc_frequency(field, btext), leaf.postings(field, btext)
    except TermNotFound:
        return None


def is_stop(unit) -> bool:
    """A lone stop word ("the"): matched only when the query has nothing else."""
    return not unit.phrase and not unit.prefix and unit.words[0] in STOP_WORDS


# The words that ask a question ("why is relevance important", "how do I keep customers"):
# a question asks about its other words. Required and weighed by their rarity in a
# partial match, "why" (in a few of a blog's posts) put a post that says "why" and
# "important" above the posts about relevance; not required, it still adds to the
# posts that have it ("why paris levels": the post that says all three first), at
# search/fillers.py's QUESTION_WEIGHT when it begins the question.
QUESTION_WORDS = frozenset({"how", "why", "what", "who", "whom", "whose", "where", "which",
                            # (as a phone types "what's" without its apostrophe)
                            "whats", "hows", "whos", "wheres", "whys"})  # fmt: skip
# So are the words that set two things side by side ("users vs customers"): the posts
# that compare them say "and", "between", "difference", seldom "vs".
COMPARING_WORDS = frozenset({"vs", "versus"})
# And a sign's spoken name after a number ("60 percent", "62 billion dollars", as a
# phone's voice typing writes them): the posts write "60%" and "$62 billion", and the
# index keeps no signs, so required, the word left only the posts that happen to say it.
SPOKEN_SIGNS = frozenset({"percent", "dollar", "dollars"})


SCALES = frozenset({"hundred", "thousand", "million", "billion", "trillion"})


def _is_number(unit) -> bool:
    """A number typed in digits ("60", "1,000", "3.5") or its scale ("62 billion")."""
    word = unit.words[0] if len(unit.words) == 1 and not unit.phrase else ""
    return bool(word) and (word in SCALES or word.replace(".", "").replace(",", "").isdigit())


def asked_groups(parsed) -> tuple[list[list], list[list]]:
    """(the query's groups a post must match, the groups of question words, of
    COMPARING_WORDS, of SPOKEN_SIGNS after a number and of units made optional
    (search/fillers.py), it may match too for more score). Stop words are in neither
    while the query has other words; a query of nothing else requires them all."""

    def optional(n: int, group: list) -> bool:
        unit = group[0]
        if len(group) == 1 and unit.optional:  # ("us" read as "U.S.": search/initials.py)
            return True
        if len(group) > 1 or unit.phrase or unit.prefix:
            return False
        word = unit.words[0]
        if word in QUESTION_WORDS or word in COMPARING_WORDS:
            return True
        return word in SPOKEN_SIGNS and n > 0 and _is_number(parsed.groups[n - 1][0])

    content = [(g, optional(n, g)) for n, g in enumerate(parsed.groups)
               if not all(is_stop(u) for u in g)]  # fmt: skip
    required = [g for g, maybe in content if not maybe]
    if not required:
        return [g for g, _ in content] or parsed.groups, []
    return required, [g for g, maybe in content if maybe]


def coordination_idf(size: int, documents: int) -> float:
    """A word's weight in the coordination of a partial match (scored.coordinated)."""
    return math.log(1 + (documents - size + 0.5) / (size + 0.5))


# Per loaded generation; each worker process has its own, so a server of two workers
# keeps two of each. Held-out traffic (every query new) fills them for good: at 32 MB
# each, counted as below, a 10k server of two workers passed 460 MB after 81,000 such
# requests and still grew; at 12 MB, 408 MB and levelling off (337 MB since the workers
# share more: docs/benchmarks.md). The 100k held-out p50 was the same with them (0.9x and
# 0.8x FTS5's, alternately with the 32 MB caches).
POSTINGS_CACHE_BYTES = 12 << 20
# Kept apart from the postings, so that a common word's scores (8 bytes a document it is
# in: 0.8 MB at 100k) never push out rare words' postings, which are small and cost more
# to decode again than to keep. Sharing one budget made the 100k queries 15-20% slower.
SCORES_CACHE_BYTES = 12 << 20
# What an entry costs beyond its arrays' data: its key, the dict's node, the tuple and
# the arrays' own objects (tracemalloc: about 550 bytes a postings entry, 1,000 a word's
# scores, whose key names the fields and boosts). Counted at 100-200 bytes, a cache of
# small entries (a typo's empty answer most) held three to five times its budget.
POSTINGS_ENTRY_BYTES = 550
SCORES_ENTRY_BYTES = 1000
# A mapped word's postings (positions files), converted and joined across segments:
# 10-25 µs to make, asked again by every query with the word (re-ranking's title test,
# corrections' context), and by a query's held-out words first. Kept apart from the
# decoded ones, which they pushed out when both shared POSTINGS_CACHE_BYTES; 4 MB a
# worker (instructions a query, valgrind, 1,000 held-out queries at 10k: 1.2% fewer).
JOINED_CACHE_BYTES = 4 << 20


class _Kept:
    """What was worked out for the terms searched lately (decoded postings, or word
    scores), least recently used dropped past the budget named by `budget` (the module
    global read at each put, so a benchmark may set it to 0). Decoding Whoosh's posting
    blocks (unpickling, inflating) was a third of a query's time, and the words people
    type repeat: common words most."""

    def __init__(self, budget: str, entry_bytes: int) -> None:
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.budget = budget
        self.entry_bytes = entry_bytes  # (added to each entry's data bytes)
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key, value, nbytes: int) -> None:
        """Keep `value` under `key`; `nbytes`: its arrays' data."""
        limit = globals()[self.budget]
        nbytes += self.entry_bytes
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (value, nbytes)
            self.size += nbytes
            while self.size > limit and len(self.entries) > 1:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= dropped


def _kept_of(state, name: str, budget: str, entry_bytes: int) -> _Kept:
    """The state's store `name` (made on first use)."""
    kept = state.__dict__.get(name)
    if kept is None:
        kept = state.__dict__.setdefault(name, _Kept(budget, entry_bytes))
    return kept


def stem(word: str) -> str:
    """`word`'s stem, as the stemmed fields hold it ("sellers": "seller")."""
    return _STEM.stems[word]


_NONE = (0, np.zeros(0, np.int32), np.zeros(0, np.float32))


def _empty(state, n: int, leaf, field: str) -> bool:
    """Whether the n-th segment has no word in `field` (a blog without maxims): then none
    is looked up in Whoosh's term table, where a word it lacks cost 5-11 µs, two or three
    a query. Remembered with the state."""
    empty = state.__dict__.setdefault("_empty_fields", {})
    found = empty.get((n, field))
    if found is None:
        # (Whoosh counts the words of a scored field only, as every text field here is.)
        found = empty[(n, field)] = leaf.schema[field].scorable and not leaf.field_length(field)
    return found


def postings(state, field: str, term: str, deadline: float = math.inf) -> tuple:
    """(document frequency, docnums, term frequencies) of `term` in `field`, as numpy
    arrays (docnums global, deleted documents included: the caller drops them). A
    common word's are mapped from the segment's positions file (indexer/positions.py),
    joined and kept in the state's cache of those (JOINED_CACHE_BYTES); the others are
    read from their term infos (inlined) or Whoosh's posting blocks, and kept in the
    state's cache of decoded postings. Raises TimeLimit past `deadline` (a term cut
    short is never cached)."""
    cache = _kept_of(state, "_postings_cache", "POSTINGS_CACHE_BYTES", POSTINGS_ENTRY_BYTES)
    key = (field, term)
    found = cache.get(key)
    if found is not None:
        return found[0]
    joined = _kept_of(state, "_joined_cache", "JOINED_CACHE_BYTES", POSTINGS_ENTRY_BYTES)
    found = joined.get(key)
    if found is not None:
        return found[0]
    btext = term.encode("utf-8")
    df, decoded = 0, False
    # Four bytes a docnum and a term frequency (both exact: fewer than 2**31 documents,
    # frequencies under 2**24), half of int64 and float64: the cache holds twice the
    # terms, and at 100k articles the common words' postings did not fit in it.
    id_parts, tf_parts = [], []
    for n, (leaf, offset) in enumerate(state.reader.leaf_readers()):
        if _empty(state, n, leaf, field):
            continue
        file = state.positions_file(n)
        mapped = None if file is None else file.postings(field, term)
        if mapped is not None:
            ids, weights = np.asarray(mapped[0]), np.asarray(mapped[1])
            df += len(ids)
            id_parts.append(ids.astype(np.int32) + np.int32(offset))
            tf_parts.append(weights.astype(np.float32))
            continue
        held = leaf_postings(leaf, field, btext)
        if held is None:
            continue
        df += held[0]
        decoded = True
        for ids, tfs in posting_blocks(held[1], offset):
            id_parts.append(np.array(ids, dtype=np.int32))
            tf_parts.append(np.array(tfs, dtype=np.float32))  # a copy: the buffer is reused
            if time.perf_counter() > deadline:
                raise TimeLimit()
    if not df or not id_parts:
        if not df:
            # A field that lacks the word (most words are in no maxim, a typo in no
            # field) is asked again by every query that has the word: the answer is
            # kept too, as a Whoosh term lookup in each segment (39 a query, 9 µs each).
            cache.put(key, _NONE, 0)
        return _NONE
    ids = np.concatenate(id_parts) if len(id_parts) != 1 else id_parts[0]
    tfs = np.concatenate(tf_parts) if len(tf_parts) != 1 else tf_parts[0]
    value = (df, ids, tfs)
    # (Decoded postings, and mapped ones joined, each in its own cache: see
    # JOINED_CACHE_BYTES.)
    (cache if decoded else joined).put(key, value, ids.nbytes + tfs.nbytes)
    return value


def deleted_flags(state) -> np.ndarray | None:
    """docnum -> deleted, as a numpy array kept with the state (None: none deleted)."""
    key = "_deleted_flags"
    if key not in state.__dict__:
        dead = ~state.live
        state.__dict__[key] = dead if dead.any() else None
    return state.__dict__[key]


def idf(state, df: int) -> float:
    """Whoosh's BM25 idf of a term in `df` documents."""
    return math.log(state.doc_count_all / (df + 1)) + 1


def bm25_parts(state, field: str, df: int, boost: float) -> tuple[float, np.ndarray]:
    """(idf * (K1 + 1) * boost, docnum -> length norm): a term's score in a document
    is factor * tf / (tf + norm)."""
    return idf(state, df) * (K1 + 1) * boost, state.norms(field, K1, B)


def field_frequencies(state, fields: dict[str, float], term: str,
                      deadline: float = math.inf) -> tuple[int, list[tuple]]:  # fmt: skip
    """What BM25F sums for `term` before it saturates: (its largest document frequency
    over `fields`, [(field, docnums, boost * K1 * tf / length norm)] per field that has
    it). word_scores sums and saturates these; explain shares them out between fields."""
    df_max, parts = 0, []
    for field, boost in fields.items():
        df, ids, tfs = postings(state, field, term, deadline)
        if not df:
            continue
        df_max = max(df_max, df)
        norms = state.norms(field, K1, B)  # K1 * (1 - B + B * length / average)
        # In float64 throughout, as the scores always were (float32 * a Python float
        # stays float32 in numpy 2).
        parts.append((field, ids, (boost * K1) * tfs.astype(np.float64) / norms[ids]))
    return df_max, parts


def saturation(state, df_max: int):
    """The factor of a word's BM25F score: score = factor * t / (K1 + t), t its summed
    field frequencies (field_frequencies)."""
    return idf(state, df_max) * (K1 + 1)


def boosts_of(unit) -> tuple[dict[str, float], dict[str, float]]:
    """The stemmed and the exact fields `unit` is searched in, with their boosts: all,
    or those it names (`title:rock`)."""
    if not unit.fields:
        return FIELD_BOOSTS, EXACT_BOOSTS
    stemmed = {f: b for f, b in FIELD_BOOSTS.items() if f in unit.fields}
    return stemmed, {f"{f}_exact": b for f, b in stemmed.items()}


# Summed by document, not over an array of every document, for a word whose postings
# number less than one in SPARSE_SHARE of the documents (see _summed).
SPARSE_SHARE = 8


def word_scores(state, fields: dict[str, float], term: str, deadline: float,
                typed: str | None = None,
                exact: dict[str, float] = EXACT_BOOSTS) -> Scored:  # fmt: skip
    """The BM25F scores of `term` over `fields` ({field: boost}), of the live documents
    that have it; with `typed` (the form typed of the stem `term`), each plus that
    form's BM25F score over the exact fields (`exact`), times EXACT_FORM_WEIGHT.

    True BM25F (Robertson, Zaragoza and Taylor, 2004): each field's term frequency,
    normalized by that field's length and weighted by its boost, is summed first and
    saturated once. Summing saturated per-field scores instead made one title hit worth
    three times a body's whole saturation: a post with a query word in a short title
    outranked the post about it.

    The answer is kept with the state (SCORES_CACHE_BYTES, least recently used
    dropped), its arrays read-only: the words people type repeat, common words most,
    and summing a common word's fields again was a tenth of a two-word query's time."""
    cache = _kept_of(state, "_scores_cache", "SCORES_CACHE_BYTES", SCORES_ENTRY_BYTES)
    key = (tuple(fields.items()), term, typed, tuple(exact.items()))
    found = cache.get(key)
    if found is not None:
        return found[0]
    scored = _word_scores(state, fields, term, deadline, typed, exact)
    scored.ids.flags.writeable = scored.values.flags.writeable = False
    cache.put(key, scored, scored.ids.nbytes + scored.values.nbytes)
    return scored


def _word_scores(state, fields: dict[str, float], term: str, deadline: float,
                 typed: str | None, exact: dict[str, float]) -> Scored:  # fmt: skip
    """word_scores, worked out (TimeLimit past `deadline`: nothing kept)."""
    df_max, parts = field_frequencies(state, fields, term, deadline)
    if not df_max:
        return Scored.empty()
    held, t = _summed(state, parts)
    factor = saturation(state, df_max)
    dead = deleted_flags(state)
    if dead is not None:
        alive = ~dead[held]  # a deleted document matches nothing
        held, t = held[alive], t[alive]
    scores = factor * t / (K1 + t)
    if typed is not None:
        df_typed, parts = field_frequencies(state, exact, typed, deadline)
        if df_typed:
            # A document with the form typed has its stem (the fields are analysed
            # alike but for stemming): the same documents, some scored more, and no
            # union of the two sets to sort.
            t = _summed(state, parts, within=held)
            scores += (EXACT_FORM_WEIGHT * saturation(state, df_typed)) * t / (K1 + t)
    return Scored(held, scores)


def _summed(state, parts, within: np.ndarray | None = None):
    """The boosted field frequencies of field_frequencies' `parts` summed by document,
    field after field: (the documents, ascending; their sums); with `within` (ascending
    docnums), the sums of those documents alone (0 for one in no part).

    A word in a few documents is summed by them (a sort of its postings), one in many
    in an array over every document, which costs as much for a rare word: at 100k
    posts that was most of a rare word's time."""
    count = sum(len(ids) for _, ids, _ in parts)
    if count * SPARSE_SHARE > state.doc_count_all:
        pseudo = np.zeros(state.doc_count_all)
        for _, ids, frequencies in parts:
            pseudo[ids] += frequencies  # a field lists a document once
        if within is not None:
            return pseudo[within]
        held = np.flatnonzero(pseudo)
        return held, pseudo[held]
    ids = np.concatenate([ids for _, ids, _ in parts])
    frequencies = np.concatenate([f for _, _, f in parts])
    if within is None:
        held, at = distinct_inverse(ids)
        # (bincount adds in the order given, field after field, as the array does)
        return held, np.bincount(at, weights=frequencies, minlength=len(held))
    at = np.searchsorted(within, ids)
    inside = at < len(within)
    inside[inside] = within[at[inside]] == ids[inside]
    return np.bincount(at[inside], weights=frequencies[inside], minlength=len(within))


def add_phrase(state, field: str, words: list[str], boost: float, acc: dict, counts: dict) -> None:
    """Add a phrase's BM25F score in `field` to acc[docnum], from how often it occurs in
    each document ({docnum: count}). As Lucene scores a phrase, its idf is the sum of
    its words' idf; a phrase found three times scores above one found once."""
    if not counts:
        return
    reader = state.reader
    factor, norms = 0.0, None
    for word in set(words):
        part, norms = bm25_parts(state, field, reader.doc_frequency(field, word), boost)
        factor += part
    get = acc.get
    for d, tf in counts.items():
        acc[d] = get(d, 0.0) + factor * tf / (tf + float(norms[d]))


def unit_scores(state, unit, deadline: float, words_for_prefix: list[str] | None = None) -> Scored:
    """The scores of one word, phrase or prefix unit (see search.query.Unit)."""
    stemmed, exact = boosts_of(unit)
    if unit.prefix:
        return Scored.total([word_scores(state, exact, word, deadline)
                             for word in words_for_prefix or []])  # fmt: skip
    if unit.phrase and len(unit.words) > 1:
        phrases = Phrases(state, deadline)
        acc: dict[int, float] = {}
        for field, boost in stemmed.items():
            name = f"{field}_exact"
            add_phrase(
                state, name, unit.words, boost * PHRASE_FACTOR, acc, phrases.docs(name, unit.words)
            )
        dead = state.deleted
        if dead:
            acc = {d: s for d, s in acc.items() if d not in dead}
        return Scored.from_dict(acc)
    if unit.phrase or unit.words[0] in STOP_WORDS:
        return word_scores(state, exact, unit.words[0], deadline)
    word = unit.words[0]
    return word_scores(state, stemmed, _STEM.stems[word], deadline, typed=word, exact=exact)
