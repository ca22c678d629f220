"""A page of matches in order: by relevance (BM25F, re-ranked by title, maxim and phrase,
search/rerank.py) or by date, one post per duplicate group (search/collapse.py).

Takes the matches' scores or mask and the page wanted; gives [(docnum, score or None)].
"""

from __future__ import annotations

from search.bitmasks import bitmap, docnums_of, has, mask_bits
from search.collapse import collapsed_order
from search.rerank import RERANK, headline_matches, rerank


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
    for d, _ in collapsed_order(matching, groups, state.days.get):
        if skip:
            skip -= 1
            continue
        out.append((d, None))
        if len(out) == per_page:
            break
    return out
