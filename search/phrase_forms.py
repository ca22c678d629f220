"""A quoted phrase as the posts write its compounds: `"never send an e-mail in anger"`
where they say "email", `"check your website"` where they say "web site".

Takes the parsed query and the index state (`add_phrase_forms`, in place, before the
typos are corrected); beside each quoted phrase of two words or more it adds the forms
of it that posts say word for word, with one pair of its words joined as the collection
writes them ("e mail": "email", "smart phones": "smartphones", "health care":
"healthcare"), or one of its words written as the two the posts also write it as
("website": "web site", "online": "on line"), or all such changes at once. Unquoted
words get the same from search/split_words.py and search/run_together.py; a quoted
phrase was matched only as typed, and a half-remembered maxim written with the other
form of a compound found no post with it ("No post has the exact phrase …").

A form counts as the phrase typed (`Unit.joined`: its best match as much as the typed
phrase's best), not as a synonym. Gives the words of typed phrases that a form joined
and that the collection does not have ("mail" of "e-mail" where posts say only
"email"): they are no typos, and are not corrected to another word ("e email").
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.collectors import TimeLimit

from search.query import ParsedQuery, Unit
from search.run_together import MIN_APART_PART, said_in, segment, written_apart
from search.split_words import joined_in
from search.state import IndexState

# Of a phrase's changes, at most this many are each looked up alone (and once all
# together): a pasted paragraph in quotes must not make a lookup for each of its words.
MOST_CHANGES = 6

# (start, end, words): the typed phrase's words[start:end] written as `words`.
Change = tuple[int, int, list[str]]


def add_phrase_forms(parsed: ParsedQuery, state: IndexState) -> set[str]:
    """Add to each quoted phrase's group the forms of it the posts say (see the module
    docstring); give the words of the typed phrases that a form joined and that the
    collection lacks."""
    vocab = state.vocabulary.df
    said, apart = said_in(state), written_apart(state)
    joined_away: set[str] = set()
    for group in parsed.groups:
        unit = group[0]
        if (len(group) != 1 or not unit.phrase or unit.prefix or unit.synonym
                or len(unit.words) < 2 or not unit.original.startswith('"')):  # fmt: skip
            continue
        try:
            changes = _changes(unit.words, vocab, apart)[:MOST_CHANGES]
        except TimeLimit:
            break
        tries = [[change] for change in changes]
        if len(changes) > 1:
            tries.append(_apart_from_each_other(changes))
        seen = [unit.words]
        for chosen in tries:
            form = _applied(unit.words, chosen)
            if form in seen or not said(form):
                continue
            seen.append(form)
            group.append(Unit(form, phrase=True, original=" ".join(form), synonym=True,
                              joined=True, fields=unit.fields))  # fmt: skip
            joined_away.update(word for start, end, words in chosen if len(words) == 1
                               for word in unit.words[start:end] if word not in vocab)  # fmt: skip
    return joined_away


def _changes(words: list[str], vocab, apart: Callable) -> list[Change]:
    """The ways to write one pair of `words` as one word of the collection, or one of
    `words` as two (raises TimeLimit past written_apart's time)."""
    changes: list[Change] = []
    for i in range(len(words) - 1):
        # (its second part a word, not a letter left over: "to t" is no "tot")
        joined = len(words[i + 1]) >= MIN_APART_PART and joined_in(words[i : i + 2], vocab)
        if joined:
            changes.append((i, i + 2, [joined]))
    for i, word in enumerate(words):
        if word in vocab:
            found = apart(word)
            if found:
                first, lasts = found
                changes += [(i, i + 1, [first, last]) for last in lasts]
        elif word.isalpha():
            parts = segment(word, vocab)
            if parts and len(parts) == 2:
                changes.append((i, i + 1, parts))
    return changes


def _apart_from_each_other(changes: list[Change]) -> list[Change]:
    """Of `changes`, in order, those that touch no word an earlier one took."""
    kept, taken = [], set()
    for start, end, words in changes:
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end, words))
            taken.update(range(start, end))
    return kept


def _applied(words: list[str], changes: list[Change]) -> list[str]:
    """`words` with `changes` (touching no word twice) made."""
    out, at = [], 0
    for start, end, replacement in sorted(changes, key=lambda c: c[0]):
        out += words[at:start] + replacement
        at = end
    return out + words[at:]
