"""Queries that ask for the author's maxims: "write this on a rock …", "… maxim",
"maxims about …".

Takes a `ParsedQuery`; `strip_maxim_words` takes those words out of it and says whether
they were there (the search then keeps to posts with a maxim); `strip_maxim_names` the
words that name the maxims only.
"""

from __future__ import annotations

import re

from search.fillers import DETERMINERS, LINKS, plain_word
from search.query import ParsedQuery, Unit
from search.rerank import MAXIM_WORDS

# What the site calls the maxims (its /maxims page, its menu): a query that begins or ends
# with one asks for them as "write this on a rock …" does ("customer from hell maxim").
MAXIM_NAMES = frozenset({"maxim", "maxims"})

# The label as a reader recalls it, typed without quotes: its small words may be others
# ("write it on a rock", "write that on the rock", "write on a rock"), its rock plural.
# Quoted, a phrase is the label only word for word: a quotation asks for those words.
REMEMBERED_LABEL = re.compile(r"write (?:(?:this|it|that) )?on (?:(?:a|the) )?rocks?")


def strip_maxim_words(parsed: ParsedQuery) -> bool:
    """'write this on a rock …', '… maxim' and 'maxims …' ask for maxims: keep the
    other words, filter to maxims. (Where no maxim has them, the search reads the query
    as words again: a blog that says "maxims" in passing, or has none.)"""
    if strip_maxim_names(parsed):
        return True
    groups = parsed.groups
    n = label_groups(groups)
    if not n:
        return False
    del groups[:n]
    if not groups:
        parsed.match_all = True
    return True


def strip_maxim_names(parsed: ParsedQuery) -> bool:
    """strip_maxim_words for a query that names the maxims ("… maxim", "the maxims
    about …") alone. Asked before typos are corrected too: "maxim" is no word of what
    the query is about, and must not vouch for a correction ("customer from hel maxim"
    had "hel" left as typed, no post saying "customer" and "maxim" with "hell")."""
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
    return False


def label_groups(groups: list[list[Unit]]) -> int:
    """How many of the query's first groups are the maxims' label: "write this on a
    rock" word for word (quoted or not), or as REMEMBERED_LABEL allows; a word of it as
    corrected ("rok": "rock"), whose other readings searched beside it ("roi") are no
    part of it. 0 where they are no label: a phrase that runs past it ('"write this on
    a rock customer'), a field's (title:"write this on a rock": a title, not the
    maxims), a prefix, another word in a group."""
    words: list[str] = []
    quoted = False
    for n, group in enumerate(groups[: len(MAXIM_WORDS)], start=1):
        unit = group[0]
        if unit.fields or unit.prefix or any(not u.alternative for u in group[1:]):
            return 0
        words += unit.words
        quoted = quoted or unit.phrase
        typed = " ".join(words)
        if words == MAXIM_WORDS or (not quoted and REMEMBERED_LABEL.fullmatch(typed)):
            return n
        if len(words) >= len(MAXIM_WORDS):
            return 0
    return 0
