"""The query's last word read as the beginning of a word: "customer serv" is "customer service".

Takes the parsed query (`last_word`: where its last word is, if the query ends in it)
and, for that word, the collection's vocabulary with a count of documents
(`complete`); gives the word it was most likely the beginning of, and the next likeliest
to search beside it, or None.

A search box sends what was typed so far, and a reader on a phone stops typing a long
word once it is clear to them ("blasin", "marketpl"): search engines read the last
word as a prefix (Algolia's and Meilisearch's `prefixLast`, Typesense's `prefix`), and
the word is still being typed only if nothing follows it, not even a space (a phone's
keyboard adds one after a word it completed). Here it is read as the collection's
word found in the most documents with the query's other words among those that start
with it, where it is found in at least COMPLETE_GAIN times as many of them as any near
word a typo would give that does not start with it: "cust service" is "customer
service", not "cost service" (one edit, but in one post with "service" against ten);
"customer serv" is "customer service" ("serve", one letter short, is a completion too,
in fewer posts with "customer"), searched with the next two, "serve" and "serving".
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from search.query import ParsedQuery, Unit
from search.state import Vocabulary

# A beginning of at least this many letters is completed (three letters start too many
# words: "con", "pro").
SHORTEST = 4
# The completion must be found in this many times as many documents (with the other
# words) as the best near word a typo gives, unless it is that word.
COMPLETE_GAIN = 3
# The commonest words with the beginning asked about (each asks the index for its
# documents), and the most words searched beside the completion.
ASKED = 6
ALSO = 2


def last_word(parsed: ParsedQuery) -> tuple[Unit, int] | None:
    """(unit, index) of the query's last word, where the query ends in it: a word of at
    least SHORTEST letters, not a phrase, a prefix or a field's value, and nothing
    typed after it (not a space, not a full stop)."""
    text = parsed.text
    typed = [u for u in parsed.typed_units if not u.synonym]
    if not text or not text[-1].isalnum() or not typed:
        return None
    unit = typed[-1]
    if unit.phrase or unit.prefix or len(unit.words) != 1 or not unit.original:
        return None
    word = unit.words[0]
    # (The unit typed last must be the end of the text: not "serv category:care".)
    if not text.endswith(unit.original) or len(word) < SHORTEST or not word.isalpha():
        return None
    return unit, 0


def starting_with(word: str, vocab: Vocabulary) -> list[str]:
    """The collection's words that start with `word` and are longer, the commonest
    first, at most ASKED (a bisection of the sorted vocabulary, then the range)."""
    words = vocab.words
    lo = bisect.bisect_right(words, word)
    hi = bisect.bisect_left(words, word + "\U0010ffff", lo)
    found = words[lo:hi]
    df = vocab.df
    return sorted(found, key=lambda w: (-df[w], w))[:ASKED]


def complete(word: str, vocab: Vocabulary, near: list[str],
             count: Callable[[str], int]) -> tuple[str, list[str]] | None:  # fmt: skip
    """(completion, also) for the last word `word`, which the collection lacks: its
    commonest completion by `count` (the documents with it and the query's other
    words; its df when there are none), if at least COMPLETE_GAIN times the best of the
    typo's `near` words that do not start with `word`, and up to ALSO more completions
    found too; None to leave the word to typo correction."""
    heads = starting_with(word, vocab)
    if not heads:
        return None
    counted = {w: count(w) for w in heads}
    best = max(heads, key=lambda w: counted[w])  # (ties: the commonest, listed first)
    if not counted[best]:
        return None
    # (A near word that starts with `word`, "serve" for "serv", is a completion too, and
    # competes as one.)
    typo = max((count(w) for w in near if not w.startswith(word)), default=0)
    if counted[best] < COMPLETE_GAIN * typo:
        return None
    also = [w for w in heads if w != best and counted[w]][:ALSO]
    return best, also
