"""Queries that ask for the author's maxims: "write this on a rock …", "… maxim",
"maxims about …".

Takes a `ParsedQuery`; `strip_maxim_words` takes those words out of it and says whether
they were there (the search then keeps to posts with a maxim).
"""

from __future__ import annotations

from search.fillers import DETERMINERS, LINKS, plain_word
from search.query import ParsedQuery
from search.rerank import MAXIM_WORDS

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
