"""A typo's neighbours: the words beside it in the query, and the near word the posts
say beside them.

Takes the parsed query and a word's place (`beside`: its neighbours the collection
has), and the near words of a typo (`by_neighbours`: the one the posts say as a
phrase with the neighbours, if one stands out, put first).
"""

from __future__ import annotations

import time

from whoosh.collectors import TimeLimit

from search.phrases import Phrases
from search.query import ParsedQuery, Unit
from search.state import IndexState
from search.typos import CONTEXT_CANDIDATES

# A near word that the query's neighbouring words stand beside, as a phrase, in at least
# ADJACENT_LEAST posts, in at least ADJACENT_SHARE of the posts that have it and in at
# least ADJACENT_GAIN times as many as any other near word, is the likeliest (see
# by_neighbours).
ADJACENT_LEAST = 1  # (a small blog has its maxim in one post; 2 lost "the force is")
ADJACENT_SHARE = 0.1
ADJACENT_GAIN = 2
ADJACENT_FIELDS = ("body_exact",)  # (titles too: a few ms more a typo at 100k, no better)
ADJACENT_LOOKUPS = 36  # phrase lookups a query may make (a word's: one per near word)
ADJACENT_SECONDS = 0.5  # (only a safety net: a lookup takes a few ms at 100k posts)


def beside(parsed: ParsedQuery, unit: Unit, i: int, vocab) -> tuple[str | None, str | None]:
    """The words typed just before and just after word i of `unit`, as they stand now
    (corrected, if they were), each None if there is none or the collection lacks it
    (a typo not corrected yet)."""
    flat: list[str] = []
    at = None
    for typed in parsed.typed_units:
        if typed.prefix:
            continue
        if typed is unit:
            at = len(flat) + i
        flat.extend(typed.words)
    if at is None:  # (a negative: "-word" has no neighbours)
        return None, None
    left = flat[at - 1] if at > 0 else None
    right = flat[at + 1] if at + 1 < len(flat) else None
    return (left if left in vocab.df else None), (right if right in vocab.df else None)


def by_neighbours(state: IndexState, left: str | None, right: str | None,
                  options: list[tuple[str, int]], vouched: list[tuple[str, int]],
                  lookups: list[int]) -> tuple[list, list, str | None]:  # fmt: skip
    """`options` and `vouched` (near words, as search/typos.py orders them), the one
    the query's neighbouring words stand beside put first, if the posts say so clearly:
    in "customers from hel", "from hell" is in the posts that say "hell" and "from help"
    in none, so "hell" comes before the commoner "help"; in "wrte ths on a rok", "write
    this on" makes "ths" "this", not "the" (though some posts "write the"). Counted as
    the posts whose body has the candidate between its two neighbours as a phrase, or
    beside its one neighbour (a word trigram or bigram: the context model of
    noisy-channel spelling correction), for the nearest of the first CONTEXT_CANDIDATES
    of each list.
    The phrase must be a set expression of the collection (in a tenth of the posts with
    the word, as a maxim is), not a chance meeting of common words: in three words
    typed from memory, "onte gain" is not "one gain" because eleven of the 2,400 posts
    with "one" say "one gain". Gives the lists and the word put first (None if none):
    it vouches for a first-letter typo as the query's other words do ("orce is with the
    customer": "force")."""
    # (Only the nearest of each list: the neighbours choose among equals, they do not
    # make a second typo likelier than one.)
    nearest = [(w, d) for near in (options, vouched) for w, d in near[:CONTEXT_CANDIDATES]
               if d == near[0][1]]  # fmt: skip
    words = list(dict.fromkeys(w for w, _ in nearest))
    if len(words) < 2 and options:  # (one first-letter typo alone may still be vouched for)
        return options, vouched, None
    if lookups[0] < len(words):  # (the query's allowance is spent: as they were)
        return options, vouched, None
    lookups[0] -= len(words)
    phrases = Phrases(state, time.perf_counter() + ADJACENT_SECONDS)
    # Between two neighbours, the three words as a phrase; beside one, the two. (Not
    # one side of two: in "inc oaid brinkmann", typed from memory, "said brinkmann" is
    # in a quarter of 100k posts, and "paid", a slip away, was meant.)
    try:
        counts = {w: len(phrases.posts(ADJACENT_FIELDS, [x for x in (left, w, right) if x]))
                  for w in words}  # fmt: skip
    except TimeLimit:
        return options, vouched, None
    df = state.vocabulary.df
    best = max(words, key=lambda w: counts[w])
    rest = max((counts[w] for w in words if w != best), default=0)
    if (counts[best] < ADJACENT_LEAST or counts[best] < ADJACENT_SHARE * df[best]
            or counts[best] < ADJACENT_GAIN * rest):  # fmt: skip
        return options, vouched, None

    def first(near: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return sorted(near, key=lambda wd: wd[0] != best)  # (stable: the rest as they were)

    return first(options), first(vouched), best
