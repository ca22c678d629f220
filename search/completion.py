"""A word read as the beginning of a word: "customer serv" is "customer service".

Takes the parsed query (`last_word`: where its last word is, if the query ends in it)
and, for a word, the collection's vocabulary with a count of documents (`complete`);
gives the word it was most likely the beginning of, and the next likeliest to search
beside it, or None.

A search box sends what was typed so far, and a reader on a phone stops typing a long
word once it is clear to them ("blasin", "marketpl") or abbreviates one ("cust
service"): search engines read the last word as a prefix (Algolia's and Meilisearch's
`prefixLast`, Typesense's `prefix`; Algolia's `prefixAll` any word). A word of four
letters or more that the collection lacks is read as the word found in the most
documents with the query's other words among those that start with it, where it is
found in at least COMPLETE_GAIN times as many of them as any near word a typo would give
that does not start with it: "cust service" is "customer service", not "cost service"
(one edit, but in one post with "service" against ten); "customer serv" is "customer
service" ("serve", one letter short, is a completion too, in fewer posts with
"customer"), searched with the next two, "serve" and "serving". Where the likeliest
completion is itself one of the typo's near words ("hel": "hell", "help"), the typo's
rules choose among them (search/corrections.py). The last word, if nothing follows it,
not even a space (a phone's keyboard adds one after a word it completed), may be cut
short from three letters ("bank of jap"), or be a word the collection has ("linux
kern", "opec prod": Kern County, a prod): that one is kept, and its completions are
searched beside it, where the best is found with the other words KNOWN_GAIN times as
often as the word itself.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable

from search.query import ParsedQuery, Unit
from search.state import Vocabulary

# The last word is completed from this many letters ("bank of jap"; two start too many
# words); the others from four (search/typos.py's ONE_TYPO_FROM).
SHORTEST = 3
# The completion must be found in this many times as many documents (with the other
# words) as the best near word a typo gives, unless it is that word; or, for a word the
# collection has, as that word.
COMPLETE_GAIN = 3
KNOWN_GAIN = 10
# The commonest words with the beginning asked about (each asks the index for its
# documents), and the most words searched beside the completion.
ASKED = 6
ALSO = 2


def last_word(parsed: ParsedQuery) -> tuple[Unit, int] | None:
    """(unit, index) of the query's last word, where the query ends in it: a word of at
    least SHORTEST letters, not a phrase, a prefix or a field's value, and nothing
    typed after it (not a space, not a full stop)."""
    text = parsed.text
    if not text or not text[-1].isalnum():
        return None
    typed = parsed.typed_units
    if not typed:
        return None
    unit = typed[-1]
    if unit.phrase or unit.prefix or len(unit.words) != 1 or not unit.original:
        return None
    word = unit.words[0]
    # (The unit typed last must be the end of the text: not "serv category:care".)
    if not text.endswith(unit.original) or len(word) < SHORTEST or not word.isalpha():
        return None
    return unit, 0


def starting_with(word: str, vocab: Vocabulary, most: int = ASKED) -> list[str]:
    """The collection's words that start with `word` and are longer, the commonest
    first, at most `most` (a bisection of the sorted vocabulary, then the range)."""
    words = vocab.words
    lo = bisect.bisect_right(words, word)
    hi = bisect.bisect_left(words, word + "\U0010ffff", lo)
    df = vocab.df
    # (Three letters may start thousands of words at 100k posts: the few commonest.)
    return heapq.nsmallest(most, words[lo:hi], key=lambda w: (-df[w], w))


def complete(word: str, vocab: Vocabulary, count: Callable[[str], int], rival: int,
             gain: int = COMPLETE_GAIN,
             within: list[str] = ()) -> tuple[str, list[str]] | None:  # fmt: skip
    """(completion, also) for the last word `word`: its commonest completion by `count`
    (the documents with it and the query's other words; its df when there are none), if
    found at least `gain` times as often as `rival` (what the reading of the word as
    typed, or as a typo, has) and not one of `within` (the typo's near words, which
    choose among themselves), and up to ALSO more completions found too; None to leave
    the word as it is read otherwise."""
    heads = starting_with(word, vocab)
    if not heads:
        return None
    counted = {w: count(w) for w in heads}
    best = max(heads, key=lambda w: counted[w])  # (ties: the commonest, listed first)
    if not counted[best] or counted[best] < gain * rival or best in within:
        return None
    also = [w for w in heads if w != best and counted[w]][:ALSO]
    return best, also
